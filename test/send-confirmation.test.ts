/**
 * Sends whose outcome is unknown: Meta (the real simulator) accepts the message
 * and sends its status webhooks, but its HTTP answer is held past our deadline
 * (GRAPH_TIMEOUT_MS, 4 s in tests) or the connection is dropped. Such a send is
 * never POSTed again: Meta's status settles it, or after the wait it shows
 * "not confirmed" and the agent's Resend is an explicit new send, once.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { MessageView } from "../src/shared/protocol";
import { deskAgent, messagesOf, reply, takeConversation } from "./kit/conversation";
import { phone } from "./kit/ids";
import { postWebhook, relaySim } from "./kit/meta";
import { statusWebhook } from "./kit/meta-payloads";
import { call, callJson, type ErrorBody, type Session } from "./kit/session";
import { phoneThread, sim } from "./kit/simulator";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** SEND_CONFIRM_WAIT_MS's default: three minutes without a status. */
const CONFIRM_WAIT_MS = 180_000;
/** Longer than the tests' GRAPH_TIMEOUT_MS (4 s). */
const HOLD_MS = 6_000;

afterEach(() => resetClock());

/** A tenant whose agent has taken a conversation with a new customer. */
async function conversationOnDesk(): Promise<{
  t: HistoryTenant;
  anna: Session;
  customer: string;
  id: string;
}> {
  const t = await historyTenant();
  const anna = await deskAgent(t, "Anna", ["care"]);
  const customer = phone();
  const id = await takeConversation(t, anna, customer, "Buongiorno");
  return { t, anna, customer, id };
}

async function messageById(agent: Session, id: string, messageId: string): Promise<MessageView> {
  return (await messagesOf(agent, id)).find((m) => m.id === messageId)!;
}

function outboxState(id: string, messageId: string): Promise<string | null> {
  return runInDurableObject(env.CONVERSATION.getByName(id), (_i: ConversationActor, state) => {
    const row = state.storage.sql
      .exec<{ state: string }>("SELECT state FROM outbox WHERE message_id = ?", messageId)
      .toArray()[0];
    return row?.state ?? null;
  });
}

/** The agent's reply, sent while the simulator holds (or drops) its answer. */
async function replyUnanswered(
  c: { t: HistoryTenant; anna: Session; id: string },
  fault: { holdMs: number } | { drop: true },
  text: string,
): Promise<string> {
  await sim("/_sim/faults", { ...fault, phoneNumberId: c.t.phoneNumberId });
  const sent = (await reply(c.anna, c.id, text)) as MessageView;
  await eventually(async () => (await outboxState(c.id, sent.id)) === "unconfirmed", 10_000);
  return sent.id;
}

