/**
 * The agents' lifecycle actions through the real Worker, actors, D1, the Meta
 * simulator and the SMTP sink: transfer (to a user, immediate or exclusive, to
 * a skillset), isolation, the wait queue (personal, public, unpause, pick-up),
 * conversations left open at logout, conference, overflow, the e-mail on
 * close, and an inactivity timer that survives eviction and a repeated alarm.
 * Time moves with the actors' clock, never by sleeping; each rule has a case
 * where it fires and one where it must not.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { advanceClock, now, resetClock } from "../src/platform/clock";
import type {
  ConversationView,
  OfferView,
  TransferTargets,
  WaitingList,
} from "../src/shared/protocol";
import {
  accept,
  acceptedConversation,
  conversationRead,
  conversationsOf,
  deskAgent,
  desktopOf,
  messagesOf,
  offerFor,
  offersOf,
  reply,
  setStatus,
  takeConversation,
} from "./kit/conversation";
import { phone, uid } from "./kit/ids";
import { mailsTo } from "./kit/mail";
import { customerWrites } from "./kit/meta";
import {
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  login,
  type Session,
} from "./kit/session";
import { phoneGets, phoneReceived } from "./kit/simulator";
import { type HistoryTenant, historyTenant, seedTenant, setSettings } from "./kit/tenant";
import { eventually } from "./kit/wait";

afterEach(() => resetClock());

/** Offers time out after OFFER_TIMEOUT_SECONDS (30 in the test config). */
const PAST_OFFER_TIMEOUT_MS = 31_000;

// ---- desktop helpers ------------------------------------------------------------

/** Waits until `agent` is offered `conversationId`. */
function offerOn(agent: Session, conversationId: string): Promise<OfferView> {
  return eventually(async () =>
    (await desktopOf(agent)).offers.find((o) => o.conversationId === conversationId),
  );
}

/** Gives routing time to act, then checks that none of `agents` has an offer. */
async function expectNoOffers(...agents: Session[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 400));
  for (const agent of agents) expect((await desktopOf(agent)).offers).toEqual([]);
}

async function onDesk(agent: Session, conversationId: string): Promise<ConversationView | null> {
  return (await desktopOf(agent)).conversations.find((c) => c.id === conversationId) ?? null;
}

/**
 * A fresh customer writes; `agent` (who must be the only Ready agent that can
 * take it) gets the offer and accepts it.
 */
async function take(
  t: HistoryTenant,
  agent: Session,
  text = "Buongiorno",
): Promise<{ id: string; customer: string }> {
  const customer = phone();
  return { id: await takeConversation(t, agent, customer, text), customer };
}

function transfer(agent: Session, id: string, body: unknown): Promise<Response> {
  return call(agent, "POST", `/api/conversations/${id}/transfer`, body);
}

function transferred(agent: Session, id: string, body: unknown): Promise<ConversationView> {
  return callJson<ConversationView>(agent, "POST", `/api/conversations/${id}/transfer`, body, 200);
}

function waiting(agent: Session): Promise<WaitingList> {
  return callJson<WaitingList>(agent, "GET", "/api/waiting", undefined, 200);
}

function waitQueue(agent: Session): Promise<WaitingList> {
  return callJson<WaitingList>(agent, "GET", "/api/wait-queue", undefined, 200);
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as ErrorBody).error.code;
}

// ---- 1. transfer to a user, immediate -----------------------------------------------

