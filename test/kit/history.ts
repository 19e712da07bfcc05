/**
 * The history a closed conversation leaves in D1 (workerd): whole conversations
 * driven end to end (the customer writes from the simulator's phone, a signed-in
 * agent accepts, replies and closes through the desktop API), then the rows the
 * conversation actor archived.
 */
import { env } from "cloudflare:workers";
import { closeConversation, reply, takeConversation } from "./conversation";
import { customerWrites } from "./meta";
import type { Session } from "./session";
import type { HistoryTenant } from "./tenant";
import { eventually } from "./wait";

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
