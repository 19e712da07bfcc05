/**
 * How a conversation enters the customer's history in D1: the statements of
 * one atomic batch, built from a plain snapshot of the conversation actor's
 * state. Re-running the batch replaces the same rows, so the actor may retry it
 * as often as it needs (alarms are delivered at least once).
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { D1Db } from "../../platform/db/d1";
import { conversationMessages, conversations } from "../../platform/db/schema";
import type { Tick } from "../../shared/protocol";

/** The actor's storage key of the "history write pending" marker. */
export const ARCHIVE_KEY = "archive";

/**
 * A history write the actor still owes D1. `generation` grows with every
 * request, so a write that raced a newer request does not clear the marker.
 */
export interface ArchivePending {
  generation: number;
  attempts: number;
  /** When the alarm retries (ms). */
  dueAt: number;
}

/** First retry after this; doubles per failed attempt up to `ARCHIVE_RETRY_MAX_MS`. */
const ARCHIVE_RETRY_BASE_MS = 5_000;
const ARCHIVE_RETRY_MAX_MS = 10 * 60_000;

/** When to retry after `attempts` failed attempts (ms from now). */
export function archiveRetryDelayMs(attempts: number): number {
  return Math.min(ARCHIVE_RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), ARCHIVE_RETRY_MAX_MS);
}

/** One message as the history keeps it; `text` null when contents are not kept. */
export interface ArchivedMessage {
  seq: number;
  direction: "in" | "out";
  senderName: string;
  kind: string;
  text: string | null;
  createdAt: number;
  /** Our messages' last tick (the history shows "not confirmed" and "failed"); else null. */
  status: Tick | null;
}

/** The conversation as the history row records it. */
export interface HistorySnapshot {
  id: string;
  tenantId: string;
  numberId: string;
  customerId: string;
  skillsetId: string | null;
  agent: { id: string; name: string } | null;
  openedAt: number;
  /** Null while the conversation is open: only the row is written, no messages. */
  closed: {
    at: number;
    by: string | null;
    byName: string | null;
    reason: string | null;
    notes: string | null;
  } | null;
  messagesKept: boolean;
  messages: ArchivedMessage[];
}

/** Messages per INSERT … SELECT FROM json_each: each statement binds 3 values whatever its size. */
const CHUNK_MESSAGES = 200;
/** Bytes of JSON per bound value, well below D1's 2 MB per value. */
const CHUNK_BYTES = 512 * 1024;

/** Splits messages into chunks of at most `CHUNK_MESSAGES` and about `CHUNK_BYTES` of JSON. Pure. */
export function chunkMessages(messages: ArchivedMessage[]): ArchivedMessage[][] {
  const encoder = new TextEncoder();
  const chunks: ArchivedMessage[][] = [];
  let current: ArchivedMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = encoder.encode(JSON.stringify(m)).length;
    if (current.length > 0 && (current.length >= CHUNK_MESSAGES || bytes + size > CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The statements of one D1 batch, as drizzle's `batch` takes them (never empty). */
export type HistoryBatch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/**
 * The statements of one D1 batch (atomic) that make the history match the
 * snapshot: the conversation row upserted, and for a closed conversation its
 * messages replaced. An agent already recorded stays when the snapshot has
 * none (the conversation went back to the queue). Idempotent.
 */
export function historyStatements(db: D1Db, s: HistorySnapshot): HistoryBatch {
  const statements: HistoryBatch = [
    db
      .insert(conversations)
      .values({
        id: s.id,
        tenantId: s.tenantId,
        numberId: s.numberId,
        customerId: s.customerId,
        skillsetId: s.skillsetId,
        agentId: s.agent?.id ?? null,
        agentName: s.agent?.name ?? null,
        openedAt: s.openedAt,
        closedAt: s.closed?.at ?? null,
        closedBy: s.closed?.by ?? null,
        closedByName: s.closed?.byName ?? null,
        closeReason: s.closed?.reason ?? null,
        closeNotes: s.closed?.notes ?? null,
        messagesKept: s.messagesKept,
        messageCount: s.messages.length,
      })
      .onConflictDoUpdate({
        target: conversations.id,
        set: {
          skillsetId: sql`coalesce(excluded.skillset_id, ${conversations.skillsetId})`,
          agentId: sql`coalesce(excluded.agent_id, ${conversations.agentId})`,
          agentName: sql`coalesce(excluded.agent_name, ${conversations.agentName})`,
          closedAt: sql`excluded.closed_at`,
          closedBy: sql`excluded.closed_by`,
          closedByName: sql`excluded.closed_by_name`,
          closeReason: sql`excluded.close_reason`,
          closeNotes: sql`excluded.close_notes`,
          messagesKept: sql`excluded.messages_kept`,
          messageCount: sql`excluded.message_count`,
        },
        // Another tenant's conversation of the same id is never overwritten.
        setWhere: sql`${conversations.tenantId} = excluded.tenant_id`,
      }),
  ];
  if (!s.closed) return statements;
  statements.push(
    db
      .delete(conversationMessages)
      .where(
        and(
          eq(conversationMessages.conversationId, s.id),
          eq(conversationMessages.tenantId, s.tenantId),
        ),
      ),
  );
  for (const chunk of chunkMessages(s.messages)) {
    // The SELECT is raw SQL: drizzle cannot read json_each, which stages a whole
    // chunk as one bound value (3 values per statement whatever the chunk's size).
    // Its columns are the table's, in the table's order.
    statements.push(
      db.insert(conversationMessages).select(
        sql`SELECT ${s.id}, json_extract(j.value, '$.seq'), ${s.tenantId},
              json_extract(j.value, '$.direction'), json_extract(j.value, '$.senderName'),
              json_extract(j.value, '$.kind'), json_extract(j.value, '$.text'),
              json_extract(j.value, '$.createdAt'), json_extract(j.value, '$.status')
            FROM json_each(${JSON.stringify(chunk)}) AS j`,
      ),
    );
  }
  return statements;
}