describe("transfer to a user, immediate", () => {
  it("offers it to the target as a transfer from the agent, leaves the agent's desktop at once, tells the customer, and the target gets its history", async () => {
    const t = await historyTenant();
    await setSettings(t.numberId, { messages: { transfer: "Ti passo a un collega" } });
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await reply(anna, id, "Un attimo, prego");
    await setStatus(bruno, "ready");
    await setStatus(carla, "ready");

    const view = await transferred(anna, id, { to: "agent", agentId: bruno.userId });
    expect(view).toMatchObject({
      state: "transfer",
      agentId: null,
      transfer: { toAgentId: bruno.userId, toAgentName: "Bruno", mode: "immediate" },
    });
    // Gone from Anna's desktop as soon as the call returns.
    expect(await onDesk(anna, id)).toBeNull();

    const offer = await offerOn(bruno, id);
    expect(offer).toMatchObject({ kind: "transfer", fromAgentName: "Anna" });
    await expectNoOffers(carla, anna);
    await phoneGets(customer, "Ti passo a un collega");

    const taken = await accept(bruno, id);
    expect(taken).toMatchObject({ state: "assigned", agentId: bruno.userId, transfer: null });
    expect(await onDesk(bruno, id)).toMatchObject({ state: "assigned" });
    const texts = (await messagesOf(bruno, id)).map((m) => m.text);
    expect(texts).toEqual(
      expect.arrayContaining(["Buongiorno", "Un attimo, prego", "Ti passo a un collega"]),
    );
  });

  it("sends nothing to the customer when the transfer message is blank", async () => {
    const t = await historyTenant();
    await setSettings(t.numberId, { messages: { transfer: "   " } });
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await reply(anna, id, "Un attimo, prego");
    await phoneGets(customer, "Un attimo, prego");
    await setStatus(bruno, "ready");

    await transferred(anna, id, { to: "agent", agentId: bruno.userId });
    await offerOn(bruno, id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await phoneReceived(customer)).toEqual(["Un attimo, prego"]);
    const system = (await conversationRead(t.tenantId, id)).messages.filter(
      (m) => m.direction === "out" && m.sender.type === "system",
    );
    expect(system).toEqual([]);
  });

  it("not accepted in time: the target goes RONA and the conversation falls back to another agent of the skillset", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const { id } = await take(t, anna);
    await setStatus(anna, "break");
    await setStatus(bruno, "ready");
    await setStatus(carla, "ready");

    await transferred(anna, id, { to: "agent", agentId: bruno.userId, mode: "immediate" });
    await offerOn(bruno, id);
    // Within the offer's time only Bruno is asked.
    await expectNoOffers(carla);

    advanceClock(PAST_OFFER_TIMEOUT_MS);
    expect(await runDurableObjectAlarm(env.AGENT.getByName(bruno.userId))).toBe(true);
    const brunoDesk = await desktopOf(bruno);
    expect(brunoDesk.agent.status).toBe("rona");
    expect(brunoDesk.offers).toEqual([]);
    const fallback = await offerOn(carla, id);
    expect(fallback).toMatchObject({ kind: "transfer", fromAgentName: "Anna" });
    const late = await call(bruno, "POST", `/api/offers/${id}/accept`);
    expect(late.status).toBe(409);
    expect((await accept(carla, id)).agentId).toBe(carla.userId);
  });

  it("target not Ready at transfer: nobody else is asked until the timeout, then it falls back", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const { id } = await take(t, anna);
    await setStatus(anna, "break");
    await setStatus(bruno, "back_office");
    await setStatus(carla, "ready");

    await transferred(anna, id, { to: "agent", agentId: bruno.userId });
    await expectNoOffers(carla, bruno);
    const number = env.NUMBER.getByName(t.numberId);
    expect(await number.conversations()).toEqual([
      expect.objectContaining({ id, state: "queued", targetAgentId: bruno.userId }),
    ]);

    advanceClock(PAST_OFFER_TIMEOUT_MS);
    expect(await runDurableObjectAlarm(number)).toBe(true);
    const fallback = await offerOn(carla, id);
    expect(fallback.kind).toBe("transfer");
    expect((await desktopOf(bruno)).offers).toEqual([]);
  });
});

// ---- 2. exclusive transfer ------------------------------------------------------------

