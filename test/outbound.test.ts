/**
 * Starting a conversation from the desktop through the real Worker, actors, D1
 * and the Meta simulator: a template with variables reaches the phone as
 * Meta's Graph body and waits under "Sent templates" until the customer
 * answers, then moves to the agent's desk (one conversation, no offer); a free
 * message only inside the 24-hour window; refusals for opt-in, the tenant's
 * setting, missing variables, capacity, other agents' and other tenants'
 * records; no reply closes it after 24 h; a retried request sends once.
 * Templates are seeded as approved rows in D1 (Meta's review is covered by the
 * admin template tests); time moves with the actors' clock.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "../src/platform/clock";
import type {
  OutboundCustomers,
  OutboundTemplates,
  PendingOutboundList,
} from "../src/shared/outbound";
import type { ConversationView } from "../src/shared/protocol";
import {
  closeConversation,
  conversationRead,
  deskAgent,
  desktopOf,
  takeConversation,
} from "./kit/conversation";
import { customerIdOf } from "./kit/history";
import { phone } from "./kit/ids";
import { customerWrites, relaySim } from "./kit/meta";
import {
  adminSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "./kit/session";
import { phoneReceived, phoneThread } from "./kit/simulator";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

afterEach(() => resetClock());

const DAY_MS = 24 * 60 * 60 * 1000;

/** A customer of the tenant, as an admin would record them (contact key = wa_id digits). */
async function customer(
  t: { tenantId: string },
  opts: { authorized?: boolean; name?: string; from?: string } = {},
): Promise<{ id: string; from: string }> {
  const id = crypto.randomUUID();
  const from = opts.from ?? phone();
  await env.DB.prepare(
    "INSERT INTO customers (id, tenant_id, contact_key, phone, name, authorized) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(
      id,
      t.tenantId,
      from,
      `+${from}`,
      opts.name ?? "Giulia Bianchi",
      opts.authorized === false ? 0 : 1,
    )
    .run();
  return { id, from };
}

/** An approved template of the number: header {{1}}, body {{1}} and {{2}}, two quick replies. */
async function storedTemplate(
  t: { tenantId: string; numberId: string },
  status = "approved",
): Promise<string> {
  const id = crypto.randomUUID();
  const components = {
    header: { text: "Order {{1}}", example: "A-1" },
    body: { text: "Hello {{1}}, your order ships on {{2}}. Confirm?", examples: ["Ann", "Monday"] },
    footer: "Parley demo",
    buttons: [
      { type: "QUICK_REPLY", text: "Yes" },
      { type: "QUICK_REPLY", text: "No" },
    ],
  };
  await env.DB.prepare(
    `INSERT INTO templates (id, tenant_id, number_id, name, language, category, components, status, meta_template_id)
     VALUES (?, ?, ?, ?, 'en_US', 'UTILITY', ?, ?, ?)`,
  )
    .bind(
      id,
      t.tenantId,
      t.numberId,
      `order_${id.slice(0, 8).replace(/-/g, "")}`,
      JSON.stringify(components),
      status,
      String(Date.now()),
    )
    .run();
  return id;
}

function templateBody(
  c: { id: string },
  t: { numberId: string },
  templateId: string,
  body: string[] = ["Giulia", "Tuesday"],
  header = "B-42",
) {
  return {
    clientId: crypto.randomUUID(),
    customerId: c.id,
    numberId: t.numberId,
    message: { type: "template", templateId, variables: { header, body } },
  };
}

function textBody(c: { id: string }, t: { numberId: string }, text: string) {
  return {
    clientId: crypto.randomUUID(),
    customerId: c.id,
    numberId: t.numberId,
    message: { type: "text", text },
  };
}

function start(agent: Session, body: unknown): Promise<ConversationView> {
  return callJson<ConversationView>(agent, "POST", "/api/outbound", body, 201);
}

async function refusedStart(
  agent: Session,
  body: unknown,
  status: number,
): Promise<ErrorBody["error"]> {
  const res = await call(agent, "POST", "/api/outbound", body);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (JSON.parse(text) as ErrorBody).error;
}

