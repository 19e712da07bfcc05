/**
 * A customer's conversation history through the real Worker, actors, D1 and
 * the Meta simulator: conversations enter the history when an agent takes
 * them and are completed at closing (who, reason, notes, messages); "keep
 * message history" off removes the contents; full-text search (accents,
 * prefixes, hostile input, tenancy); date ranges in a time zone; transcripts
 * through the real SMTP sink; isolated agents see a customer once a
 * conversation with their skillset exists.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../src/durable/agent/actor";
import type { ConversationActor } from "../src/durable/conversation/actor";
import type { Page } from "../src/shared/admin";
import {
  type HistoryConversation,
  type HistoryDetail,
  MATCH_END,
  MATCH_START,
} from "../src/shared/customer-history";
import type { CustomerView } from "../src/shared/customers";
import { closeConversation, deskAgent, reply, takeConversation } from "./kit/conversation";
import { archived, customerIdOf, historyRow, wholeConversation } from "./kit/history";
import { phone, uid } from "./kit/ids";
import { mailsTo, refuseMailTo } from "./kit/mail";
import { customerWrites } from "./kit/meta";
import { badFields, call, callJson, type ErrorBody, type Session } from "./kit/session";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** A snippet as the server marks it, with [ and ] standing for the match marks. */
const mark = (s: string) => s.replaceAll("[", MATCH_START).replaceAll("]", MATCH_END);

function history(session: Session, customerId: string, query = "") {
  return callJson<Page<HistoryConversation>>(
    session,
    "GET",
    `/api/customers/${customerId}/conversations${query}`,
    undefined,
    200,
  );
}

function detail(session: Session, customerId: string, conversationId: string) {
  return callJson<HistoryDetail>(
    session,
    "GET",
    `/api/customers/${customerId}/conversations/${conversationId}`,
    undefined,
    200,
  );
}

async function historyIds(session: Session, customerId: string, query = ""): Promise<string[]> {
  return (await history(session, customerId, query)).items.map((i) => i.id);
}