describe("exclusive transfer", () => {
  it("waits for its target only: not offered to others after the target's offer expires, offered to the target again once Ready", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const { id } = await take(t, anna);
    await setStatus(anna, "break");
    await setStatus(bruno, "ready");
    await setStatus(carla, "ready");

    const view = await transferred(anna, id, {
      to: "agent",
      agentId: bruno.userId,
      mode: "exclusive",
    });
    expect(view.transfer).toMatchObject({ toAgentId: bruno.userId, mode: "exclusive" });
    await offerOn(bruno, id);

    advanceClock(PAST_OFFER_TIMEOUT_MS);
    expect(await runDurableObjectAlarm(env.AGENT.getByName(bruno.userId))).toBe(true);
    expect((await desktopOf(bruno)).agent.status).toBe("rona");
    // Even a routing pass of the number does not give it to Carla.
    await runDurableObjectAlarm(env.NUMBER.getByName(t.numberId));
    await expectNoOffers(carla, bruno);
    const listed = (await waiting(carla)).items.find((i) => i.conversationId === id);
    expect(listed).toMatchObject({ state: "transfer", agentId: bruno.userId });

    await setStatus(bruno, "ready");
    const again = await offerOn(bruno, id);
    expect(again).toMatchObject({ kind: "transfer", fromAgentName: "Anna" });
    expect((await desktopOf(carla)).offers).toEqual([]);
  });
});

// ---- 3. transfer to a skillset ---------------------------------------------------------

describe("transfer to a skillset", () => {
  it("is offered to that skillset's agents and never back to the agent who transferred it", async () => {
    const t = await historyTenant({ care: 5, sales: 5 });
    const anna = await deskAgent(t, "Anna", ["care", "sales"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const dario = await deskAgent(t, "Dario", ["sales"], { ready: false });
    const { id } = await take(t, anna);
    await setStatus(bruno, "ready");

    const view = await transferred(anna, id, { to: "skillset", skillsetId: t.skillsets.sales });
    expect(view).toMatchObject({
      state: "transfer",
      transfer: { toSkillsetId: t.skillsets.sales, toSkillsetName: "sales" },
    });
    // Anna is Ready, free and in sales, Bruno is Ready but not in sales: neither is asked.
    await expectNoOffers(anna, bruno);

    await setStatus(dario, "ready");
    const offer = await offerOn(dario, id);
    expect(offer).toMatchObject({ kind: "transfer", fromAgentName: "Anna", skillsetName: "sales" });
    expect((await desktopOf(anna)).offers).toEqual([]);
  });
});

// ---- 4. isolated agents ----------------------------------------------------------------

describe("transfer targets and isolation", () => {
  it("an isolated agent sees and reaches only their skillsets and members; others see all", async () => {
    const t = await historyTenant({ care: 5, sales: 5 });
    const anna = await deskAgent(t, "Anna", ["care"], { isolated: true });
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const eva = await deskAgent(t, "Eva", ["care"], { ready: false });
    const dario = await deskAgent(t, "Dario", ["sales"], { ready: false });
    const { id } = await take(t, anna);

    const targets = await callJson<TransferTargets>(
      anna,
      "GET",
      `/api/conversations/${id}/transfer-targets`,
      undefined,
      200,
    );
    expect(targets.skillsets.map((s) => s.id)).toEqual([t.skillsets.care]);
    expect(targets.agents.map((a) => a.id).sort()).toEqual([bruno.userId, eva.userId].sort());

    const outside = await transfer(anna, id, { to: "agent", agentId: dario.userId });
    expect(outside.status).toBe(400);
    expect(await badFields(outside)).toEqual(["agentId"]);
    const otherSkillset = await transfer(anna, id, {
      to: "skillset",
      skillsetId: t.skillsets.sales,
    });
    expect(otherSkillset.status).toBe(400);
    expect(await badFields(otherSkillset)).toEqual(["skillsetId"]);
    expect(await onDesk(anna, id)).toMatchObject({ state: "assigned", agentId: anna.userId });

    // Eva is not isolated: once she has it, she sees sales and Dario, and may transfer there.
    await setStatus(eva, "ready");
    await transferred(anna, id, { to: "agent", agentId: eva.userId });
    await offerOn(eva, id);
    await accept(eva, id);
    const evaTargets = await callJson<TransferTargets>(
      eva,
      "GET",
      `/api/conversations/${id}/transfer-targets`,
      undefined,
      200,
    );
    expect(evaTargets.skillsets.map((s) => s.id).sort()).toEqual(
      [t.skillsets.care, t.skillsets.sales].sort(),
    );
    expect(evaTargets.agents.map((a) => a.id)).toContain(dario.userId);
    expect(evaTargets.agents.map((a) => a.id)).not.toContain(eva.userId);
    await transferred(eva, id, { to: "agent", agentId: dario.userId });
  });

  it("bad bodies are 400 naming the field; another tenant's conversation is 404", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id } = await take(t, anna);

    const cases: [unknown, string][] = [
      [{ to: "agent" }, "agentId"],
      [{ to: "agent", agentId: bruno.userId, mode: "whenever" }, "mode"],
      [{ to: "wait_queue", kind: "forever" }, "kind"],
      [{ to: "skillset" }, "skillsetId"],
      [{ to: "moon" }, "to"],
      [{ to: "agent", agentId: anna.userId }, "agentId"],
    ];
    for (const [body, field] of cases) {
      const res = await transfer(anna, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await badFields(res), JSON.stringify(body)).toContain(field);
    }
    expect(await onDesk(anna, id)).toMatchObject({ state: "assigned" });

    const stranger = await agentSession((await historyTenant()).tenantId);
    const foreign = await transfer(stranger, id, { to: "wait_queue", kind: "public" });
    expect(foreign.status).toBe(404);
    expect((await call(stranger, "GET", `/api/conversations/${id}/transfer-targets`)).status).toBe(
      404,
    );
    const foreignConference = await call(stranger, "POST", `/api/conversations/${id}/conference`, {
      to: "agent",
      agentId: anna.userId,
    });
    expect(foreignConference.status).toBe(404);
    // A colleague who does not have it cannot move it either.
    expect((await transfer(bruno, id, { to: "wait_queue", kind: "public" })).status).toBe(404);
    expect(await onDesk(anna, id)).toMatchObject({ state: "assigned", agentId: anna.userId });
  });
});

