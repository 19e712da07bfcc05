/**
 * The core loop through the real Worker, actors, D1 and the Meta simulator:
 * a customer writes, routing offers the conversation, the agent accepts and
 * replies, the reply reaches the phone and the ticks come back.
 */

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../src/durable/agent/actor";
import { offerFor, offersOf } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerWrites, relaySim } from "./kit/meta";
import { sim } from "./kit/simulator";
import { seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

async function twoSkillsetTenant() {
  const t = await seedTenant({
    skillsets: { vip: 8, general: 3 },
    agents: [
      { id: "anna", name: "Anna", skills: { vip: 5 } },
      { id: "bruno", name: "Bruno", skills: { general: 5 } },
    ],
  });
  const [anna, bruno] = t.agents as [string, string];
  return { ...t, anna, bruno };
}

describe("core loop", () => {
  it("offers to the higher skillset, and the accepted reply reaches the phone with ticks up to read", async () => {
    const t = await twoSkillsetTenant();
    await env.AGENT.getByName(t.anna).setStatus(t.tenantId, "ready");
    await env.AGENT.getByName(t.bruno).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao, ho un problema");

    const offer = await offerFor(t.anna, t.tenantId);
    expect(offer).toMatchObject({
      customerName: "Mario Rossi",
      customerPhone: `+${customer}`,
      skillsetName: "vip",
    });
    expect(await offersOf(t.bruno, t.tenantId)).toEqual([]);

    const accepted = await env.AGENT.getByName(t.anna).accept(t.tenantId, offer.conversationId);
    expect(accepted.ok).toBe(true);
    const conversation = env.CONVERSATION.getByName(offer.conversationId);
    // The agent reads the message: the customer's phone shows it read (blue ticks).
    const [inbound] = (await conversation.read(t.tenantId))!.messages;
    expect(await conversation.markRead(t.tenantId, t.anna, inbound!.seq)).toEqual({ ok: true });
    await eventually(async () => {
      const thread = (await (await sim(`/_sim/threads/${customer}`)).json()) as {
        messages: { direction: string; status: string | null }[];
      };
      return thread.messages.find((m) => m.direction === "in")?.status === "read";
    });
    const clientId = crypto.randomUUID();
    const sent = await conversation.sendText(
      t.tenantId,
      { id: t.anna, name: "Anna" },
      clientId,
      "Ciao Mario!",
    );
    expect(sent).toMatchObject({ ok: true, message: { status: "pending", direction: "out" } });

    await eventually(async () => {
      const thread = (await (await sim(`/_sim/threads/${customer}`)).json()) as {
        messages: { direction: string; text: string }[];
      };
      return thread.messages.some((m) => m.direction === "out" && m.text === "Ciao Mario!");
    });
    await sim(`/_sim/threads/${customer}/read`, {});
    await eventually(async () => {
      await relaySim(t.phoneNumberId);
      const read = await conversation.read(t.tenantId);
      return read!.messages.find((m) => m.id === clientId)?.status === "read";
    });
    // Retrying the same send (same clientId) sends nothing new.
    await conversation.sendText(t.tenantId, { id: t.anna, name: "Anna" }, clientId, "Ciao Mario!");
    const thread = (await (await sim(`/_sim/threads/${customer}`)).json()) as {
      messages: { direction: string }[];
    };
    expect(thread.messages.filter((m) => m.direction === "out")).toHaveLength(1);
  });

  it("waits in queue until an agent becomes Ready, then offers at once", async () => {
    const t = await twoSkillsetTenant();
    await customerWrites(t.phoneNumberId, phone(), "anyone?");
    const [queued] = await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q[0]?.state === "queued" ? q : null;
    });
    expect(queued).toBeTruthy();
    await env.AGENT.getByName(t.bruno).setStatus(t.tenantId, "ready");
    const offer = await offerFor(t.bruno, t.tenantId);
    expect(offer.skillsetName).toBe("general");
  });

  it("an unanswered offer puts the agent in RONA and goes to the next agent", async () => {
    const t = await twoSkillsetTenant();
    await env.AGENT.getByName(t.anna).setStatus(t.tenantId, "ready");
    await env.AGENT.getByName(t.bruno).setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "hello?");
    const offer = await offerFor(t.anna, t.tenantId);

    const anna = env.AGENT.getByName(t.anna);
    await runInDurableObject(anna, async (_instance: AgentActor, state) => {
      state.storage.sql.exec("UPDATE offers SET expires_at = ?", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(anna)).toBe(true);

    const snapshot = (await anna.snapshot(t.tenantId))!;
    expect(snapshot.agent.status).toBe("rona");
    expect(snapshot.offers).toEqual([]);
    const next = await offerFor(t.bruno, t.tenantId);
    expect(next.conversationId).toBe(offer.conversationId);
    // Accepting the expired offer is refused.
    expect(await anna.accept(t.tenantId, offer.conversationId)).toEqual({
      ok: false,
      code: "offer_gone",
    });
  });

  it("closing frees capacity for the next waiting conversation and the customer's next message opens a new one", async () => {
    const t = await seedTenant({
      skillsets: { only: 5 },
      agents: [{ id: "solo", name: "Solo", max: 1, skills: { only: 5 } }],
    });
    const [solo] = t.agents as [string];
    const agent = env.AGENT.getByName(solo);
    await agent.setStatus(t.tenantId, "ready");
    const first = phone();
    const second = phone();
    await customerWrites(t.phoneNumberId, first, "one");
    const offer1 = await offerFor(solo, t.tenantId);
    await agent.accept(t.tenantId, offer1.conversationId);
    await customerWrites(t.phoneNumberId, second, "two");
    // Solo is at the limit: the second conversation waits.
    const queue = await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q.length === 2 ? q : null;
    });
    expect(queue.map((c) => c.state).sort()).toEqual(["assigned", "queued"]);

    const closed = await env.CONVERSATION.getByName(offer1.conversationId).close(
      t.tenantId,
      solo,
      "resolved",
    );
    expect(closed).toMatchObject({
      ok: true,
      conversation: { state: "closed", closeReason: "resolved" },
    });
    const offer2 = await offerFor(solo, t.tenantId);
    expect(offer2.customerPhone).toBe(`+${second}`);

    await customerWrites(t.phoneNumberId, first, "one again");
    const after = await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q.length === 2 ? q : null;
    });
    expect(after.map((c) => c.id)).not.toContain(offer1.conversationId);
  });
});
