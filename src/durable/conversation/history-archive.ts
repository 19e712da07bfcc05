/**
 * How a conversation enters the customer's history in D1: the statements of
 * one atomic batch, built from a plain snapshot of the conversation actor's
 * state. Re-running the batch replaces the same rows, so the actor may retry it
 * as often as it needs (alarms are delivered at least once).
 */
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

/**
 * The statements of one D1 batch (atomic) that make the history match the
 * snapshot: the conversation row upserted, and for a closed conversation its
 * messages replaced. An agent already recorded stays when the snapshot has
 * none (the conversation went back to the queue). Idempotent.
 */
export function historyStatements(db: D1Database, s: HistorySnapshot): D1PreparedStatement[] {
  const statements = [
    db
      .prepare(
        `INSERT INTO conversations (id, tenant_id, number_id, customer_id, skillset_id, agent_id,
           agent_name, opened_at, closed_at, closed_by, closed_by_name, close_reason, close_notes,
           messages_kept, message_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           skillset_id = coalesce(excluded.skillset_id, conversations.skillset_id),
           agent_id = coalesce(excluded.agent_id, conversations.agent_id),
           agent_name = coalesce(excluded.agent_name, conversations.agent_name),
           closed_at = excluded.closed_at, closed_by = excluded.closed_by,
           closed_by_name = excluded.closed_by_name, close_reason = excluded.close_reason,
           close_notes = excluded.close_notes, messages_kept = excluded.messages_kept,
           message_count = excluded.message_count
         WHERE conversations.tenant_id = excluded.tenant_id`,
      )
      .bind(
        s.id,
        s.tenantId,
        s.numberId,
        s.customerId,
        s.skillsetId,
        s.agent?.id ?? null,
        s.agent?.name ?? null,
        s.openedAt,
        s.closed?.at ?? null,
        s.closed?.by ?? null,
        s.closed?.byName ?? null,
        s.closed?.reason ?? null,
        s.closed?.notes ?? null,
        s.messagesKept ? 1 : 0,
        s.messages.length,
      ),
  ];
  if (!s.closed) return statements;
  statements.push(
    db
      .prepare("DELETE FROM conversation_messages WHERE conversation_id = ? AND tenant_id = ?")
      .bind(s.id, s.tenantId),
  );
  for (const chunk of chunkMessages(s.messages)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO conversation_messages
             (conversation_id, seq, tenant_id, direction, sender_name, kind, text, created_at, status)
           SELECT ?1, json_extract(j.value, '$.seq'), ?2, json_extract(j.value, '$.direction'),
             json_extract(j.value, '$.senderName'), json_extract(j.value, '$.kind'),
             json_extract(j.value, '$.text'), json_extract(j.value, '$.createdAt'),
             json_extract(j.value, '$.status')
           FROM json_each(?3) AS j`,
        )
        .bind(s.id, s.tenantId, JSON.stringify(chunk)),
    );
  }
  return statements;
}
