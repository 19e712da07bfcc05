/**
 * A customer's conversation history: /api/customers/:id/conversations… for
 * the admins and agents who may see that customer (the visibility of
 * customers.ts; 404 otherwise, and for a conversation that is not that
 * customer's). Rows are written by the conversation actors when an agent takes
 * a conversation and when it closes (src/durable/conversation/history-archive.ts).
 */
import { and, count, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { d1, qb } from "../../platform/db/d1";
import { conversationMessages, conversations } from "../../platform/db/schema";
import { Page } from "../../shared/admin";
import {
  HistoryConversation,
  HistoryDetail,
  type HistoryMessage,
  HistoryQuery,
  MATCH_END,
  MATCH_START,
  TranscriptMailBody,
} from "../../shared/customer-history";
import { maskedSnippet, searchWords } from "../../shared/masked-search";
import { isTimeZone } from "../../shared/working-time";
import type { AppEnv } from "../app/app-types";
import { apiError } from "../app/http";
import { Routes } from "../app/routes";
import { mailHistoryTranscript } from "./conversation-email";
import { visibleCustomer } from "./customers";
import {
  dayStart,
  ftsIndex,
  ftsMatching,
  ftsRow,
  historyMessageColumns,
  historyRows,
} from "./history-rows";

const TAG = "customers";
const BASE = "/api/customers/:id/conversations";

/** The shared query, with the time zone checked against the runtime's zone database. */
const ListQuery = HistoryQuery.extend({
  tz: z.string().max(64).refine(isTimeZone, "an IANA time zone such as Europe/Rome").optional(),
}).refine((v) => !v.from || !v.to || v.from <= v.to, {
  path: ["to"],
  message: "on or after from",
});

const CustomerParams = z.object({ id: z.string().min(1).max(100) });
const ConversationParams = CustomerParams.extend({ conversationId: z.uuid() });

/**
 * An FTS5 MATCH expression for the user's words, or null when none are left:
 * each word becomes a quoted FTS string (quotes doubled) with `*` for prefix
 * matching, so operators, quotes and column filters the user types are only
 * ever text. Words split where the index's tokenizer splits (spaces and
 * punctuation); all words must occur (FTS5's implicit AND). Pure.
 */
export function ftsMatch(q: string | undefined): string | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(" ");
}

/** The conversation if it is this customer's (already checked visible), else 404. */
async function customerConversation(
  c: Context<AppEnv>,
  customerId: string,
  conversationId: string,
): Promise<{ conversation: HistoryConversation; messages: HistoryMessage[] }> {
  const tenantId = c.var.user.tenantId;
  const db = d1(c.env.DB);
  const [found, messages] = await db.batch([
    historyRows(db, {}).where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.tenantId, tenantId),
        eq(conversations.customerId, customerId),
      ),
    ),
    db
      .select(historyMessageColumns)
      .from(conversationMessages)
      .innerJoin(
        conversations,
        and(
          eq(conversations.id, conversationMessages.conversationId),
          eq(conversations.tenantId, conversationMessages.tenantId),
        ),
      )
      .where(
        and(
          eq(conversationMessages.conversationId, conversationId),
          eq(conversationMessages.tenantId, tenantId),
          eq(conversations.customerId, customerId),
        ),
      )
      .orderBy(conversationMessages.seq),
  ]);
  const conversation = found[0];
  if (!conversation) apiError(404, "not_found", "No such conversation of this customer");
  return { conversation, messages };
}

/** /api/customers/:id/conversations… */
export const customerHistory = new Routes();