// ---- 5. wait queue ----------------------------------------------------------------------

describe("wait queue", () => {
  it("personal: listed in my wait queue, not routed while parked, and the customer's next message goes back to me only", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await setStatus(bruno, "ready");

    const view = await transferred(anna, id, { to: "wait_queue", kind: "personal" });
    expect(view).toMatchObject({
      state: "wait_queue",
      agentId: null,
      waitQueue: { kind: "personal", agentId: anna.userId },
    });
    expect(await onDesk(anna, id)).toBeNull();
    expect((await waitQueue(anna)).items).toEqual([
      expect.objectContaining({
        conversationId: id,
        state: "wait_queue",
        waitQueueKind: "personal",
        agentId: anna.userId,
      }),
    ]);
    expect((await waitQueue(bruno)).items).toEqual([]);
    await expectNoOffers(anna, bruno);

    await customerWrites(t.phoneNumberId, customer, "Ci sono ancora");
    await offerOn(anna, id);
    // Bruno has been idle longer, so plain routing would have picked him.
    expect((await desktopOf(bruno)).offers).toEqual([]);
    expect((await waitQueue(anna)).items).toEqual([]);
  });

  it("public: the customer's next message goes to the first available agent", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await setStatus(bruno, "ready");

    const view = await transferred(anna, id, { to: "wait_queue", kind: "public" });
    expect(view.waitQueue).toMatchObject({ kind: "public" });
    expect((await waitQueue(anna)).items.map((i) => [i.conversationId, i.waitQueueKind])).toEqual([
      [id, "public"],
    ]);
    await expectNoOffers(anna, bruno);

    await customerWrites(t.phoneNumberId, customer, "Ci sono ancora");
    // Both are Ready and free; Bruno has waited longest for a conversation.
    await offerOn(bruno, id);
    expect((await desktopOf(anna)).offers).toEqual([]);
  });

  it("unpause brings it back to the agent who parked it, and only to them", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await transferred(anna, id, { to: "wait_queue", kind: "personal" });

    const notHis = await call(bruno, "POST", `/api/conversations/${id}/unpause`);
    expect(notHis.status).toBe(409);
    expect((await waitQueue(anna)).items.map((i) => i.conversationId)).toEqual([id]);

    const back = await callJson<ConversationView>(
      anna,
      "POST",
      `/api/conversations/${id}/unpause`,
      undefined,
      200,
    );
    expect(back).toMatchObject({ state: "assigned", agentId: anna.userId, waitQueue: null });
    expect(await onDesk(anna, id)).toMatchObject({ state: "assigned" });
    expect((await waitQueue(anna)).items).toEqual([]);
    await reply(anna, id, "Eccomi di nuovo");
    await phoneGets(customer, "Eccomi di nuovo");
  });

  it("another agent picks up a parked conversation; a second pick-up is refused", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const { id } = await take(t, anna);
    await transferred(anna, id, { to: "wait_queue", kind: "personal" });
    expect((await waiting(bruno)).items).toEqual([
      expect.objectContaining({ conversationId: id, state: "wait_queue" }),
    ]);

    const picked = await callJson<ConversationView>(
      bruno,
      "POST",
      `/api/conversations/${id}/pick-up`,
      undefined,
      200,
    );
    expect(picked).toMatchObject({ state: "assigned", agentId: bruno.userId });
    expect(await onDesk(bruno, id)).toMatchObject({ agentId: bruno.userId });
    expect((await waitQueue(anna)).items).toEqual([]);
    expect((await waiting(carla)).items).toEqual([]);

    const second = await call(carla, "POST", `/api/conversations/${id}/pick-up`);
    expect(second.status, await second.clone().text()).toBe(409);
    expect(await onDesk(carla, id)).toBeNull();
    expect(await onDesk(bruno, id)).toMatchObject({ agentId: bruno.userId });
  });

  it("an agent picks up a conversation still waiting for routing", async () => {
    const t = await historyTenant();
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "C'è qualcuno?");
    const item = await eventually(async () =>
      (await waiting(bruno)).items.find((i) => i.state === "queued"),
    );
    const picked = await callJson<ConversationView>(
      bruno,
      "POST",
      `/api/conversations/${item.conversationId}/pick-up`,
      undefined,
      200,
    );
    expect(picked).toMatchObject({ state: "assigned", agentId: bruno.userId });
    expect((await waiting(bruno)).items).toEqual([]);
    await reply(bruno, item.conversationId, "Sì, eccomi");
    await phoneGets(customer, "Sì, eccomi");
  });
});

