/**
 * Inbound media: a customer's file is fetched from Meta (URL lookup, then the
 * download, both with the number's token) and stored in R2 under
 * `${tenantId}/${mediaId}`, where `mediaId` is ours (a UUID chosen when the
 * job is queued, so a retried job overwrites the same object, never adds one).
 *
 * Jobs are rows of the conversation actor's `media_jobs` table: queued once
 * per message (a redelivered webhook stores no new message, hence no job),
 * leased before each attempt so an eviction mid-download is retried by the
 * actor's alarm, retried with backoff on Meta's transient errors, and marked
 * failed after MAX_MEDIA_ATTEMPTS or on a permanent error (the desktop says
 * the file could not be downloaded).
 */

import { z } from "zod";
import { MAX_MEDIA_BYTES } from "../shared/message-content";
import { isRetryable } from "../worker/meta/graph";
import { readCapped } from "../worker/streams";
import { type ContentRow, pendingMediaOf, withStoredMedia } from "./message-content";
import { all, one } from "./sql";

/** The actor's job table (one row per inbound message carrying a file). */
export const MEDIA_JOBS_TABLE = `CREATE TABLE IF NOT EXISTS media_jobs (
  message_id TEXT PRIMARY KEY, meta_media_id TEXT NOT NULL, media_id TEXT NOT NULL,
  mime TEXT, filename TEXT, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL,
  state TEXT NOT NULL, error TEXT)`;

/** Attempts before a file is shown as not downloadable. */
export const MAX_MEDIA_ATTEMPTS = 8;

/** How long an attempt may take before the alarm assumes it died with the actor. */
const LEASE_MS = 5 * 60 * 1000;

type JobRow = {
  message_id: string;
  meta_media_id: string;
  media_id: string;
  mime: string | null;
  filename: string | null;
  attempts: number;
  next_at: number;
  /** `cancelled`: the message's contents were removed before the file arrived (media-cleanup.ts). */
  state: "queued" | "done" | "failed" | "cancelled";
  error: string | null;
};

/**
 * Queues the fetch of a just-stored inbound message's file, if it carries one.
 * Idempotent per message. Returns whether a job was queued.
 */
export function enqueueMediaJob(
  sql: SqlStorage,
  row: ContentRow & { id: string },
  at: number,
): boolean {
  const pending = pendingMediaOf(row);
  if (!pending) return false;
  sql.exec(
    `INSERT INTO media_jobs (message_id, meta_media_id, media_id, mime, filename, attempts, next_at, state)
     VALUES (?, ?, ?, ?, ?, 0, ?, 'queued') ON CONFLICT DO NOTHING`,
    row.id,
    pending.metaMediaId,
    crypto.randomUUID(),
    pending.mime,
    pending.filename,
    at,
  );
  return true;
}

/** Delay before attempt `attempts + 1`: base × 4^(attempts − 1), at most an hour. */
export function mediaRetryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 4 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

/** What the actor lends the job runner. */
export interface MediaJobDeps {
  sql: SqlStorage;
  bucket: R2Bucket;
  graphApiBase: string;
  retryBaseMs: number;
  tenantId: string;
  conversationId: string;
  accessToken: () => Promise<string>;
  now: () => number;
  /** Re-arms the actor's alarm (after a lease is written, so an eviction is retried). */
  armAlarm: () => Promise<void>;
  /** The message's payload changed (file stored, or failed): tell the desktops. */
  changed: (messageId: string) => void;
  fetcher?: typeof fetch;
}

/**
 * Runs every due job, one at a time, until none is due. Safe to call again at
 * any moment (the actor keeps one run in flight per incarnation).
 */
export async function runMediaJobs(deps: MediaJobDeps): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const job = one<JobRow>(
      deps.sql,
      "SELECT * FROM media_jobs WHERE state = 'queued' AND next_at <= ? ORDER BY next_at LIMIT 1",
      deps.now(),
    );
    if (!job) return;
    await runJob(deps, job);
  }
}

async function runJob(deps: MediaJobDeps, job: JobRow): Promise<void> {
  const attempts = job.attempts + 1;
  // Persist the attempt before the side effect: a crash mid-download leaves a lease the alarm retries.
  deps.sql.exec(
    "UPDATE media_jobs SET attempts = ?, next_at = ? WHERE message_id = ?",
    attempts,
    deps.now() + LEASE_MS,
    job.message_id,
  );
  await deps.armAlarm();
  const key = mediaKey(deps.tenantId, job.media_id);
  const result = await downloadToR2({
    graphApiBase: deps.graphApiBase,
    accessToken: await deps.accessToken(),
    metaMediaId: job.meta_media_id,
    bucket: deps.bucket,
    key,
    mimeHint: job.mime,
    customMetadata: {
      conversationId: deps.conversationId,
      messageId: job.message_id,
      filename: job.filename ?? "",
      source: "inbound",
    },
    fetcher: deps.fetcher,
  });
  // Re-read after the awaits: the contents may have been removed meanwhile.
  const message = one<{ payload: string | null }>(
    deps.sql,
    "SELECT payload FROM messages WHERE id = ?",
    job.message_id,
  );
  if (result.ok) {
    const payload = withStoredMedia(message?.payload ?? null, {
      media: { id: job.media_id, mime: result.mime, filename: job.filename, size: result.size },
    });
    if (payload === null) {
      // The customer keeps no history and the conversation closed: the file goes too.
      await deps.bucket.delete(key);
    } else {
      deps.sql.exec("UPDATE messages SET payload = ? WHERE id = ?", payload, job.message_id);
    }
    deps.sql.exec(
      "UPDATE media_jobs SET state = 'done', error = NULL WHERE message_id = ?",
      job.message_id,
    );
    if (payload !== null) deps.changed(job.message_id);
    return;
  }
  if (result.retryable && attempts < MAX_MEDIA_ATTEMPTS) {
    console.warn("media fetch failed; retrying", job.message_id, result.error);
    deps.sql.exec(
      "UPDATE media_jobs SET next_at = ?, error = ? WHERE message_id = ?",
      deps.now() + mediaRetryDelayMs(deps.retryBaseMs, attempts),
      result.error,
      job.message_id,
    );
    return;
  }
  console.error("media fetch abandoned", job.message_id, result.error);
  deps.sql.exec(
    "UPDATE media_jobs SET state = 'failed', error = ? WHERE message_id = ?",
    result.error,
    job.message_id,
  );
  const payload = withStoredMedia(message?.payload ?? null, { failed: true });
  if (payload !== null) {
    deps.sql.exec("UPDATE messages SET payload = ? WHERE id = ?", payload, job.message_id);
    deps.changed(job.message_id);
  }
}

