/**
 * Conversations an agent starts (src/worker/api/outbound.ts, through the
 * agent actor): created with their first message in the outbox — `assigned`
 * for a free message, `outbound` for a template awaiting the customer's
 * answer (no seat) — further templates, the answer taking it onto the
 * agent's desk, the summary "Sent templates" lists, and the withdrawal.
 */
import type { ConversationView, MessageView, Tick } from "../../shared/protocol";
import type { ConversationInit, OutgoingMessage, RouteRequest } from "../contracts";
import { sql } from "../sql";
import { afterFinish, type CloseDeps, finish } from "./close";
import type { ConversationDeps } from "./deps";
import { requestArchive } from "./history";
import {
  allMessages,
  insertOurs,
  type MessageRow,
  messageById,
  outboundPayloadJson,
  toView,
} from "./message-rows";
import { type NotifyDeps, notifyAgents, releaseSeats } from "./notify";
import { enqueueSend } from "./outbox";
import { conversationView } from "./paging";
import {
  type AgentRef,
  type CloseResult,
  type ConversationRecord,
  enter,
  mayWrite,
  newRecord,
  type SendResult,
  touched,
} from "./record";

export type OutboundDeps = NotifyDeps &
  Pick<
    ConversationDeps,
    "now" | "record" | "save" | "armAlarm" | "drainOutbox" | "archive" | "archiveHistory"
  >;

/** How an agent starts a conversation: by whom, in which state, its first message. */
export interface OutboundStart {
  agent: AgentRef;
  state: "assigned" | "outbound";
  skillsetName: string | null;
  lastCustomerMessageAt: number | null;
  clientId: string;
  message: OutgoingMessage;
}

export type OutboundStarted =
  | { ok: true; conversation: ConversationView; message: MessageView }
  | { ok: false; code: "busy" };

/**
 * Creates the conversation an agent starts and queues its first message.
 * Refused (`busy`) when the conversation already exists otherwise: a
 * customer's message opened it an instant before. Idempotent per `clientId`.
 */
export async function startOutbound(
  deps: OutboundDeps,
  init: ConversationInit,
  start: OutboundStart,
): Promise<OutboundStarted> {
  const existing = deps.record();
  if (existing) {
    const sent = messageById(deps.db, start.clientId);
    if (!sent || existing.tenantId !== init.tenantId) return { ok: false, code: "busy" };
    return {
      ok: true,
      conversation: conversationView(deps.db, existing),
      message: toView(existing.id, sent),
    };
  }
  const at = deps.now();
  const record: ConversationRecord = {
    ...newRecord(init, at),
    state: start.state,
    agent: start.agent,
    skillsetName: start.skillsetName,
    lastCustomerMessageAt: start.lastCustomerMessageAt,
    assignedAt: start.state === "assigned" ? at : null,
    // The agent wrote first: no welcome on assignment, now or when the customer answers.
    agentTyped: true,
    welcomedOnAssignment: true,
  };
  const message = queueAgentMessage(deps, record, start.agent, start.clientId, start.message);
  deps.save(record);
  deps.waitUntil(deps.drainOutbox());
  // The history row: the customer's history (and an isolated colleague) sees it at once.
  await requestArchive(deps);
  await deps.armAlarm();
  return { ok: true, conversation: conversationView(deps.db, record), message };
}

/**
 * Sends another template into a conversation of `agent`: on their desk, or
 * still awaiting the answer to a template of theirs. Templates may go outside
 * the 24-hour window. Idempotent per `clientId`.
 */
export async function sendOutboundTemplate(
  deps: OutboundDeps,
  tenantId: string,
  agent: AgentRef,
  clientId: string,
  message: OutgoingMessage,
): Promise<SendResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  const existing = messageById(deps.db, clientId);
  if (existing) return { ok: true, message: toView(record.id, existing) };
  if (record.state === "closed") return { ok: false, code: "closed" };
  if (!mayWrite(record, agent.id)) return { ok: false, code: "not_assigned" };
  const view = queueAgentMessage(deps, record, agent, clientId, message);
  deps.save(record);
  deps.waitUntil(deps.drainOutbox());
  await deps.armAlarm();
  return { ok: true, message: view };
}

