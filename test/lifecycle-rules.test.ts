/**
 * Rules on arrival, automatic messages and timers, through the real Worker,
 * actors, D1 and the Meta simulator. Time moves with the actors' injectable
 * clock (advanceClock), and alarms are run by hand: nothing sleeps.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../src/platform/clock";
import { acceptedConversation, conversationRead, offerFor, offersOf } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerSends, customerWrites, relaySim } from "./kit/meta";
import { phoneGets, phoneReceived, sim, simMedia } from "./kit/simulator";
import { seedTenant, setSettings } from "./kit/tenant";
import { eventually } from "./kit/wait";

const MINUTE = 60_000;

afterEach(() => resetClock());

function oneAgentTenant() {
  return seedTenant({
    skillsets: { general: 5 },
    agents: [{ id: "anna", name: "Anna", skills: { general: 5 } }],
  });
}

async function numberQueue(numberId: string) {
  return env.NUMBER.getByName(numberId).conversations();
}

/** Runs the conversation's alarm (as a late or repeated delivery would). */
async function ringConversation(conversationId: string): Promise<void> {
  await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId));
}

describe("rules on arrival", () => {
  it("welcomes a new conversation, once, and routes it", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, { messages: { welcome: "Benvenuto in Parley!" } });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await customerWrites(t.phoneNumberId, customer, "Ci siete?");
    await phoneGets(customer, "Benvenuto");
    await offerFor(t.agents[0]!, t.tenantId);
    expect((await phoneReceived(customer)).filter((m) => m.includes("Benvenuto"))).toHaveLength(1);
  });

  it("sends nothing when the welcome is blank", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, { messages: { welcome: null } });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await offerFor(t.agents[0]!, t.tenantId);
    expect(await phoneReceived(customer)).toEqual([]);
  });

  it("answers out of hours with its message instead of the welcome, and routes at opening", async () => {
    const t = await oneAgentTenant();
    // Closed all week except Sunday 03:00–03:01 UTC: closed now unless the run hits that minute.
    await setSettings(t.numberId, {
      workingTime: {
        timeZone: "UTC",
        alwaysOpen: false,
        week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
        closedDates: [],
      },
      messages: { welcome: "Benvenuto", outOfHours: "Siamo chiusi, a presto" },
    });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await customerWrites(t.phoneNumberId, customer, "Ancora io");
    const got = await phoneGets(customer, "chiusi");
    expect(got.filter((m) => m.includes("chiusi"))).toHaveLength(1);
    expect(got.some((m) => m.includes("Benvenuto"))).toBe(false);
    expect(await offersOf(t.agents[0]!, t.tenantId)).toEqual([]);
    expect((await numberQueue(t.numberId))[0]?.state).toBe("queued");
  });

  it("refuses unknown numbers when only existing customers are accepted: no routing", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      details: { acceptOnlyExistingCustomers: true },
      messages: { unauthorized: "Numero non autorizzato" },
    });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const stranger = phone();
    await customerWrites(t.phoneNumberId, stranger, "Ciao");
    await phoneGets(stranger, "non autorizzato");
    const [row] = await numberQueue(t.numberId);
    expect(row?.state).toBe("unauthorized");
    expect(await offersOf(t.agents[0]!, t.tenantId)).toEqual([]);
    const created = await env.DB.prepare("SELECT count(*) AS n FROM customers WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<{ n: number }>();
    expect(created?.n).toBe(0);

    // A known customer of the same number is routed as usual.
    const known = phone();
    await env.DB.prepare(
      "INSERT INTO customers (id, tenant_id, contact_key, phone, name) VALUES (?, ?, ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), t.tenantId, known, `+${known}`, "Cliente Noto")
      .run();
    await customerWrites(t.phoneNumberId, known, "Ciao");
    expect((await offerFor(t.agents[0]!, t.tenantId)).customerName).toBe("Cliente Noto");
    expect(await phoneReceived(known)).toEqual([]);
  });

  it("closes conversations from unauthorized numbers when enabled", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      details: { acceptOnlyExistingCustomers: true },
      autoClose: { unauthorizedNumbers: true },
      messages: { unauthorized: "Numero non autorizzato", close: "Arrivederci" },
    });
    const stranger = phone();
    await customerWrites(t.phoneNumberId, stranger, "Ciao");
    await phoneGets(stranger, "non autorizzato");
    expect(await numberQueue(t.numberId)).toEqual([]);
    // Absence needs a moment: the outbox would send a close message right after.
    await new Promise((r) => setTimeout(r, 500));
    expect(await phoneReceived(stranger)).toEqual(["Numero non autorizzato"]);
  });

  it("refuses attachments when the number does not accept them, with its message", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      details: { acceptAttachments: false },
      messages: { attachmentRejected: "Allegati non accettati" },
    });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    const offer = await offerFor(t.agents[0]!, t.tenantId);
    await sendImage(t.phoneNumberId, customer);
    await phoneGets(customer, "Allegati non accettati");
    const { messages } = await conversationRead(t.tenantId, offer.conversationId);
    const image = messages.find((m) => m.kind === "image");
    expect(image?.text).toContain("[attachment refused]");
  });

  it("accepts attachments when allowed, without the message", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      details: { acceptAttachments: true },
      messages: { attachmentRejected: "Allegati non accettati" },
    });
    await env.AGENT.getByName(t.agents[0]!).setStatus(t.tenantId, "ready");
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    const offer = await offerFor(t.agents[0]!, t.tenantId);
    await sendImage(t.phoneNumberId, customer);
    const read = await eventually(async () => {
      const r = await conversationRead(t.tenantId, offer.conversationId);
      return r.messages.some((m) => m.kind === "image") ? r : null;
    });
    expect(read.messages.find((m) => m.kind === "image")?.text).not.toContain("refused");
    expect(await phoneReceived(customer)).toEqual([]);
  });
});

