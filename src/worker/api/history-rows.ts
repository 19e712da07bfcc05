/**
 * The closed conversations' rows as both histories read them (a customer's, and
 * an agent's own): the columns, the joins for the number's and skillset's names,
 * the view, and the day arithmetic of their date filters.
 */
import type { HistoryConversation } from "../../shared/customer-history";
import { instantOf } from "../../shared/working-time";

/** Start (inclusive) of day "YYYY-MM-DD" + `addDays` in `timeZone`, in ms. Pure. */
export function dayStart(day: string, timeZone: string, addDays = 0): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return instantOf(Date.UTC(y, m - 1, d + addDays), timeZone);
}

/** A `conversations` row with its number's and skillset's names (`HISTORY_COLUMNS`). */
export interface HistoryRow {
  id: string;
  number_id: string;
  number_name: string | null;
  skillset_id: string | null;
  skillset_name: string | null;
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

/** The columns of a `HistoryRow`, from `conversations c` joined by `HISTORY_JOINS`. */
export const HISTORY_COLUMNS = `c.id, c.number_id, n.name AS number_name, c.skillset_id, s.name AS skillset_name,
    c.agent_id, c.agent_name, c.opened_at, c.closed_at, c.closed_by, c.closed_by_name,
    c.close_reason, c.close_notes, c.messages_kept, c.message_count`;

/** The names of the conversation's number and skillset, within its tenant. */
export const HISTORY_JOINS = `LEFT JOIN managed_numbers n ON n.id = c.number_id AND n.tenant_id = c.tenant_id
  LEFT JOIN skillsets s ON s.id = c.skillset_id AND s.tenant_id = c.tenant_id`;

/** The desk's view of a history row. Pure. */
export function historyView(row: HistoryRow): HistoryConversation {
  return {
    id: row.id,
    numberId: row.number_id,
    numberName: row.number_name,
    skillsetId: row.skillset_id,
    skillsetName: row.skillset_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    closedByName: row.closed_by_name,
    closeReason: row.close_reason,
    closeNotes: row.close_notes,
    messagesKept: row.messages_kept === 1,
    messageCount: row.message_count,
  };
}
