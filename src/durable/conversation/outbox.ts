/**
 * The conversation actor's durable outbox: one row per message still to be
 * sent, or sent without an answer and awaiting Meta's status. What a row's
 * state means, and the plain rules of retrying, live here; delivery.ts does
 * the sending.
 *
 * - `queued`: due at `next_at` (the first attempt, or a retry after Meta
 *   refused it with a transient error: 429, 5xx, a throughput code).
 * - `inflight`: the POST is under way. A row left so by a previous
 *   incarnation may or may not have reached Meta.
 * - `unconfirmed`: the POST got no answer (timeout, dropped connection) or
 *   the actor died during it: Meta may have accepted it, so it is never
 *   POSTed again. Meta's status webhook (our callback data) settles it; if
 *   none comes by `next_at`, the message shows "not confirmed" and the agent
 *   may Resend it, which is a new message.
 */
import { type ActorDb, type Sql, sql } from "../sql";

export type OutboxRow = {
  message_id: string;
  attempts: number;
  next_at: number;
  state: "queued" | "inflight" | "unconfirmed";
};

/** Attempts before a refused (retryable) send, or one that could not be prepared, is failed. */
export const MAX_SEND_ATTEMPTS = 6;

/** Delay before the next attempt after `attempts` refused ones: base × 2^(attempts−1), ±10 %. */
export function sendRetryDelayMs(baseMs: number, attempts: number): number {
  return baseMs * 2 ** (attempts - 1) + Math.random() * baseMs * 0.2;
}

/** Queues a message's first attempt (the caller inserted the message). */
export function enqueueSend(db: ActorDb, messageId: string, at: number): void {
  db.run(
    sql`INSERT INTO outbox (message_id, attempts, next_at, state)
        VALUES (${messageId}, 0, ${at}, 'queued')`,
  );
}

/**
 * Notes that a send's outcome is unknown: no further POST; it waits for Meta's
 * status until `until`. Idempotent.
 */
export function awaitConfirmation(db: ActorDb, messageId: string, until: number): void {
  db.run(
    sql`UPDATE outbox SET state = 'unconfirmed', next_at = ${until} WHERE message_id = ${messageId}`,
  );
}

/**
 * Meta reported a status for the message: whatever attempt it stands for was
 * accepted, so nothing is sent again (a row still being POSTed is left to its
 * sender). Idempotent.
 */
export function settledByStatus(db: ActorDb, messageId: string): void {
  db.run(sql`DELETE FROM outbox WHERE message_id = ${messageId} AND state <> 'inflight'`);
}

/** The row goes: sent, failed, or settled by Meta's status. */
export function removeRow(db: ActorDb, messageId: string): void {
  db.run(sql`DELETE FROM outbox WHERE message_id = ${messageId}`);
}

/**
 * The outbox's next deadline (a send, or the end of a wait for Meta's status),
 * in SQL. While a drain is under way, a send due by `now` is that drain's to
 * make: its deadline is `backupAt` instead, when the alarm makes it only should
 * this actor have stopped meanwhile (so a reply does not also wake the alarm).
 */
export function nextSendAt(drain: { now: number; backupAt: number } | null): Sql {
  if (!drain) {
    return sql`SELECT min(next_at) AS at FROM outbox WHERE state IN ('queued', 'unconfirmed')`;
  }
  return sql`SELECT min(CASE WHEN state = 'queued' AND next_at <= ${drain.now}
                THEN ${drain.backupAt} ELSE next_at END) AS at
             FROM outbox WHERE state IN ('queued', 'unconfirmed')`;
}
