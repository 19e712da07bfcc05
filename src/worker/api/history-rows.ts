/**
 * The closed conversations' rows as both histories read them (a customer's, and
 * an agent's own): the columns, the joins for the number's and skillset's names,
 * the messages, the full-text index, and the day arithmetic of their date filters.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/sqlite-core";
import type { D1Db } from "../../platform/db/d1";
import {
  conversationMessages,
  conversations,
  managedNumbers,
  skillsets,
} from "../../platform/db/schema";
import type { HistoryMessage } from "../../shared/customer-history";
import { instantOf } from "../../shared/working-time";

/** Start (inclusive) of day "YYYY-MM-DD" + `addDays` in `timeZone`, in ms. Pure. */
export function dayStart(day: string, timeZone: string, addDays = 0): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return instantOf(Date.UTC(y, m - 1, d + addDays), timeZone);
}

/**
 * The desk's view of a `conversations` row with its number's and skillset's
 * names (`HistoryConversation`), as `historyRows` selects it. The names are
 * aliased: a D1 batch answers rows by column name, so no two may share one.
 */
export const historyColumns = {
  id: conversations.id,
  numberId: conversations.numberId,
  numberName: sql<string | null>`${managedNumbers.name}`.as("number_name"),
  skillsetId: conversations.skillsetId,
  skillsetName: sql<string | null>`${skillsets.name}`.as("skillset_name"),
  agentId: conversations.agentId,
  agentName: conversations.agentName,
  openedAt: conversations.openedAt,
  closedAt: conversations.closedAt,
  closedBy: conversations.closedBy,
  closedByName: conversations.closedByName,
  closeReason: conversations.closeReason,
  closeNotes: conversations.closeNotes,
  messagesKept: conversations.messagesKept,
  messageCount: conversations.messageCount,
};

/**
 * `conversations` with `historyColumns` and `extra`, joined to the names of
 * their number and skillset within their tenant.
 */
export function historyRows<Extra extends SelectedFields>(db: D1Db, extra: Extra) {
  return db
    .select({ ...historyColumns, ...extra })
    .from(conversations)
    .leftJoin(
      managedNumbers,
      and(
        eq(managedNumbers.id, conversations.numberId),
        eq(managedNumbers.tenantId, conversations.tenantId),
      ),
    )
    .leftJoin(
      skillsets,
      and(
        eq(skillsets.id, conversations.skillsetId),
        eq(skillsets.tenantId, conversations.tenantId),
      ),
    );
}

/** A history message as the desk reads it (`HistoryMessage`). */
export const historyMessageColumns = {
  seq: conversationMessages.seq,
  direction: conversationMessages.direction,
  senderName: conversationMessages.senderName,
  kind: conversationMessages.kind,
  text: conversationMessages.text,
  createdAt: conversationMessages.createdAt,
  // The ticks the archive writes (see HistoryMessage).
  status: sql<HistoryMessage["status"]>`${conversationMessages.status}`,
};

/**
 * The messages' full-text index (FTS5, kept by triggers; migration 0003), in
 * SQL: drizzle-kit does not model virtual tables. `ftsIndex` is the table,
 * `ftsRow` joins it to its message, `ftsMatch` keeps the rows matching `match`.
 */
export const ftsIndex = sql`conversation_messages_fts`;
export const ftsRow = sql`${conversationMessages}.rowid = conversation_messages_fts.rowid`;
export const ftsMatching = (match: string) => sql`conversation_messages_fts MATCH ${match}`;
