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
 *
 * The download URL Graph returns is fetched only from Meta's media hosts
 * (configuration: MEDIA_HOSTS), following redirects by hand and only to those
 * hosts, within a deadline, and never more than 100 MB.
 */

import { z } from "zod";
import { type GraphApi, isRetryable, isTimeout } from "../../meta/graph";
import { readCapped } from "../../platform/streams";
import { MAX_MEDIA_BYTES } from "../../shared/message-content";
import { type ActorDb, sql } from "../sql";
import { type ContentRow, pendingMediaOf, withStoredMedia } from "./stored-content";

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
  db: ActorDb,
  row: ContentRow & { id: string },
  at: number,
): boolean {
  const pending = pendingMediaOf(row);
  if (!pending) return false;
  db.run(
    sql`INSERT INTO media_jobs (message_id, meta_media_id, media_id, mime, filename, attempts, next_at, state)
        VALUES (${row.id}, ${pending.metaMediaId}, ${crypto.randomUUID()}, ${pending.mime},
          ${pending.filename}, 0, ${at}, 'queued')
        ON CONFLICT DO NOTHING`,
  );
  return true;
}

/** The jobs' next deadline, in SQL (for the actor's alarm). */
export const NEXT_MEDIA_JOB_AT = sql`SELECT min(next_at) FROM media_jobs WHERE state = 'queued'`;

/** Delay before attempt `attempts + 1`: base × 4^(attempts − 1), at most an hour. */
export function mediaRetryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 4 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

/** Where media may be downloaded from, and how long a download may take. */
export interface MediaPolicy {
  /** Host names (`.domain`: its subdomains), as in Config.mediaHosts. */
  hosts: readonly string[];
  /** Plain http too (development and tests only). */
  allowHttp: boolean;
  /** The whole download, headers and body (ms). */
  timeoutMs: number;
}

/** What the actor lends the job runner. */
export interface MediaJobDeps {
  db: ActorDb;
  bucket: R2Bucket;
  /** The Graph API, for the media lookup (its `fetcher`, if any, also downloads). */
  graph: GraphApi;
  policy: MediaPolicy;
  retryBaseMs: number;
  tenantId: string;
  conversationId: string;
  accessToken: () => Promise<string>;
  now: () => number;
  /** Re-arms the actor's alarm (after a lease is written, so an eviction is retried). */
  armAlarm: () => Promise<void>;
  /** The message's payload changed (file stored, or failed): tell the desktops. */
  changed: (messageId: string) => void;
}

/**
 * Runs every due job, one at a time, until none is due. Safe to call again at
 * any moment (the actor keeps one run in flight per incarnation). A job that
 * throws (a bug, a storage error) counts as a failed attempt of that job only:
 * the others still run, and it ends failed after MAX_MEDIA_ATTEMPTS.
 */
export async function runMediaJobs(deps: MediaJobDeps): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const job = deps.db.one<JobRow>(
      sql`SELECT * FROM media_jobs WHERE state = 'queued' AND next_at <= ${deps.now()}
          ORDER BY next_at LIMIT 1`,
    );
    if (!job) return;
    try {
      await runJob(deps, job);
    } catch (err) {
      const attempts = Math.max(job.attempts + 1, readAttempts(deps.db, job.message_id));
      jobFailed(deps, job.message_id, attempts, true, `media job: ${String(err)}`);
    }
  }
}

function readAttempts(db: ActorDb, messageId: string): number {
  return (
    db.one<{ attempts: number }>(
      sql`SELECT attempts FROM media_jobs WHERE message_id = ${messageId}`,
    )?.attempts ?? 0
  );
}

/** A message's stored payload (null: none, or no such message). */
function payloadOf(db: ActorDb, messageId: string): string | null {
  return (
    db.one<{ payload: string | null }>(sql`SELECT payload FROM messages WHERE id = ${messageId}`)
      ?.payload ?? null
  );
}

function setPayload(db: ActorDb, messageId: string, payload: string): void {
  db.run(sql`UPDATE messages SET payload = ${payload} WHERE id = ${messageId}`);
}

async function runJob(deps: MediaJobDeps, job: JobRow): Promise<void> {
  const attempts = job.attempts + 1;
  // Persist the attempt before the side effect: a crash mid-download leaves a lease the alarm retries.
  deps.db.run(
    sql`UPDATE media_jobs SET attempts = ${attempts}, next_at = ${deps.now() + LEASE_MS}
        WHERE message_id = ${job.message_id}`,
  );
  await deps.armAlarm();
  const key = mediaKey(deps.tenantId, job.media_id);
  const result = await downloadToR2({
    graph: deps.graph,
    policy: deps.policy,
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
  });
  if (result.ok) {
    // Re-read after the awaits: the contents may have been removed meanwhile.
    const payload = withStoredMedia(payloadOf(deps.db, job.message_id), {
      media: { id: job.media_id, mime: result.mime, filename: job.filename, size: result.size },
    });
    if (payload === null) {
      // The customer keeps no history and the conversation closed: the file goes too.
      await deps.bucket.delete(key);
    } else {
      setPayload(deps.db, job.message_id, payload);
    }
    deps.db.run(
      sql`UPDATE media_jobs SET state = 'done', error = NULL WHERE message_id = ${job.message_id}`,
    );
    if (payload !== null) deps.changed(job.message_id);
    return;
  }
  jobFailed(deps, job.message_id, attempts, result.retryable, result.error);
}

