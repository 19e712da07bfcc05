/**
 * The drills' fault hooks (src/worker/app/drill-hooks.ts) on the real Worker,
 * actors and D1: what they inject, and that the pipeline comes back from it
 * with every message stored once; and the bench's meter, which counts what a
 * message costs where it is spent.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { phone, uid } from "./kit/ids";
import { postWebhook } from "./kit/meta";
import { textWebhook } from "./kit/meta-payloads";
import { meterCounts } from "./kit/session";
import { seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

const drill = (path: string, body: unknown) =>
  exports.default.fetch(`https://parley.test/_drill/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

async function storedMessages(conversationId: string): Promise<string[]> {
  const stub = env.CONVERSATION.getByName(conversationId);
  return runInDurableObject(stub, (_: ConversationActor, state) =>
    state.storage.sql
      .exec<{ wamid: string }>("SELECT wamid FROM messages WHERE direction = 'in'")
      .toArray()
      .map((r) => r.wamid),
  );
}

describe("drill hooks", () => {
  it("refuse a bad body with the field named", async () => {
    const res = await drill("abort", { actor: "planet", id: "x" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("actor");
    const bad = await drill("d1-writes", { forMs: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("forMs");
  });

  it("D1 refusing writes makes Meta retry a new customer's message, which is then stored once", async () => {
    const t = await seedTenant({ skillsets: { s: 5 }, agents: [] });
    const customer = phone();
    const wamid = `wamid.${uid("d1")}`;
    const body = textWebhook(t.phoneNumberId, [{ from: customer, text: "hi", id: wamid }]);
    await drill("d1-writes", { forMs: 60_000 });
    try {
      // The customer cannot be created: not acknowledged, so Meta delivers again.
      expect((await postWebhook(body)).status).toBe(500);
      expect((await postWebhook(body)).status).toBe(500);
    } finally {
      await drill("d1-writes", { forMs: 0 });
    }
    expect((await postWebhook(body)).status).toBe(200);
    const customers = await env.DB.prepare(
      "SELECT count(*) AS n FROM customers WHERE tenant_id = ? AND phone = ?",
    )
      .bind(t.tenantId, `+${customer}`)
      .first<number>("n");
    expect(customers).toBe(1);
    const [conversation] = await env.NUMBER.getByName(t.numberId).conversations();
    expect(await storedMessages(conversation!.id)).toEqual([wamid]);
  });

  it("an aborted number actor comes back from storage: the conversation continues, nothing twice", async () => {
    const t = await seedTenant({ skillsets: { s: 5 }, agents: [] });
    const customer = phone();
    const first = `wamid.${uid("a")}`;
    const second = `wamid.${uid("b")}`;
    await postWebhook(textWebhook(t.phoneNumberId, [{ from: customer, text: "one", id: first }]));
    const res = await drill("abort", { actor: "number", id: t.numberId });
    expect(await res.json()).toEqual({ aborted: { actor: "number", id: t.numberId } });
    // The same delivery again, and a new message: one conversation, two messages.
    await postWebhook(textWebhook(t.phoneNumberId, [{ from: customer, text: "one", id: first }]));
    await postWebhook(textWebhook(t.phoneNumberId, [{ from: customer, text: "two", id: second }]));
    const open = await env.NUMBER.getByName(t.numberId).conversations();
    expect(open).toHaveLength(1);
    await drill("abort", { actor: "conversation", id: open[0]!.id });
    await eventually(async () => (await storedMessages(open[0]!.id)).length === 2);
    expect((await storedMessages(open[0]!.id)).sort()).toEqual([first, second].sort());
  });

  it("the meter counts what one customer message costs: the request, the actors' calls, D1 and SQLite", async () => {
    const t = await seedTenant({ skillsets: { s: 5 }, agents: [] });
    expect(await meterCounts(true)).toEqual({});
    const body = textWebhook(t.phoneNumberId, [{ from: phone(), text: "hi", id: uid("m") }]);
    expect((await postWebhook(body)).status).toBe(200);
    const counts = await meterCounts();
    // The webhook, then this read (the reset came before the count restarted).
    expect(counts["worker.requests"]).toBe(2);
    expect(counts["actor.number.ingest"]).toBe(1);
    expect(counts["actor.conversation.appendInbound"]).toBeGreaterThanOrEqual(1);
    // A first message: the customer is looked up and created in D1 (drizzle reads rows
    // through raw(), for which D1 reports no counts, so only the writes show rows).
    expect(counts["d1.queries"]).toBeGreaterThan(0);
    expect(counts["d1.rows_written"]).toBeGreaterThan(0);
    expect(counts["sql.statements"]).toBeGreaterThan(0);
    expect(counts["sql.rows_written"]).toBeGreaterThan(0);
    // By shape too: the message stored once, the customer created once in D1.
    expect(counts["sql.by.insert messages"]).toBe(1);
    expect(counts["d1.by.insert customers"]).toBe(1);
    // The customer's message was stored once all the same.
    const [conversation] = await env.NUMBER.getByName(t.numberId).conversations();
    expect(await storedMessages(conversation!.id)).toHaveLength(1);
  });
});
