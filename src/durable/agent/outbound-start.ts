/**
 * Conversations an agent starts (outbound), across the three actors:
 *
 * 1. The agent actor reserves a seat first when the first message is a free
 *    one (the conversation lands on the desk at once, so it needs capacity). A
 *    template takes no seat: it waits in the `outbound` state, listed under
 *    "templates I sent without reply", until the customer answers.
 * 2. The number actor opens the conversation, or finds the one already open
 *    (one per customer per number): the caller's own is continued, anyone
 *    else's is refused, and a free message is refused outside the customer's
 *    24-hour window (it knows when the customer last wrote, even after their
 *    conversations closed).
 * 3. The conversation actor is created in the state the agent asked for and
 *    queues the message in its normal outbox (ticks, retries, idempotency by
 *    `clientId`).
 *
 * When the customer answers a template, the conversation actor asks the agent
 * actor for a seat: granted unless the agent is offline or at their limit, and
 * then it is theirs at once (no offer); otherwise it is routed like any new
 * conversation to its skillset. The answer is stored in the same conversation.
 *
 * The agent actor runs it (the values passed are in ../contracts.ts); the
 * agent's seats come in as a `SeatBook`.
 */

import type { ConversationView } from "../../shared/protocol";
import type { StartOutboundRequest, StartOutboundResult } from "../contracts";
import type { Env } from "../env";

/** The agent actor's seat bookkeeping, as `startOutbound` uses it. */
export interface SeatBook {
  /** Reserves a seat for `conversationId` if under the limit; false when full. */
  reserve(conversationId: string, numberId: string): boolean;
  /** Shows the conversation in its seat (the desktops get it live). */
  fill(conversation: ConversationView): Promise<void>;
  /** Gives back a reservation that was not used. */
  cancel(conversationId: string): void;
}

/**
 * Opens (or continues) the conversation and sends its first message; see the
 * file comment for the order and the decisions. Idempotent per `clientId`.
 */
export async function startOutbound(
  env: Env,
  agent: { id: string; name: string },
  request: StartOutboundRequest,
  seats: SeatBook,
): Promise<StartOutboundResult> {
  const free = request.message.kind === "text";
  const conversationId = crypto.randomUUID();
  // Full, a free message may still continue a conversation already on the desk.
  const seated = free && seats.reserve(conversationId, request.number.id);
  const opened = await env.NUMBER.getByName(request.number.id).openOutbound(
    request.number,
    conversationId,
    request.customer,
    request.skillsetId,
    agent,
    { state: free ? "assigned" : "outbound", mayCreate: !free || seated },
  );
  if (!opened.ok || !opened.created) seats.cancel(conversationId);
  if (!opened.ok) {
    if (opened.code === "no_seat") return { ok: false, code: "at_capacity" };
    if (opened.code === "already_open") {
      return { ok: false, code: "already_open", agentName: opened.agentName };
    }
    return { ok: false, code: opened.code };
  }
  if (!opened.created) return continueOpen(env, agent, request, opened);
  const started = await env.CONVERSATION.getByName(conversationId).startOutbound(opened.init, {
    agent,
    state: free ? "assigned" : "outbound",
    skillsetName: request.skillsetName,
    lastCustomerMessageAt: opened.lastCustomerMessageAt,
    clientId: request.clientId,
    message: request.message,
  });
  if (!started.ok) {
    // A customer's message opened it first, an instant before us: it is routed as theirs.
    seats.cancel(conversationId);
    return { ok: false, code: "waiting" };
  }
  if (free) await seats.fill(started.conversation);
  return started;
}

/** The customer already has a conversation open with the caller: the message goes into it. */
async function continueOpen(
  env: Env,
  agent: { id: string; name: string },
  request: StartOutboundRequest,
  open: { conversationId: string; state: "assigned" | "outbound" },
): Promise<StartOutboundResult> {
  const stub = env.CONVERSATION.getByName(open.conversationId);
  const tenantId = request.number.tenantId;
  const { message } = request;
  const sent =
    message.kind === "template"
      ? await stub.sendOutboundTemplate(tenantId, agent, request.clientId, message)
      : open.state === "outbound"
        ? ({ ok: false, code: "awaiting_reply" } as const)
        : await stub.sendText(tenantId, agent, request.clientId, message.text);
  if (!sent.ok) {
    switch (sent.code) {
      case "window_closed":
      case "awaiting_reply":
        return { ok: false, code: sent.code };
      default:
        return { ok: false, code: "waiting" };
    }
  }
  const read = await stub.read(tenantId, Number.MAX_SAFE_INTEGER);
  if (!read) return { ok: false, code: "waiting" };
  return { ok: true, conversation: read.conversation, message: sent.message };
}