// ---- 6. left open ------------------------------------------------------------------------

describe("conversations left open at logout", () => {
  it("are listed as left open and another agent picks them up", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id } = await take(t, anna);
    expect((await waiting(bruno)).items).toEqual([]);

    expect((await call(anna, "POST", "/auth/logout")).status).toBe(204);
    const listed = await eventually(async () =>
      (await waiting(bruno)).items.find((i) => i.conversationId === id),
    );
    expect(listed).toMatchObject({ state: "left_open", agentId: anna.userId });
    expect((await conversationRead(t.tenantId, id)).conversation.leftOpen).toBe(true);

    advanceClock(60_000);
    const before = now();
    const picked = await callJson<ConversationView>(
      bruno,
      "POST",
      `/api/conversations/${id}/pick-up`,
      undefined,
      200,
    );
    expect(picked).toMatchObject({ state: "assigned", agentId: bruno.userId, leftOpen: false });
    // Assigned since the pick-up, not since Anna took it.
    expect(picked.assignedAt).toBeGreaterThanOrEqual(before);
    expect((await waiting(bruno)).items).toEqual([]);
    expect((await conversationsOf(anna.userId, t.tenantId)).map((c) => c.id)).not.toContain(id);
    expect(await onDesk(bruno, id)).toMatchObject({ agentId: bruno.userId });
  });

  it("are no longer left open once the agent comes back before anyone picks them up", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id } = await take(t, anna);

    await env.AGENT.getByName(anna.userId).loggedOut(t.tenantId);
    await eventually(async () =>
      (await waiting(bruno)).items.find((i) => i.conversationId === id && i.state === "left_open"),
    );

    // Anna signs in again and her desktop loads.
    const again = await login(anna.email);
    expect((await desktopOf({ ...anna, cookie: again })).conversations.map((c) => c.id)).toContain(
      id,
    );
    expect((await waiting(bruno)).items).toEqual([]);
    expect((await conversationRead(t.tenantId, id)).conversation.leftOpen).toBe(false);
    const late = await call(bruno, "POST", `/api/conversations/${id}/pick-up`);
    expect(late.status).toBe(409);
    expect(await onDesk({ ...anna, cookie: again }, id)).toMatchObject({ agentId: anna.userId });
  });
});

