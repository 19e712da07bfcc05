/**
 * Concurrency, restarts and the way back under failure: the guarantees the
 * core loop makes when Meta and the platform misbehave.
 */

import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../src/durable/agent/actor";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { phone } from "./kit/ids";
import { customerWrites, postWebhook, relaySim } from "./kit/meta";
import { statusWebhook, textWebhook } from "./kit/meta-payloads";
import { phoneThread, sim } from "./kit/simulator";
import { seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** The customer's first message: by default "hello", written now from the simulator's phone. */
type FirstMessage = (phoneNumberId: string, customer: string) => Promise<unknown>;
const writesHello: FirstMessage = (phoneNumberId, customer) =>
  customerWrites(phoneNumberId, customer, "hello");

/** A tenant with one agent who has already accepted a conversation with a new customer. */
async function assignedConversation(firstMessage: FirstMessage = writesHello) {
  const customer = phone();
  const t = await seedTenant({
    skillsets: { s: 5 },
    agents: [{ id: "ada", name: "Ada", skills: { s: 5 } }],
  });
  const [ada] = t.agents as [string];
  const agent = env.AGENT.getByName(ada);
  await agent.setStatus(t.tenantId, "ready");
  await firstMessage(t.phoneNumberId, customer);
  const offer = await eventually(async () => (await agent.snapshot(t.tenantId))!.offers[0]);
  await agent.accept(t.tenantId, offer.conversationId);
  return { ...t, ada, customer, conversationId: offer.conversationId };
}

describe("concurrency", () => {
  it("50 simultaneous messages from 10 customers make exactly 10 conversations, each message once, no agent over the limit", async () => {
    const t = await seedTenant({
      skillsets: { s: 5 },
      agents: [
        { id: "a1", name: "A1", max: 2, skills: { s: 5 } },
        { id: "a2", name: "A2", max: 2, skills: { s: 5 } },
        { id: "a3", name: "A3", max: 3, skills: { s: 5 } },
      ],
    });
    for (const a of t.agents) await env.AGENT.getByName(a).setStatus(t.tenantId, "ready");
    const customers = Array.from({ length: 10 }, phone);
    const messages = customers.flatMap((from, c) =>
      Array.from({ length: 5 }, (_, i) => ({
        from,
        id: `wamid.c${c}-m${i}-${t.tenantId}`,
        text: `m${i}`,
      })),
    );
    // Every message in its own POST, all at once, and a third of them delivered twice.
    const posts = [...messages, ...messages.filter((_, i) => i % 3 === 0)].map((m) =>
      postWebhook(textWebhook(t.phoneNumberId, [m])),
    );
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set([200]));

    const conversations = await env.NUMBER.getByName(t.numberId).conversations();
    expect(conversations).toHaveLength(10);
    for (const c of conversations) {
      const read = await env.CONVERSATION.getByName(c.id).read(t.tenantId);
      expect(read!.messages.map((m) => m.text).sort()).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    }
    // Routing settles with 7 offers (2 + 2 + 3) and 3 conversations waiting.
    await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q.filter((c) => c.state === "offered").length === 7;
    });
    const limits: Record<string, number> = { a1: 2, a2: 2, a3: 3 };
    for (const a of t.agents) {
      const snap = (await env.AGENT.getByName(a).snapshot(t.tenantId))!;
      expect(snap.agent.load).toBeLessThanOrEqual(limits[a.split("-")[0]!]!);
      expect(snap.agent.load).toBe(snap.offers.length);
    }
  });

  it("agent capacity stays exact when two numbers route to the same agent at once", async () => {
    const t1 = await seedTenant({
      skillsets: { s: 5 },
      agents: [{ id: "x", name: "X", max: 1, skills: { s: 5 } }],
    });
    const agentId = t1.agents[0]!;
    // A second number of the same tenant whose skillset has the same agent.
    const number2 = crypto.randomUUID();
    const phone2 = String(200000000000000 + Math.floor(Math.random() * 1e12));
    const skillset2 = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, access_token) VALUES (?, ?, ?, '+1 555 010 0002', 'Sales', 't')",
      ).bind(number2, t1.tenantId, phone2),
      env.DB.prepare(
        "INSERT INTO skillsets (id, tenant_id, number_id, name, priority) VALUES (?, ?, ?, 'sales', 5)",
      ).bind(skillset2, t1.tenantId, number2),
      env.DB.prepare(
        "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, 5)",
      ).bind(t1.tenantId, skillset2, agentId),
    ]);
    await Promise.all([
      postWebhook(textWebhook(t1.phoneNumberId, [{ from: phone(), text: "one" }])),
      postWebhook(textWebhook(phone2, [{ from: phone(), text: "two" }])),
    ]);
    await env.AGENT.getByName(agentId).setStatus(t1.tenantId, "ready");
    await eventually(
      async () => (await env.AGENT.getByName(agentId).snapshot(t1.tenantId))!.offers.length === 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    const snap = (await env.AGENT.getByName(agentId).snapshot(t1.tenantId))!;
    expect(snap.offers).toHaveLength(1);
    expect(snap.agent.load).toBe(1);
  });
});