describe("recording", () => {
  it("records the conversation when taken, and completes it at closing with messages, who closed, reason and notes", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(
      t,
      anna,
      from,
      "Buongiorno, il mio ordine 4711 non è arrivato",
    );
    const customerId = await customerIdOf(t.tenantId, from);

    // Taken: the row is there, still open.
    const open = await eventually(() => historyRow(id));
    expect(open).toMatchObject({
      tenant_id: t.tenantId,
      customer_id: customerId,
      skillset_id: t.skillsets.care,
      agent_id: anna.userId,
      agent_name: "Anna",
      closed_at: null,
    });
    const listedOpen = await history(t.admin, customerId);
    expect(listedOpen.items).toHaveLength(1);
    expect(listedOpen.items[0]).toMatchObject({ id, closedAt: null, skillsetName: "care" });

    await customerWrites(t.phoneNumberId, from, "Grazie");
    await reply(anna, id, "Lo controllo subito");
    // Notes are at most 2000 characters: refused before anything changes.
    const tooLong = await call(anna, "POST", `/api/conversations/${id}/close`, {
      reason: "resolved",
      notes: "x".repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(await badFields(tooLong)).toEqual(["notes"]);
    expect((await historyRow(id))?.closed_at).toBeNull();

    const before = Date.now();
    await closeConversation(anna, id, "resolved", "  Rimborso promesso  ");
    const row = await archived(id);
    expect(row.closed_at).toBeGreaterThanOrEqual(before);
    expect(row).toMatchObject({
      closed_by: anna.userId,
      closed_by_name: "Anna",
      close_reason: "resolved",
      close_notes: "Rimborso promesso",
      messages_kept: 1,
      message_count: 3,
    });

    const page = await history(t.admin, customerId);
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 25 });
    expect(page.items[0]).toMatchObject({
      id,
      numberId: t.numberId,
      numberName: "Support",
      agentName: "Anna",
      closedBy: anna.userId,
      closedByName: "Anna",
      closeReason: "resolved",
      closeNotes: "Rimborso promesso",
      messagesKept: true,
      messageCount: 3,
    });
    expect(page.items[0]!.matches).toBeUndefined();

    const read = await detail(anna, customerId, id);
    expect(read.conversation.id).toBe(id);
    expect(read.messages.map((m) => [m.seq, m.direction, m.senderName, m.kind, m.text])).toEqual([
      [1, "in", "Mario Rossi", "text", "Buongiorno, il mio ordine 4711 non è arrivato"],
      [2, "in", "Mario Rossi", "text", "Grazie"],
      [3, "out", "Anna", "text", "Lo controllo subito"],
    ]);
  });

  it("with 'keep message history' off, removes the contents at closing: D1, the actor and the agent's replay log keep no texts", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "La mia password è Segreto123");
    const customerId = await customerIdOf(t.tenantId, from);
    const customer = await callJson<CustomerView>(
      t.admin,
      "GET",
      `/api/customers/${customerId}`,
      undefined,
      200,
    );
    await callJson(
      t.admin,
      "PATCH",
      `/api/customers/${customerId}`,
      { version: customer.version, keepHistory: false },
      200,
    );
    await reply(anna, id, "Non scriva mai Segreto123 qui");
    await closeConversation(anna, id, "resolved");
    const row = await archived(id);
    expect(row).toMatchObject({ messages_kept: 0, message_count: 2 });

    const { results } = await env.DB.prepare(
      "SELECT text, sender_name FROM conversation_messages WHERE conversation_id = ? ORDER BY seq",
    )
      .bind(id)
      .all<{ text: string | null; sender_name: string }>();
    expect(results).toEqual([
      { text: null, sender_name: "Mario Rossi" },
      { text: null, sender_name: "Anna" },
    ]);

    // The actor answers the desktop's read without the texts, and its storage has none
    // (a reply still being sent when the conversation closed loses its text once sent).
    const stub = env.CONVERSATION.getByName(id);
    await eventually(async () => {
      const read = (await stub.read(t.tenantId))!;
      return read.messages.every((m) => m.text === "");
    });
    const stored = await runInDurableObject(stub, (_i: ConversationActor, state) =>
      state.storage.sql
        .exec<{ text: string; payload: string | null }>("SELECT text, payload FROM messages")
        .toArray(),
    );
    expect(stored).toEqual([
      { text: "", payload: null },
      { text: "", payload: null },
    ]);
    const events = await runInDurableObject(
      env.AGENT.getByName(anna.userId),
      (_i: AgentActor, state) =>
        state.storage.sql.exec<{ body: string }>("SELECT body FROM events").toArray(),
    );
    expect(events.some((e) => e.body.includes(`"conversationId":"${id}"`))).toBe(true);
    expect(events.filter((e) => e.body.includes("Segreto123"))).toEqual([]);

    // The history says the contents were not kept, and search cannot find them.
    const listed = await history(t.admin, customerId);
    expect(listed.items[0]).toMatchObject({ id, messagesKept: false, messageCount: 2 });
    const read2 = await detail(t.admin, customerId, id);
    expect(read2.messages.map((m) => [m.senderName, m.text])).toEqual([
      ["Mario Rossi", null],
      ["Anna", null],
    ]);
    expect(await historyIds(t.admin, customerId, "?q=Segreto123")).toEqual([]);
  });
});