customerHistory.endpoint(
  {
    method: "get",
    path: BASE,
    summary:
      "A customer's conversations, newest first: `from`/`to` days (inclusive, in `tz`, default UTC) on the opening time; `q` full-text over message texts (every word, word prefixes, accents ignored) with up to 3 snippets per conversation, each match between U+E000 and U+E001",
    tag: TAG,
    access: "tenant",
    params: CustomerParams,
    query: ListQuery,
    response: Page(HistoryConversation),
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const tenantId = c.var.user.tenantId;
    await visibleCustomer(c, id);
    const tz = q.tz ?? "UTC";
    const filters: SQL[] = [eq(conversations.tenantId, tenantId), eq(conversations.customerId, id)];
    if (q.from) filters.push(gte(conversations.openedAt, dayStart(q.from, tz)));
    if (q.to) filters.push(lt(conversations.openedAt, dayStart(q.to, tz, 1)));
    const match = ftsMatch(q.q);
    // A masked agent's matches are found on what they see (shared/masked-search.ts).
    const seen = match && c.var.user.masked ? await maskedMatches(c, id, match, q.q) : null;
    if (seen) {
      const ids = JSON.stringify([...seen.keys()]);
      // One JSON array bound, not a parameter per id: D1 binds at most 100 per statement.
      filters.push(inArray(conversations.id, sql`(SELECT value FROM json_each(${ids}))`));
    } else if (match) {
      const matching = qb
        .select({ id: conversationMessages.conversationId })
        .from(ftsIndex)
        .innerJoin(conversationMessages, ftsRow)
        .where(and(ftsMatching(match), eq(conversationMessages.tenantId, tenantId)));
      filters.push(inArray(conversations.id, matching));
    }
    const where = and(...filters);
    const db = d1(c.env.DB);
    const [counted, listed] = await db.batch([
      db.select({ total: count() }).from(conversations).where(where),
      historyRows(db, {})
        .where(where)
        .orderBy(desc(conversations.openedAt), desc(conversations.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
    ]);
    const total = counted[0]?.total ?? 0;
    const items: HistoryConversation[] = listed;
    if (match && items.length > 0) {
      const matches =
        seen ??
        (await snippets(
          c,
          match,
          items.map((i) => i.id),
        ));
      for (const item of items) item.matches = matches.get(item.id) ?? [];
    }
    return c.json({
      items,
      total,
      page: q.page,
      pageSize: q.pageSize,
    } satisfies Page<HistoryConversation>);
  },
);

/** Most messages a masked agent's search checks one by one; past it, matches may be missed (never leaked). */
const MAX_MASKED_CHECKED = 5000;

/**
 * For an agent who sees masked data: the customer's conversations whose
 * messages match `q` as the agent sees them, each with up to 3 snippets (in
 * message order) cut from the masked texts. The index finds the messages that
 * match in clear, a superset; each is then checked masked, so a word that
 * masking hides (an e-mail's name, a card's digits) neither matches nor is
 * marked in a snippet.
 */
async function maskedMatches(
  c: Context<AppEnv>,
  customerId: string,
  match: string,
  q: string | undefined,
): Promise<Map<string, string[]>> {
  const results = await d1(c.env.DB)
    .select({
      conversationId: conversationMessages.conversationId,
      seq: conversationMessages.seq,
      text: conversationMessages.text,
    })
    .from(ftsIndex)
    .innerJoin(conversationMessages, ftsRow)
    .innerJoin(
      conversations,
      and(
        eq(conversations.id, conversationMessages.conversationId),
        eq(conversations.tenantId, conversationMessages.tenantId),
      ),
    )
    .where(
      and(
        ftsMatching(match),
        eq(conversationMessages.tenantId, c.var.user.tenantId),
        eq(conversations.customerId, customerId),
      ),
    )
    .orderBy(conversationMessages.conversationId, conversationMessages.seq)
    .limit(MAX_MASKED_CHECKED);
  const byConversation = new Map<string, string[]>();
  for (const r of results) {
    const snippet = r.text === null ? null : maskedSnippet(r.text, q, MATCH_START, MATCH_END);
    if (snippet === null) continue;
    const list = byConversation.get(r.conversationId) ?? [];
    if (list.length < 3) list.push(snippet);
    byConversation.set(r.conversationId, list);
  }
  return byConversation;
}

/** Up to 3 matching snippets per conversation, in message order. */
async function snippets(
  c: Context<AppEnv>,
  match: string,
  conversationIds: string[],
): Promise<Map<string, string[]>> {
  // Raw SQL: FTS5's snippet() and a window over a materialised CTE have no drizzle builder.
  // snippet() only works in the FTS query itself, so the window ranks its materialised rows.
  const results = await d1(c.env.DB).all<{ conversation_id: string; snip: string }>(
    sql`WITH hits AS MATERIALIZED (
       SELECT m.conversation_id, m.seq,
         snippet(conversation_messages_fts, 0, ${MATCH_START}, ${MATCH_END}, '…', 12) AS snip
       FROM conversation_messages_fts
       JOIN ${conversationMessages} m ON m.rowid = conversation_messages_fts.rowid
       WHERE conversation_messages_fts MATCH ${match} AND m.tenant_id = ${c.var.user.tenantId}
         AND m.conversation_id IN (SELECT value FROM json_each(${JSON.stringify(conversationIds)})))
     SELECT conversation_id, snip FROM (
       SELECT conversation_id, seq, snip,
         row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS rn
       FROM hits)
     WHERE rn <= 3 ORDER BY conversation_id, seq`,
  );
  const byConversation = new Map<string, string[]>();
  for (const r of results) {
    const list = byConversation.get(r.conversation_id) ?? [];
    list.push(r.snip);
    byConversation.set(r.conversation_id, list);
  }
  return byConversation;
}

customerHistory.endpoint(
  {
    method: "get",
    path: `${BASE}/:conversationId`,
    summary: "A conversation of the customer with all its messages (texts null when not kept)",
    tag: TAG,
    access: "tenant",
    params: ConversationParams,
    response: HistoryDetail,
  },
  async (c) => {
    const { id, conversationId } = c.req.valid("param");
    await visibleCustomer(c, id);
    const { conversation, messages } = await customerConversation(c, id, conversationId);
    return c.json({ conversation, messages } satisfies HistoryDetail);
  },
);

customerHistory.endpoint(
  {
    method: "post",
    path: `${BASE}/:conversationId/email`,
    summary:
      "E-mail a readable transcript of the conversation to any address (in `language`, default the caller's); 502 when the mail server does not accept it",
    tag: TAG,
    access: "tenant",
    params: ConversationParams,
    body: TranscriptMailBody,
    status: 202,
  },
  async (c) => {
    const { id, conversationId } = c.req.valid("param");
    const body = c.req.valid("json");
    const customer = await visibleCustomer(c, id);
    const { conversation, messages } = await customerConversation(c, id, conversationId);
    await mailHistoryTranscript(
      c,
      body,
      { name: customer.name, phone: customer.phone },
      conversation,
      messages,
    );
    return c.body(null, 202);
  },
);