/** The customer sends a photo from the simulator's phone. */
async function sendImage(phoneNumberId: string, from: string): Promise<void> {
  const id = await simMedia(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), "image/jpeg");
  await customerSends({ phoneNumberId }, from, {
    type: "image",
    image: { id, mime_type: "image/jpeg", caption: "la foto" },
  });
}

describe("softbot", () => {
  async function botTenant() {
    const t = await seedTenant({
      skillsets: { sales: 5, support: 4 },
      agents: [
        { id: "sara", name: "Sara", skills: { sales: 5 } },
        { id: "ugo", name: "Ugo", skills: { support: 5 } },
      ],
    });
    await env.DB.batch([
      env.DB.prepare("UPDATE skillsets SET bot_label = 'Acquisti' WHERE id = ?").bind(
        t.skillsets.sales!,
      ),
      env.DB.prepare(
        "UPDATE skillsets SET bot_label = 'Assistenza', is_default = 1 WHERE id = ?",
      ).bind(t.skillsets.support!),
    ]);
    await setSettings(t.numberId, {
      bot: {
        enabled: true,
        prompt: "Come possiamo aiutarti?",
        style: "text",
        invalidChoice: "Scelta non valida",
        timeoutSeconds: 120,
      },
    });
    for (const a of t.agents) await env.AGENT.getByName(a).setStatus(t.tenantId, "ready");
    return t;
  }

  it("asks, repeats the menu after an invalid answer, and routes to the chosen skillset", async () => {
    const t = await botTenant();
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    const menu = await phoneGets(customer, "Come possiamo aiutarti?");
    expect(menu.at(-1)).toBe("Come possiamo aiutarti?\n\n1. Acquisti\n2. Assistenza");
    expect((await numberQueue(t.numberId))[0]?.state).toBe("bot");

    await customerWrites(t.phoneNumberId, customer, "boh");
    await phoneGets(customer, "Scelta non valida");
    await eventually(async () =>
      (await phoneReceived(customer)).filter((m) => m.startsWith("Come possiamo")).length === 2
        ? true
        : null,
    );
    expect(await offersOf(t.agents[0]!, t.tenantId)).toEqual([]);
    expect(await offersOf(t.agents[1]!, t.tenantId)).toEqual([]);

    await customerWrites(t.phoneNumberId, customer, "2");
    const offer = await offerFor(t.agents[1]!, t.tenantId);
    expect(offer.skillsetName).toBe("support");
    expect(await offersOf(t.agents[0]!, t.tenantId)).toEqual([]);
  });

  it("takes a tapped reply button as the choice", async () => {
    const t = await botTenant();
    await setSettings(t.numberId, {
      bot: { enabled: true, prompt: "Scegli", style: "buttons", timeoutSeconds: 120 },
    });
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await phoneGets(customer, "Scegli");
    const res = await sim("/_sim/inbound", {
      from: customer,
      phoneNumberId: t.phoneNumberId,
      message: {
        type: "interactive",
        interactive: {
          type: "button_reply",
          button_reply: { id: `bot:${t.skillsets.sales}`, title: "Acquisti" },
        },
      },
    });
    expect(res.ok).toBe(true);
    await relaySim(t.phoneNumberId);
    expect((await offerFor(t.agents[0]!, t.tenantId)).skillsetName).toBe("sales");
  });

  it("sends a silent customer to the default skillset after the timeout, once", async () => {
    const t = await botTenant();
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await phoneGets(customer, "Come possiamo");
    const [row] = await numberQueue(t.numberId);
    advanceClock(60_000);
    await ringConversation(row!.id);
    expect((await numberQueue(t.numberId))[0]?.state).toBe("bot");

    advanceClock(61_000);
    await evictDurableObject(env.CONVERSATION.getByName(row!.id));
    await ringConversation(row!.id);
    await ringConversation(row!.id);
    const offer = await offerFor(t.agents[1]!, t.tenantId);
    expect(offer.skillsetName).toBe("support");
  });

  it("skips the bot for customers who bypass it", async () => {
    const t = await botTenant();
    const customer = phone();
    await env.DB.prepare(
      "INSERT INTO customers (id, tenant_id, contact_key, phone, name, bypass_bot) VALUES (?, ?, ?, ?, ?, 1)",
    )
      .bind(crypto.randomUUID(), t.tenantId, customer, `+${customer}`, "VIP")
      .run();
    await customerWrites(t.phoneNumberId, customer, "Ciao");
    await eventually(async () => {
      const [row] = await numberQueue(t.numberId);
      return row && row.state !== "new" ? row : null;
    });
    expect((await numberQueue(t.numberId))[0]?.state).not.toBe("bot");
    expect(await phoneReceived(customer)).toEqual([]);
  });
});