describe("search and dates", () => {
  /** A customer with two closed conversations: one about a broken parcel, one about an address. */
  async function twoConversations(t: HistoryTenant, agent: Session) {
    const from = phone();
    const parcel = await wholeConversation(
      t,
      agent,
      from,
      ["Il pacco è arrivato rotto, perché?"],
      ["Mi dispiace, le mando un nuovo pacco"],
    );
    const address = await wholeConversation(
      t,
      agent,
      from,
      ["Vorrei cambiare l'indirizzo di consegna"],
      ["Certo, mi scriva il nuovo indirizzo"],
    );
    return { from, parcel, address, customerId: await customerIdOf(t.tenantId, from) };
  }

  it("finds conversations by words in their messages: accents ignored, prefixes, every word, with snippets", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const { parcel, address, customerId } = await twoConversations(t, anna);

    expect(await historyIds(t.admin, customerId)).toEqual([address, parcel]);
    const found = await history(t.admin, customerId, "?q=rotto");
    expect(found.total).toBe(1);
    expect(found.items[0]!.id).toBe(parcel);
    expect(found.items[0]!.matches).toEqual([mark("Il pacco è arrivato [rotto], perché?")]);
    // Accents are ignored both ways; a word's beginning finds it; case does not matter.
    expect(await historyIds(t.admin, customerId, "?q=perche")).toEqual([parcel]);
    expect(await historyIds(t.admin, customerId, `?q=${encodeURIComponent("PERCHÉ")}`)).toEqual([
      parcel,
    ]);
    expect(await historyIds(t.admin, customerId, "?q=indiriz")).toEqual([address]);
    // Every word must occur in one message; the agent's replies are searched too.
    expect(await historyIds(t.admin, customerId, "?q=nuovo%20pacco")).toEqual([parcel]);
    expect(await historyIds(t.admin, customerId, "?q=pacco%20indirizzo")).toEqual([]);
    const both = await history(t.admin, customerId, "?q=nuovo");
    expect(both.items.map((i) => i.id)).toEqual([address, parcel]);
    expect(both.items.map((i) => i.matches)).toEqual([
      [mark("Certo, mi scriva il [nuovo] indirizzo")],
      [mark("Mi dispiace, le mando un [nuovo] pacco")],
    ]);
    // Paging counts the filtered conversations.
    const paged = await history(t.admin, customerId, "?q=nuovo&pageSize=10&page=2");
    expect(paged).toMatchObject({ total: 2, page: 2, items: [] });
  });

  it("treats quotes and FTS5 operators in q as plain words, never as syntax", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const { parcel, address, customerId } = await twoConversations(t, anna);
    for (const q of [
      '" OR *',
      '"',
      "*",
      "rotto OR",
      "NEAR(pacco rotto)",
      "text:rotto",
      "-rotto",
      "^pacco",
      "pacco AND NOT rotto",
      "'; DROP TABLE conversations; --",
      "(((",
      "«»",
    ]) {
      const res = await call(
        t.admin,
        "GET",
        `/api/customers/${customerId}/conversations?q=${encodeURIComponent(q)}`,
      );
      expect(res.status, q).toBe(200);
    }
    // Nothing left after removing punctuation: no filter.
    expect(await historyIds(t.admin, customerId, `?q=${encodeURIComponent('" * (')}`)).toEqual([
      address,
      parcel,
    ]);
    // Operators are words: "OR" is not a disjunction, "NOT" is not a negation.
    expect(
      await historyIds(t.admin, customerId, `?q=${encodeURIComponent("rotto OR indirizzo")}`),
    ).toEqual([]);
    expect(await historyIds(t.admin, customerId, `?q=${encodeURIComponent('"rotto"')}`)).toEqual([
      parcel,
    ]);
    expect(await historyIds(t.admin, customerId, `?q=${encodeURIComponent("text:rotto")}`)).toEqual(
      [],
    );
  });

  it("never finds or shows another tenant's conversations, even with identical text", async () => {
    const a = await historyTenant();
    const b = await historyTenant();
    const annaA = await deskAgent(a, "Anna", ["care"]);
    const annaB = await deskAgent(b, "Anna", ["care"]);
    const fromA = phone();
    const fromB = phone();
    const text = "Codice cliente ZETA-99 bloccato";
    const idA = await wholeConversation(a, annaA, fromA, [text], []);
    const idB = await wholeConversation(b, annaB, fromB, [text], []);
    const customerA = await customerIdOf(a.tenantId, fromA);
    const customerB = await customerIdOf(b.tenantId, fromB);

    expect(await historyIds(a.admin, customerA, "?q=zeta")).toEqual([idA]);
    expect(await historyIds(b.admin, customerB, "?q=zeta")).toEqual([idB]);
    // Another tenant's customer and conversations are not found at all.
    for (const path of [
      `/api/customers/${customerA}/conversations`,
      `/api/customers/${customerA}/conversations?q=zeta`,
      `/api/customers/${customerA}/conversations/${idA}`,
      `/api/customers/${customerB}/conversations/${idA}`,
    ]) {
      const res = await call(b.admin, "GET", path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
    }
    const mail = await call(
      b.admin,
      "POST",
      `/api/customers/${customerA}/conversations/${idA}/email`,
      {
        to: "spy@example.test",
      },
    );
    expect(mail.status).toBe(404);
    // A conversation of another customer of the same tenant is not this customer's.
    const other = await wholeConversation(a, annaA, phone(), ["altro cliente"], []);
    expect(
      (await call(a.admin, "GET", `/api/customers/${customerA}/conversations/${other}`)).status,
    ).toBe(404);
  });

  it("filters by opening day, inclusive, in the caller's time zone", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const late = await wholeConversation(t, anna, from, ["prima"], []);
    const early = await wholeConversation(t, anna, from, ["dopo"], []);
    const customerId = await customerIdOf(t.tenantId, from);
    // Opened at 23:30 UTC on 1 March: already 2 March in Rome (UTC+1).
    await env.DB.prepare("UPDATE conversations SET opened_at = ? WHERE id = ?")
      .bind(Date.UTC(2026, 2, 1, 23, 30), late)
      .run();
    // Opened at 00:30 UTC on 1 March: still 1 March in Rome, and in UTC.
    await env.DB.prepare("UPDATE conversations SET opened_at = ? WHERE id = ?")
      .bind(Date.UTC(2026, 2, 1, 0, 30), early)
      .run();

    expect(await historyIds(t.admin, customerId, "?from=2026-03-01&to=2026-03-01")).toEqual([
      late,
      early,
    ]);
    expect(await historyIds(t.admin, customerId, "?from=2026-03-02")).toEqual([]);
    expect(await historyIds(t.admin, customerId, "?to=2026-02-28")).toEqual([]);
    const rome = "&tz=Europe/Rome";
    expect(await historyIds(t.admin, customerId, `?from=2026-03-01&to=2026-03-01${rome}`)).toEqual([
      early,
    ]);
    expect(await historyIds(t.admin, customerId, `?from=2026-03-02&to=2026-03-02${rome}`)).toEqual([
      late,
    ]);
    expect(await historyIds(t.admin, customerId, `?to=2026-03-01${rome}`)).toEqual([early]);
    // New York is UTC-5: 00:30 UTC on 1 March is still 28 February there.
    expect(
      await historyIds(t.admin, customerId, "?from=2026-02-28&to=2026-02-28&tz=America/New_York"),
    ).toEqual([early]);
    // Combined with a search.
    expect(await historyIds(t.admin, customerId, `?from=2026-03-02&q=prima${rome}`)).toEqual([
      late,
    ]);
    expect(await historyIds(t.admin, customerId, `?from=2026-03-02&q=dopo${rome}`)).toEqual([]);
  });

  it("refuses an unknown time zone, a range that ends before it starts, and bad dates, naming the field", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    await wholeConversation(t, anna, from, ["ciao"], []);
    const customerId = await customerIdOf(t.tenantId, from);
    const base = `/api/customers/${customerId}/conversations`;
    const cases: [string, string][] = [
      ["?tz=Mars/Olympus", "tz"],
      ["?from=2026-03-02&to=2026-03-01", "to"],
      ["?from=2026-13-45", "from"],
      ["?to=yesterday", "to"],
      ["?pageSize=5", "pageSize"],
    ];
    for (const [query, field] of cases) {
      const res = await call(t.admin, "GET", `${base}${query}`);
      expect(res.status, query).toBe(400);
      expect(await badFields(res), query).toEqual([field]);
    }
    expect((await call(t.admin, "GET", `${base}/not-a-uuid`)).status).toBe(400);
  });
});

