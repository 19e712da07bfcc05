/**
 * Offers: a number offers the agent a conversation (capacity is reserved at
 * once); the agent accepts (the seat is theirs, or a conference guest's) or
 * lets it lapse (RONA: the conversation goes back to its number, told by the
 * alarm until the number has heard, `lapsed_offers`); someone else may take
 * it first (withdrawn).
 */
import type { ConversationView, OfferView, UnsequencedEvent } from "../../shared/protocol";
import type { AcceptResult, OfferAnswer } from "../contracts";
import type { Env } from "../env";
import type { ActorDb } from "../sql";
import type { Presence } from "./presence";
import type { Profile } from "./profile";
import { handBack } from "./seats";
import {
  deleteExpiredOffers,
  deleteOffer,
  dropSeat,
  dueLapses,
  expiredOffers,
  fillSeat,
  insertOffer,
  lapseRetry,
  lapseTold,
  type OfferRow,
  offerRow,
  offerViewJson,
  recordLapse,
  reserveSeat,
  seated,
  seatView,
} from "./tables";

/** Telling a number about a lapsed offer is retried after this, doubling up to five minutes. */
const LAPSED_RETRY_BASE_MS = 5_000;
const LAPSED_RETRY_MAX_MS = 5 * 60_000;

/** What the offer flows need of the actor. */
export interface OfferDeps {
  db: ActorDb;
  env: Env;
  now: () => number;
  presence: Pick<Presence, "update" | "live" | "view" | "announce">;
  publish: (event: UnsequencedEvent) => void;
  /** Arms the alarm for the earliest offer expiry or lapse retry. */
  armAlarm: () => Promise<void>;
}

/**
 * Reserves capacity for a conversation and shows the offer, if the agent is
 * Ready and under the limit. Always returns the agent's current live state so
 * the number actor can correct its view. Idempotent per conversation.
 */
export async function offer(
  deps: OfferDeps,
  profile: Profile,
  numberId: string,
  offered: OfferView,
): Promise<OfferAnswer> {
  const { db, presence } = deps;
  if (offerRow(db, offered.conversationId)) return { ok: true, agent: presence.live(profile) };
  const live = presence.live(profile);
  if (live.status !== "ready" || live.load >= live.maxConversations) {
    return { ok: false, agent: live };
  }
  // Only the protocol's fields are kept (an RPC value may carry more).
  const view: OfferView = {
    conversationId: offered.conversationId,
    customerName: offered.customerName,
    customerPhone: offered.customerPhone,
    numberName: offered.numberName,
    displayPhone: offered.displayPhone,
    skillsetName: offered.skillsetName,
    arrivedAt: offered.arrivedAt,
    offeredAt: offered.offeredAt,
    expiresAt: offered.expiresAt,
    kind: offered.kind,
    fromAgentName: offered.fromAgentName,
  };
  insertOffer(db, numberId, view);
  presence.update({ lastAssignedAt: view.offeredAt });
  await deps.armAlarm();
  deps.publish({ type: "offer", offer: view });
  deps.publish({ type: "agent", agent: presence.view(profile) });
  return { ok: true, agent: presence.live(profile) };
}

/**
 * Accepts an offer: the conversation becomes the agent's. The acceptance is
 * committed here first, so an expiry alarm landing meanwhile finds no offer.
 */
