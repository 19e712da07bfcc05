/**
 * The contracts between the actors and with the Worker: the values passed over
 * RPC that more than one of them names (a number, a customer, a routing
 * request, an agent's live state, a conversation an agent starts). What only
 * one actor uses stays in its folder.
 */

import type { OutboundContent } from "../meta/graph";
import type { InboundContact, InboundMessage, StatusUpdate } from "../meta/webhook-payload";
import { readSettings, type StoredSettings } from "../shared/number-settings";
import type {
  AgentStatus,
  ConversationView,
  MessageView,
  TransferMode,
  WaitingItem,
  WaitQueueKind,
} from "../shared/protocol";

/** A managed number as the actors need it. */
export interface NumberInfo {
  id: string;
  tenantId: string;
  phoneNumberId: string;
  displayPhone: string;
  name: string;
}

export interface CustomerRef {
  id: string;
  name: string;
  /** E.164 with "+", when Meta gave a phone. */
  phone: string | null;
  /** wa_id digits, or `u:<BSUID>`. */
  contactKey: string;
  /** Where replies go: the wa_id digits (or BSUID). */
  recipient: string;
  priority: number;
  /** False when the customer was not in the tenant's customers (only when the number accepts only existing ones). */
  known?: boolean;
  /** The customer skips the softbot. */
  bypassBot?: boolean;
}

/** What a conversation needs of its number's configuration; pushed again when it changes. */
export interface NumberConfig {
  settings: StoredSettings;
  /** The softbot's options: skillsets with a bot label, by priority. */
  botOptions: { skillsetId: string; label: string }[];
  defaultSkillsetId: string | null;
}

/** A number's configuration before any is known: default settings, no bot, no default skillset. */
export function defaultNumberConfig(): NumberConfig {
  return { settings: readSettings("{}"), botOptions: [], defaultSkillsetId: null };
}

/**
 * What the conversation asks of routing. `queue`: wait for an agent of
 * `skillsetId` (null = any, by skillset priority), or only `targetAgentId`
 * until `fallbackAt` (null = until the offer is refused, for immediate
 * transfers; exclusive ones keep their target until `fallbackAt`).
 * `hold`: not routed (the softbot asking, an unauthorized customer): the
 * conversation's state, in the protocol's words.
 * `assigned`: the customer answered an agent's template and that agent took
 * it straight onto their desk (no routing).
 */
export type RouteRequest =
  | {
      type: "queue";
      skillsetId: string | null;
      kind: "new" | "transfer";
      targetAgentId?: string | null;
      targetAgentName?: string | null;
      mode?: TransferMode | null;
      fallbackAt?: number | null;
      excludeAgentId?: string | null;
      fromAgentName?: string | null;
    }
  | { type: "hold"; state: "bot" | "unauthorized" }
  | { type: "park"; kind: WaitQueueKind; agentId: string; agentName: string }
  | { type: "assigned"; agentId: string; agentName: string }
  | { type: "closed" };

/** Everything a conversation actor needs to start. */
export interface ConversationInit {
  id: string;
  tenantId: string;
  number: NumberInfo;
  customer: CustomerRef;
  skillsetId: string | null;
  createdAt: number;
  config: NumberConfig;
}

/**
 * A number's access token as D1 holds it (sealed: src/platform/secrets.ts),
 * handed by the number to its conversations with their messages and with a
 * configuration change, so their sends need not read D1 for it.
 */
export interface NumberToken {
  numberId: string;
  sealed: string | null;
}

/** Webhook items the Worker hands to a number actor. */
export type NumberItem =
  | { kind: "message"; contact: InboundContact; message: InboundMessage }
  | { kind: "status"; status: StatusUpdate };

/** An agent's live state as routing needs it (the agent actor is its authority). */
export interface AgentLive {
  id: string;
  status: AgentStatus;
  /** Conversations assigned plus offered right now. */
  load: number;
  maxConversations: number;
  /** When the agent last received a conversation; null = never. */
  lastAssignedAt: number | null;
}

/** A waiting conversation, as the Worker filters it (by skillset, for isolated agents). */
export type WaitingEntry = WaitingItem & { skillsetId: string | null };

/** The agent actor's answer to an offer: whether it took it, and its state to correct routing's view. */
export type OfferAnswer = { ok: boolean; agent: AgentLive | null };

/** Accepting an offer, or picking up a waiting conversation. */
export type AcceptResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "offer_gone" | "not_found" };

// ---- conversations an agent starts (agent/outbound-start.ts) ----------------

/** The first message, as the conversation actor stores and sends it. */
export interface OutgoingMessage {
  kind: "text" | "template";
  /** What the desktop and the history show (for a template, the filled-in text). */
  text: string;
  /** Sent instead of `text` (a template's Graph object). */
  content?: OutboundContent;
  templateName?: string;
}

/** What the Worker asks of the agent actor, checked and resolved (customer, number, template). */
export interface StartOutboundRequest {
  number: NumberInfo;
  customer: CustomerRef;
  skillsetId: string | null;
  skillsetName: string | null;
  clientId: string;
  message: OutgoingMessage;
}

export type StartOutboundResult =
  | { ok: true; conversation: ConversationView; message: MessageView }
  | {
      ok: false;
      code:
        | "not_an_agent"
        | "at_capacity"
        | "already_open"
        | "waiting"
        | "awaiting_reply"
        | "window_closed";
      agentName?: string | null;
    };

/** The number actor's answer to opening a conversation for an agent. */
export type OpenOutboundResult =
  | { ok: true; created: true; init: ConversationInit; lastCustomerMessageAt: number | null }
  | { ok: true; created: false; conversationId: string; state: "assigned" | "outbound" }
  | { ok: false; code: "already_open"; agentName: string | null }
  | { ok: false; code: "waiting" | "window_closed" | "no_seat" };

/** What the number actor knows of a customer: when they last wrote, and what is open. */
export interface ContactState {
  lastCustomerMessageAt: number | null;
  open: {
    id: string;
    state: "assigned" | "outbound" | "waiting";
    agentId: string | null;
    agentName: string | null;
  } | null;
}