describe("transcripts by e-mail", () => {
  it("mails a readable transcript through the SMTP server, in the caller's language or the one asked, HTML escaped", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await wholeConversation(
      t,
      anna,
      from,
      ['Ciao, il codice <b>X</b> & "Y" non va'],
      ["Riga uno\nRiga due <script>alert(1)</script>"],
      { reason: "resolved", notes: "Cliente <VIP>" },
    );
    const customerId = await customerIdOf(t.tenantId, from);
    const to = `${uid("transcript")}@example.test`.toLowerCase();
    const res = await call(anna, "POST", `/api/customers/${customerId}/conversations/${id}/email`, {
      to,
    });
    expect(res.status).toBe(202);
    const [mail] = await eventually(async () => {
      const list = await mailsTo(to);
      return list.length > 0 ? list : null;
    });
    expect(mail!.subject).toMatch(/^Conversation with Mario Rossi on \d{4}-\d{2}-\d{2}$/);
    const text = mail!.text;
    expect(text).toContain("Conversation transcript");
    expect(text).toContain(`Customer: Mario Rossi (+${from})`);
    expect(text).toContain("Number: Support (+1 555 010 0001)");
    expect(text).toMatch(/Opened: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).toMatch(/Closed: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).toContain("Agent: Anna");
    expect(text).toContain("Closed by: Anna");
    expect(text).toContain("Closing reason: resolved");
    expect(text).toContain("Notes: Cliente <VIP>");
    expect(text).toContain(`Conversation ID: ${id}`);
    expect(text).toContain("Times are in Europe/Rome.");
    expect(text).toMatch(
      /\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] Mario Rossi: Ciao, il codice <b>X<\/b> & "Y" non va/,
    );
    expect(text).toMatch(
      /\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] Anna: Riga uno\n {4}Riga due <script>alert\(1\)<\/script>/,
    );
    const html = mail!.html;
    expect(html).toContain("Ciao, il codice &lt;b&gt;X&lt;/b&gt; &amp; &quot;Y&quot; non va");
    expect(html).toContain("Riga uno<br>Riga due &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Cliente &lt;VIP&gt;");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>X</b>");

    // Italian on request.
    const toIt = `${uid("trascrizione")}@example.test`.toLowerCase();
    await callJson(
      t.admin,
      "POST",
      `/api/customers/${customerId}/conversations/${id}/email`,
      { to: toIt, language: "it" },
      202,
    );
    const [it] = await eventually(async () => {
      const list = await mailsTo(toIt);
      return list.length > 0 ? list : null;
    });
    expect(it!.subject).toMatch(/^Conversazione con Mario Rossi del \d{4}-\d{2}-\d{2}$/);
    expect(it!.text).toContain("Trascrizione della conversazione");
    expect(it!.text).toContain("Chiusa da: Anna");
    expect(it!.text).toContain("Motivo di chiusura: resolved");
    expect(it!.text).toContain("Note: Cliente <VIP>");
  });

  it("says the contents were not kept, and answers 502 when the mail server refuses", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "dati riservati");
    const customerId = await customerIdOf(t.tenantId, from);
    await env.DB.prepare("UPDATE customers SET keep_history = 0 WHERE id = ?")
      .bind(customerId)
      .run();
    await closeConversation(anna, id, "resolved");
    await archived(id);
    const to = `${uid("transcript")}@example.test`.toLowerCase();
    await callJson(
      t.admin,
      "POST",
      `/api/customers/${customerId}/conversations/${id}/email`,
      { to },
      202,
    );
    const [mail] = await eventually(async () => {
      const list = await mailsTo(to);
      return list.length > 0 ? list : null;
    });
    expect(mail!.text).toMatch(
      /\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] Mario Rossi: \(contents not kept\)/,
    );
    expect(mail!.text).not.toContain("riservati");

    const refused = `${uid("refused")}@example.test`.toLowerCase();
    await refuseMailTo(refused);
    const res = await call(
      t.admin,
      "POST",
      `/api/customers/${customerId}/conversations/${id}/email`,
      {
        to: refused,
      },
    );
    expect(res.status).toBe(502);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("mail_failed");
    expect(body.error.message).toContain(refused);
    const bad = await call(
      t.admin,
      "POST",
      `/api/customers/${customerId}/conversations/${id}/email`,
      {
        to: "not an address",
      },
    );
    expect(bad.status).toBe(400);
    expect(await badFields(bad)).toEqual(["to"]);
  });
});

