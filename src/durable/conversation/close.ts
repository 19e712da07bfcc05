/**
 * Closing a conversation, by its owner or by the system: the close message,
 * the record closed, routing and the agents' seats told, the customer's
 * history queued, and the automatic e-mail on close (the transcript to the
 * number's address), retried by the alarm until the mail server accepts it.
 */
import { requireConfig } from "../../platform/config";
import { type MailResult, sendMail, type Transcript, transcriptMail } from "../../platform/mail";
import type { ConversationDeps } from "./deps";
import { type HistoryDeps, markArchivePending } from "./history";
import { archiveRetryDelayMs } from "./history-archive";
import { messagesWithoutNotes, senderName } from "./message-rows";
import { addNotice, type NoticeDeps, tenantLanguage } from "./notices";
import { releaseSeats } from "./notify";
import { conversationView } from "./paging";
import {
  type AgentRef,
  type CloseResult,
  type ConversationRecord,
  enter,
  settingsOf,
} from "./record";
import { type AutomaticDeps, sendAutomatic } from "./sending";

/** Attempts at the e-mail on close before it is abandoned (with a note in the conversation). */
const CLOSE_MAIL_ATTEMPTS = 8;

export type FinishDeps = AutomaticDeps & HistoryDeps & Pick<ConversationDeps, "save">;
export type CloseDeps = FinishDeps & Pick<ConversationDeps, "armAlarm" | "sendCloseMail">;

/**
 * The owner closes the conversation with a reason and optional notes: the
 * number opens a new one for the customer's next message, the agents'
 * capacity frees up, the close message goes out, and the conversation is
 * written to the customer's history (and mailed, when the number says so)
 * in the background. Idempotent.
 */
export async function closeByAgent(
  deps: CloseDeps,
  tenantId: string,
  agentId: string,
  reason: string,
  notes: string | null,
): Promise<CloseResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  if (record.state !== "closed") {
    if (record.state !== "assigned" || record.agent?.id !== agentId) {
      return { ok: false, code: "not_assigned" };
    }
    finish(deps, record, reason, record.agent, notes);
  }
  await afterFinish(deps, record);
  return { ok: true, conversation: conversationView(deps.db, record) };
}

/**
 * Closes the record (by an agent, or by the system when `by` is null): the
 * close message (`message`; the number's by default, none for null) goes
 * out, the history and the e-mail on close are queued. Synchronous;
 * `afterFinish` tells the other actors.
 */
export function finish(
  deps: FinishDeps,
  record: ConversationRecord,
  reason: string,
  by: AgentRef | null,
  notes: string | null = null,
  message: string | null = settingsOf(record).messages.close,
): void {
  if (record.state === "closed") return;
  sendAutomatic(deps, record, { key: "close", text: message });
  enter(record, "closed", deps.now());
  record.closedAt = record.stateSince!;
  record.closeReason = reason;
  record.closeNotes = notes;
  record.closedBy = by?.id ?? null;
  record.closedByName = by?.name ?? null;
  const mailTo = settingsOf(record).details.closeEmailTo;
  if (mailTo) record.closeMail = { to: mailTo, attempts: 0, dueAt: deps.now() };
  deps.save(record);
  if (record.customer.id) markArchivePending(deps);
}

/** After closing: routing forgets it, the agents' seats free up; history and mail start. */
export async function afterFinish(deps: CloseDeps, record: ConversationRecord): Promise<void> {
  const view = conversationView(deps.db, record);
  await deps.env.NUMBER.getByName(record.number.id).conversationClosed(record.id);
  const seated = [...(record.agent ? [record.agent] : []), ...(record.participants ?? [])];
  await releaseSeats(deps, record, seated, view);
  await deps.armAlarm();
  if (deps.archive.get()) deps.waitUntil(deps.archiveHistory());
  if (record.closeMail) deps.waitUntil(deps.sendCloseMail());
}

export type CloseMailDeps = NoticeDeps & HistoryDeps & Pick<ConversationDeps, "save" | "armAlarm">;

/**
 * One attempt at mailing the transcript to the number's "e-mail on close"
 * address, when it is due. Retried by the alarm with backoff until the mail
 * server accepts it (at most 8 tries); a crash between sending and recording
 * it may send it twice, never zero times.
 */
export async function sendCloseMailOnce(deps: CloseMailDeps): Promise<void> {
  const record = deps.record();
  const pending = record?.closeMail;
  if (!record || !pending || pending.dueAt > deps.now()) return;
  let result: MailResult;
  try {
    const config = requireConfig(deps.env).mail;
    result = config
      ? await sendMail(
          config,
          transcriptMail(
            await tenantLanguage(deps, record.tenantId),
            pending.to,
            transcript(deps, record),
          ),
        )
      : { ok: false, error: "e-mail is not configured" };
  } catch (err) {
    // Reading the language or building the transcript failed: an attempt like any other.
    result = { ok: false, error: String(err) };
  }
  const latest = deps.record()!;
  const attempts = pending.attempts + 1;
  if (result.ok || attempts >= CLOSE_MAIL_ATTEMPTS) {
    latest.closeMail = null;
    deps.save(latest);
    if (!result.ok) {
      console.error("close e-mail abandoned", record.id, result.error);
      // Said in the conversation, and so in the customer's history, which is written again.
      await addNotice(deps, latest, "close_mail_failed", pending.to);
      if (latest.customer.id) markArchivePending(deps);
      deps.waitUntil(deps.archiveHistory());
    }
  } else {
    console.warn("close e-mail failed; retrying", record.id, result.error);
    latest.closeMail = { ...pending, attempts, dueAt: deps.now() + archiveRetryDelayMs(attempts) };
    deps.save(latest);
  }
  await deps.armAlarm();
}

/** The conversation as its transcript shows it (texts only while the contents are kept). */
function transcript(deps: Pick<ConversationDeps, "db">, record: ConversationRecord): Transcript {
  const kept = !record.contentsRemoved;
  return {
    conversationId: record.id,
    customer: { name: record.customer.name, phone: record.customer.phone },
    number: { name: record.number.name, displayPhone: record.number.displayPhone },
    timeZone: settingsOf(record).workingTime.timeZone,
    openedAt: record.createdAt,
    closedAt: record.closedAt,
    agentName: record.agent?.name ?? null,
    closedByName: record.closedByName ?? null,
    closeReason: record.closeReason,
    closeNotes: record.closeNotes ?? null,
    messages: messagesWithoutNotes(deps.db).map((row) => ({
      senderName: senderName(row, record.customer.name),
      text: kept ? row.text : null,
      createdAt: row.created_at,
      kind: row.kind,
    })),
  };
}