/**
 * A failed attempt: retried with backoff while attempts remain and the error
 * may pass, else the job ends failed and the message says the file could not
 * be downloaded.
 */
function jobFailed(
  deps: MediaJobDeps,
  messageId: string,
  attempts: number,
  retryable: boolean,
  error: string,
): void {
  if (retryable && attempts < MAX_MEDIA_ATTEMPTS) {
    console.warn("media fetch failed; retrying", messageId, error);
    const nextAt = deps.now() + mediaRetryDelayMs(deps.retryBaseMs, attempts);
    deps.db.run(
      sql`UPDATE media_jobs SET attempts = ${attempts}, next_at = ${nextAt}, error = ${error}
          WHERE message_id = ${messageId}`,
    );
    return;
  }
  console.error("media fetch abandoned", messageId, error);
  deps.db.run(
    sql`UPDATE media_jobs SET state = 'failed', attempts = ${attempts}, error = ${error}
        WHERE message_id = ${messageId}`,
  );
  // Null when the contents were removed (the conversation closed without history).
  const payload = withStoredMedia(payloadOf(deps.db, messageId), { failed: true });
  if (payload !== null) {
    setPayload(deps.db, messageId, payload);
    deps.changed(messageId);
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

/** Redirects followed at most per download (each to an allowed host). */
const MAX_REDIRECTS = 3;

/**
 * Whether `url` may be downloaded under `policy`: https (or http where allowed)
 * on one of its hosts — `example.com` that host exactly, `.example.com` any of
 * its subdomains. Pure.
 */
export function mediaUrlAllowed(
  url: URL,
  policy: Pick<MediaPolicy, "hosts" | "allowHttp">,
): boolean {
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return policy.hosts.some((allowed) =>
    allowed.startsWith(".")
      ? host.endsWith(allowed) && host.length > allowed.length
      : host === allowed,
  );
}

/**
 * GETs a media URL from Meta's hosts only: redirects are followed by hand, each
 * only to an allowed host, at most MAX_REDIRECTS. Resolves the final answer, or
 * the reason it was not fetched. The token goes only to allowed hosts.
 */
async function fetchFromMediaHost(
  start: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
  policy: MediaPolicy,
  fetcher: typeof fetch,
): Promise<{ ok: true; response: Response } | { ok: false; error: string }> {
  let url: URL;
  try {
    url = new URL(start);
  } catch {
    return { ok: false, error: "media URL is not a URL" };
  }
  for (let hop = 0; ; hop++) {
    if (!mediaUrlAllowed(url, policy)) {
      return { ok: false, error: `media URL on a host not allowed: ${url.host}` };
    }
    const response = await fetcher(url.toString(), { ...init, redirect: "manual" });
    const location = response.headers.get("Location");
    if (response.status < 300 || response.status >= 400 || location === null) {
      return { ok: true, response };
    }
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) return { ok: false, error: "media URL redirects too many times" };
    try {
      url = new URL(location, url);
    } catch {
      return { ok: false, error: "media URL redirects to no URL" };
    }
  }
}

/**
 * One attempt: looks the media up on Graph, downloads it with the token from
 * Meta's media hosts only (see `fetchFromMediaHost`) within `policy.timeoutMs`
 * and puts it in R2 at `key`. Refuses files over Meta's 100 MB. Never throws:
 * network failures and Meta's errors come back as values. A URL on another
 * host is never fetched and counts as a retryable failure: a fresh lookup may
 * point elsewhere, and after its retries the job ends failed.
 */
export async function downloadToR2(input: {
  graph: GraphApi;
  policy: MediaPolicy;
  accessToken: string;
  metaMediaId: string;
  bucket: R2Bucket;
  key: string;
  mimeHint: string | null;
  customMetadata: Record<string, string>;
}): Promise<DownloadResult> {
  const fetcher = input.graph.fetcher ?? fetch;
  const auth = { Authorization: `Bearer ${input.accessToken}` };
  try {
    const lookup = await fetcher(`${input.graph.base}/${encodeURIComponent(input.metaMediaId)}`, {
      headers: auth,
      signal: AbortSignal.timeout(input.graph.timeoutMs),
    });
    const body: unknown = await lookup.json().catch((err: unknown) => {
      if (isTimeout(err)) throw err;
      return null;
    });
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
    const fetched = await fetchFromMediaHost(
      info.data.url,
      { headers: auth, signal: AbortSignal.timeout(input.policy.timeoutMs) },
      input.policy,
      fetcher,
    );
    if (!fetched.ok) return { ok: false, retryable: true, error: fetched.error };
    const download = fetched.response;
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
    const error = isTimeout(err) ? "no answer in time" : String(err);
    return { ok: false, retryable: true, error: `media fetch: ${error}` };
  }
}

/** Jobs of a conversation, for tests and diagnostics. */
export function mediaJobs(db: ActorDb): JobRow[] {
  return db.all<JobRow>(sql`SELECT * FROM media_jobs ORDER BY next_at`);
}
