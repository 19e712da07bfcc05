/**
 * The conversation's files, as the actor runs them: inbound files fetched
 * from Meta into R2 (media-fetch.ts), files nothing will show again deleted
 * from R2 (media-cleanup.ts), agents' uploads tracked until a message names
 * them, and the deletion of the conversation's customer. The runs are
 * retried by the alarm; the actor keeps one of each at a time.
 */
import { graphApiOf } from "../../meta/graph";
import { requireConfig } from "../../platform/config";
import type { ConversationDeps } from "./deps";
import { type HistoryDeps, requestArchive } from "./history";
import { runPurges, trackUpload } from "./media-cleanup";
import { runMediaJobs } from "./media-fetch";
import { messageById, toView } from "./message-rows";
import { type NotifyDeps, notifyAgents } from "./notify";

export type MediaDeps = NotifyDeps &
  Pick<ConversationDeps, "now" | "record" | "armAlarm" | "accessToken">;

/** Fetches the inbound files that are due from Meta into R2; the caller keeps one run at a time. */
export function fetchDueMedia(deps: MediaDeps): Promise<void> {
  const record = deps.record();
  if (!record) return Promise.resolve();
  const config = requireConfig(deps.env);
  return runMediaJobs({
    db: deps.db,
    bucket: deps.env.MEDIA,
    graph: graphApiOf(config),
    policy: {
      hosts: config.mediaHosts,
      allowHttp: config.mediaAllowHttp,
      timeoutMs: config.mediaTimeoutMs,
    },
    retryBaseMs: config.outboundRetryBaseMs,
    tenantId: record.tenantId,
    conversationId: record.id,
    accessToken: () => deps.accessToken(record),
    now: deps.now,
    armAlarm: () => deps.armAlarm(),
    changed: (messageId) => {
      const row = messageById(deps.db, messageId);
      const latest = deps.record();
      if (row && latest) notifyAgents(deps, latest, [toView(latest.id, row, deps.db)]);
    },
  })
    .then(() => deps.armAlarm())
    .catch((err: unknown) => console.error("media jobs failed", record.id, err));
}

/** Deletes from R2 the files whose deletion is due; the caller keeps one run at a time. */
export function purgeDueMedia(
  deps: Pick<ConversationDeps, "db" | "env" | "now" | "record" | "armAlarm">,
): Promise<void> {
  const record = deps.record();
  if (!record) return Promise.resolve();
  return runPurges({
    db: deps.db,
    bucket: deps.env.MEDIA,
    tenantId: record.tenantId,
    now: deps.now,
  })
    .then(() => deps.armAlarm())
    .catch((err: unknown) => console.error("media purge failed", record.id, err));
}

/**
 * An agent uploaded a file to this conversation (before storing it in R2):
 * unless a message names it within a day, its file is deleted. False when
 * the conversation is not `tenantId`'s or is closed. Idempotent.
 */
export async function registerUpload(
  deps: Pick<ConversationDeps, "db" | "now" | "record" | "armAlarm">,
  tenantId: string,
  mediaId: string,
): Promise<boolean> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId || record.state === "closed") return false;
  trackUpload(deps.db, mediaId, deps.now());
  await deps.armAlarm();
  return true;
}

/**
 * The conversation's customer was deleted: D1's history is checked again,
 * durably (the alarm retries), and once the customer is confirmed gone a
 * closed conversation loses its contents and files; an open one does when
 * it closes. Idempotent; harmless when the customer still exists.
 */
export async function customerDeleted(
  deps: HistoryDeps & Pick<ConversationDeps, "armAlarm">,
  tenantId: string,
): Promise<void> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return;
  await requestArchive(deps);
}
