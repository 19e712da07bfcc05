/**
 * The number's part in a conversation an agent starts (the whole flow is in
 * ../agent/outbound-start.ts): one open conversation per customer per
 * number, and a free message only inside the customer's 24-hour window.
 */
import type { InboundContact } from "../../meta/webhook-payload";
import { customerWindowOpen } from "../../shared/protocol";
import type {
  ContactState,
  ConversationInit,
  CustomerRef,
  NumberConfig,
  NumberInfo,
  OpenOutboundResult,
} from "../contracts";
import { type ActorDb, sql } from "../sql";
import { contactJson, conversationOfContact, customerJson } from "./conversations";
import { lastInboundAt } from "./intake";
import { contactOpenOf } from "./listings";

/** What the agent asks for: the state to open in, and whether it holds a seat for a new one. */
export interface OpenOutboundOptions {
  state: "assigned" | "outbound";
  mayCreate: boolean;
}

/**
 * Opens the conversation an agent starts with `customer` under
 * `conversationId`, or finds the one already open. Synchronous, so the check
 * and the insert are one step: neither an inbound message nor a colleague can
 * open a second one meanwhile. The caller's own open conversation is returned
 * to continue; someone else's, or one waiting for routing, is refused. A new
 * `assigned` one (a free message) needs the customer's 24-hour window open,
 * by when they last wrote to this number. Idempotent for the same agent and
 * customer.
 */
export function openOutbound(
  db: ActorDb,
  at: number,
  number: NumberInfo,
  config: NumberConfig,
  request: {
    conversationId: string;
    customer: CustomerRef;
    skillsetId: string | null;
    agent: { id: string; name: string };
  },
  options: OpenOutboundOptions,
): OpenOutboundResult {
  const { conversationId, customer, skillsetId, agent } = request;
  const row = conversationOfContact(db, customer.contactKey);
  if (row) {
    if ((row.state === "assigned" || row.state === "outbound") && row.agent_id === agent.id) {
      return { ok: true, created: false, conversationId: row.id, state: row.state };
    }
    if (row.state === "assigned" || row.state === "outbound") {
      return { ok: false, code: "already_open", agentName: row.agent_name };
    }
    return { ok: false, code: "waiting" };
  }
  const lastCustomerMessageAt = lastInboundAt(db, customer.contactKey);
  if (options.state === "assigned" && !customerWindowOpen(lastCustomerMessageAt, at)) {
    return { ok: false, code: "window_closed" };
  }
  if (!options.mayCreate) return { ok: false, code: "no_seat" };
  const userId = customer.contactKey.startsWith("u:") ? customer.contactKey.slice(2) : null;
  const contact: InboundContact = {
    waId: userId ? null : customer.contactKey,
    userId,
    name: customer.name,
  };
  db.run(
    sql`INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at, customer_json,
          skillset_id, agent_id, agent_name, since)
        VALUES (${conversationId}, ${customer.contactKey}, ${contactJson.write(contact)},
          ${options.state}, ${at}, ${customerJson.write(customer)}, ${skillsetId}, ${agent.id},
          ${agent.name}, ${at})`,
  );
  const init: ConversationInit = {
    id: conversationId,
    tenantId: number.tenantId,
    number,
    customer,
    skillsetId,
    createdAt: at,
    config,
  };
  return { ok: true, created: true, init, lastCustomerMessageAt };
}

/**
 * For each contact key: when the customer last wrote to this number, and the
 * conversation they have open here (whose, and whether it is being worked).
 */
export function contactStates(db: ActorDb, contactKeys: string[]): Record<string, ContactState> {
  const out: Record<string, ContactState> = {};
  for (const key of contactKeys) {
    out[key] = {
      lastCustomerMessageAt: lastInboundAt(db, key),
      open: contactOpenOf(conversationOfContact(db, key)),
    };
  }
  return out;
}
