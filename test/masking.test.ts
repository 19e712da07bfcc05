/**
 * Masking of sensitive data for agents, through the real Worker, actors, D1
 * and the Meta simulator: with the tenant's setting on, an agent's snapshot,
 * offer, WebSocket frames, messages, waiting list, customers list, detail,
 * download and history hold masked values while an admin's hold clear text;
 * turned off, the agent sees clear text again (the open desktop gets a fresh
 * snapshot at once). An agent editing a masked customer never writes the
 * masked values back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin";
import type { HistoryConversation, HistoryDetail } from "../src/shared/customer-history";
import { MATCH_END, MATCH_START } from "../src/shared/customer-history";
import type { CustomerView } from "../src/shared/customers";
import type { OutboundCustomers } from "../src/shared/outbound";
import type {
  DesktopSnapshot,
  MessageView,
  ServerEvent,
  WaitingList,
} from "../src/shared/protocol";
import { switchMasking } from "./kit/admin";
import { closeConversation, deskAgent, offerFor } from "./kit/conversation";
import { readXlsxRows } from "./kit/files";
import { archived, customerIdOf } from "./kit/history";
import { phone } from "./kit/ids";
import { mailsArrived } from "./kit/mail";
import { customerWrites } from "./kit/meta";
import { badFields, call, callJson, openSocket, type Session } from "./kit/session";
import { type HistoryTenant, historyTenant, setSettings } from "./kit/tenant";
import { eventually } from "./kit/wait";

const CARD = "4111 1111 1111 1111";
const IBAN = "IT60X0542811101000000123456";
const EMAIL = "melissa@gmail.com";
const PHONE = "+447966197542";
const SECRET_TEXT = `Card ${CARD}, IBAN ${IBAN}, mail ${EMAIL}, call ${PHONE} at 12:30 on 2026-11-21`;
const MASKED_TEXT =
  "Card **** **** **** 1111, IBAN ***********************3456, mail m******@gmail.com, call *********7542 at 12:30 on 2026-11-21";
const CLEAR_VALUES = [CARD, IBAN, EMAIL, PHONE];

/** Whether any sensitive value of the test, or the customer's phone, appears in clear. */
function leaks(value: unknown, customerPhone: string): string[] {
  const json = JSON.stringify(value);
  return [...CLEAR_VALUES, customerPhone, customerPhone.slice(1)].filter((v) => json.includes(v));
}

/** Masked like maskPhone: every digit and sign but the last 4 digits. */
const maskedPhone = (e164: string) => `${"*".repeat(e164.length - 4)}${e164.slice(-4)}`;

interface Scene {
  t: HistoryTenant;
  anna: Session;
  from: string;
  e164: string;
  conversationId: string;
  customerId: string;
}

/** Masking on; Anna takes a conversation in which the customer wrote sensitive data. */
async function scene(): Promise<Scene & { frames: ServerEvent[]; ws: WebSocket }> {
  const t = await historyTenant();
  await setSettings(t.numberId, { details: { agentsMayEditCustomers: true } });
  await switchMasking(t.admin, true);
  const anna = await deskAgent(t, "Anna", ["care"]);
  const desk = await callJson<DesktopSnapshot>(anna, "GET", "/api/desktop", undefined, 200);
  const { ws, events: frames } = await openSocket(anna, desk.seq);
  const from = phone();
  await customerWrites(t.phoneNumberId, from, SECRET_TEXT, "Mario Rossi");
  const offer = await offerFor(anna.userId, anna.tenantId);
  await callJson(anna, "POST", `/api/offers/${offer.conversationId}/accept`, undefined, 200);
  return {
    t,
    anna,
    from,
    e164: `+${from}`,
    conversationId: offer.conversationId,
    customerId: await customerIdOf(t.tenantId, from),
    frames,
    ws,
  };
}