function pending(agent: Session): Promise<PendingOutboundList> {
  return callJson<PendingOutboundList>(agent, "GET", "/api/outbound/pending", undefined, 200);
}

/** The raw Graph bodies the phone received from the business. */
async function phoneRaw(from: string): Promise<Record<string, unknown>[]> {
  return (await phoneThread(from)).map((m) => m.raw);
}

async function tenantWithAgent(
  opts: { max?: number } = {},
): Promise<{ t: HistoryTenant; agent: Session }> {
  const t = await historyTenant({ care: 5 });
  const agent = await deskAgent(t, "Alice Agent", ["care"]);
  if (opts.max !== undefined) {
    await env.DB.prepare("UPDATE users SET max_conversations = ? WHERE id = ?")
      .bind(opts.max, agent.userId)
      .run();
    await env.AGENT.getByName(agent.userId).profileChanged(t.tenantId);
  }
  return { t, agent };
}

describe("a template", () => {
  it("reaches the phone as Meta's template body, waits under Sent templates, and the answer moves it to the agent", async () => {
    const { t, agent } = await tenantWithAgent();
    const c = await customer(t);
    const templateId = await storedTemplate(t);

    const listed = await callJson<OutboundTemplates>(
      agent,
      "GET",
      `/api/outbound/templates?numberId=${t.numberId}`,
      undefined,
      200,
    );
    expect(listed.allowed).toBe(true);
    const template = listed.templates.find((x) => x.id === templateId)!;
    expect(template).toMatchObject({
      headerVariables: 1,
      bodyVariables: 2,
      quickReplies: ["Yes", "No"],
    });

    const started = await start(agent, templateBody(c, t, templateId));
    expect(started.state).toBe("outbound");
    expect(started.agentId).toBe(agent.userId);

    const raw = await eventually(async () => (await phoneRaw(c.from))[0]);
    expect(raw.type).toBe("template");
    expect(raw.to).toBe(`+${c.from}`);
    expect(raw.template).toEqual({
      name: template.name,
      language: { code: "en_US" },
      components: [
        { type: "header", parameters: [{ type: "text", text: "B-42" }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "Giulia" },
            { type: "text", text: "Tuesday" },
          ],
        },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "0",
          parameters: [{ type: "payload", payload: "Yes" }],
        },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "1",
          parameters: [{ type: "payload", payload: "No" }],
        },
      ],
    });

    // Pending, with its tick, and not on the desk: it takes no seat.
    const list = await eventually(async () => {
      await relaySim(t.phoneNumberId);
      const l = await pending(agent);
      return l.items[0]?.status === "delivered" ? l : null;
    });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      conversationId: started.id,
      customer: { id: c.id, name: "Giulia Bianchi" },
      templateName: template.name,
      text: "Order B-42\nHello Giulia, your order ships on Tuesday. Confirm?\nParley demo\n[Yes] [No]",
    });
    const before = await desktopOf(agent);
    expect(before.conversations).toEqual([]);
    expect(before.agent.load).toBe(0);

    // The customer answers: the same conversation lands on the agent's desk, with no offer.
    await customerWrites(t.phoneNumberId, c.from, "Yes, thanks", "Giulia Bianchi");
    const onDesk = await eventually(async () =>
      (await desktopOf(agent)).conversations.find((x) => x.id === started.id),
    );
    expect(onDesk.state).toBe("assigned");
    const after = await desktopOf(agent);
    expect(after.offers).toEqual([]);
    expect(after.agent.load).toBe(1);
    expect((await pending(agent)).items).toEqual([]);
    const read = await conversationRead(t.tenantId, started.id);
    expect(read.messages.map((m) => [m.direction, m.kind])).toEqual([
      ["out", "template"],
      ["in", "text"],
    ]);
    expect(read.messages[1]!.text).toBe("Yes, thanks");
    const rows = await env.NUMBER.getByName(t.numberId).conversations();
    expect(rows).toEqual([
      expect.objectContaining({ id: started.id, state: "assigned", agentId: agent.userId }),
    ]);
    // The agent can reply freely now: the answer opened the window.
    await callJson(
      agent,
      "POST",
      `/api/conversations/${started.id}/messages`,
      { clientId: crypto.randomUUID(), text: "Great, see you Tuesday" },
      201,
    );
  });

  it("answered while the agent is offline is routed like any new conversation", async () => {
    const { t, agent } = await tenantWithAgent();
    const colleague = await deskAgent(t, "Bruno Agent", ["care"]);
    const c = await customer(t);
    const started = await start(agent, templateBody(c, t, await storedTemplate(t)));
    await env.AGENT.getByName(agent.userId).loggedOut(t.tenantId);
    await customerWrites(t.phoneNumberId, c.from, "Hello?");
    const offer = await eventually(async () => (await desktopOf(colleague)).offers[0]);
    expect(offer.conversationId).toBe(started.id);
  });

  it("closes silently 24 hours after it was sent without a reply", async () => {
    const { t, agent } = await tenantWithAgent();
    const c = await customer(t);
    const started = await start(agent, templateBody(c, t, await storedTemplate(t)));
    await eventually(async () => (await phoneReceived(c.from)).length === 1);
    const stub = env.CONVERSATION.getByName(started.id);

    advanceClock(DAY_MS - 60_000);
    await runDurableObjectAlarm(stub);
    expect((await conversationRead(t.tenantId, started.id)).conversation.state).toBe("outbound");

    advanceClock(61_000);
    await runDurableObjectAlarm(stub);
    const closed = (await conversationRead(t.tenantId, started.id)).conversation;
    expect(closed.state).toBe("closed");
    expect(closed.closeReason).toBe("No reply to the template");
    expect((await pending(agent)).items).toEqual([]);
    expect(await env.NUMBER.getByName(t.numberId).conversations()).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await phoneReceived(c.from)).toHaveLength(1);
  });

  it("is withdrawn by its agent: closed without a message, gone from Sent templates; not by a colleague", async () => {
    const { t, agent } = await tenantWithAgent();
    const colleague = await deskAgent(t, "Bruno Agent", ["care"]);
    const c = await customer(t);
    const started = await start(agent, templateBody(c, t, await storedTemplate(t)));
    await eventually(async () => (await phoneReceived(c.from)).length === 1);
    const path = `/api/outbound/${started.id}/withdraw`;

    const theirs = await call(colleague, "POST", path);
    expect(theirs.status).toBe(409);
    expect((await pending(agent)).items.map((i) => i.conversationId)).toEqual([started.id]);

    const closed = await callJson<ConversationView>(agent, "POST", path, undefined, 200);
    expect(closed).toMatchObject({ state: "closed", closeReason: "Template withdrawn" });
    expect((await pending(agent)).items).toEqual([]);
    expect(await env.NUMBER.getByName(t.numberId).conversations()).toEqual([]);
    // Again: nothing changes.
    expect(await callJson(agent, "POST", path, undefined, 200)).toMatchObject({ state: "closed" });
    expect((await call(agent, "POST", "/api/outbound/not-a-uuid/withdraw")).status).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(await phoneReceived(c.from)).toHaveLength(1);

    // The customer's next message starts a new conversation, routed as usual.
    await customerWrites(t.phoneNumberId, c.from, "Ciao");
    const offer = await eventually(
      async () => (await desktopOf(agent)).offers[0] ?? (await desktopOf(colleague)).offers[0],
    );
    expect(offer.conversationId).not.toBe(started.id);
  });

  it("is sent once for a retried request (same clientId)", async () => {
    const { t, agent } = await tenantWithAgent();
    const c = await customer(t);
    const body = templateBody(c, t, await storedTemplate(t));
    const first = await start(agent, body);
    const again = await start(agent, body);
    expect(again.id).toBe(first.id);
    await eventually(async () => (await phoneReceived(c.from)).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await phoneReceived(c.from)).toHaveLength(1);
    // A second template (new clientId) goes into the same conversation.
    const second = await start(agent, templateBody(c, t, await storedTemplate(t)));
    expect(second.id).toBe(first.id);
    await eventually(async () => (await phoneReceived(c.from)).length === 2);
  });
});

