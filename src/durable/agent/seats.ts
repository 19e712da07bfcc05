/**
 * The conversations on the agent's desk, one seat each, counted against their
 * limit: taken by hand (pick-up, unpause), for a template the customer
 * answered, for a conversation the agent starts (`seatBook`), and given back
 * (released, handed back to routing). A seat is reserved before any await and
 * filled with the conversation's view once its actor answers, so concurrent
 * requests never take more seats than the limit.
 */
import type { ConversationView, MessageView, UnsequencedEvent } from "../../shared/protocol";
import type { AcceptResult } from "../contracts";
import type { Env } from "../env";
import type { ActorDb } from "../sql";
import type { SeatBook } from "./outbound-start";
import type { Presence } from "./presence";
import type { Profile } from "./profile";
import {
  deleteOffer,
  dropReservedSeat,
  dropSeat,
  fillSeat,
  load,
  offerCount,
  reserveSeat,
  reserveSeatAgain,
  seated,
  seatMessage,
  seatView,
} from "./tables";

/** What the seat flows need of the actor. */
export interface SeatDeps {
  db: ActorDb;
  env: Env;
  now: () => number;
  presence: Pick<Presence, "get" | "update" | "announce">;
  publish: (event: UnsequencedEvent) => void;
}

/** Gives an assigned conversation back to routing: unassigned first, then requeued. Idempotent. */
export async function handBack(
  env: Env,
  conversationId: string,
  numberId: string,
  agentId: string,
): Promise<void> {
  await env.CONVERSATION.getByName(conversationId).unassign(agentId);
  await env.NUMBER.getByName(numberId).handBack(conversationId, agentId);
}

/**
 * The agent takes a waiting conversation by hand (pick-up from the waiting
 * list, or unpause from their own wait queue when `ownWaitQueue`): the number
 * grants it, whoever had it is told, and it opens on this desktop. Not
 * limited by status, but refused (`at_capacity`) at the agent's limit.
 */
export async function pickUp(
  deps: SeatDeps,
  profile: Profile,
  conversationId: string,
  numberId: string,
  ownWaitQueue: boolean,
): Promise<AcceptResult | { ok: false; code: "not_waiting" | "at_capacity" }> {
  const { db, env, now } = deps;
  const seat = seatView(db, conversationId);
  if (seat?.id && seat.agentId === profile.id) return { ok: true, conversation: seat };
  // No await from here to the reservation: the check and the reservation are one step.
  // A seat or an offer this agent already has for the conversation becomes the new seat.
  const others = load(db) - (seat ? 1 : 0) - offerCount(db, conversationId);
  if (others >= profile.maxConversations) return { ok: false, code: "at_capacity" };
  reserveSeatAgain(db, conversationId, numberId);
  const granted = await env.NUMBER.getByName(numberId).claim(
    conversationId,
    { id: profile.id, name: profile.name },
    ownWaitQueue ? profile.id : null,
  );
  if (!granted.ok) {
    dropSeat(db, conversationId);
    return { ok: false, code: granted.code === "not_found" ? "not_found" : "not_waiting" };
  }
  if (granted.offeredTo && granted.offeredTo !== profile.id) {
    await env.AGENT.getByName(granted.offeredTo).withdrawOffer(conversationId);
  }
  deleteOffer(db, conversationId);
  const conversation = await env.CONVERSATION.getByName(conversationId).assign({
    id: profile.id,
    name: profile.name,
    skillsetId: granted.skillsetId,
    skillsetName: null,
  });
  if (granted.previousOwner && granted.previousOwner !== profile.id) {
    await env.AGENT.getByName(granted.previousOwner).release(conversationId, conversation);
  }
  fillSeat(db, conversation);
  deps.presence.update({ lastAssignedAt: now() });
  deps.publish({ type: "conversation", conversation });
  await deps.presence.announce(profile);
  return { ok: true, conversation };
}

/**
 * The customer answered this agent's template: takes a seat for it unless the
 * agent is offline or at their limit (then it is routed like any other).
 * The conversation fills the seat's view once assigned. Idempotent.
 */
export async function seatAnswered(
  deps: SeatDeps,
  profile: Profile,
  numberId: string,
  conversationId: string,
): Promise<boolean> {
  const { db, now } = deps;
  if (seated(db, conversationId)) return true;
  if (deps.presence.get().status === "offline" || load(db) >= profile.maxConversations) {
    return false;
  }
  reserveSeat(db, conversationId, numberId);
  deps.presence.update({ lastAssignedAt: now() });
  await deps.presence.announce(profile);
  return true;
}

/**
 * A conversation of this agent ended (closed or transferred away): the seat
 * frees up, the desktops get its last view, and routing re-runs. Idempotent.
 */
export async function release(
  deps: SeatDeps,
  profile: Profile | null,
  conversationId: string,
  conversation: ConversationView,
): Promise<void> {
  if (!dropSeat(deps.db, conversationId) || !profile) return;
  deps.publish({ type: "conversation", conversation });
  await deps.presence.announce(profile);
}

/** A conversation event for the agent's desktops. */
export type SeatEvent =
  | { type: "message"; conversationId: string; message: MessageView }
  | { type: "conversation"; conversation: ConversationView };

/**
 * Keeps the seat's view current with the event (its label, the customer's
 * window) and says whether the conversation is seated here. One statement
 * both checks the seat and updates it.
 */
export function seatEvent(db: ActorDb, event: SeatEvent): boolean {
  if (event.type === "conversation") return fillSeat(db, event.conversation);
  const { message } = event;
  return seatMessage(
    db,
    event.conversationId,
    message.seq,
    message.direction === "in" ? message.createdAt : null,
  );
}

/** The seats a conversation the agent starts takes (see outbound-start.ts). */
export function seatBook(deps: SeatDeps, profile: Profile): SeatBook {
  const { db, now } = deps;
  return {
    reserve: (conversationId, numberId) => {
      if (load(db) >= profile.maxConversations) return false;
      reserveSeat(db, conversationId, numberId);
      return true;
    },
    cancel: (conversationId) => dropReservedSeat(db, conversationId),
    fill: async (conversation) => {
      fillSeat(db, conversation);
      deps.presence.update({ lastAssignedAt: now() });
      deps.publish({ type: "conversation", conversation });
      await deps.presence.announce(profile);
    },
  };
}