/** The R2 key of one of a tenant's files (uploads use the same scheme). */
export function mediaKey(tenantId: string, mediaId: string): string {
  return `${tenantId}/${mediaId}`;
}

/** Graph's answer to `GET /{media-id}`. */
const MediaUrl = z.looseObject({
  url: z.url({ protocol: /^https?$/ }),
  mime_type: z.string().optional(),
  file_size: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

const GraphErrorBody = z.looseObject({
  error: z.looseObject({ code: z.number().int(), message: z.string().optional() }),
});

/** A MIME type worth keeping (anything else is stored as a plain byte stream). */
const MIME = /^[a-z0-9][\w.+-]*\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"]*"|[\w.+-]+))*$/i;

/** The outcome of one attempt. */
export type DownloadResult =
  | { ok: true; mime: string; size: number }
  | { ok: false; retryable: boolean; error: string };

/**
 * One attempt: looks the media up on Graph, downloads it with the token and
 * puts it in R2 at `key`. Refuses files over Meta's 100 MB. Never throws:
 * network failures and Meta's errors come back as values.
 */
export async function downloadToR2(input: {
  graphApiBase: string;
  accessToken: string;
  metaMediaId: string;
  bucket: R2Bucket;
  key: string;
  mimeHint: string | null;
  customMetadata: Record<string, string>;
  fetcher?: typeof fetch | undefined;
}): Promise<DownloadResult> {
  const fetcher = input.fetcher ?? fetch;
  const auth = { Authorization: `Bearer ${input.accessToken}` };
  try {
    const lookup = await fetcher(`${input.graphApiBase}/${encodeURIComponent(input.metaMediaId)}`, {
      headers: auth,
    });
    const body: unknown = await lookup.json().catch(() => null);
    if (!lookup.ok) {
      const parsed = GraphErrorBody.safeParse(body);
      const code = parsed.success ? parsed.data.error.code : 0;
      return {
        ok: false,
        retryable: isRetryable(lookup.status, code),
        error: `media lookup: HTTP ${lookup.status}, code ${code}`,
      };
    }
    const info = MediaUrl.safeParse(body);
    if (!info.success)
      return { ok: false, retryable: false, error: "media lookup: unexpected answer" };
    if ((info.data.file_size ?? 0) > MAX_MEDIA_BYTES) {
      return { ok: false, retryable: false, error: "media larger than 100 MB" };
    }
    const download = await fetcher(info.data.url, { headers: auth });
    if (!download.ok || !download.body) {
      await download.body?.cancel();
      // An expired URL (404) is fixed by a fresh lookup: retry.
      return {
        ok: false,
        retryable: download.status === 404 || isRetryable(download.status, 0),
        error: `media download: HTTP ${download.status}`,
      };
    }
    const declared = download.headers.get("Content-Length");
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
    if (length !== null && length > MAX_MEDIA_BYTES) {
      await download.body.cancel();
      return { ok: false, retryable: false, error: "media larger than 100 MB" };
    }
    const mime = [info.data.mime_type, download.headers.get("Content-Type"), input.mimeHint].find(
      (m): m is string => typeof m === "string" && MIME.test(m.trim()),
    );
    const contentType = mime?.trim() ?? "application/octet-stream";
    const options: R2PutOptions = {
      httpMetadata: { contentType },
      customMetadata: input.customMetadata,
    };
    let size: number;
    if (length !== null) {
      // Streamed: a 100 MB file never sits in the actor's 128 MB of memory.
      const { readable, writable } = new FixedLengthStream(length);
      const [, object] = await Promise.all([
        download.body.pipeTo(writable),
        input.bucket.put(input.key, readable, options),
      ]);
      size = object.size;
    } else {
      const bytes = await readCapped(download.body, MAX_MEDIA_BYTES);
      if (!bytes) return { ok: false, retryable: false, error: "media larger than 100 MB" };
      size = bytes.byteLength;
      await input.bucket.put(input.key, bytes, options);
    }
    return { ok: true, mime: contentType, size };
  } catch (err) {
    return { ok: false, retryable: true, error: `media fetch: ${String(err)}` };
  }
}

/** Jobs of a conversation, for tests and diagnostics. */
export function mediaJobs(sql: SqlStorage): JobRow[] {
  return all<JobRow>(sql, "SELECT * FROM media_jobs ORDER BY next_at");
}