// ---- 7. conference ------------------------------------------------------------------------

describe("conference", () => {
  it("the guest accepts, both see and write, the guest leaves and keeps nothing; a guest cannot close", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const { id, customer } = await take(t, anna);
    await setStatus(bruno, "ready");

    const invited = await callJson<{ invited: { id: string; name: string } }>(
      anna,
      "POST",
      `/api/conversations/${id}/conference`,
      { to: "agent", agentId: bruno.userId },
      202,
    );
    expect(invited).toEqual({ invited: { id: bruno.userId, name: "Bruno" } });
    const offer = await offerOn(bruno, id);
    expect(offer).toMatchObject({ kind: "conference", fromAgentName: "Anna" });

    const joined = await accept(bruno, id);
    expect(joined).toMatchObject({
      state: "assigned",
      agentId: anna.userId,
      participants: [{ id: bruno.userId, name: "Bruno" }],
    });
    expect(await onDesk(bruno, id)).toMatchObject({ agentId: anna.userId });
    await eventually(async () => (await onDesk(anna, id))?.participants.length === 1);

    await reply(anna, id, "Scrive Anna");
    await reply(bruno, id, "Scrive Bruno");
    await phoneGets(customer, "Scrive Anna");
    await phoneGets(customer, "Scrive Bruno");

    const guestClose = await call(bruno, "POST", `/api/conversations/${id}/close`, {
      reason: "resolved",
    });
    expect(guestClose.status).toBe(404);
    expect((await conversationRead(t.tenantId, id)).conversation.state).toBe("assigned");
    const ownerLeave = await call(anna, "POST", `/api/conversations/${id}/leave`);
    expect(ownerLeave.status).toBe(409);

    expect((await call(bruno, "POST", `/api/conversations/${id}/leave`)).status).toBe(204);
    expect(await onDesk(bruno, id)).toBeNull();
    const afterLeaving = await call(bruno, "POST", `/api/conversations/${id}/messages`, {
      clientId: crypto.randomUUID(),
      text: "ancora io",
    });
    expect(afterLeaving.status).toBe(404);
    const afterwards = await conversationRead(t.tenantId, id);
    expect(afterwards.conversation).toMatchObject({ agentId: anna.userId, participants: [] });
    expect((await onDesk(anna, id))?.state).toBe("assigned");
    // The system notes carry their notice, which each desk shows in its own language.
    expect(
      afterwards.messages.filter((m) => m.content?.type === "note").map((m) => m.content),
    ).toEqual([
      { type: "note", body: "Bruno joined the conversation", notice: "joined", detail: "Bruno" },
      { type: "note", body: "Bruno left the conversation", notice: "left", detail: "Bruno" },
    ]);
  });

  it("the owner's close releases the guests; a skillset with nobody available is 409", async () => {
    const t = await historyTenant({ care: 5, sales: 5 });
    const anna = await deskAgent(t, "Anna", ["care"]);
    const carla = await deskAgent(t, "Carla", ["care"], { ready: false });
    const dario = await deskAgent(t, "Dario", ["sales"], { ready: false });
    const { id } = await take(t, anna);
    await setStatus(carla, "ready");
    await setStatus(dario, "break");

    const nobody = await call(anna, "POST", `/api/conversations/${id}/conference`, {
      to: "skillset",
      skillsetId: t.skillsets.sales,
    });
    expect(nobody.status).toBe(409);
    expect(await errorCode(nobody)).toBe("nobody_available");
    expect((await desktopOf(dario)).offers).toEqual([]);

    await setStatus(dario, "ready");
    const bySkillset = await callJson<{ invited: { id: string } }>(
      anna,
      "POST",
      `/api/conversations/${id}/conference`,
      { to: "skillset", skillsetId: t.skillsets.sales },
      202,
    );
    expect(bySkillset.invited.id).toBe(dario.userId);
    await offerOn(dario, id);
    await accept(dario, id);
    await callJson(
      anna,
      "POST",
      `/api/conversations/${id}/conference`,
      { to: "agent", agentId: carla.userId },
      202,
    );
    await offerOn(carla, id);
    await accept(carla, id);
    expect(
      (await conversationRead(t.tenantId, id)).conversation.participants.map((p) => p.id).sort(),
    ).toEqual([carla.userId, dario.userId].sort());

    await callJson(anna, "POST", `/api/conversations/${id}/close`, { reason: "resolved" }, 200);
    expect(await onDesk(dario, id)).toBeNull();
    expect(await onDesk(carla, id)).toBeNull();
    expect(await onDesk(anna, id)).toBeNull();
    expect((await desktopOf(dario)).agent.load).toBe(0);
  });
});