describe("masking on", () => {
  it("masks the agent's offer, snapshot, messages and live frames; the event log stays clear", async () => {
    const s = await scene();
    const desk = await callJson<DesktopSnapshot>(s.anna, "GET", "/api/desktop", undefined, 200);
    expect(desk.conversations[0]?.customer.phone).toBe(maskedPhone(s.e164));
    expect(desk.conversations[0]?.displayPhone).toBe("+1 555 010 0001");
    expect(desk.conversations[0]?.id).toBe(s.conversationId);

    const read = await callJson<{ messages: MessageView[] }>(
      s.anna,
      "GET",
      `/api/conversations/${s.conversationId}`,
      undefined,
      200,
    );
    expect(read.messages[0]?.text).toBe(MASKED_TEXT);
    expect(leaks(read, s.e164)).toEqual([]);

    // A message arriving now reaches the open desktop masked.
    await customerWrites(s.t.phoneNumberId, s.from, `also ${EMAIL}`);
    await eventually(async () =>
      s.frames.some((f) => f.type === "message" && f.message.text === "also m******@gmail.com"),
    );
    const offerFrame = s.frames.find((f) => f.type === "offer");
    expect(offerFrame?.type === "offer" && offerFrame.offer.customerPhone).toBe(
      maskedPhone(s.e164),
    );
    expect(leaks(s.frames, s.e164)).toEqual([]);

    // A reconnecting desktop's replay is masked too.
    const replay = await openSocket(s.anna, 0);
    await eventually(async () => replay.events.some((f) => f.type === "message"));
    expect(leaks(replay.events, s.e164)).toEqual([]);
    replay.ws.close();
    s.ws.close();

    // What the actor keeps is clear: the setting decides at send time.
    const clear = await env.AGENT.getByName(s.anna.userId).snapshot(s.t.tenantId);
    expect(clear?.conversations[0]?.customer.phone).toBe(s.e164);
  });

  it("masks the transcript of the open conversation that an agent mails", async () => {
    const s = await scene();
    s.ws.close();
    const to = `masked-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await call(s.anna, "POST", `/api/conversations/${s.conversationId}/email`, { to });
    const [mail] = await mailsArrived(to);
    expect(mail!.text).toContain(MASKED_TEXT);
    expect(leaks(mail!.text + mail!.html, s.e164)).toEqual([]);
  });

  it("masks the waiting list, the customers list, detail, download and history; the admin sees clear text", async () => {
    const s = await scene();
    s.ws.close();
    // A second customer waits: Anna is on a break.
    await callJson(s.anna, "POST", "/api/me/status", { status: "break" }, 200);
    const other = phone();
    await customerWrites(s.t.phoneNumberId, other, "hello");
    const waiting = await eventually(async () => {
      const list = await callJson<WaitingList>(s.anna, "GET", "/api/waiting", undefined, 200);
      return list.items.length > 0 ? list : null;
    });
    expect(waiting.items[0]?.customerPhone).toBe(maskedPhone(`+${other}`));
    const adminWaiting = await callJson<WaitingList>(
      s.t.admin,
      "GET",
      "/api/waiting",
      undefined,
      200,
    );
    expect(adminWaiting.items[0]?.customerPhone).toBe(`+${other}`);

    // The admin writes notes with an e-mail in them.
    const customer = await callJson<CustomerView>(
      s.t.admin,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    await callJson(
      s.t.admin,
      "PATCH",
      `/api/customers/${s.customerId}`,
      { version: customer.version, notes: `Prefers ${EMAIL}` },
      200,
    );

    // Searched by what the agent sees (the full number would confirm a masked value: see "masked search").
    const seenPhone = encodeURIComponent(maskedPhone(s.e164));
    const list = await callJson<Page<CustomerView>>(
      s.anna,
      "GET",
      `/api/customers?q=${seenPhone}`,
      undefined,
      200,
    );
    expect(list.items.map((c) => c.phone)).toEqual([maskedPhone(s.e164)]);
    const detail = await callJson<CustomerView>(
      s.anna,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    expect(detail).toMatchObject({
      id: s.customerId,
      phone: maskedPhone(s.e164),
      name: "Mario Rossi",
      notes: "Prefers m******@gmail.com",
    });
    const adminDetail = await callJson<CustomerView>(
      s.t.admin,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    expect(adminDetail).toMatchObject({ phone: s.e164, notes: `Prefers ${EMAIL}` });

    const download = await call(s.anna, "GET", `/api/customers/export.xlsx?q=${seenPhone}`);
    expect(download.status).toBe(200);
    const rows = await readXlsxRows(await download.arrayBuffer());
    expect(rows[1]?.[1]).toBe(maskedPhone(s.e164));
    expect(leaks(rows, s.e164)).toEqual([]);
    const adminRows = await readXlsxRows(
      await (await call(s.t.admin, "GET", `/api/customers/export.xlsx?q=${s.from}`)).arrayBuffer(),
    );
    expect(adminRows[1]?.[1]).toBe(s.e164);

    await closeConversation(s.anna, s.conversationId, "resolved", `Sent to ${EMAIL}`);
    await archived(s.conversationId);
    const history = await callJson<HistoryDetail>(
      s.anna,
      "GET",
      `/api/customers/${s.customerId}/conversations/${s.conversationId}`,
      undefined,
      200,
    );
    expect(history.messages[0]?.text).toBe(MASKED_TEXT);
    expect(history.conversation.closeNotes).toBe("Sent to m******@gmail.com");
    expect(leaks(history, s.e164)).toEqual([]);
    // Searched by a word the agent sees ("melissa", hidden, finds nothing: see "masked search").
    const found = await callJson<Page<HistoryConversation>>(
      s.anna,
      "GET",
      `/api/customers/${s.customerId}/conversations?q=gmail`,
      undefined,
      200,
    );
    const snippet = found.items[0]?.matches?.[0] ?? "";
    expect(snippet).toContain(`m******@${MATCH_START}gmail${MATCH_END}.com`);
    expect(leaks(found, s.e164)).toEqual([]);
    const adminHistory = await callJson<HistoryDetail>(
      s.t.admin,
      "GET",
      `/api/customers/${s.customerId}/conversations/${s.conversationId}`,
      undefined,
      200,
    );
    expect(adminHistory.messages[0]?.text).toBe(SECRET_TEXT);
  });

  it("never writes masked values back when an agent edits a customer", async () => {
    const s = await scene();
    s.ws.close();
    const admin = await callJson<CustomerView>(
      s.t.admin,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    await callJson(
      s.t.admin,
      "PATCH",
      `/api/customers/${s.customerId}`,
      { version: admin.version, notes: `Card ${CARD}` },
      200,
    );
    const seen = await callJson<CustomerView>(
      s.anna,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    expect(seen.notes).toBe("Card **** **** **** 1111");

    // The masked phone sent back is not a phone: 400 naming it.
    const phone = await call(s.anna, "PATCH", `/api/customers/${s.customerId}`, {
      version: seen.version,
      phone: seen.phone,
    });
    expect(phone.status).toBe(400);
    expect(await badFields(phone)).toEqual(["phone"]);
    // Notes changed around masked data: refused, naming them.
    const notes = await call(s.anna, "PATCH", `/api/customers/${s.customerId}`, {
      version: seen.version,
      notes: `${seen.notes} and more`,
    });
    expect(notes.status).toBe(400);
    expect(await badFields(notes)).toEqual(["notes"]);
    // The whole form sent back as shown, with a new priority: only the priority changes.
    const saved = await callJson<CustomerView>(
      s.anna,
      "PATCH",
      `/api/customers/${s.customerId}`,
      { version: seen.version, name: seen.name, notes: seen.notes, priority: 8 },
      200,
    );
    expect(saved.priority).toBe(8);
    const row = await env.DB.prepare("SELECT phone, notes, priority FROM customers WHERE id = ?")
      .bind(s.customerId)
      .first<{ phone: string; notes: string; priority: number }>();
    expect(row).toEqual({ phone: s.e164, notes: `Card ${CARD}`, priority: 8 });
  });
});

describe("masked search", () => {
  /** What each search finds for `session`: the customers list, its download, the outbound search. */
  async function customerHits(session: Session, q: string) {
    const query = encodeURIComponent(q);
    const list = await callJson<Page<CustomerView>>(
      session,
      "GET",
      `/api/customers?q=${query}`,
      undefined,
      200,
    );
    const download = await call(session, "GET", `/api/customers/export.xlsx?q=${query}`);
    const rows = await readXlsxRows(await download.arrayBuffer());
    const outbound = await callJson<OutboundCustomers>(
      session,
      "GET",
      `/api/outbound/customers?q=${query}`,
      undefined,
      200,
    );
    return {
      list: list.items.map((c) => c.id),
      total: list.total,
      downloaded: rows.length - 1,
      outbound: outbound.items.map((c) => c.id),
    };
  }

  it("customers: the full or a hidden part of a phone, e-mail or id finds nothing; what is visible does", async () => {
    const s = await scene();
    s.ws.close();
    // The admin keeps the customer's e-mail as the external id.
    const customer = await callJson<CustomerView>(
      s.t.admin,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    await callJson(
      s.t.admin,
      "PATCH",
      `/api/customers/${s.customerId}`,
      { version: customer.version, externalId: EMAIL },
      200,
    );

    const hidden = [s.from, s.e164, s.from.slice(0, 8), s.from.slice(2, 9), "melissa", EMAIL];
    for (const q of hidden) {
      expect(await customerHits(s.anna, q), q).toEqual({
        list: [],
        total: 0,
        downloaded: 0,
        outbound: [],
      });
    }
    // The outbound search looks at names and phones only, not at external ids.
    const visible: [string, boolean][] = [
      [s.from.slice(-4), true],
      [maskedPhone(s.e164), true],
      [`*${s.from.slice(-4)}`, true],
      ["mario ROSSI", true],
      ["gmail.com", false],
      ["m******@", false],
    ];
    for (const [q, byOutbound] of visible) {
      const hits = await customerHits(s.anna, q);
      expect(hits.list, q).toEqual([s.customerId]);
      expect(hits.downloaded, q).toBe(1);
      expect(hits.outbound, q).toEqual(byOutbound ? [s.customerId] : []);
    }
    // Admins search clear values.
    for (const [q, byOutbound] of [
      [s.from, true],
      ["melissa", false],
    ] as const) {
      const hits = await customerHits(s.t.admin, q);
      expect(hits.list, q).toEqual([s.customerId]);
      expect(hits.outbound, q).toEqual(byOutbound ? [s.customerId] : []);
    }
  });

  it("in a conversation: hidden values find nothing; visible text does", async () => {
    const s = await scene();
    s.ws.close();
    const search = async (q: string) =>
      (
        await callJson<{ messages: MessageView[] }>(
          s.anna,
          "GET",
          `/api/conversations/${s.conversationId}/messages/search?q=${encodeURIComponent(q)}`,
          undefined,
          200,
        )
      ).messages.length;
    for (const q of [EMAIL, "melissa", CARD, "4111 1111", IBAN, "IT60X", PHONE, "7966197542"]) {
      expect(await search(q), q).toBe(0);
    }
    for (const q of ["gmail.com", "m******@", "1111, IBAN", "*7542", "12:30", "card"]) {
      expect(await search(q), q).toBe(1);
    }
    // Without masking the same actor finds the clear values.
    const clear = await env.CONVERSATION.getByName(s.conversationId).search(
      s.t.tenantId,
      EMAIL,
      10,
    );
    expect(clear).toHaveLength(1);
  });

  it("in a customer's history: hidden words find nothing and are never marked; visible words do", async () => {
    const s = await scene();
    s.ws.close();
    await closeConversation(s.anna, s.conversationId, "resolved");
    await archived(s.conversationId);
    const history = (session: Session, q: string) =>
      callJson<Page<HistoryConversation>>(
        session,
        "GET",
        `/api/customers/${s.customerId}/conversations?q=${encodeURIComponent(q)}`,
        undefined,
        200,
      );
    for (const q of ["melissa", EMAIL, "4111", IBAN, "447966197542", "gmail melissa"]) {
      expect((await history(s.anna, q)).total, q).toBe(0);
    }
    const found = await history(s.anna, "gmail card");
    expect(found.total).toBe(1);
    expect(found.items[0]?.matches).toEqual([
      `${MATCH_START}Card${MATCH_END} **** **** **** 1111, IBAN ***********************3456, mail m******@${MATCH_START}gmail${MATCH_END}.com, call *********7542 at 12…`,
    ]);
    expect(leaks(found, s.e164)).toEqual([]);
    // The admin finds the clear word.
    expect((await history(s.t.admin, "melissa")).total).toBe(1);
  });
});

describe("admins at the desk", () => {
  it("see clear text in their offers, messages and live frames with masking on", async () => {
    const t = await historyTenant();
    await switchMasking(t.admin, true);
    await env.DB.prepare(
      "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, 5)",
    )
      .bind(t.tenantId, t.skillsets.care!, t.admin.userId)
      .run();
    const desk = await callJson<DesktopSnapshot>(t.admin, "GET", "/api/desktop", undefined, 200);
    const { ws, events: frames } = await openSocket(t.admin, desk.seq);
    await callJson(t.admin, "POST", "/api/me/status", { status: "ready" }, 200);
    const from = phone();
    await customerWrites(t.phoneNumberId, from, SECRET_TEXT);
    const offer = await offerFor(t.admin.userId, t.admin.tenantId);
    expect(offer.customerPhone).toBe(`+${from}`);
    await callJson(t.admin, "POST", `/api/offers/${offer.conversationId}/accept`, undefined, 200);
    await customerWrites(t.phoneNumberId, from, `again ${EMAIL}`);
    await eventually(async () =>
      frames.some((f) => f.type === "message" && f.message.text === `again ${EMAIL}`),
    );
    const read = await callJson<{ messages: MessageView[] }>(
      t.admin,
      "GET",
      `/api/conversations/${offer.conversationId}`,
      undefined,
      200,
    );
    expect(read.messages[0]?.text).toBe(SECRET_TEXT);
    ws.close();
  });
});

describe("masking off", () => {
  it("shows the agent clear text, and an open desktop gets a clear snapshot when the admin turns it off", async () => {
    const s = await scene();
    await eventually(async () => s.frames.some((f) => f.type === "conversation"));
    await switchMasking(s.t.admin, false);
    const snapshot = await eventually(async () =>
      s.frames.find((f): f is Extract<ServerEvent, { type: "snapshot" }> => f.type === "snapshot"),
    );
    expect(snapshot.snapshot.conversations[0]?.customer.phone).toBe(s.e164);
    s.ws.close();

    const desk = await callJson<DesktopSnapshot>(s.anna, "GET", "/api/desktop", undefined, 200);
    expect(desk.conversations[0]?.customer.phone).toBe(s.e164);
    const read = await callJson<{ messages: MessageView[] }>(
      s.anna,
      "GET",
      `/api/conversations/${s.conversationId}`,
      undefined,
      200,
    );
    expect(read.messages[0]?.text).toBe(SECRET_TEXT);
    const customer = await callJson<CustomerView>(
      s.anna,
      "GET",
      `/api/customers/${s.customerId}`,
      undefined,
      200,
    );
    expect(customer.phone).toBe(s.e164);
    // Live frames are clear again.
    const again = await openSocket(s.anna, null);
    await customerWrites(s.t.phoneNumberId, s.from, `now ${EMAIL}`);
    await eventually(async () =>
      again.events.some((f) => f.type === "message" && f.message.text === `now ${EMAIL}`),
    );
    again.ws.close();
  });
});