describe("timers", () => {
  it("sends the welcome on assignment after its delay, once, as the agent when asked", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      messages: {
        welcomeOnAssignment: "Sono Anna, come posso aiutarti?",
        welcomeOnAssignmentDelaySeconds: 30,
        welcomeAsAgent: true,
      },
    });
    const c = await acceptedConversation(t, t.agents[0]!);
    await ringConversation(c.conversationId);
    expect(await phoneReceived(c.customer)).toEqual([]);
    advanceClock(31_000);
    await evictDurableObject(env.CONVERSATION.getByName(c.conversationId));
    await ringConversation(c.conversationId);
    await ringConversation(c.conversationId);
    await phoneGets(c.customer, "Sono Anna");
    const { messages } = await conversationRead(t.tenantId, c.conversationId);
    const welcome = messages.filter((m) => m.text.startsWith("Sono Anna"));
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.sender).toMatchObject({ type: "agent", name: "Anna" });
  });

  it("does not send the welcome on assignment when the agent started typing first", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      messages: { welcomeOnAssignment: "Benvenuto", welcomeOnAssignmentDelaySeconds: 30 },
    });
    const c = await acceptedConversation(t, t.agents[0]!);
    await env.CONVERSATION.getByName(c.conversationId).agentTyping(t.agents[0]!);
    advanceClock(31_000);
    await ringConversation(c.conversationId);
    const { messages } = await conversationRead(t.tenantId, c.conversationId);
    expect(messages.some((m) => m.text === "Benvenuto")).toBe(false);
  });

  it("moves an inactive conversation to the agent's wait queue, not before its time", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, { details: { waitQueueAfterMinutes: 10 } });
    const c = await acceptedConversation(t, t.agents[0]!);
    advanceClock(9 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
    advanceClock(2 * MINUTE);
    await evictDurableObject(env.CONVERSATION.getByName(c.conversationId));
    await ringConversation(c.conversationId);
    await ringConversation(c.conversationId);
    const { conversation } = await conversationRead(t.tenantId, c.conversationId);
    expect(conversation.state).toBe("wait_queue");
    expect((await numberQueue(t.numberId))[0]?.state).toBe("wait_queue");
    expect(conversation.waitQueue).toMatchObject({ kind: "personal", agentId: t.agents[0] });
    const snapshot = await env.AGENT.getByName(t.agents[0]!).snapshot(t.tenantId);
    expect(snapshot?.conversations).toEqual([]);
  });

  it("closes an inactive active conversation with the close message, once, even after eviction", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, {
      autoClose: { activeInactivityMinutes: 30 },
      messages: { close: "Conversazione chiusa, grazie" },
    });
    const c = await acceptedConversation(t, t.agents[0]!);
    advanceClock(29 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
    // The agent writes: inactivity counts from there.
    await env.CONVERSATION.getByName(c.conversationId).sendText(
      t.tenantId,
      { id: t.agents[0]!, name: "Anna" },
      crypto.randomUUID(),
      "Eccomi",
    );
    advanceClock(2 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
    advanceClock(30 * MINUTE);
    await evictDurableObject(env.CONVERSATION.getByName(c.conversationId));
    await ringConversation(c.conversationId);
    await ringConversation(c.conversationId);
    const { conversation } = await conversationRead(t.tenantId, c.conversationId);
    expect(conversation.state).toBe("closed");
    expect(conversation.closeReason).toContain("no activity");
    await phoneGets(c.customer, "Conversazione chiusa");
    expect((await phoneReceived(c.customer)).filter((m) => m.includes("chiusa"))).toHaveLength(1);
    expect(await numberQueue(t.numberId)).toEqual([]);
    expect((await env.AGENT.getByName(t.agents[0]!).snapshot(t.tenantId))?.agent.load).toBe(0);
  });

  it("closes 24 hours after the customer's last message when enabled, to the second", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, { autoClose: { after24hFromCustomer: true } });
    const c = await acceptedConversation(t, t.agents[0]!);
    const { messages } = await conversationRead(t.tenantId, c.conversationId);
    const last = messages.find((m) => m.direction === "in")!.createdAt;
    advanceClock(last + 24 * 60 * MINUTE - now() - 1000);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
    advanceClock(1000);
    await evictDurableObject(env.CONVERSATION.getByName(c.conversationId));
    await ringConversation(c.conversationId);
    await ringConversation(c.conversationId);
    const closed = (await conversationRead(t.tenantId, c.conversationId)).conversation;
    expect(closed.state).toBe("closed");
    expect(closed.closedAt).toBeGreaterThanOrEqual(last + 24 * 60 * MINUTE);
    expect(closed.closedAt).toBeLessThan(last + 24 * 60 * MINUTE + 5000);
  });

  it("does not close after 24 hours when that rule is off", async () => {
    const t = await oneAgentTenant();
    await setSettings(t.numberId, { autoClose: { after24hFromCustomer: false } });
    const c = await acceptedConversation(t, t.agents[0]!);
    advanceClock(25 * 60 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
  });

  it("at the end of the day closes conversations awaiting assignment with the closing-time message, but not active ones", async () => {
    const t = await seedTenant({
      skillsets: { general: 5 },
      agents: [{ id: "anna", name: "Anna", max: 1, skills: { general: 5 } }],
    });
    // Open this hour only (UTC), every day: from 00:00 to 24:00 would be open
    // around the clock between 23:00 and midnight, with no end of day at all.
    const at = now();
    const hour = new Date(at).getUTCHours();
    const range = {
      open: `${String(hour).padStart(2, "0")}:00`,
      close: hour === 23 ? "24:00" : `${String(hour + 1).padStart(2, "0")}:00`,
    };
    const days = {
      mon: [range],
      tue: [range],
      wed: [range],
      thu: [range],
      fri: [range],
      sat: [range],
      sun: [range],
    };
    await setSettings(t.numberId, {
      workingTime: { timeZone: "UTC", alwaysOpen: false, week: days, closedDates: [] },
      autoClose: { endOfDay: { awaitingAssignment: true } },
      messages: { waitingAtClosingTime: "Chiudiamo, scrivici domani" },
    });
    const active = await acceptedConversation(t, t.agents[0]!);
    // Anna is full: this one waits for assignment.
    const waiting = phone();
    await customerWrites(t.phoneNumberId, waiting, "Ciao");
    const queued = await eventually(async () =>
      (await numberQueue(t.numberId)).find((r) => r.state === "queued"),
    );
    const closing = Math.ceil((at + 1) / (60 * MINUTE)) * 60 * MINUTE;
    advanceClock(closing - now() + 1000);
    await evictDurableObject(env.CONVERSATION.getByName(queued.id));
    await ringConversation(queued.id);
    await ringConversation(queued.id);
    await ringConversation(active.conversationId);
    expect((await conversationRead(t.tenantId, queued.id)).conversation.state).toBe("closed");
    expect(
      (await phoneGets(waiting, "Chiudiamo")).filter((m) => m.includes("Chiudiamo")),
    ).toHaveLength(1);
    expect((await conversationRead(t.tenantId, active.conversationId)).conversation.state).toBe(
      "assigned",
    );
  });

  it("closes awaiting-transfer conversations after their inactivity time", async () => {
    const t = await seedTenant({
      skillsets: { general: 5 },
      agents: [
        { id: "anna", name: "Anna", skills: { general: 5 } },
        { id: "bruno", name: "Bruno", skills: { general: 5 } },
      ],
    });
    await setSettings(t.numberId, { autoClose: { transferInactivityMinutes: 5 } });
    const c = await acceptedConversation(t, t.agents[0]!);
    const moved = await env.CONVERSATION.getByName(c.conversationId).transfer(
      t.tenantId,
      t.agents[0]!,
      { to: "agent", agentId: t.agents[1]!, agentName: "Bruno", mode: "exclusive" },
    );
    expect(moved).toMatchObject({ ok: true, conversation: { state: "transfer" } });
    advanceClock(4 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "transfer",
    );
    advanceClock(2 * MINUTE);
    await evictDurableObject(env.CONVERSATION.getByName(c.conversationId));
    await ringConversation(c.conversationId);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "closed",
    );
    expect(await numberQueue(t.numberId)).toEqual([]);
  });

  it("a setting turned on later counts from then, not from the conversation's past", async () => {
    const t = await oneAgentTenant();
    const c = await acceptedConversation(t, t.agents[0]!);
    advanceClock(60 * MINUTE);
    await setSettings(t.numberId, { autoClose: { activeInactivityMinutes: 30 } });
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "assigned",
    );
    advanceClock(31 * MINUTE);
    await ringConversation(c.conversationId);
    expect((await conversationRead(t.tenantId, c.conversationId)).conversation.state).toBe(
      "closed",
    );
  });
});