describe("isolated agents", () => {
  it("see a customer, and their history, once a conversation with one of their skillsets exists", async () => {
    const t = await historyTenant({ care: 5, sales: 3 });
    const iris = await deskAgent(t, "Iris", ["sales"], { isolated: true, ready: false });
    const carlo = await deskAgent(t, "Carlo", ["care"], { ready: false });
    const from = phone();
    await customerWrites(t.phoneNumberId, from, "salve, vorrei un preventivo");
    const customerId = await customerIdOf(t.tenantId, from);
    const path = `/api/customers/${customerId}`;
    // No conversation with Iris's skillsets yet: the customer does not exist for her.
    expect((await call(iris, "GET", path)).status).toBe(404);
    expect((await call(iris, "GET", `${path}/conversations`)).status).toBe(404);

    await callJson(iris, "POST", "/api/me/status", { status: "ready" }, 200);
    const offer = await eventually(async () => {
      const desk = await callJson<{ offers: { conversationId: string }[] }>(
        iris,
        "GET",
        "/api/desktop",
        undefined,
        200,
      );
      return desk.offers[0];
    });
    await callJson(iris, "POST", `/api/offers/${offer.conversationId}/accept`, undefined, 200);
    // Taken by Iris through "sales": the customer is hers to see now.
    await eventually(async () => (await call(iris, "GET", path)).status === 200);
    const list = await callJson<Page<CustomerView>>(iris, "GET", "/api/customers", undefined, 200);
    expect(list.items.map((c) => c.id)).toEqual([customerId]);
    expect((await history(iris, customerId)).items.map((i) => i.id)).toEqual([
      offer.conversationId,
    ]);
    await closeConversation(iris, offer.conversationId, "resolved");
    await archived(offer.conversationId);
    expect((await detail(iris, customerId, offer.conversationId)).messages).toHaveLength(1);

    // A customer served by Carlo's "care" stays hidden from Iris…
    await callJson(iris, "POST", "/api/me/status", { status: "break" }, 200);
    await callJson(carlo, "POST", "/api/me/status", { status: "ready" }, 200);
    const other = phone();
    const otherConversation = await wholeConversation(t, carlo, other, ["assistenza"], []);
    const otherId = await customerIdOf(t.tenantId, other);
    expect((await call(iris, "GET", `/api/customers/${otherId}`)).status).toBe(404);
    expect((await call(iris, "GET", `/api/customers/${otherId}/conversations`)).status).toBe(404);
    expect(
      (await call(iris, "GET", `/api/customers/${otherId}/conversations/${otherConversation}`))
        .status,
    ).toBe(404);
    // …unless their default skillset is one of hers (the rule kept from before).
    await env.DB.prepare("UPDATE customers SET default_skillset_id = ? WHERE id = ?")
      .bind(t.skillsets.sales, otherId)
      .run();
    expect((await call(iris, "GET", `/api/customers/${otherId}/conversations`)).status).toBe(200);
    // Agents who are not isolated see every customer of the tenant.
    expect((await history(carlo, customerId)).total).toBe(1);
  });
});
