/** Values passed between the Worker and the actors over RPC. */

import type { InboundContact, InboundMessage, StatusUpdate } from "../meta/webhook-payload";
import { readSettings, type StoredSettings } from "../shared/number-settings";
import type { TransferMode, WaitQueueKind } from "../shared/protocol";

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
 * `hold`: not routed (softbot asking, unauthorized number).
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
  | { type: "hold"; state: "bot" | "held" }
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

/** Webhook items the Worker hands to a number actor. */
export type NumberItem =
  | { kind: "message"; contact: InboundContact; message: InboundMessage }
  | { kind: "status"; status: StatusUpdate };

/** Outcome values of actor methods; exceptions are reserved for bugs. */
export type Result<T, C extends string = string> = ({ ok: true } & T) | { ok: false; code: C };
