/**
 * What goes to the customer, queued in the outbox (delivery.ts sends it): an
 * agent's reply and its resend, the automatic messages (once per key), the
 * agents' notes (never sent), and the read receipt. Each checks the rules a
 * send must pass before anything is queued: the seat, the conversation still
 * open, the customer's 24-hour window.
 */
import { graphApiOf, markRead, type OutboundContent } from "../../meta/graph";
import { requireConfig } from "../../platform/config";
import { customerWindowOpen, type Sender, type SentMedia } from "../../shared/protocol";
import { sql } from "../sql";
import type { ConversationDeps } from "./deps";
import { claimUpload } from "./media-cleanup";
import {
  insertOurs,
  type MessageRow,
  messageById,
  outboundPayloadJson,
  toView,
} from "./message-rows";
import { type NotifyDeps, notifyAgents } from "./notify";
import { enqueueSend } from "./outbox";
import {
  type AgentRef,
  type ConversationRecord,
  mayWrite,
  type ResendResult,
  type SendResult,
  seatedIds,
  touched,
} from "./record";

export type AutomaticDeps = NotifyDeps & Pick<ConversationDeps, "now" | "drainOutbox">;

/** An automatic message: its key (its id is `auto:<key>`), its text, and how it is sent. */
export interface AutomaticMessage {
  key: string;
  /** Blank or null: not sent. */
  text: string | null;
  content?: OutboundContent;
  sender?: Sender;
}

/**
 * Queues an automatic message once per `key` (a repeat finds the same id and
 * sends nothing). Blank texts are not sent; neither is anything outside the
 * customer's 24-hour window, where Meta would refuse it.
 */
export function sendAutomatic(
  deps: AutomaticDeps,
  record: ConversationRecord,
  message: AutomaticMessage,
): void {
  const { key, text, content, sender } = message;
  if (!text?.trim()) return;
  const at = deps.now();
  if (!customerWindowOpen(record.lastCustomerMessageAt, at)) return;
  const id = `auto:${key}`;
  const row = insertOurs(
    deps.db,
    {
      id,
      kind: content?.type ?? "text",
      text,
      payload: content ? outboundPayloadJson.write({ content }) : null,
      status: "pending",
      sender: sender ?? { type: "system" },
      at,
    },
    true,
  );
  if (!row) return;
  enqueueSend(deps.db, id, at);
  touched(record, at);
  notifyAgents(deps, record, [toView(record.id, row)]);
  deps.waitUntil(deps.drainOutbox());
}

/** A note in the conversation for the agents (a colleague joined or left); never sent. */
export function addNote(
  deps: NotifyDeps & Pick<ConversationDeps, "now">,
  record: ConversationRecord,
  key: string,
  text: string,
  /** The notice it shows, in each agent's language (notices.ts `noticePayload`). */
  payload: string | null = null,
): void {
  const row = insertOurs(
    deps.db,
    {
      id: `note:${key}`,
      kind: "note",
      text,
      payload,
      status: null,
      sender: { type: "system" },
      at: deps.now(),
    },
    true,
  );
  if (row) notifyAgents(deps, record, [toView(record.id, row)]);
}

export type SendingDeps = AutomaticDeps & Pick<ConversationDeps, "record" | "save" | "armAlarm">;

/**
 * Queues an agent's reply and starts sending it: `text`, or `outbound.content`
 * (a file, a location, an interactive message) which `text` then summarises;
 * stored as `payload = { content, media? }` with kind = the content's type.
 * Idempotent per `clientId`. The 24-hour window applies to every kind.
 * `senderShows`: the agent's own actor called, and shows the reply on its
 * desktops itself; the other seated agents are told as always.
 */
export async function sendReply(
  deps: SendingDeps,
  tenantId: string,
  agent: AgentRef,
  clientId: string,
  text: string,
  outbound?: { content: OutboundContent; media?: SentMedia },
  senderShows = false,
): Promise<SendResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  const existing = messageById(deps.db, clientId);
  if (existing) return { ok: true, message: toView(record.id, existing) };
  if (record.state === "closed") return { ok: false, code: "closed" };
  if (!seatedIds(record).includes(agent.id)) return { ok: false, code: "not_assigned" };
  // Meta would refuse it (131047): say so now, before anything is queued.
  if (!customerWindowOpen(record.lastCustomerMessageAt, deps.now())) {
    return { ok: false, code: "window_closed" };
  }
  // The upload's file is kept from now on, unless it was already deleted unsent.
  if (outbound?.media && !claimUpload(deps.db, outbound.media.id)) {
    return { ok: false, code: "upload_gone" };
  }
  const row = insertOurs(
    deps.db,
    {
      id: clientId,
      kind: outbound?.content.type ?? "text",
      text,
      payload: outbound ? outboundPayloadJson.write(outbound) : null,
      status: "pending",
      sender: { type: "agent", id: agent.id, name: agent.name },
      at: deps.now(),
    },
    false,
  );
  enqueueSend(deps.db, clientId, deps.now());
  const message = toView(record.id, row);
  touched(record, deps.now());
  if (record.agent?.id === agent.id) record.agentTyped = true;
  deps.save(record);
  notifyAgents(deps, record, [message], senderShows ? agent.id : null);
  deps.waitUntil(deps.drainOutbox());
  await deps.armAlarm();
  return { ok: true, message };
}