/** Inserts an agent's message with its outbox row; the caller saves `record`, then drains. */
function queueAgentMessage(
  deps: OutboundDeps,
  record: ConversationRecord,
  agent: AgentRef,
  clientId: string,
  message: OutgoingMessage,
): MessageView {
  const at = deps.now();
  const row = insertOurs(
    deps.db,
    {
      id: clientId,
      kind: message.kind,
      text: message.text,
      payload: message.content
        ? outboundPayloadJson.write({
            content: message.content,
            templateName: message.templateName,
          })
        : null,
      status: "pending",
      sender: { type: "agent", id: agent.id, name: agent.name },
      at,
    },
    false,
  );
  enqueueSend(deps.db, clientId, at);
  touched(record, at);
  const view = toView(record.id, row);
  notifyAgents(deps, record, [view]);
  return view;
}

/**
 * The customer answered the agent's template: the agent takes it onto their
 * desk at once unless they are offline or at their limit; then it is routed
 * like any new conversation. Reads the saved record; safe to repeat.
 */
export async function outboundAnswered(deps: OutboundDeps): Promise<RouteRequest | null> {
  const record = deps.record();
  if (record?.state !== "outbound" || !record.agent) return null;
  const owner = record.agent;
  const seated = await deps.env.AGENT.getByName(owner.id).seatAnswered(
    record.tenantId,
    record.number.id,
    record.id,
  );
  // Re-read: a timer or another batch may have moved it while we asked.
  const latest = deps.record()!;
  if (latest.state !== "outbound") {
    if (seated && latest.state !== "assigned") {
      await releaseSeats(deps, latest, [owner], conversationView(deps.db, latest));
    }
    return null;
  }
  if (seated) {
    enter(latest, "assigned", deps.now());
    latest.assignedAt = latest.stateSince!;
    latest.leftOpen = false;
    deps.save(latest);
    showAnswered(deps, latest, owner.id);
    await requestArchive(deps);
    await deps.armAlarm();
    return { type: "assigned", agentId: owner.id, agentName: owner.name };
  }
  enter(latest, "queued", deps.now());
  latest.agent = null;
  deps.save(latest);
  await deps.armAlarm();
  return { type: "queue", skillsetId: latest.skillsetId, kind: "new" };
}

/**
 * Puts the answered conversation on the owner's desktops live: the conversation
 * first, then its messages (the template and the answer), in order, so the
 * unread badge counts the answer without a reload.
 */
function showAnswered(deps: OutboundDeps, record: ConversationRecord, ownerId: string): void {
  const conversation = conversationView(deps.db, record);
  const messages = allMessages(deps.db).map((row) => toView(record.id, row));
  const agent = deps.env.AGENT.getByName(ownerId);
  deps.waitUntil(
    (async () => {
      await agent.notify({ type: "conversation", conversation });
      for (const message of messages) {
        await agent.notify({ type: "message", conversationId: record.id, message });
      }
    })().catch((err: unknown) => console.error("notify failed", err)),
  );
}

/**
 * A template of `outbound` state as "templates I sent without reply" lists
 * it: the latest template, when it was sent and its tick. Null once the
 * customer answered or it closed, or for another tenant.
 */
export function outboundSummary(
  deps: Pick<ConversationDeps, "db" | "record">,
  tenantId: string,
): {
  conversation: ConversationView;
  templateName: string;
  text: string;
  sentAt: number;
  status: Tick | null;
} | null {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId || record.state !== "outbound") return null;
  const row = deps.db.one<MessageRow>(
    sql`SELECT * FROM messages WHERE direction = 'out' AND kind = 'template'
        ORDER BY seq DESC LIMIT 1`,
  );
  if (!row) return null;
  const payload = row.payload ? outboundPayloadJson.read(row.payload) : {};
  return {
    conversation: conversationView(deps.db, record),
    templateName: payload.templateName ?? "",
    text: row.text,
    sentAt: row.created_at,
    status: row.status,
  };
}

/**
 * The agent withdraws a template the customer has not answered: the
 * conversation closes silently (no close message) and leaves Sent templates.
 * Idempotent once closed.
 */
export async function withdrawOutbound(
  deps: CloseDeps,
  tenantId: string,
  agentId: string,
): Promise<CloseResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  if (record.agent?.id !== agentId) return { ok: false, code: "not_assigned" };
  if (record.state !== "closed") {
    if (record.state !== "outbound") return { ok: false, code: "not_assigned" };
    finish(deps, record, "Template withdrawn", record.agent, null, null);
  }
  await afterFinish(deps, record);
  return { ok: true, conversation: conversationView(deps.db, record) };
}
