/**
 * The number's open conversations (table `conversations`): one row per
 * customer with a conversation open on this number, saying where routing has
 * it and who has it. This module owns the row, its states and every change of
 * state asked by the conversation (a routing request) or an agent (claim,
 * accept, lapse, hand back, left open). A closed conversation has no row.
 */
import type { InboundContact } from "../../meta/webhook-payload";
import type { ConversationState, TransferMode, WaitQueueKind } from "../../shared/protocol";
import type { CustomerRef, RouteRequest } from "../contracts";
import { type ActorDb, StoredJson, sql } from "../sql";

/**
 * A row's state, in the protocol's words (`ConversationState`), plus `new`:
 * the first message is being stored and the conversation has not answered
 * with a routing request yet. A transfer waits as `queued`/`offered` with
 * `kind` 'transfer' (the protocol's `transfer`), and a closed conversation is
 * deleted, so neither of those two words is stored.
 */
export type RowState = Exclude<ConversationState, "transfer" | "closed"> | "new";

/** The states in which no agent is working the conversation: anyone may pick it up. */
export const WAITING_STATES = [
  "bot",
  "unauthorized",
  "queued",
  "offered",
  "wait_queue",
] as const satisfies readonly RowState[];

/** A row of `conversations`: an open conversation of this number. */
export type ConversationRow = {
  id: string;
  contact_key: string;
  /** Who wrote (Meta's contact), see `contactJson`. */
  contact_json: string;
  state: RowState;
  arrived_at: number;
  /** The customer once looked up in D1 (null until then), see `customerJson`. */
  customer_json: string | null;
  /** The skillset the conversation asks for (customer default, bot choice); null = any. */
  skillset_id: string | null;
  offered_to: string | null;
  /** The skillset through which the current offer was made. */
  offered_skillset_id: string | null;
  /** The owner (assigned, left open), or who put it in the wait queue. */
  agent_id: string | null;
  agent_name: string | null;
  /** Routing offers it only to this agent (a transfer, a personal wait queue)… */
  target_agent_id: string | null;
  target_agent_name: string | null;
  /** …until then (null: until that agent refuses, for an immediate transfer). */
  fallback_at: number | null;
  transfer_mode: TransferMode | null;
  /** Never offered to this agent (who transferred it away). */
  exclude_agent_id: string | null;
  kind: "new" | "transfer";
  from_agent_name: string | null;
  wait_kind: WaitQueueKind | null;
  /** Its agent logged out with it open. */
  left_open: number;
  /** When it entered its current state. */
  since: number | null;
};

/** `contact_json`: the contact as Meta named it. */
export const contactJson = new StoredJson<InboundContact>();
/** `customer_json`: the customer as the conversation knows them. */
export const customerJson = new StoredJson<CustomerRef>();

/** The customer of a row, once looked up (null before). */
export function customerOf(row: ConversationRow): CustomerRef | null {
  return customerJson.readOptional(row.customer_json);
}

/** The open conversation `id`, or null (closed, or never this number's). */
export function conversationRow(db: ActorDb, id: string): ConversationRow | null {
  return db.one<ConversationRow>(sql`SELECT * FROM conversations WHERE id = ${id}`);
}

/** The conversation the customer has open on this number, if any. */
export function conversationOfContact(db: ActorDb, contactKey: string): ConversationRow | null {
  return db.one<ConversationRow>(
    sql`SELECT * FROM conversations WHERE contact_key = ${contactKey}`,
  );
}

/** Opens a conversation for a customer's first message (`new`), and returns its id. */
export function insertArrived(
  db: ActorDb,
  contactKey: string,
  contact: InboundContact,
  at: number,
): string {
  const id = crypto.randomUUID();
  db.run(
    sql`INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at)
        VALUES (${id}, ${contactKey}, ${contactJson.write(contact)}, 'new', ${at})`,
  );
  return id;
}

/** The customer was looked up: stored on the row with the skillset they ask for. */
export function setCustomer(
  db: ActorDb,
  id: string,
  customer: CustomerRef,
  skillsetId: string | null,
): void {
  db.run(
    sql`UPDATE conversations SET customer_json = ${customerJson.write(customer)},
          skillset_id = ${skillsetId} WHERE id = ${id}`,
  );
}

