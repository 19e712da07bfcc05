/**
 * Deleting a conversation's files from R2 (keys `<tenant>/<media id>`, see
 * media-fetch.ts) once nothing will show them again:
 *
 * - **contents removed** (the customer keeps no history, or was deleted): the
 *   files named by the messages that lose their payload, and those still being
 *   fetched for them;
 * - **uploads never sent**: an agent's upload that no message names within
 *   `UPLOAD_TTL_MS` (or by the time the contents are removed).
 *
 * Each deletion is a row of `media_purge`, written in the same synchronous
 * step as the change that orphans the file, so a crash can only delay it: the
 * conversation actor's alarm retries until R2 confirms. Deleting a missing key
 * succeeds, so a repeated purge is harmless. A file that a kept message still
 * names (one waiting in the outbox keeps its payload) is never queued, and is
 * checked again just before deleting.
 */
import { type ActorDb, rawSql, type Sql, sql } from "../sql";
import { mediaKey } from "./media-fetch";

/** The actor's tables: deletions owed to R2, and the agents' uploads not yet sent. */
export const MEDIA_CLEANUP_TABLES = [
  `CREATE TABLE IF NOT EXISTS media_purge (
     media_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL)`,
  // state: pending (not named by a message yet), sent, expired (deleted; can no longer be sent).
  `CREATE TABLE IF NOT EXISTS uploads (
     media_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, state TEXT NOT NULL)`,
];

/** How long an agent's upload waits to be sent before its file is deleted: a day. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Retry delay after `attempts` failed deletions: 5 s doubling, at most an hour. */
function purgeRetryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

/** The media id a stored payload names (`media.id`, inbound and outbound alike), in SQL. */
const NAMED_MEDIA = rawSql(
  "CASE WHEN json_valid(payload) THEN json_extract(payload, '$.media.id') END",
);

/** Whether a message that keeps its payload names `mediaId`. */
function stillNamed(db: ActorDb, mediaId: string): boolean {
  return (
    db.one(
      sql`SELECT 1 AS x FROM messages WHERE payload IS NOT NULL AND ${NAMED_MEDIA} = ${mediaId}`,
    ) !== null
  );
}

/** Queues the deletion of each file no kept message names. Synchronous; idempotent. */
export function queuePurge(db: ActorDb, mediaIds: Iterable<string>, at: number): void {
  for (const mediaId of new Set(mediaIds)) {
    if (stillNamed(db, mediaId)) continue;
    db.run(
      sql`INSERT INTO media_purge (media_id, attempts, next_at) VALUES (${mediaId}, 0, ${at})
          ON CONFLICT DO NOTHING`,
    );
  }
}

/**
 * Drops the texts and payloads of the messages not waiting to be sent (only
 * `messageId`, when given), cancels the fetches still queued for them, and
 * queues the deletion of their files. Synchronous, so nothing runs between
 * reading what the payloads named and dropping them. Idempotent.
 */
export function dropContents(db: ActorDb, at: number, messageId?: string): void {
  const only: Sql = messageId === undefined ? rawSql("") : sql` AND id = ${messageId}`;
  const dropped = sql`SELECT id FROM messages WHERE id NOT IN (SELECT message_id FROM outbox)${only}`;
  const named = db.all<{ media_id: string | null }>(
    sql`SELECT ${NAMED_MEDIA} AS media_id FROM messages
        WHERE id IN (${dropped}) AND payload IS NOT NULL`,
  );
  const fetching = db.all<{ media_id: string }>(
    sql`SELECT media_id FROM media_jobs WHERE state = 'queued' AND message_id IN (${dropped})`,
  );
  // A fetch in flight still finishes; finding no payload, it deletes what it stored.
  db.run(
    sql`UPDATE media_jobs SET state = 'cancelled'
        WHERE state = 'queued' AND message_id IN (${dropped})`,
  );
  db.run(sql`UPDATE messages SET text = '', payload = NULL WHERE id IN (${dropped})`);
  queuePurge(
    db,
    [...named.map((r) => r.media_id), ...fetching.map((r) => r.media_id)].filter(
      (id): id is string => typeof id === "string" && id !== "",
    ),
    at,
  );
}

