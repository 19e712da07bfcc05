/**
 * The agent's capacity, as stored: the offers shown to the agent (`offers`),
 * the conversations on their desk (`conversations`, one seat each) and the
 * lapsed offers whose number has not been told yet (`lapsed_offers`). The
 * agent's load is offers plus seats. The statements on these tables are
 * here, for the flows in offers.ts, seats.ts and presence.ts.
 */
import type { ConversationView, OfferView } from "../../shared/protocol";
import { type ActorDb, StoredJson, sql } from "../sql";

/** A row of `offers`. */
export type OfferRow = {
  conversation_id: string;
  number_id: string;
  view: string;
  expires_at: number;
};
/** A row of `lapsed_offers`. */
export type LapsedRow = {
  conversation_id: string;
  number_id: string;
  attempts: number;
  next_at: number;
};
/** A seat, by conversation and number. */
export type SeatRef = { conversation_id: string; number_id: string };

/** `offers.view`: the offer as the desktop shows it. */
export const offerViewJson = new StoredJson<OfferView>();
/**
 * `conversations.view`: the conversation as the desktop shows it. A seat
 * reserved before the conversation actor answers holds `{}` (no `id`), and
 * readers check `id` before showing it.
 */
export const seatViewJson = new StoredJson<ConversationView>();
const RESERVED = "{}";

// ---- offers -------------------------------------------------------------------

/** The agent's offer of the conversation, or null. */
export function offerRow(db: ActorDb, conversationId: string): OfferRow | null {
  return db.one<OfferRow>(sql`SELECT * FROM offers WHERE conversation_id = ${conversationId}`);
}

/** Shows an offer (capacity is reserved from now on). */
export function insertOffer(db: ActorDb, numberId: string, view: OfferView): void {
  db.run(
    sql`INSERT INTO offers (conversation_id, number_id, view, expires_at)
        VALUES (${view.conversationId}, ${numberId}, ${offerViewJson.write(view)}, ${view.expiresAt})`,
  );
}

/** Removes the offer; returns whether there was one. */
export function deleteOffer(db: ActorDb, conversationId: string): boolean {
  return db.run(sql`DELETE FROM offers WHERE conversation_id = ${conversationId}`) > 0;
}

/** How many offers of this conversation the agent holds (0 or 1). */
export function offerCount(db: ActorDb, conversationId: string): number {
  return (
    db.one<{ n: number }>(
      sql`SELECT count(*) AS n FROM offers WHERE conversation_id = ${conversationId}`,
    )?.n ?? 0
  );
}

/** Every offer the agent holds. */
export function allOffers(db: ActorDb): OfferRow[] {
  return db.all<OfferRow>(sql`SELECT * FROM offers`);
}

/** The offers as the desktop lists them, the first to lapse first. */
export function offerViews(db: ActorDb): OfferView[] {
  return db
    .all<OfferRow>(sql`SELECT * FROM offers ORDER BY expires_at`)
    .map((o) => offerViewJson.read(o.view));
}

/** Withdraws every offer (deactivation). */
export function deleteAllOffers(db: ActorDb): void {
  db.run(sql`DELETE FROM offers`);
}

/** The offers whose time is up at `at`. */
export function expiredOffers(db: ActorDb, at: number): OfferRow[] {
  return db.all<OfferRow>(sql`SELECT * FROM offers WHERE expires_at <= ${at}`);
}

/** Removes the offers whose time is up at `at`. */
export function deleteExpiredOffers(db: ActorDb, at: number): void {
  db.run(sql`DELETE FROM offers WHERE expires_at <= ${at}`);
}

// ---- lapsed offers, until their number is told ---------------------------------

/** Records a lapse to tell the number about, due at `at`. Idempotent. */
export function recordLapse(
  db: ActorDb,
  conversationId: string,
  numberId: string,
  at: number,
): void {
  db.run(
    sql`INSERT INTO lapsed_offers (conversation_id, number_id, attempts, next_at)
        VALUES (${conversationId}, ${numberId}, 0, ${at}) ON CONFLICT DO NOTHING`,
  );
}

/** The lapses whose number is due to be told at `at`. */
export function dueLapses(db: ActorDb, at: number): LapsedRow[] {
  return db.all<LapsedRow>(sql`SELECT * FROM lapsed_offers WHERE next_at <= ${at}`);
}

/** The number was told. */
export function lapseTold(db: ActorDb, conversationId: string): void {
  db.run(sql`DELETE FROM lapsed_offers WHERE conversation_id = ${conversationId}`);
}

/** Telling the number failed: the next try is at `nextAt`. */
export function lapseRetry(
  db: ActorDb,
  conversationId: string,
  attempts: number,
  nextAt: number,
): void {
  db.run(
    sql`UPDATE lapsed_offers SET attempts = ${attempts}, next_at = ${nextAt}
        WHERE conversation_id = ${conversationId}`,
  );
}