describe("restarts", () => {
  it("state and the offer timer survive evicting every actor mid-flow", async () => {
    const t = await seedTenant({
      skillsets: { s: 5 },
      agents: [
        { id: "e1", name: "E1", skills: { s: 9 } },
        { id: "e2", name: "E2", skills: { s: 1 } },
      ],
    });
    const [e1, e2] = t.agents as [string, string];
    await env.AGENT.getByName(e1).setStatus(t.tenantId, "ready");
    await env.AGENT.getByName(e2).setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "are you there?");
    const offer = await eventually(
      async () => (await env.AGENT.getByName(e1).snapshot(t.tenantId))!.offers[0],
    );

    await evictDurableObject(env.AGENT.getByName(e1));
    await evictDurableObject(env.NUMBER.getByName(t.numberId));
    await evictDurableObject(env.CONVERSATION.getByName(offer.conversationId));

    // The offer is still there after the restart, and its expiry alarm still fires.
    const agent = env.AGENT.getByName(e1);
    expect((await agent.snapshot(t.tenantId))!.offers.map((o) => o.conversationId)).toEqual([
      offer.conversationId,
    ]);
    await runInDurableObject(agent, async (_i: AgentActor, state) => {
      state.storage.sql.exec("UPDATE offers SET expires_at = ?", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(agent)).toBe(true);
    const next = await eventually(
      async () => (await env.AGENT.getByName(e2).snapshot(t.tenantId))!.offers[0],
    );
    expect(next.conversationId).toBe(offer.conversationId);
    const read = await env.CONVERSATION.getByName(offer.conversationId).read(t.tenantId);
    expect(read!.messages.map((m) => m.text)).toEqual(["are you there?"]);
  });

  it("a pending retry survives eviction and the reply is sent exactly once", async () => {
    const c = await assignedConversation();
    await sim("/_sim/faults", { count: 1, httpStatus: 500, code: 131000 });
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    await conversation.sendText(
      c.tenantId,
      { id: c.ada, name: "Ada" },
      crypto.randomUUID(),
      "after restart",
    );
    await eventually(async () => {
      let attempts = 0;
      await runInDurableObject(conversation, async (_i, state) => {
        attempts = Number(
          state.storage.sql.exec("SELECT attempts FROM outbox").toArray()[0]?.attempts ?? 0,
        );
      });
      return attempts === 1;
    });
    await evictDurableObject(conversation);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.conversationId));
    await eventually(async () => (await phoneThread(c.customer)).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await phoneThread(c.customer)).toHaveLength(1);
  });
});

/**
 * Waits until Meta (the simulator) accepted our message `id` and returns its
 * wamid; the simulator's own statuses for it are dropped, so a test sends its own.
 */
async function acceptedBySim(
  conversation: DurableObjectStub<ConversationActor>,
  id: string,
  phoneNumberId: string,
): Promise<string> {
  const wamid = await eventually(async () => {
    const found: { wamid?: string } = {};
    await runInDurableObject(conversation, async (_i, state) => {
      found.wamid = state.storage.sql
        .exec("SELECT wamid FROM messages WHERE id = ?", id)
        .toArray()[0]?.wamid as string;
    });
    return found.wamid;
  });
  await sim(`/_sim/outbox/drain?phoneNumberId=${phoneNumberId}`, {});
  return wamid;
}

