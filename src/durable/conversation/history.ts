/**
 * The conversation's part of the customer's history in D1: when it is owed
 * (taken, closed, a failed send after closing), written in one atomic batch
 * (history-archive.ts), retried by the alarm until D1 has it, and what a
 * customer without history loses at closing (contents removed, files purged).
 * The "write pending" marker is durable before any attempt, so an eviction
 * only delays it.
 */
import { and, eq } from "drizzle-orm";
import { d1 } from "../../platform/db/d1";
import { redacted } from "../../platform/db/errors";
import { customers } from "../../platform/db/schema";
import { pipelineDb } from "../../platform/pipeline-db";
import type { ConversationDeps } from "./deps";
import {
  type ArchivedMessage,
  type ArchivePending,
  archiveRetryDelayMs,
  type HistorySnapshot,
  historyStatements,
} from "./history-archive";
import { dropContents, expireUploads } from "./media-cleanup";
import { allMessages, senderName } from "./message-rows";
import { addNotice, type NoticeDeps } from "./notices";
import type { ConversationRecord } from "./record";

/** Failed attempts at the history write after which the conversation says so (it keeps trying). */
const ARCHIVE_ATTEMPTS_BEFORE_NOTICE = 8;

export type HistoryDeps = Pick<
  ConversationDeps,
  "db" | "now" | "record" | "archive" | "archiveHistory" | "waitUntil"
>;

/**
 * Records that D1's history must catch up with this conversation (durable
 * before any attempt, with the alarm as a backstop should the actor be
 * evicted), then tries in the background. Call after saving the state.
 */
export async function requestArchive(
  deps: HistoryDeps & Pick<ConversationDeps, "armAlarm">,
): Promise<void> {
  if (!deps.record()?.customer.id) return;
  markArchivePending(deps);
  await deps.armAlarm();
  deps.waitUntil(deps.archiveHistory());
}

/** Notes, durably, that D1's history is behind (the alarm retries until it is not). */
export function markArchivePending(deps: Pick<ConversationDeps, "archive" | "now">): void {
  const pending = deps.archive.get();
  deps.archive.set({
    generation: (pending?.generation ?? 0) + 1,
    attempts: pending?.attempts ?? 0,
    dueAt: deps.now() + archiveRetryDelayMs(1),
  } satisfies ArchivePending);
}

export type ArchiveDeps = HistoryDeps &
  NoticeDeps &
  Pick<ConversationDeps, "armAlarm" | "save" | "purgeMedia">;

/** Writes the pending history until D1 has the latest; a failure waits for the alarm. */
export async function archiveOnce(deps: ArchiveDeps): Promise<void> {
  for (;;) {
    const pending = deps.archive.get();
    const record = deps.record();
    if (!pending || !record) return;
    try {
      const done = await writeHistory(deps, record.id);
      const latest = deps.archive.get();
      if (!done || latest?.generation === pending.generation) {
        deps.archive.delete();
        await deps.armAlarm();
        return;
      }
      // A newer request came while we wrote: write again with the newer state.
    } catch (err) {
      console.warn("history write failed; the alarm retries", record.id, redacted(err));
      const latest = deps.archive.get() ?? pending;
      const attempts = latest.attempts + 1;
      deps.archive.set({
        ...latest,
        attempts,
        dueAt: deps.now() + archiveRetryDelayMs(attempts),
      } satisfies ArchivePending);
      // It keeps trying (the history is never given up), but from now on it says so.
      if (attempts === ARCHIVE_ATTEMPTS_BEFORE_NOTICE) {
        console.error("history write keeps failing", record.id, attempts);
        await addNotice(deps, deps.record() ?? record, "history_failed", "");
      }
      await deps.armAlarm();
      return;
    }
  }
}

/**
 * One attempt at making D1's history match this conversation. Throws when D1
 * fails. Resolves false when the customer no longer exists: there is no
 * history to write, ever.
 */
async function writeHistory(deps: ArchiveDeps, conversationId: string): Promise<boolean> {
  const first = deps.record();
  if (!first) return false;
  const customer = await d1(deps.env.DB)
    .select({ name: customers.name, keepHistory: customers.keepHistory })
    .from(customers)
    .where(and(eq(customers.id, first.customer.id), eq(customers.tenantId, first.tenantId)))
    .get();
  // Re-read after the await: the conversation may have closed meanwhile.
  let record = deps.record()!;
  // A deleted customer's history went with them: a closed conversation keeps nothing either.
  const keep = customer ? customer.keepHistory : false;
  if (record.state === "closed" && !keep && !record.contentsRemoved) {
    removeContents(deps, record);
    record = deps.record()!;
  }
  if (record.contentsRemoved && record.agent) {
    await deps.env.AGENT.getByName(record.agent.id).forgetTexts(conversationId);
  }
  if (!customer) {
    console.warn("customer gone; history dropped", conversationId);
    return false;
  }
  const db = d1(pipelineDb(deps.env.DB));
  await db.batch(historyStatements(db, snapshot(deps, record, customer.name)));
  return true;
}

/**
 * Drops the texts and payloads of every message not still waiting to be
 * sent, and queues the deletion of their files and of the uploads never
 * sent (media-cleanup.ts), in one synchronous step; the files go in the
 * background, retried by the alarm.
 */
function removeContents(deps: ArchiveDeps, record: ConversationRecord): void {
  dropContents(deps.db, deps.now());
  expireUploads(deps.db, Number.POSITIVE_INFINITY);
  record.contentsRemoved = true;
  deps.save(record);
  deps.waitUntil(deps.purgeMedia());
}

/** The history's view of this conversation; messages only once closed. */
function snapshot(
  deps: Pick<ConversationDeps, "db" | "now">,
  record: ConversationRecord,
  customerName: string,
): HistorySnapshot {
  const closed = record.state === "closed";
  const kept = !record.contentsRemoved;
  const messages: ArchivedMessage[] = closed
    ? allMessages(deps.db).map((row) => ({
        seq: row.seq,
        direction: row.direction,
        senderName: senderName(row, customerName),
        kind: row.kind,
        text: kept ? row.text : null,
        createdAt: row.created_at,
        status: row.direction === "out" && row.kind !== "note" ? row.status : null,
      }))
    : [];
  return {
    id: record.id,
    tenantId: record.tenantId,
    numberId: record.number.id,
    customerId: record.customer.id,
    skillsetId: record.skillsetId,
    agent: record.agent,
    openedAt: record.createdAt,
    closed: closed
      ? {
          at: record.closedAt ?? deps.now(),
          by: record.closedBy,
          byName: record.closedByName ?? null,
          reason: record.closeReason,
          notes: record.closeNotes ?? null,
        }
      : null,
    messagesKept: kept,
    messages,
  };
}
