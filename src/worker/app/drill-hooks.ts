/**
 * Fault injection for `npm run drill`. The hooks exist only when the variable
 * `DRILL_HOOKS=on` is set (the drills' stack sets it; production's configuration
 * refuses it), answer 404 otherwise, and are left out of the OpenAPI document.
 * Two faults the drills cannot cause from outside:
 *
 * - `POST /_drill/abort {actor, id}` aborts a number, conversation or agent
 *   actor (`ctx.abort`): its in-memory state and in-flight calls are lost, as
 *   when the runtime evicts or restarts it mid-flow; the next call starts a
 *   new incarnation from storage.
 * - `POST /_drill/d1-writes {forMs}` makes the message pipeline's D1 writes
 *   (creating customers on a first message, writing closed conversations'
 *   history) fail for a while. Under `wrangler dev` the Worker and every actor
 *   share one isolate, so this module's window reaches them all.
 *
 * And what the bench reads of the stack (`npm run bench`, "What one message costs"):
 *
 * - `GET /_drill/meter` answers the counts of src/platform/meter.ts (Worker
 *   requests, actor calls by method, alarms, WebSocket frames, D1 queries and
 *   rows, actors' SQLite statements and rows) since `POST /_drill/meter/reset`.
 */
import { Hono } from "hono";
import { z } from "zod";
import { meterSnapshot, resetMeter } from "../../platform/meter";
import { failD1WritesFor } from "../../platform/pipeline-db";
import type { AppEnv } from "./app-types";
import { apiError, jsonBody } from "./http";

const AbortBody = z.object({
  actor: z.enum(["number", "conversation", "agent"]),
  id: z.string().min(1).max(100),
});
const D1WritesBody = z.object({ forMs: z.number().int().min(0).max(120_000) });

export const drillHooks = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.var.config.drillHooks) {
      apiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
    }
    await next();
  })
  .post("/abort", jsonBody(AbortBody), async (c) => {
    const { actor, id } = c.req.valid("json");
    const ns =
      actor === "number"
        ? c.env.NUMBER
        : actor === "conversation"
          ? c.env.CONVERSATION
          : c.env.AGENT;
    try {
      await ns.getByName(id).drillAbort();
    } catch {
      // The abort rejects the call that caused it: that is the point.
    }
    return c.json({ aborted: { actor, id } });
  })
  .post("/d1-writes", jsonBody(D1WritesBody), (c) => {
    const { forMs } = c.req.valid("json");
    return c.json(failD1WritesFor(forMs));
  })
  .get("/meter", (c) => c.json({ counts: meterSnapshot() }))
  .post("/meter/reset", (c) => {
    resetMeter();
    return c.json({ counts: meterSnapshot() });
  });