describe("the way back", () => {
  it.each([
    ["HTTP 500 / 131000", { httpStatus: 500, code: 131000 }],
    ["HTTP 429", { httpStatus: 429, code: 130429 }],
    ["throughput 130429 as 400", { httpStatus: 400, code: 130429 }],
  ])("retries %s with backoff and sends once", async (_name, fault) => {
    const c = await assignedConversation();
    await sim("/_sim/faults", { count: 2, ...fault });
    const id = crypto.randomUUID();
    await env.CONVERSATION.getByName(c.conversationId).sendText(
      c.tenantId,
      { id: c.ada, name: "Ada" },
      id,
      "retry me",
    );
    await eventually(async () => (await phoneThread(c.customer)).length === 1);
    await eventually(async () => {
      await relaySim(c.phoneNumberId);
      const read = await env.CONVERSATION.getByName(c.conversationId).read(c.tenantId);
      return read!.messages.find((m) => m.id === id)?.status === "delivered";
    });
    expect(await phoneThread(c.customer)).toHaveLength(1);
  });

  it("a send refused for its access token reads the token again and is sent once; a second refusal is final", async () => {
    const c = await assignedConversation();
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    const ada = { id: c.ada, name: "Ada" };
    const statusOf = async (id: string) =>
      (await conversation.read(c.tenantId))!.messages.find((m) => m.id === id)?.status;
    // The conversation keeps the token it read; new credentials make Meta refuse it once.
    await sim("/_sim/faults", { count: 1, httpStatus: 401, code: 190 });
    const first = crypto.randomUUID();
    await conversation.sendText(c.tenantId, ada, first, "after new credentials");
    await eventually(async () => (await phoneThread(c.customer)).length === 1);
    expect(await statusOf(first)).not.toBe("failed");
    // Refused with the token just read too: the credentials are wrong, not stale.
    await sim("/_sim/faults", { count: 2, httpStatus: 401, code: 190 });
    const second = crypto.randomUUID();
    await conversation.sendText(c.tenantId, ada, second, "still refused");
    await eventually(async () => (await statusOf(second)) === "failed");
    expect(await phoneThread(c.customer)).toHaveLength(1);
  });

  it("shows a terminal Graph API error on the message without retrying", async () => {
    const c = await assignedConversation();
    await sim("/_sim/faults", { count: 1, httpStatus: 400, code: 131026 });
    const id = crypto.randomUUID();
    await env.CONVERSATION.getByName(c.conversationId).sendText(
      c.tenantId,
      { id: c.ada, name: "Ada" },
      id,
      "nope",
    );
    const failed = await eventually(async () => {
      const read = await env.CONVERSATION.getByName(c.conversationId).read(c.tenantId);
      const m = read!.messages.find((x) => x.id === id);
      return m?.status === "failed" ? m : null;
    });
    expect(failed.error?.code).toBe(131026);
    expect(await phoneThread(c.customer)).toHaveLength(0);
  });

  it("refuses a reply outside the 24-hour window before Meta (which would answer 131047)", async () => {
    // The customer's only message is 25 hours old (a delayed delivery).
    const c = await assignedConversation(async (phoneNumberId, customer) => {
      await sim("/_sim/inbound", {
        from: customer,
        phoneNumberId,
        message: {
          type: "text",
          text: { body: "old" },
          timestamp: String(Math.floor(Date.now() / 1000) - 90_000),
        },
      });
      await relaySim(phoneNumberId);
    });
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    const id = crypto.randomUUID();
    expect(
      await conversation.sendText(c.tenantId, { id: c.ada, name: "Ada" }, id, "too late"),
    ).toEqual({ ok: false, code: "window_closed" });
    await relaySim(c.phoneNumberId);
    expect((await conversation.read(c.tenantId))!.messages.map((m) => m.id)).not.toContain(id);
    expect(await phoneThread(c.customer)).toHaveLength(0);
  });

  it("moves ticks forward only, whatever order statuses arrive in; failed is terminal", async () => {
    const c = await assignedConversation();
    const id = crypto.randomUUID();
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    await conversation.sendText(c.tenantId, { id: c.ada, name: "Ada" }, id, "ticks");
    const wamid = await acceptedBySim(conversation, id, c.phoneNumberId);
    // As Meta sends them: each status repeats the callback data sent with the message.
    const callback = `${c.conversationId}/${id}`;
    const statusOf = async () =>
      (await conversation.read(c.tenantId))!.messages.find((m) => m.id === id)!.status;
    for (const [status, expected] of [
      ["read", "read"],
      ["delivered", "read"],
      ["sent", "read"],
      ["read", "read"],
    ] as const) {
      expect(
        (await postWebhook(statusWebhook(c.phoneNumberId, [{ id: wamid, status, callback }])))
          .status,
      ).toBe(200);
      expect(await statusOf()).toBe(expected);
    }
    await postWebhook(
      statusWebhook(c.phoneNumberId, [
        {
          id: wamid,
          status: "failed",
          callback,
          errors: [{ code: 131049, title: "Not delivered" }],
        },
      ]),
    );
    expect(await statusOf()).toBe("failed");
    await postWebhook(statusWebhook(c.phoneNumberId, [{ id: wamid, status: "read", callback }]));
    expect(await statusOf()).toBe("failed");
  });

  it("a status without our callback data (another app's message on this number) changes nothing", async () => {
    const c = await assignedConversation();
    const id = crypto.randomUUID();
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    await conversation.sendText(c.tenantId, { id: c.ada, name: "Ada" }, id, "only ours");
    const wamid = await acceptedBySim(conversation, id, c.phoneNumberId);
    for (const callback of [undefined, "someone-else's data", `${crypto.randomUUID()}/${id}`]) {
      const res = await postWebhook(
        statusWebhook(c.phoneNumberId, [
          {
            id: wamid,
            status: "failed",
            ...(callback ? { callback } : {}),
            errors: [{ code: 131049, title: "Not delivered" }],
          },
        ]),
      );
      expect(res.status).toBe(200);
    }
    const after = (await conversation.read(c.tenantId))!.messages.find((m) => m.id === id)!;
    expect(after.status).not.toBe("failed");
    expect(after.error).toBeNull();
  });

  it("a send we marked unconfirmed (restart mid-call) is proved sent by Meta's status with our callback data", async () => {
    const c = await assignedConversation();
    const id = crypto.randomUUID();
    const conversation = env.CONVERSATION.getByName(c.conversationId);
    await conversation.sendText(c.tenantId, { id: c.ada, name: "Ada" }, id, "did it go?");
    await acceptedBySim(conversation, id, c.phoneNumberId);
    // As abandonOrphanedSends leaves it when the actor died during the Graph call.
    await runInDurableObject(conversation, async (_i, state) => {
      state.storage.sql.exec(
        "UPDATE messages SET status = 'failed', wamid = NULL, error = ? WHERE id = ?",
        JSON.stringify({
          code: 0,
          title: "Not confirmed by WhatsApp; not resent to avoid a duplicate",
        }),
        id,
      );
    });
    const message = async () =>
      (await conversation.read(c.tenantId))!.messages.find((m) => m.id === id)!;
    expect((await message()).status).toBe("failed");
    const wamid = `wamid.${crypto.randomUUID()}`;
    const res = await postWebhook(
      statusWebhook(c.phoneNumberId, [
        { id: wamid, status: "delivered", callback: `${c.conversationId}/${id}` },
      ]),
    );
    expect(res.status).toBe(200);
    expect(await message()).toMatchObject({ status: "delivered", error: null });
    // Meta's own failure stays terminal.
    await postWebhook(
      statusWebhook(c.phoneNumberId, [
        {
          id: wamid,
          status: "failed",
          callback: `${c.conversationId}/${id}`,
          errors: [{ code: 131049, title: "Not delivered" }],
        },
      ]),
    );
    await postWebhook(
      statusWebhook(c.phoneNumberId, [
        { id: wamid, status: "read", callback: `${c.conversationId}/${id}` },
      ]),
    );
    expect((await message()).status).toBe("failed");
  });
});
