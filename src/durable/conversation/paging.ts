/**
 * What the desktop reads of a conversation: its view, its messages after a
 * seq or by page (scrolling up), and the search inside it. Reads only; each
 * is null for another tenant (the actor checks the record first).
 */
import { candidateLike, maskedContains } from "../../shared/masked-search";
import type { ConversationView, MessageView } from "../../shared/protocol";
import { type ActorDb, sql } from "../sql";
import { lastSeq, type MessageRow, toView } from "./message-rows";
import type { ConversationRecord } from "./record";

/** The desktop's view of the conversation. */
export function conversationView(db: ActorDb, record: ConversationRecord): ConversationView {
  return {
    id: record.id,
    numberId: record.number.id,
    numberName: record.number.name,
    displayPhone: record.number.displayPhone,
    customer: {
      id: record.customer.id,
      name: record.customer.name,
      phone: record.customer.phone,
    },
    skillsetId: record.skillsetId,
    skillsetName: record.skillsetName,
    state: record.state,
    agentId: record.agent?.id ?? null,
    createdAt: record.createdAt,
    lastCustomerMessageAt: record.lastCustomerMessageAt,
    lastSeq: lastSeq(db),
    closedAt: record.closedAt,
    closeReason: record.closeReason,
    participants: record.participants ?? [],
    waitQueue: record.state === "wait_queue" ? (record.waitQueue ?? null) : null,
    transfer: record.state === "transfer" ? (record.transfer ?? null) : null,
    leftOpen: record.leftOpen ?? false,
    assignedAt: record.state === "assigned" ? (record.assignedAt ?? null) : null,
  };
}

/** The conversation and its messages after `afterSeq`. */
export function readAfter(
  db: ActorDb,
  record: ConversationRecord,
  afterSeq: number,
): { conversation: ConversationView; messages: MessageView[] } {
  const rows = db.all<MessageRow>(sql`SELECT * FROM messages WHERE seq > ${afterSeq} ORDER BY seq`);
  return {
    conversation: conversationView(db, record),
    messages: rows.map((r) => toView(record.id, r, db)),
  };
}

/**
 * A page of messages, oldest first: with `after < seq < before` (before
 * omitted: no upper bound), the newest `limit` of them; `hasMore` says
 * whether older ones remain in that range.
 */
export function pageOf(
  db: ActorDb,
  record: ConversationRecord,
  range: { after: number; before?: number | undefined; limit: number },
): { messages: MessageView[]; hasMore: boolean } {
  const rows = db.all<MessageRow>(
    sql`SELECT * FROM messages WHERE seq > ${range.after}
          AND seq < ${range.before ?? Number.MAX_SAFE_INTEGER}
        ORDER BY seq DESC LIMIT ${range.limit + 1}`,
  );
  const hasMore = rows.length > range.limit;
  const page = rows.slice(0, range.limit).reverse();
  return { messages: page.map((r) => toView(record.id, r, db)), hasMore };
}

/**
 * Messages whose text contains `q` (case-insensitive for ASCII; `%`, `_`
 * and `\` match themselves), newest first, at most `limit`. Notes included.
 * For an agent who sees masked data (`masked`), only what they see matches
 * (shared/masked-search.ts): the clear texts that may match are checked as
 * masked.
 */
export function searchIn(
  db: ActorDb,
  record: ConversationRecord,
  q: string,
  limit: number,
  masked: boolean,
): MessageView[] {
  if (masked) {
    return db
      .all<MessageRow>(
        sql`SELECT * FROM messages WHERE text LIKE ${candidateLike(q)} ESCAPE '\\' ORDER BY seq DESC`,
      )
      .filter((r) => maskedContains(r.text, q))
      .slice(0, limit)
      .map((r) => toView(record.id, r, db));
  }
  const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db
    .all<MessageRow>(
      sql`SELECT * FROM messages WHERE text LIKE ${pattern} ESCAPE '\\' ORDER BY seq DESC LIMIT ${limit}`,
    )
    .map((r) => toView(record.id, r, db));
}