/**
 * Applies a conversation's routing request to its row: queue it (for a
 * skillset, or a target agent), hold it (softbot, unauthorized), put it in
 * the wait queue, hand it to the agent it answered, or forget it (closed).
 * Returns whether routing must run (a conversation was queued). Idempotent.
 */
export function applyRoute(
  db: ActorDb,
  conversationId: string,
  route: RouteRequest,
  at: number,
): boolean {
  switch (route.type) {
    case "closed":
      forget(db, conversationId);
      return false;
    case "hold":
      db.run(
        sql`UPDATE conversations SET state = ${route.state}, since = ${at}, offered_to = NULL
            WHERE id = ${conversationId} AND state IN ('new', 'bot', 'unauthorized')`,
      );
      return false;
    case "assigned":
      db.run(
        sql`UPDATE conversations SET state = 'assigned', since = ${at}, agent_id = ${route.agentId},
              agent_name = ${route.agentName}
            WHERE id = ${conversationId} AND state = 'outbound'`,
      );
      return false;
    case "park":
      db.run(
        sql`UPDATE conversations SET state = 'wait_queue', since = ${at}, wait_kind = ${route.kind},
              agent_id = ${route.agentId}, agent_name = ${route.agentName},
              offered_to = NULL, target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL,
              transfer_mode = NULL, exclude_agent_id = NULL, left_open = 0
            WHERE id = ${conversationId}`,
      );
      return false;
    case "queue":
      return (
        db.run(
          sql`UPDATE conversations SET state = 'queued', since = ${at}, skillset_id = ${route.skillsetId},
                kind = ${route.kind}, target_agent_id = ${route.targetAgentId ?? null},
                target_agent_name = ${route.targetAgentName ?? null}, transfer_mode = ${route.mode ?? null},
                fallback_at = ${route.fallbackAt ?? null}, exclude_agent_id = ${route.excludeAgentId ?? null},
                from_agent_name = ${route.fromAgentName ?? null}, offered_to = NULL, agent_id = NULL,
                agent_name = NULL, wait_kind = NULL, left_open = 0
              WHERE id = ${conversationId} AND state <> 'offered'`,
        ) > 0
      );
  }
}

/**
 * Whether `agentId` may take the conversation by hand: it waits (for routing,
 * even if offered to someone; held; in a wait queue) or its agent left it
 * open; with `onlyParkedBy`, only from that agent's own wait queue. Pure.
 */
export function claimable(
  row: Pick<ConversationRow, "state" | "left_open" | "agent_id">,
  agentId: string,
  onlyParkedBy: string | null,
): boolean {
  const waiting =
    (WAITING_STATES as readonly RowState[]).includes(row.state) ||
    (row.state === "assigned" && row.left_open === 1 && row.agent_id !== agentId);
  if (!waiting) return false;
  return onlyParkedBy === null || (row.state === "wait_queue" && row.agent_id === onlyParkedBy);
}

/** What a claim answers: who had the conversation before, or why not. */
export type ClaimResult =
  | { ok: true; skillsetId: string | null; offeredTo: string | null; previousOwner: string | null }
  | { ok: false; code: "not_found" | "not_waiting" };

/**
 * An agent takes a conversation that is not being worked (see `claimable`):
 * it is theirs. Returns who had it before (an offer to withdraw, an owner to
 * release), or a refusal.
 */
export function claim(
  db: ActorDb,
  conversationId: string,
  agent: { id: string; name: string },
  onlyParkedBy: string | null,
  at: number,
): ClaimResult {
  const row = conversationRow(db, conversationId);
  if (!row) return { ok: false, code: "not_found" };
  if (!claimable(row, agent.id, onlyParkedBy)) return { ok: false, code: "not_waiting" };
  const previousOwner = row.state === "assigned" ? row.agent_id : null;
  const offeredTo = row.state === "offered" ? row.offered_to : null;
  db.run(
    sql`UPDATE conversations SET state = 'assigned', since = ${at}, agent_id = ${agent.id},
          agent_name = ${agent.name}, offered_to = NULL, target_agent_id = NULL,
          target_agent_name = NULL, fallback_at = NULL, transfer_mode = NULL,
          exclude_agent_id = NULL, wait_kind = NULL, left_open = 0
        WHERE id = ${conversationId}`,
  );
  return { ok: true, skillsetId: row.skillset_id, offeredTo, previousOwner };
}