/** Records an agent's upload to this conversation, deleted unless sent by `at + UPLOAD_TTL_MS`. Idempotent. */
export function trackUpload(db: ActorDb, mediaId: string, at: number): void {
  db.run(
    sql`INSERT INTO uploads (media_id, expires_at, state)
        VALUES (${mediaId}, ${at + UPLOAD_TTL_MS}, 'pending') ON CONFLICT DO NOTHING`,
  );
}

/**
 * A message is about to name the upload `mediaId`: false when its file was
 * deleted (expired), else it is kept from now on. An upload not tracked here
 * (stored before uploads were tracked) is accepted. Synchronous.
 */
export function claimUpload(db: ActorDb, mediaId: string): boolean {
  const row = db.one<{ state: string }>(sql`SELECT state FROM uploads WHERE media_id = ${mediaId}`);
  if (row?.state === "expired") return false;
  if (row) db.run(sql`UPDATE uploads SET state = 'sent' WHERE media_id = ${mediaId}`);
  return true;
}

/** Expires the uploads still unsent at `at` (all of them with `Infinity`) and queues their deletion. */
export function expireUploads(db: ActorDb, at: number): void {
  const until = Number.isFinite(at) ? at : Number.MAX_SAFE_INTEGER;
  const due = db.all<{ media_id: string }>(
    sql`SELECT media_id FROM uploads WHERE state = 'pending' AND expires_at <= ${until}`,
  );
  if (due.length === 0) return;
  for (const { media_id } of due) {
    db.run(sql`UPDATE uploads SET state = 'expired' WHERE media_id = ${media_id}`);
  }
  queuePurge(
    db,
    due.map((r) => r.media_id),
    Number.isFinite(at) ? at : 0,
  );
}

/** The SQL of the next cleanup deadline (a deletion to retry, an upload to expire), for the actor's alarm. */
export const NEXT_CLEANUP_AT = sql`SELECT min(next_at) FROM media_purge
  UNION ALL SELECT min(expires_at) FROM uploads WHERE state = 'pending'`;

/**
 * Deletes the files whose deletion is due, from R2, then forgets them; a
 * failure is retried later with backoff. Safe to run again at any moment.
 */
export async function runPurges(deps: {
  db: ActorDb;
  bucket: R2Bucket;
  tenantId: string;
  now: () => number;
}): Promise<void> {
  const { db } = deps;
  for (let round = 0; round < 100; round++) {
    const due = db.all<{ media_id: string; attempts: number }>(
      sql`SELECT media_id, attempts FROM media_purge WHERE next_at <= ${deps.now()}
          ORDER BY next_at LIMIT 100`,
    );
    if (due.length === 0) return;
    // Checked again: only files that no kept message names go.
    const gone = due.filter((row) => !stillNamed(db, row.media_id));
    try {
      if (gone.length > 0) {
        await deps.bucket.delete(gone.map((row) => mediaKey(deps.tenantId, row.media_id)));
      }
      for (const row of due) {
        db.run(sql`DELETE FROM media_purge WHERE media_id = ${row.media_id}`);
      }
    } catch (err) {
      console.warn("media purge failed; retrying", err);
      for (const row of due) {
        const nextAt = deps.now() + purgeRetryDelayMs(row.attempts + 1);
        db.run(
          sql`UPDATE media_purge SET attempts = ${row.attempts + 1}, next_at = ${nextAt}
              WHERE media_id = ${row.media_id}`,
        );
      }
      return;
    }
  }
}

/** Deletions still owed to R2, for tests and diagnostics. */
export function pendingPurges(db: ActorDb): string[] {
  return db
    .all<{ media_id: string }>(sql`SELECT media_id FROM media_purge ORDER BY media_id`)
    .map((r) => r.media_id);
}
