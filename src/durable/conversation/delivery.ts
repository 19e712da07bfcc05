/**
 * Delivery: the drain that sends the outbox's due rows to Meta, one at a
 * time, and what each answer means for the row (outbox.ts) and the message.
 * A reply is retried on Meta's transient refusals but never sent twice: a
 * send without an answer may have reached Meta, so it waits for Meta's
 * status instead, and shows "not confirmed" when none comes.
 */
import { writeCallbackData } from "../../meta/callback-data";
import {
  type SendResult as GraphSendResult,
  graphApiOf,
  type OutboundText,
  sendText,
} from "../../meta/graph";
import { requireConfig } from "../../platform/config";
import { type MessageError, NOT_PREPARED_ERROR } from "../../shared/protocol";
import { sql } from "../sql";
import type { ConversationDeps } from "./deps";
import { dropContents } from "./media-cleanup";
import { messageById, outboundPayloadJson, setWamid, statusOf } from "./message-rows";
import {
  awaitConfirmation,
  MAX_SEND_ATTEMPTS,
  type OutboxRow,
  removeRow,
  sendRetryDelayMs,
} from "./outbox";
import { type TicksDeps, updateMessage } from "./ticks";

export type DeliveryDeps = Pick<
  ConversationDeps,
  "record" | "accessToken" | "sending" | "purgeMedia" | "armAlarm"
> &
  TicksDeps;

/**
 * Sends every due outbox row, one at a time (the actor runs one drain at a
 * time). The alarm is armed again only for a row left with a deadline (a
 * retry, a wait for Meta's status): a row sent and gone leaves none earlier
 * than the alarm already holds.
 */
export async function drainOnce(deps: DeliveryDeps): Promise<void> {
  let deadlineLeft = abandonOrphanedSends(deps);
  for (;;) {
    const due = deps.db.one<OutboxRow>(
      sql`SELECT * FROM outbox WHERE state = 'queued' AND next_at <= ${deps.now()}
          ORDER BY next_at LIMIT 1`,
    );
    if (!due) break;
    if ((await sendOne(deps, due)) !== "sent") deadlineLeft = true;
  }
  if (deadlineLeft) await deps.armAlarm();
}

/**
 * A row left in flight by a previous incarnation may or may not have reached
 * Meta. Resending could deliver it twice, so it waits for Meta's status like
 * any send without an answer. Looked for at this incarnation's first drain
 * only: after it, every row in flight is this incarnation's. Returns whether
 * one was found.
 */
function abandonOrphanedSends(deps: DeliveryDeps): boolean {
  if (deps.sending.orphansSettled) return false;
  const orphans = deps.db
    .all<OutboxRow>(sql`SELECT * FROM outbox WHERE state = 'inflight'`)
    .filter((row) => !deps.sending.ids.has(row.message_id));
  for (const row of orphans) outcomeUnknown(deps, row.message_id);
  deps.sending.orphansSettled = true;
  return orphans.length > 0;
}

/**
 * One attempt at sending an outbox row; Meta's answer decides what follows.
 * Accepted: the row goes. Refused (or the request could not even be made):
 * retried with backoff while that may pass, else the message shows the
 * error. No answer: the outcome is unknown, so it is never POSTed again and
 * waits for Meta's status (`outcomeUnknown`). Never throws for a bad row.
 * Returns "sent" when the row went with nothing left to do (no deadline, no
 * change but the wamid), else "other".
 */
