/**
 * The conversation's `messages` table: its rows, the JSON its columns hold
 * (each type declared once here), the statements that write them, and the
 * desktop's view of a row. Inbound rows are unique by wamid (Meta's
 * redeliveries store nothing new); ours by id (a client id, or an automatic
 * message's fixed `auto:<key>`, so a repeated effect inserts nothing).
 */
import type { OutboundContent } from "../../meta/graph";
import type { InboundMessage } from "../../meta/webhook-payload";
import type { MessageError, MessageView, Sender, SentMedia, Tick } from "../../shared/protocol";
import { type ActorDb, rawSql, StoredJson, sql } from "../sql";
import { viewExtras } from "./stored-content";

export type MessageRow = {
  seq: number;
  id: string;
  wamid: string | null;
  direction: "in" | "out";
  kind: string;
  text: string;
  payload: string | null;
  status: Tick | null;
  error: string | null;
  sender: string;
  created_at: number;
  /** Our messages: the id of the message the agent resent it as (see `resend`). */
  resent_as: string | null;
};

/** `sender`: who wrote the message. */
export const senderJson = new StoredJson<Sender>();
/** `error`: why Meta refused or failed our message. */
export const errorJson = new StoredJson<MessageError>();

/** `payload` of an inbound row: what the webhook said beyond the text (read by stored-content.ts). */
export type InboundPayload = Pick<
  InboundMessage,
  "payload" | "context" | "referral" | "errors" | "originalType"
>;
export const inboundPayloadJson = new StoredJson<InboundPayload>();

/**
 * `payload` of our messages: what is sent instead of the text (`content`), the
 * agent's file (`media`), the template's name (`templateName`).
 */
export interface OutboundPayload {
  content?: OutboundContent;
  media?: SentMedia;
  templateName?: string;
}
export const outboundPayloadJson = new StoredJson<OutboundPayload>();

/**
 * Stores a customer's message once (by wamid); null when it was there
 * already. A refused attachment keeps its summary, marked, and no payload.
 */
export function insertInbound(db: ActorDb, m: InboundMessage, refused: boolean): MessageRow | null {
  const payload = refused
    ? null
    : inboundPayloadJson.write({
        payload: m.payload,
        context: m.context,
        referral: m.referral,
        errors: m.errors,
        originalType: m.originalType,
      });
  return db.one<MessageRow>(
    sql`INSERT INTO messages (id, wamid, direction, kind, text, payload, sender, created_at)
        VALUES (${crypto.randomUUID()}, ${m.id}, 'in', ${m.type},
          ${refused ? `[attachment refused] ${m.text}` : m.text}, ${payload},
          ${senderJson.write({ type: "customer" })}, ${m.timestampMs})
        ON CONFLICT DO NOTHING RETURNING *`,
  );
}

/** One of our messages (or a note) to store. `status` null for notes, which are never sent. */
export interface OurMessage {
  id: string;
  kind: string;
  text: string;
  payload: string | null;
  status: "pending" | null;
  sender: Sender;
  at: number;
}

/**
 * Stores one of our messages. `once`: a message of that id already there is
 * left alone (null); otherwise the id must be new.
 */
export function insertOurs(db: ActorDb, m: OurMessage, once: true): MessageRow | null;
export function insertOurs(db: ActorDb, m: OurMessage, once: false): MessageRow;
export function insertOurs(db: ActorDb, m: OurMessage, once: boolean): MessageRow | null {
  const conflict = once ? rawSql(" ON CONFLICT DO NOTHING") : rawSql("");
  const row = db.one<MessageRow>(
    sql`INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
        VALUES (${m.id}, 'out', ${m.kind}, ${m.text}, ${m.payload}, ${m.status},
          ${senderJson.write(m.sender)}, ${m.at})${conflict} RETURNING *`,
  );
  if (!once && !row) throw new Error(`message ${m.id} was not stored`);
  return row;
}

export function messageById(db: ActorDb, id: string): MessageRow | null {
  return db.one<MessageRow>(sql`SELECT * FROM messages WHERE id = ${id}`);
}

/** A message's tick alone. */
export function statusOf(db: ActorDb, id: string): Tick | null | undefined {
  return db.one<{ status: Tick | null }>(sql`SELECT status FROM messages WHERE id = ${id}`)?.status;
}

/** Every message, oldest first. */
export function allMessages(db: ActorDb): MessageRow[] {
  return db.all<MessageRow>(sql`SELECT * FROM messages ORDER BY seq`);
}

/** Every message but the agents' notes, oldest first. */
export function messagesWithoutNotes(db: ActorDb): MessageRow[] {
  return db.all<MessageRow>(sql`SELECT * FROM messages WHERE kind <> 'note' ORDER BY seq`);
}

/** Meta's id of our message, the first time it is known. */
export function setWamid(db: ActorDb, id: string, wamid: string): void {
  db.run(sql`UPDATE messages SET wamid = ${wamid} WHERE id = ${id} AND wamid IS NULL`);
}

/** Writes a message's tick and error; null when there is no such message. */
export function setStatus(
  db: ActorDb,
  id: string,
  status: Tick,
  error: MessageError | null,
): MessageRow | null {
  return db.one<MessageRow>(
    sql`UPDATE messages SET status = ${status},
          error = ${error ? errorJson.write(error) : null}
        WHERE id = ${id} RETURNING *`,
  );
}

/** The seq of the newest message (0 when there is none). */
export function lastSeq(db: ActorDb): number {
  return db.one<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM messages`)?.seq ?? 0;
}

/** Who wrote a message, as the history shows it: the customer's or the agent's name, or "system". */
export function senderName(row: MessageRow, customerName: string): string {
  if (row.direction === "in") return customerName;
  const sender = senderJson.read(row.sender);
  return sender.type === "agent" ? sender.name : "system";
}

/**
 * The desktop's view of a row. With `db`, the quoted message, a reaction's
 * target and the ticks' times are looked up; without it (a message just
 * created, which has none of them) they stay empty.
 */
export function toView(
  conversationId: string,
  row: MessageRow,
  db: ActorDb | null = null,
): MessageView {
  return {
    ...viewExtras(row, db),
    id: row.id,
    conversationId,
    seq: row.seq,
    direction: row.direction,
    kind: row.kind,
    text: row.text,
    status: row.status,
    error: row.error ? errorJson.read(row.error) : null,
    sender: senderJson.read(row.sender),
    createdAt: row.created_at,
    resentAs: row.resent_as ?? null,
  };
}