// ---- 8. overflow ------------------------------------------------------------------------

describe("overflow", () => {
  async function overflowTenant(vipMax: number) {
    const t = await seedTenant({
      skillsets: { vip: 8, general: 3 },
      agents: [
        { id: "anna", name: "Anna", max: vipMax, skills: { vip: 5 } },
        { id: "bruno", name: "Bruno", skills: { general: 5 } },
      ],
    });
    const [anna, bruno] = t.agents as [string, string];
    await env.AGENT.getByName(bruno).setStatus(t.tenantId, "ready");
    // Anna (vip) takes the first conversation.
    const first = await acceptedConversation(t, anna);
    expect((await conversationRead(t.tenantId, first.conversationId)).conversation).toMatchObject({
      skillsetName: "vip",
      agentId: anna,
    });
    expect(await offersOf(bruno, t.tenantId)).toEqual([]);
    return { t, anna, bruno };
  }

  it("a new conversation flows to the lower skillset when the higher one's agents are saturated", async () => {
    const { t, anna, bruno } = await overflowTenant(1);
    await customerWrites(t.phoneNumberId, phone(), "secondo");
    const offer = await offerFor(bruno, t.tenantId);
    expect(offer.skillsetName).toBe("general");
    expect(await offersOf(anna, t.tenantId)).toEqual([]);
  });

  it("stays in the higher skillset while it has capacity", async () => {
    const { t, anna, bruno } = await overflowTenant(2);
    await customerWrites(t.phoneNumberId, phone(), "secondo");
    const offer = await offerFor(anna, t.tenantId);
    expect(offer.skillsetName).toBe("vip");
    await new Promise((r) => setTimeout(r, 300));
    expect(await offersOf(bruno, t.tenantId)).toEqual([]);
  });
});

