/** Values passed between the Worker and the actors over RPC. */
import type { InboundContact, InboundMessage, StatusUpdate } from "../worker/meta/webhook";

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
}

/** Everything a conversation actor needs to start. */
export interface ConversationInit {
  id: string;
  tenantId: string;
  number: NumberInfo;
  customer: CustomerRef;
  skillsetId: string | null;
  createdAt: number;
}

/** Webhook items the Worker hands to a number actor. */
export type NumberItem =
  | { kind: "message"; contact: InboundContact; message: InboundMessage }
  | { kind: "status"; status: StatusUpdate };

/** Outcome values of actor methods; exceptions are reserved for bugs. */
export type Result<T, C extends string = string> = ({ ok: true } & T) | { ok: false; code: C };
