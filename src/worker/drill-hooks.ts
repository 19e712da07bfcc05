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
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./app-types";
import { apiError, jsonBody } from "./http";

let d1WritesFailUntil = 0;
let d1WritesFailed = 0;

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

function fail(sql: string): never {
  d1WritesFailed += 1;
  throw new Error(`D1_ERROR: write refused by a drill: ${sql.slice(0, 40)}`);
}

/**
 * D1 as the pipeline writes to it: while a drill's window is open, write
 * statements fail as D1 does when it is unavailable; reads pass.
 */
export function pipelineDb(db: D1Database): D1Database {
  if (Date.now() >= d1WritesFailUntil) return db;
  const statement = (sql: string, inner: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === "bind") {
          return (...values: unknown[]) => statement(sql, target.bind(...values));
        }
        if (
          WRITE.test(sql) &&
          (prop === "run" || prop === "all" || prop === "first" || prop === "raw")
        ) {
          return () => Promise.resolve().then(() => fail(sql));
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "prepare") {
        return (sql: string) => {
          const s = statement(sql, target.prepare(sql));
          sqlOf.set(s, sql);
          return s;
        };
      }
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const write = statements.map((s) => sqlOf.get(s) ?? "").find((q) => WRITE.test(q));
          // Statements prepared on the plain binding are unknown here: a batch is a write path.
          if (write !== undefined || statements.some((s) => !sqlOf.has(s))) {
            return Promise.resolve().then(() => fail(write ?? "batch"));
          }
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

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
    d1WritesFailUntil = Date.now() + forMs;
    return c.json({ until: d1WritesFailUntil, failed: d1WritesFailed });
  });
