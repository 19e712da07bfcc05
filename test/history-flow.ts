/**
 * Conversations driven end to end for the history tests: the customer writes
 * from the simulator's phone (signed webhooks into the real Worker), a
 * signed-in agent accepts, replies and closes through the desktop API, and the
 * conversation actor writes the history to D1.
 */
import { env } from "cloudflare:workers";
import type { DesktopSnapshot, OfferView } from "../src/shared/protocol";
import { adminSession, callJson, type Session, signIn } from "./admin/session";
import { customerWrites, eventually, type SeededTenant, seedTenant } from "./helpers";

/** A tenant with one number, its skillsets (name → priority) and a signed-in admin. */
export interface HistoryTenant extends SeededTenant {
  admin: Session;
}

/** A fresh tenant (seeded in D1) with the given skillsets and a signed-in admin. */
export async function historyTenant(
  skillsets: Record<string, number> = { care: 5 },
): Promise<HistoryTenant> {
  const t = await seedTenant({ skillsets, agents: [] });
  return { ...t, admin: await adminSession(t.tenantId) };
}

/** A signed-in agent in `skills`, set Ready unless `ready` is false. */
export async function deskAgent(
  t: HistoryTenant,
  name: string,
  skills: string[],
  opts: { isolated?: boolean; ready?: boolean } = {},
): Promise<Session> {
  const agent = await signIn("agent", t.tenantId, { name });
  for (const skill of skills) {
    await env.DB.prepare(
      "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, 5)",
    )
      .bind(t.tenantId, t.skillsets[skill]!, agent.userId)
      .run();
  }
  if (opts.isolated) {
    await env.DB.prepare("UPDATE users SET isolated = 1 WHERE id = ?").bind(agent.userId).run();
  }
  if (opts.ready !== false) await setReady(agent);
  return agent;
}

/** The agent sets Ready through the desktop API. */
export function setReady(agent: Session): Promise<unknown> {
  return callJson(agent, "POST", "/api/me/status", { status: "ready" }, 200);
}

/** A fresh Italian mobile as Meta's wa_id (digits). */
export function waId(): string {
  return `39333${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
}

/** Waits for the agent's first offer. */
export function offerFor(agent: Session): Promise<OfferView> {
  return eventually(async () => {
    const desk = await callJson<DesktopSnapshot>(agent, "GET", "/api/desktop", undefined, 200);
    return desk.offers[0];
  });
}

/** The customer writes `text`; `agent` gets the offer and accepts it. Returns the conversation id. */
export async function takeConversation(
  t: HistoryTenant,
  agent: Session,
  from: string,
  text: string,
  name = "Mario Rossi",
): Promise<string> {
  await customerWrites(t.phoneNumberId, from, text, name);
  const offer = await offerFor(agent);
  await callJson(agent, "POST", `/api/offers/${offer.conversationId}/accept`, undefined, 200);
  return offer.conversationId;
}

/** The agent replies through the desktop API. */
export function reply(agent: Session, conversationId: string, text: string): Promise<unknown> {
  return callJson(
    agent,
    "POST",
    `/api/conversations/${conversationId}/messages`,
    { clientId: crypto.randomUUID(), text },
    201,
  );
}

/** The agent closes through the desktop API. */
export function closeConversation(
  agent: Session,
  conversationId: string,
  reason: string,
  notes?: string,
): Promise<unknown> {
  return callJson(
    agent,
    "POST",
    `/api/conversations/${conversationId}/close`,
    { reason, ...(notes === undefined ? {} : { notes }) },
    200,
  );
}

/** A `conversations` row as D1 stores it. */
export interface HistoryRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  skillset_id: string | null;
  agent_id: string | null;
  agent_name: string | null;
  opened_at: number;
  closed_at: number | null;
  closed_by: string | null;
  closed_by_name: string | null;
  close_reason: string | null;
  close_notes: string | null;
  messages_kept: number;
  message_count: number;
}

/** The conversation's history row in D1, or null. */
export function historyRow(conversationId: string): Promise<HistoryRow | null> {
  return env.DB.prepare("SELECT * FROM conversations WHERE id = ?")
    .bind(conversationId)
    .first<HistoryRow>();
}

/** Waits until the actor has written the closed conversation to D1. */
export function archived(conversationId: string): Promise<HistoryRow> {
  return eventually(async () => {
    const row = await historyRow(conversationId);
    return row?.closed_at != null ? row : null;
  });
}

/** The customer's id for a wa_id in the tenant (created by their first message). */
export async function customerIdOf(tenantId: string, from: string): Promise<string> {
  const row = await env.DB.prepare(
    "SELECT id FROM customers WHERE tenant_id = ? AND contact_key = ?",
  )
    .bind(tenantId, from)
    .first<{ id: string }>();
  if (!row) throw new Error(`no customer ${from}`);
  return row.id;
}

/**
 * One whole conversation: the customer writes each of `inbound`, the agent
 * answers each of `replies`, then closes; resolves once D1 has the history.
 */
export async function wholeConversation(
  t: HistoryTenant,
  agent: Session,
  from: string,
  inbound: [string, ...string[]],
  replies: string[],
  close: { reason: string; notes?: string } = { reason: "resolved" },
): Promise<string> {
  const [first, ...more] = inbound;
  const id = await takeConversation(t, agent, from, first);
  for (const text of more) await customerWrites(t.phoneNumberId, from, text);
  for (const text of replies) await reply(agent, id, text);
  await closeConversation(agent, id, close.reason, close.notes);
  await archived(id);
  return id;
}