describe("refusals", () => {
  it("needs the customer's opt-in, the tenant's permission for agents, and every variable", async () => {
    const { t, agent } = await tenantWithAgent();
    const templateId = await storedTemplate(t);
    const optedOut = await customer(t, { authorized: false });
    expect((await refusedStart(agent, templateBody(optedOut, t, templateId), 409)).code).toBe(
      "not_authorized",
    );

    const c = await customer(t);
    const missing = await call(
      agent,
      "POST",
      "/api/outbound",
      templateBody(c, t, templateId, ["Giulia", " "]),
    );
    expect(missing.status).toBe(400);
    expect(await badFields(missing)).toEqual(["message.variables.body.2"]);
    const noHeader = await call(
      agent,
      "POST",
      "/api/outbound",
      templateBody(c, t, templateId, ["Giulia", "Monday"], ""),
    );
    expect(await badFields(noHeader)).toEqual(["message.variables.header"]);
    const bad = await call(agent, "POST", "/api/outbound", {
      ...textBody(c, t, "x"),
      clientId: "nope",
    });
    expect(await badFields(bad)).toEqual(["clientId"]);

    const pendingTemplate = await storedTemplate(t, "pending");
    expect((await refusedStart(agent, templateBody(c, t, pendingTemplate), 404)).code).toBe(
      "not_found",
    );

    await env.DB.prepare("UPDATE tenants SET agents_may_send_templates = 0 WHERE id = ?")
      .bind(t.tenantId)
      .run();
    const off = await refusedStart(agent, templateBody(c, t, templateId), 403);
    expect(off.code).toBe("templates_disallowed");
    const listed = await callJson<OutboundTemplates>(
      agent,
      "GET",
      `/api/outbound/templates?numberId=${t.numberId}`,
      undefined,
      200,
    );
    expect(listed).toMatchObject({ agentsMaySendTemplates: false, allowed: false });
    // None of the refused attempts reached the phone.
    expect(await phoneReceived(c.from)).toHaveLength(0);
    // Administrators still may: theirs is the one message the phone gets.
    const started = await start(t.admin, templateBody(c, t, templateId));
    expect(started.state).toBe("outbound");
    expect(
      await eventually(async () => {
        const got = await phoneReceived(c.from);
        return got.length > 0 ? got : null;
      }),
    ).toHaveLength(1);
  });

  it("refuses a free message outside the 24-hour window, allows it inside (even without opt-in)", async () => {
    const { t, agent } = await tenantWithAgent();
    const stranger = await customer(t);
    const outside = await refusedStart(agent, textBody(stranger, t, "Hi!"), 409);
    expect(outside.code).toBe("window_closed");

    // The customer wrote earlier today; that conversation is closed since.
    const from = phone();
    const earlier = await takeConversation(t, agent, from, "Ciao", "Marco Verdi");
    await closeConversation(agent, earlier, "resolved");
    const row = await env.DB.prepare(
      "SELECT id FROM customers WHERE tenant_id = ? AND contact_key = ?",
    )
      .bind(t.tenantId, from)
      .first<{ id: string }>();
    const customers = await callJson<OutboundCustomers>(
      agent,
      "GET",
      "/api/outbound/customers?q=Marco",
      undefined,
      200,
    );
    expect(customers.items).toEqual([
      expect.objectContaining({ id: row!.id, windowOpen: true, authorized: false }),
    ]);
    const started = await start(agent, textBody({ id: row!.id }, t, "One more thing, Marco"));
    expect(started.state).toBe("assigned");
    expect(started.id).not.toBe(earlier);
    expect((await desktopOf(agent)).conversations.map((x) => x.id)).toEqual([started.id]);
    await eventually(async () =>
      (await phoneReceived(from)).includes("One more thing, Marco") ? true : null,
    );

    // 24 hours after their message the window has closed.
    advanceClock(DAY_MS);
    const listedLater = await callJson<OutboundCustomers>(
      agent,
      "GET",
      "/api/outbound/customers?q=Marco",
      undefined,
      200,
    );
    expect(listedLater.items[0]!.windowOpen).toBe(false);
  });

  it("one conversation per customer per number: someone else's, a waiting one, and the agent's capacity", async () => {
    const { t, agent } = await tenantWithAgent({ max: 1 });
    const colleague = await deskAgent(t, "Bruno Agent", ["care"], { ready: false });
    const templateId = await storedTemplate(t);
    const c = await customer(t);
    await start(colleague, templateBody(c, t, templateId));
    const taken = await refusedStart(agent, templateBody(c, t, templateId), 409);
    expect(taken.code).toBe("already_open");
    expect(taken.message).toContain("Bruno Agent");
    const search = await callJson<OutboundCustomers>(
      agent,
      "GET",
      `/api/outbound/customers?q=${c.from}`,
      undefined,
      200,
    );
    expect(search.items[0]!.numbers[0]!.openConversation).toMatchObject({
      state: "outbound",
      agentName: "Bruno Agent",
    });

    // Xavier wrote earlier and that conversation is closed: his window is open.
    const xavier = phone();
    await closeConversation(agent, await takeConversation(t, agent, xavier, "Hi", "Xavier"), "ok");
    const xavierId = await customerIdOf(t.tenantId, xavier);
    // The agent's one seat is taken.
    const first = phone();
    const firstConversation = await takeConversation(t, agent, first, "First", "Fiona First");

    // A customer waiting in the queue (the agent is full, the colleague not Ready).
    const waiting = phone();
    await customerWrites(t.phoneNumberId, waiting, "Anyone?", "Wanda Waiting");
    const waitingId = await customerIdOf(t.tenantId, waiting);
    expect((await refusedStart(agent, textBody({ id: waitingId }, t, "Hello"), 409)).code).toBe(
      "waiting",
    );

    // At capacity: a free message cannot start a conversation; a template can (no seat).
    expect((await refusedStart(agent, textBody({ id: xavierId }, t, "Hi"), 409)).code).toBe(
      "at_capacity",
    );
    const byTemplate = await start(agent, templateBody(await customer(t), t, templateId));
    expect(byTemplate.state).toBe("outbound");
    // A free message to the customer already on the desk continues that conversation.
    const continued = await start(
      agent,
      textBody({ id: await customerIdOf(t.tenantId, first) }, t, "Still here"),
    );
    expect(continued.id).toBe(firstConversation);
    expect((await desktopOf(agent)).conversations.map((x) => x.id)).toEqual([firstConversation]);
  });

  it("another tenant's customer, template or number is 404", async () => {
    const { t, agent } = await tenantWithAgent();
    const other = await historyTenant({ care: 5 });
    const theirs = await customer(other);
    const theirTemplate = await storedTemplate(other);
    const mine = await customer(t);
    const myTemplate = await storedTemplate(t);
    expect((await refusedStart(agent, templateBody(theirs, t, myTemplate), 404)).code).toBe(
      "not_found",
    );
    expect((await refusedStart(agent, templateBody(mine, t, theirTemplate), 404)).code).toBe(
      "not_found",
    );
    expect(
      (await refusedStart(agent, templateBody(mine, { numberId: other.numberId }, myTemplate), 404))
        .code,
    ).toBe("not_found");
    const res = await call(agent, "GET", `/api/outbound/templates?numberId=${other.numberId}`);
    expect(res.status).toBe(404);
    const search = await callJson<OutboundCustomers>(
      agent,
      "GET",
      `/api/outbound/customers?q=${theirs.from}`,
      undefined,
      200,
    );
    expect(search.items).toEqual([]);
    expect(await phoneReceived(theirs.from)).toHaveLength(0);
  });

  it("needs a session", async () => {
    const admin = await adminSession();
    const res = await call("parley_session=nope", "GET", "/api/outbound/pending");
    expect(res.status).toBe(401);
    expect((await call(admin, "GET", "/api/outbound/pending")).status).toBe(200);
  });
});
