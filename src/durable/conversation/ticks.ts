/**
 * Delivery ticks of our messages, from Meta's status webhooks: they only move
 * forward (sent < delivered < read/played; failed is terminal), duplicates
 * and late arrivals change nothing, and every tick Meta reports is kept with
 * its time (`status_log`) for the message's details.
 */
import { type StatusUpdate, statusRank } from "../../meta/webhook-payload";
import type { MessageError, Tick } from "../../shared/protocol";
import { sql } from "../sql";
import { type HistoryDeps, markArchivePending } from "./history";
import { errorJson, type MessageRow, setStatus, setWamid, toView } from "./message-rows";
import { type NotifyDeps, notifyAgents } from "./notify";
import { settledByStatus } from "./outbox";

export type TicksDeps = NotifyDeps & HistoryDeps;

/**
 * Applies delivery statuses, found by wamid or else by our message id (the
 * callback data we send with every message, which also records the wamid).
 */
export async function applyStatuses(
  deps: TicksDeps,
  list: { status: StatusUpdate; messageId: string | null }[],
): Promise<void> {
  const { db } = deps;
  for (const { status, messageId } of list) {
    if (status.status === "deleted") continue;
    let message = db.one<MessageRow>(sql`SELECT * FROM messages WHERE wamid = ${status.id}`);
    if (!message && messageId) {
      message = db.one<MessageRow>(
        sql`SELECT * FROM messages WHERE id = ${messageId} AND direction = 'out'`,
      );
      if (message && !message.wamid) setWamid(db, message.id, status.id);
    }
    if (!message) continue;
    // Meta has it: an attempt without an answer is settled, and nothing is sent again.
    settledByStatus(db, message.id);
    db.run(
      sql`INSERT OR IGNORE INTO status_log (wamid, status, at)
          VALUES (${status.id}, ${status.status}, ${status.timestampMs})`,
    );
    // Records written before "unconfirmed" existed marked such a send failed with
    // code 0 (the answer never came): Meta's status proves it sent, so it is not failed.
    const legacyUnconfirmed =
      message.status === "failed" &&
      status.status !== "failed" &&
      errorJson.readOptional(message.error)?.code === 0;
    const current =
      message.status &&
      message.status !== "pending" &&
      message.status !== "unconfirmed" &&
      !legacyUnconfirmed
        ? statusRank(message.status)
        : 0;
    const next = statusRank(status.status);
    if (next <= current || (message.status === "failed" && !legacyUnconfirmed)) continue;
    const first = status.errors[0];
    updateMessage(deps, message.id, {
      status: status.status,
      error: first
        ? { code: first.code, title: first.title, message: first.message ?? first.details }
        : null,
    });
  }
}

/**
 * Writes a message's tick and error, then tells the seated agents' desktops.
 * A closed conversation's history shows "not confirmed" and "failed": such a
 * change after closing is written to it again.
 */
export function updateMessage(
  deps: TicksDeps,
  id: string,
  change: { status: Tick; error: MessageError | null },
): void {
  const row = setStatus(deps.db, id, change.status, change.error);
  const record = deps.record();
  if (!row || !record) return;
  notifyAgents(deps, record, [toView(record.id, row, deps.db)]);
  const shownInHistory = change.status === "unconfirmed" || change.status === "failed";
  if (shownInHistory && record.state === "closed" && record.customer.id) {
    markArchivePending(deps);
    deps.waitUntil(deps.archiveHistory());
  }
}