describe("a send without an answer", () => {
  it("held past the deadline: reaches the phone once, is not sent again, and settles from Meta's status", async () => {
    const c = await conversationOnDesk();
    const id = await replyUnanswered(c, { holdMs: HOLD_MS }, "Le scrivo subito");
    expect(await messageById(c.anna, c.id, id)).toMatchObject({ status: "pending", error: null });
    // The held answer comes and goes, and an alarm runs: nothing is POSTed again.
    await new Promise((r) => setTimeout(r, HOLD_MS - 3_000));
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    expect(await phoneThread(c.customer)).toEqual([
      expect.objectContaining({ text: "Le scrivo subito" }),
    ]);

    // Meta's status webhooks (our callback data, no wamid known to us) settle it.
    expect(await relaySim(c.t.phoneNumberId)).toBeGreaterThan(0);
    expect(await messageById(c.anna, c.id, id)).toMatchObject({ status: "delivered", error: null });
    expect(await outboxState(c.id, id)).toBeNull();
    // Past the wait nothing changes: settled stays settled.
    advanceClock(CONFIRM_WAIT_MS + 1_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    expect((await messageById(c.anna, c.id, id)).status).toBe("delivered");
    expect(await phoneThread(c.customer)).toHaveLength(1);
  });

  it("dropped connection after Meta accepted: not re-POSTed (today's retry would deliver it twice)", async () => {
    const c = await conversationOnDesk();
    const id = await replyUnanswered(c, { drop: true }, "Una sola volta");
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    await new Promise((r) => setTimeout(r, 300));
    expect(await phoneThread(c.customer)).toHaveLength(1);
    await eventually(async () => {
      await relaySim(c.t.phoneNumberId);
      return (await messageById(c.anna, c.id, id)).status === "delivered";
    });
  });

  it("no status comes: 'not confirmed' after the wait; Resend sends once more, exactly once", async () => {
    const c = await conversationOnDesk();
    const id = await replyUnanswered(c, { holdMs: HOLD_MS }, "Mi conferma l'ordine?");
    // Meta's statuses are lost: drop them from the simulator's outbox.
    await new Promise((r) => setTimeout(r, 500));
    await sim(`/_sim/outbox/drain?phoneNumberId=${c.t.phoneNumberId}`, {});

    // Before the wait is over it is still pending; after it, not confirmed.
    advanceClock(CONFIRM_WAIT_MS - 10_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    expect((await messageById(c.anna, c.id, id)).status).toBe("pending");
    advanceClock(11_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    expect(await messageById(c.anna, c.id, id)).toMatchObject({
      status: "unconfirmed",
      resentAs: null,
    });
    expect(await phoneThread(c.customer)).toHaveLength(1);

    // Resend: a new messageById (new id, the agent's clientId) with the same text.
    const clientId = crypto.randomUUID();
    const resent = await callJson<MessageView>(
      c.anna,
      "POST",
      `/api/conversations/${c.id}/messages/${id}/resend`,
      { clientId },
      201,
    );
    expect(resent).toMatchObject({
      id: clientId,
      text: "Mi conferma l'ordine?",
      status: "pending",
    });
    await eventually(async () => (await phoneThread(c.customer)).length === 2);
    // The same request again, or another click with a new clientId: the same new message.
    for (const again of [clientId, crypto.randomUUID()]) {
      const repeat = await callJson<MessageView>(
        c.anna,
        "POST",
        `/api/conversations/${c.id}/messages/${id}/resend`,
        { clientId: again },
        201,
      );
      expect(repeat.id).toBe(clientId);
    }
    expect((await messageById(c.anna, c.id, id)).resentAs).toBe(clientId);
    await eventually(async () => {
      await relaySim(c.t.phoneNumberId);
      return (await messageById(c.anna, c.id, clientId)).status === "delivered";
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await phoneThread(c.customer)).toHaveLength(2);
  });

  it("left in flight when its actor stopped: the next incarnation does not POST it again, and Meta's status settles it", async () => {
    const c = await conversationOnDesk();
    await sim("/_sim/faults", { holdMs: HOLD_MS, phoneNumberId: c.t.phoneNumberId });
    const first = (await reply(c.anna, c.id, "Prima dell'arresto")) as MessageView;
    // Meta has it, and holds its answer.
    await eventually(async () => (await phoneThread(c.customer)).length === 1);
    expect(await outboxState(c.id, first.id)).toBe("inflight");
    // The actor stops during the Graph call, as an eviction would.
    await env.CONVERSATION.getByName(c.id)
      .drillAbort()
      .catch(() => undefined);
    // The next incarnation's first drain (the next reply's) finds the row in flight.
    const second = (await reply(c.anna, c.id, "Dopo l'arresto")) as MessageView;
    await eventually(async () => (await outboxState(c.id, second.id)) === null);
    expect(await outboxState(c.id, first.id)).toBe("unconfirmed");
    expect((await phoneThread(c.customer)).map((m) => m.text)).toEqual([
      "Prima dell'arresto",
      "Dopo l'arresto",
    ]);
    await eventually(async () => {
      await relaySim(c.t.phoneNumberId);
      return (await messageById(c.anna, c.id, first.id)).status === "delivered";
    });
    expect(await outboxState(c.id, first.id)).toBeNull();
    expect(await phoneThread(c.customer)).toHaveLength(2);
  });

  it("a late status still settles a message shown 'not confirmed'", async () => {
    const c = await conversationOnDesk();
    const id = await replyUnanswered(c, { holdMs: HOLD_MS }, "Arrivato?");
    await new Promise((r) => setTimeout(r, 500));
    const statuses = (await (
      await sim(`/_sim/outbox/drain?phoneNumberId=${c.t.phoneNumberId}`, {})
    ).json()) as { items: { body: string; signature: string }[] };
    advanceClock(CONFIRM_WAIT_MS + 1_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    expect((await messageById(c.anna, c.id, id)).status).toBe("unconfirmed");
    // Meta's retried webhooks arrive after all (as Meta retries for days).
    for (const item of statuses.items) {
      await sim("/_sim/webhook", { payload: JSON.parse(item.body) as unknown });
    }
    await relaySim(c.t.phoneNumberId);
    expect((await messageById(c.anna, c.id, id)).status).toBe("delivered");
  });
});

describe("in the history", () => {
  it("a reply still in doubt when the conversation closes shows 'not confirmed' in the history", async () => {
    const c = await conversationOnDesk();
    await replyUnanswered(c, { holdMs: HOLD_MS }, "Ultima risposta");
    await new Promise((r) => setTimeout(r, 500));
    await sim(`/_sim/outbox/drain?phoneNumberId=${c.t.phoneNumberId}`, {});
    await callJson(c.anna, "POST", `/api/conversations/${c.id}/close`, { reason: "done" }, 200);
    const statusInHistory = async () =>
      (
        await env.DB.prepare(
          "SELECT status FROM conversation_messages WHERE conversation_id = ? AND text = ?",
        )
          .bind(c.id, "Ultima risposta")
          .first<{ status: string | null }>()
      )?.status;
    await eventually(async () => (await statusInHistory()) === "pending");

    advanceClock(CONFIRM_WAIT_MS + 1_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    await eventually(async () => (await statusInHistory()) === "unconfirmed");
  });
});

describe("settling by callback data", () => {
  it("an automatic message whose id holds a '/' (a wamid in its key) is settled by its status", async () => {
    const c = await conversationOnDesk();
    // As the softbot's answer to a customer's message would be keyed, sent without an answer.
    const messageId = "auto:bot_invalid:wamid.HBgLMzkz/NDU2Nzg5MBUCABIYFDNB==";
    await runInDurableObject(env.CONVERSATION.getByName(c.id), (_i: ConversationActor, state) => {
      state.storage.sql.exec(
        `INSERT INTO messages (id, direction, kind, text, status, sender, created_at)
         VALUES (?, 'out', 'text', 'Scelta non valida', 'pending', '{"type":"system"}', ?)`,
        messageId,
        Date.now(),
      );
      state.storage.sql.exec(
        "INSERT INTO outbox (message_id, attempts, next_at, state) VALUES (?, 0, ?, 'unconfirmed')",
        messageId,
        Date.now() + CONFIRM_WAIT_MS,
      );
    });
    const res = await postWebhook(
      statusWebhook(c.t.phoneNumberId, [
        {
          id: `wamid.${crypto.randomUUID()}`,
          status: "delivered",
          callback: `${c.id}/${messageId}`,
        },
      ]),
    );
    expect(res.status).toBe(200);
    expect((await messageById(c.anna, c.id, messageId)).status).toBe("delivered");
    expect(await outboxState(c.id, messageId)).toBeNull();
  });
});

describe("the Resend route", () => {
  it("resends only our not-confirmed or failed messages, for the conversation's agent in the tenant, and names a bad field", async () => {
    const c = await conversationOnDesk();
    const base = `/api/conversations/${c.id}/messages`;
    // A delivered message is not in doubt.
    const delivered = (await reply(c.anna, c.id, "Tutto a posto")) as MessageView;
    await eventually(async () => (await phoneThread(c.customer)).length === 1);
    await relaySim(c.t.phoneNumberId);
    const refused = await call(c.anna, "POST", `${base}/${delivered.id}/resend`, {
      clientId: crypto.randomUUID(),
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("not_resendable");

    // Meta refuses the next one for good: failed, and resendable.
    await sim("/_sim/faults", {
      count: 1,
      httpStatus: 400,
      code: 131026,
      phoneNumberId: c.t.phoneNumberId,
    });
    const failed = (await reply(c.anna, c.id, "Riprovo")) as MessageView;
    await eventually(async () => (await messageById(c.anna, c.id, failed.id)).status === "failed");

    // The customer's message is not ours.
    const inbound = (
      await callJson<{ messages: MessageView[] }>(
        c.anna,
        "GET",
        `/api/conversations/${c.id}`,
        undefined,
        200,
      )
    ).messages.find((m) => m.direction === "in")!;
    const notOurs = await call(c.anna, "POST", `${base}/${inbound.id}/resend`, {
      clientId: crypto.randomUUID(),
    });
    expect(notOurs.status).toBe(404);

    // Validation: the clientId must be a UUID, and the field is named.
    const bad = await call(c.anna, "POST", `${base}/${failed.id}/resend`, { clientId: "nope" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("clientId");

    // A colleague of the tenant who is not seated in it, and another tenant's agent: 404.
    const bruno = await deskAgent(c.t, "Bruno", ["care"], { ready: false });
    const other = await conversationOnDesk();
    for (const stranger of [bruno, other.anna]) {
      const res = await call(stranger, "POST", `${base}/${failed.id}/resend`, {
        clientId: crypto.randomUUID(),
      });
      expect(res.status).toBe(404);
    }
    expect(await phoneThread(c.customer)).toHaveLength(1);

    // The agent resends the failed one: it goes, once.
    const resent = await callJson<MessageView>(
      c.anna,
      "POST",
      `${base}/${failed.id}/resend`,
      { clientId: crypto.randomUUID() },
      201,
    );
    await eventually(async () => (await phoneThread(c.customer)).length === 2);
    expect((await phoneThread(c.customer))[1]!.text).toBe("Riprovo");
    expect((await messageById(c.anna, c.id, failed.id)).resentAs).toBe(resent.id);

    // Once closed, nothing is resent.
    const once = (await reply(c.anna, c.id, "Ultimo")) as MessageView;
    await eventually(async () => (await phoneThread(c.customer)).length === 3);
    await callJson(c.anna, "POST", `/api/conversations/${c.id}/close`, { reason: "done" }, 200);
    const closed = await call(c.anna, "POST", `${base}/${once.id}/resend`, {
      clientId: crypto.randomUUID(),
    });
    expect(closed.status).toBe(404);
  });
});