/**
 * The agent sends again one of our messages whose sending is in doubt
 * ("not confirmed") or failed: a new message `clientId` with the same
 * content, from that agent, queued like any reply. The original is marked
 * resent, so it is resent once at most: a repeated request (any clientId)
 * returns the same new message. For the agents who may write (mayWrite); the
 * 24-hour window applies except to templates.
 */
export async function resend(
  deps: SendingDeps,
  tenantId: string,
  agent: AgentRef,
  messageId: string,
  clientId: string,
): Promise<ResendResult> {
  const { db } = deps;
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  const original = db.one<MessageRow>(
    sql`SELECT * FROM messages WHERE id = ${messageId} AND direction = 'out' AND kind <> 'note'`,
  );
  if (!original) return { ok: false, code: "not_found" };
  const mine = mayWrite(record, agent.id);
  if (original.resent_as) {
    const again = messageById(db, original.resent_as);
    if (again && mine) return { ok: true, message: toView(record.id, again, db) };
  }
  if (record.state === "closed") return { ok: false, code: "closed" };
  if (!mine) return { ok: false, code: "not_assigned" };
  if (original.status !== "unconfirmed" && original.status !== "failed") {
    return { ok: false, code: "not_resendable" };
  }
  if (
    original.kind !== "template" &&
    !customerWindowOpen(record.lastCustomerMessageAt, deps.now())
  ) {
    return { ok: false, code: "window_closed" };
  }
  const at = deps.now();
  const row = insertOurs(
    db,
    {
      id: clientId,
      kind: original.kind,
      text: original.text,
      payload: original.payload,
      status: "pending",
      sender: { type: "agent", id: agent.id, name: agent.name },
      at,
    },
    true,
  );
  // The clientId already names another message.
  if (!row) return { ok: false, code: "not_resendable" };
  enqueueSend(db, clientId, at);
  const marked = db.one<MessageRow>(
    sql`UPDATE messages SET resent_as = ${clientId} WHERE id = ${original.id} RETURNING *`,
  )!;
  touched(record, at);
  if (record.agent?.id === agent.id) record.agentTyped = true;
  deps.save(record);
  const message = toView(record.id, row);
  notifyAgents(deps, record, [toView(record.id, marked, db), message]);
  deps.waitUntil(deps.drainOutbox());
  await deps.armAlarm();
  return { ok: true, message };
}

/**
 * The assigned agent has seen the messages up to `upToSeq`: tells Meta once
 * (it marks every earlier message read too). Idempotent.
 */
export async function markReadUpTo(
  deps: Pick<ConversationDeps, "db" | "env" | "record" | "save" | "waitUntil" | "accessToken">,
  tenantId: string,
  agentId: string,
  upToSeq: number,
): Promise<{ ok: boolean }> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId || record.agent?.id !== agentId) return { ok: false };
  const newest = deps.db.one<{ seq: number; wamid: string }>(
    sql`SELECT seq, wamid FROM messages
        WHERE direction = 'in' AND wamid IS NOT NULL AND seq <= ${upToSeq}
        ORDER BY seq DESC LIMIT 1`,
  );
  if (!newest || newest.seq <= (record.readSeq ?? 0)) return { ok: true };
  record.readSeq = newest.seq;
  deps.save(record);
  const config = requireConfig(deps.env);
  deps.waitUntil(
    deps.accessToken(record).then(async (accessToken) => {
      const ok = await markRead(graphApiOf(config), {
        phoneNumberId: record.number.phoneNumberId,
        accessToken,
        wamid: newest.wamid,
      });
      if (!ok) console.warn("mark-as-read refused", record.id, newest.wamid);
    }),
  );
  return { ok: true };
}