/** The earliest offer expiry or lapse retry, or null. */
export function nextOfferDeadline(db: ActorDb): number | null {
  return (
    db.one<{ at: number | null }>(
      sql`SELECT min(at) AS at FROM (
            SELECT min(expires_at) AS at FROM offers
            UNION ALL SELECT min(next_at) FROM lapsed_offers)`,
    )?.at ?? null
  );
}

// ---- seats ----------------------------------------------------------------------

/** The agent's load: offers plus seats. */
export function load(db: ActorDb): number {
  return (
    db.one<{ n: number }>(
      sql`SELECT (SELECT count(*) FROM offers) + (SELECT count(*) FROM conversations) AS n`,
    )?.n ?? 0
  );
}

/** Whether the conversation has a seat on this agent's desk (reserved or filled). */
export function seated(db: ActorDb, conversationId: string): boolean {
  return (
    db.one(sql`SELECT 1 AS x FROM conversations WHERE conversation_id = ${conversationId}`) !== null
  );
}

/** The seat's view (`{}` while reserved), or null without a seat. */
export function seatView(db: ActorDb, conversationId: string): ConversationView | null {
  const seat = db.one<{ view: string }>(
    sql`SELECT view FROM conversations WHERE conversation_id = ${conversationId}`,
  );
  return seat ? seatViewJson.read(seat.view) : null;
}

/** Reserves a seat (its view follows with `fillSeat`). */
export function reserveSeat(db: ActorDb, conversationId: string, numberId: string): void {
  db.run(
    sql`INSERT INTO conversations (conversation_id, number_id, view)
        VALUES (${conversationId}, ${numberId}, ${RESERVED})`,
  );
}

/** Reserves a seat, emptying the one the conversation may already have. */
export function reserveSeatAgain(db: ActorDb, conversationId: string, numberId: string): void {
  db.run(
    sql`INSERT OR REPLACE INTO conversations (conversation_id, number_id, view)
        VALUES (${conversationId}, ${numberId}, ${RESERVED})`,
  );
}

/** Shows `view` in its seat; returns whether there was one. */
export function fillSeat(db: ActorDb, view: ConversationView): boolean {
  return (
    db.run(
      sql`UPDATE conversations SET view = ${seatViewJson.write(view)}
          WHERE conversation_id = ${view.id}`,
    ) > 0
  );
}

/**
 * A message of the seated conversation: its label follows (newest seq; a
 * customer's message also moves their window, `customerAt` null keeping it).
 * Returns whether the conversation has a filled seat here.
 */
export function seatMessage(
  db: ActorDb,
  conversationId: string,
  seq: number,
  customerAt: number | null,
): boolean {
  // Written only when the label changes (a tick on a message already counted
  // changes nothing), as every row written is billed.
  const changed = db.run(
    sql`UPDATE conversations
        SET view = json_set(view, '$.lastSeq', max(coalesce(json_extract(view, '$.lastSeq'), 0), ${seq}),
          '$.lastCustomerMessageAt', coalesce(${customerAt}, json_extract(view, '$.lastCustomerMessageAt')))
        WHERE conversation_id = ${conversationId} AND json_extract(view, '$.id') IS NOT NULL
          AND (coalesce(json_extract(view, '$.lastSeq'), 0) < ${seq}
            OR (${customerAt} IS NOT NULL
              AND coalesce(json_extract(view, '$.lastCustomerMessageAt'), -1) <> ${customerAt}))`,
  );
  return (
    changed > 0 ||
    db.one(sql`SELECT 1 AS seated FROM conversations WHERE conversation_id = ${conversationId}`) !==
      null
  );
}

/** Frees the seat; returns whether there was one. */
export function dropSeat(db: ActorDb, conversationId: string): boolean {
  return db.run(sql`DELETE FROM conversations WHERE conversation_id = ${conversationId}`) > 0;
}

/** Frees the seat only if it is still a reservation. */
export function dropReservedSeat(db: ActorDb, conversationId: string): void {
  db.run(
    sql`DELETE FROM conversations WHERE conversation_id = ${conversationId} AND view = ${RESERVED}`,
  );
}

/** Every seat, with the number its conversation belongs to. */
export function seatRefs(db: ActorDb): SeatRef[] {
  return db.all<SeatRef>(sql`SELECT conversation_id, number_id FROM conversations`);
}

/** The filled seats' views. */
export function seatViews(db: ActorDb): ConversationView[] {
  return db
    .all<{ view: string }>(sql`SELECT view FROM conversations`)
    .map((r) => seatViewJson.read(r.view))
    .filter((c) => c.id);
}

/** Frees every seat (deactivation). */
export function deleteAllSeats(db: ActorDb): void {
  db.run(sql`DELETE FROM conversations`);
}