export async function accept(
  deps: OfferDeps,
  profile: Profile,
  conversationId: string,
): Promise<AcceptResult> {
  const { db, env, now } = deps;
  const existing = seatView(db, conversationId);
  if (existing) return { ok: true, conversation: existing };
  const row = offerRow(db, conversationId);
  if (!row || row.expires_at <= now()) return { ok: false, code: "offer_gone" };
  const view = offerViewJson.read(row.view);
  if (view.kind === "conference") return joinConference(deps, profile, row);
  deleteOffer(db, conversationId);
  // Reserve the seat now; the view is filled in once the conversation actor answers.
  reserveSeat(db, conversationId, row.number_id);
  const granted = await env.NUMBER.getByName(row.number_id).offerAccepted(conversationId, {
    id: profile.id,
    name: profile.name,
  });
  if (!granted.ok) {
    dropSeat(db, conversationId);
    deps.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
    return { ok: false, code: "offer_gone" };
  }
  const conversation = await env.CONVERSATION.getByName(conversationId).assign({
    id: profile.id,
    name: profile.name,
    skillsetId: granted.skillsetId,
    skillsetName: view.skillsetName,
  });
  // The agent may have been deactivated while we awaited: its seats are gone,
  // so this conversation goes back to routing instead.
  if (!seated(db, conversationId)) {
    await handBack(env, conversationId, row.number_id, profile.id);
    return { ok: false, code: "offer_gone" };
  }
  return seatTaken(deps, conversation);
}

/** The accepted conversation fills its reserved seat; the desktops swap the offer for it. */
function seatTaken(deps: OfferDeps, conversation: ConversationView): AcceptResult {
  const conversationId = conversation.id;
  fillSeat(deps.db, conversation);
  deps.publish({ type: "offer_withdrawn", conversationId, reason: "accepted" });
  deps.publish({ type: "conversation", conversation });
  return { ok: true, conversation };
}

/** Accepting an invitation to a conference: the seat stays, the conversation adds us as a guest. */
async function joinConference(
  deps: OfferDeps,
  profile: Profile,
  row: OfferRow,
): Promise<AcceptResult> {
  const { db, env } = deps;
  const conversationId = row.conversation_id;
  deleteOffer(db, conversationId);
  reserveSeat(db, conversationId, row.number_id);
  const conversation = await env.CONVERSATION.getByName(conversationId).join({
    id: profile.id,
    name: profile.name,
  });
  if (!conversation) {
    dropSeat(db, conversationId);
    deps.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
    await deps.presence.announce(profile);
    return { ok: false, code: "offer_gone" };
  }
  return seatTaken(deps, conversation);
}

/** Someone else took the conversation offered to us: the offer goes, capacity frees up. Idempotent. */
export async function withdrawOffer(
  deps: OfferDeps,
  profile: Profile | null,
  conversationId: string,
): Promise<void> {
  if (!deleteOffer(deps.db, conversationId) || !profile) return;
  deps.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
  await deps.armAlarm();
  await deps.presence.announce(profile);
}

/**
 * Expires the offers not accepted in time: the agent goes to RONA and each
 * lapse is recorded for its number (an unanswered conference invitation just
 * lapses: the conversation stays with its owner). Safe to run twice.
 */
export function expireOffers(deps: OfferDeps, profile: Profile | null): void {
  const { db, now } = deps;
  const expired = expiredOffers(db, now());
  if (expired.length === 0 || !profile) return;
  deleteExpiredOffers(db, now());
  deps.presence.update({ status: "rona" });
  for (const o of expired) {
    deps.publish({ type: "offer_withdrawn", conversationId: o.conversation_id, reason: "expired" });
    if (offerViewJson.read(o.view).kind !== "conference") {
      recordLapse(db, o.conversation_id, o.number_id, now());
    }
  }
  deps.publish({ type: "agent", agent: deps.presence.view(profile) });
}

/** Tells each number about its lapsed offers, each call on its own; failures wait for the alarm. */
export async function tellNumbersOfLapses(deps: OfferDeps, profile: Profile | null): Promise<void> {
  const { db, env, now } = deps;
  if (!profile) return;
  await Promise.all(
    dueLapses(db, now()).map(async (row) => {
      try {
        await env.NUMBER.getByName(row.number_id).offerExpired(row.conversation_id, profile.id);
        lapseTold(db, row.conversation_id);
      } catch (err) {
        console.error("telling the number of a lapsed offer failed; retrying", row, err);
        const attempts = row.attempts + 1;
        lapseRetry(
          db,
          row.conversation_id,
          attempts,
          now() + Math.min(LAPSED_RETRY_BASE_MS * 2 ** (attempts - 1), LAPSED_RETRY_MAX_MS),
        );
      }
    }),
  );
}