// ---- 9. e-mail on close ------------------------------------------------------------------

describe("e-mail on close", () => {
  async function closedConversation(closeEmailTo: string | null) {
    const t = await seedTenant({
      skillsets: { care: 5 },
      agents: [{ id: "anna", name: "Anna", skills: { care: 5 } }],
    });
    await setSettings(t.numberId, { details: { closeEmailTo } });
    const [anna] = t.agents as [string];
    const { conversationId } = await acceptedConversation(t, anna, phone(), "Vorrei una copia");
    const closed = await env.CONVERSATION.getByName(conversationId).close(
      t.tenantId,
      anna,
      "resolved",
    );
    expect(closed).toMatchObject({ ok: true, conversation: { state: "closed" } });
    return conversationId;
  }

  it("sends exactly one transcript to the number's address", async () => {
    const to = `${uid("close")}@example.test`.toLowerCase();
    const id = await closedConversation(to);
    await eventually(async () => (await mailsTo(to)).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    const received = await mailsTo(to);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain(id);
    expect(received[0]!.text).toContain("Vorrei una copia");
  });

  it("sends nothing when the number has no address", async () => {
    const id = await closedConversation(null);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await mailsTo()).filter((m) => m.text.includes(id))).toEqual([]);
  });
});

// ---- 10. a timer across eviction and a repeated alarm -------------------------------------

describe("inactivity timer", () => {
  it("survives eviction, does not fire early, and closes once with one close message despite a repeated alarm", async () => {
    const t = await seedTenant({
      skillsets: { care: 5 },
      agents: [{ id: "anna", name: "Anna", skills: { care: 5 } }],
    });
    await setSettings(t.numberId, {
      autoClose: { activeInactivityMinutes: 5 },
      messages: { close: "Chiudiamo per inattività" },
    });
    const [anna] = t.agents as [string];
    const { conversationId: id, customer } = await acceptedConversation(t, anna);

    // Two minutes in, the actor is evicted; its alarm still rings, and nothing is due yet.
    advanceClock(2 * 60_000);
    await evictDurableObject(env.CONVERSATION.getByName(id));
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(id))).toBe(true);
    expect((await conversationRead(t.tenantId, id)).conversation.state).toBe("assigned");

    await evictDurableObject(env.CONVERSATION.getByName(id));
    advanceClock(3 * 60_000 + 1000);
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(id))).toBe(true);
    const closed = (await conversationRead(t.tenantId, id)).conversation;
    expect(closed).toMatchObject({
      state: "closed",
      closeReason: "Closed automatically: no activity",
    });

    // The alarm is delivered again (at least once delivery), and once more after eviction.
    await runInDurableObject(env.CONVERSATION.getByName(id), (instance: ConversationActor) =>
      instance.alarm(),
    );
    await evictDurableObject(env.CONVERSATION.getByName(id));
    await runInDurableObject(env.CONVERSATION.getByName(id), (instance: ConversationActor) =>
      instance.alarm(),
    );
    await phoneGets(customer, "Chiudiamo per inattività");
    await new Promise((r) => setTimeout(r, 400));
    expect(
      (await phoneReceived(customer)).filter((m) => m === "Chiudiamo per inattività"),
    ).toHaveLength(1);
    const after = await conversationRead(t.tenantId, id);
    expect(after.conversation.closedAt).toBe(closed.closedAt);
    expect(after.messages.filter((m) => m.text === "Chiudiamo per inattività")).toHaveLength(1);
    expect((await conversationsOf(anna, t.tenantId)).map((c) => c.id)).not.toContain(id);
    expect((await env.NUMBER.getByName(t.numberId).conversations()).map((c) => c.id)).toEqual([]);
  });
});