/** Marks (logout) or clears (back online) "left open" on the owner's conversation. Idempotent. */
export function markLeftOpen(
  db: ActorDb,
  conversationId: string,
  agentId: string,
  open: boolean,
): void {
  db.run(
    sql`UPDATE conversations SET left_open = ${open ? 1 : 0}
        WHERE id = ${conversationId} AND state = 'assigned' AND agent_id = ${agentId}`,
  );
}

/** Routing offered the conversation to `agentId` through `skillsetId`. */
export function markOffered(
  db: ActorDb,
  conversationId: string,
  agentId: string,
  skillsetId: string,
): void {
  db.run(
    sql`UPDATE conversations SET state = 'offered', offered_to = ${agentId},
          offered_skillset_id = ${skillsetId} WHERE id = ${conversationId}`,
  );
}

/**
 * The offer to `agentId` is over (refused, or lapsed): the conversation waits
 * again, keeping its place. Returns whether it did (the offer was still out).
 */
export function requeueOffered(db: ActorDb, conversationId: string, agentId: string): boolean {
  return (
    db.run(
      sql`UPDATE conversations SET state = 'queued', offered_to = NULL
          WHERE id = ${conversationId} AND state = 'offered' AND offered_to = ${agentId}`,
    ) > 0
  );
}

/**
 * The agent accepted the offer: the conversation is theirs. Returns the
 * skillset the offer was made through, or null when the offer is no longer
 * valid (closed, picked up or re-offered meanwhile).
 */
export function acceptOffer(
  db: ActorDb,
  conversationId: string,
  agent: { id: string; name: string },
  at: number,
): { skillsetId: string | null } | null {
  const updated = db.run(
    sql`UPDATE conversations SET state = 'assigned', since = ${at}, agent_id = ${agent.id},
          agent_name = ${agent.name}, offered_to = NULL, target_agent_id = NULL,
          target_agent_name = NULL, fallback_at = NULL, transfer_mode = NULL, exclude_agent_id = NULL
        WHERE id = ${conversationId} AND state = 'offered' AND offered_to = ${agent.id}`,
  );
  if (updated === 0) return null;
  return { skillsetId: conversationRow(db, conversationId)?.offered_skillset_id ?? null };
}

/**
 * The offer to `agentId` lapsed: the conversation waits again, keeping its
 * place. An immediate transfer stops waiting for that target and falls back
 * to the others; an exclusive one keeps waiting for it. Returns whether the
 * conversation was requeued.
 */
export function offerLapsed(db: ActorDb, conversationId: string, agentId: string): boolean {
  const requeued = requeueOffered(db, conversationId, agentId);
  db.run(
    sql`UPDATE conversations SET target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL
        WHERE id = ${conversationId} AND target_agent_id = ${agentId}
          AND transfer_mode IS NOT 'exclusive'`,
  );
  return requeued;
}

/**
 * The agent can no longer serve the conversation (deactivated): offered or
 * assigned to them, it waits again, keeping its place. Returns whether it
 * was requeued. Idempotent.
 */
export function handBack(db: ActorDb, conversationId: string, agentId: string): boolean {
  return (
    db.run(
      sql`UPDATE conversations SET state = 'queued', offered_to = NULL, agent_id = NULL,
            agent_name = NULL, left_open = 0, target_agent_id = NULL, target_agent_name = NULL,
            fallback_at = NULL
          WHERE id = ${conversationId}
            AND ((state = 'offered' AND offered_to = ${agentId})
              OR (state = 'assigned' AND agent_id = ${agentId}))`,
    ) > 0
  );
}

/** The conversation closed: the customer's next message opens a new one. Idempotent. */
export function forget(db: ActorDb, conversationId: string): void {
  db.run(sql`DELETE FROM conversations WHERE id = ${conversationId}`);
}