async function sendOne(deps: DeliveryDeps, row: OutboxRow): Promise<"sent" | "other"> {
  const record = deps.record()!;
  const message = messageById(deps.db, row.message_id);
  if (!message) {
    removeRow(deps.db, row.message_id);
    return "sent";
  }
  const config = requireConfig(deps.env);
  const api = graphApiOf(config);
  let request: OutboundText;
  try {
    request = {
      phoneNumberId: record.number.phoneNumberId,
      accessToken: await deps.accessToken(record),
      to: record.customer.phone ?? record.customer.recipient,
      text: message.text,
      content: message.payload ? outboundPayloadJson.read(message.payload).content : undefined,
      callbackData: writeCallbackData({ conversationId: record.id, messageId: message.id }),
    };
  } catch (err) {
    // Nothing reached Meta (D1 unreachable, an unreadable row): an attempt that can be repeated.
    console.error("send not prepared", record.id, message.id, err);
    sendRefused(deps, row, {
      retryable: true,
      error: { code: NOT_PREPARED_ERROR, title: "The message could not be prepared for sending" },
    });
    return "other";
  }
  deps.db.run(sql`UPDATE outbox SET state = 'inflight' WHERE message_id = ${row.message_id}`);
  deps.sending.ids.add(row.message_id);
  try {
    let result: GraphSendResult = await sendText(api, request);
    // Refused for its token (Meta sent nothing): the credentials may have just changed.
    if (!result.ok && result.outcome === "not_sent" && result.error.httpStatus === 401) {
      const fresh = await deps.accessToken(record, true).catch(() => null);
      if (fresh !== null) result = await sendText(api, { ...request, accessToken: fresh });
    }
    if (result.ok) {
      sent(deps, message.id, result.wamid);
      return "sent";
    }
    if (result.outcome === "unknown") {
      console.warn("send got no answer; waiting for Meta's status", record.id, message.id);
      outcomeUnknown(deps, message.id);
    } else {
      sendRefused(deps, row, result);
    }
    return "other";
  } finally {
    deps.sending.ids.delete(row.message_id);
    forgetSentText(deps, row.message_id);
  }
}

/**
 * Meta accepted the message: the row goes and the message keeps its wamid.
 * A status that came first was applied already, found by our callback data.
 */
function sent(deps: DeliveryDeps, messageId: string, wamid: string): void {
  removeRow(deps.db, messageId);
  setWamid(deps.db, messageId, wamid);
}

/**
 * Meta refused the attempt (or it could not be made): retried with backoff
 * while the error may pass and attempts remain, else the message is failed
 * with the reason.
 */
function sendRefused(
  deps: DeliveryDeps,
  row: OutboxRow,
  result: { retryable: boolean; error: MessageError & { httpStatus?: number | null } },
): void {
  const attempts = row.attempts + 1;
  if (result.retryable && attempts < MAX_SEND_ATTEMPTS) {
    const nextAt =
      deps.now() + sendRetryDelayMs(requireConfig(deps.env).outboundRetryBaseMs, attempts);
    deps.db.run(
      sql`UPDATE outbox SET state = 'queued', attempts = ${attempts}, next_at = ${nextAt}
          WHERE message_id = ${row.message_id}`,
    );
    return;
  }
  removeRow(deps.db, row.message_id);
  const { code, title, message } = result.error;
  updateMessage(deps, row.message_id, {
    status: "failed",
    error: { code, title, ...(message !== undefined ? { message } : {}) },
  });
}

/**
 * A send without an answer: it may have reached Meta, so it is not sent
 * again. Meta's status settles it; without one by the deadline the agent
 * sees it "not confirmed" (`expireUnconfirmed`). A status may already have
 * come while we waited for the answer: then there is nothing to wait for.
 */
function outcomeUnknown(deps: DeliveryDeps, messageId: string): void {
  if (statusOf(deps.db, messageId) !== "pending") {
    removeRow(deps.db, messageId);
    return;
  }
  awaitConfirmation(deps.db, messageId, deps.now() + requireConfig(deps.env).sendConfirmWaitMs);
}

/**
 * Sends whose outcome stayed unknown past their deadline without a status:
 * the agent sees them "not confirmed", with Resend. Idempotent.
 */
export function expireUnconfirmed(deps: DeliveryDeps): void {
  const due = deps.db.all<OutboxRow>(
    sql`SELECT * FROM outbox WHERE state = 'unconfirmed' AND next_at <= ${deps.now()}`,
  );
  for (const row of due) {
    removeRow(deps.db, row.message_id);
    if (statusOf(deps.db, row.message_id) === "pending") {
      updateMessage(deps, row.message_id, { status: "unconfirmed", error: null });
    }
    forgetSentText(deps, row.message_id);
  }
}

/**
 * Its text (and file) was only kept to be sent: the customer keeps no message
 * history, so they go once Meta has it.
 */
function forgetSentText(deps: DeliveryDeps, messageId: string): void {
  if (!deps.record()?.contentsRemoved) return;
  dropContents(deps.db, deps.now(), messageId);
  deps.waitUntil(deps.purgeMedia());
}
