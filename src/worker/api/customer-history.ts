/**
 * A customer's conversation history: /api/customers/:id/conversations… for
 * the admins and agents who may see that customer (the visibility of
 * customers.ts; 404 otherwise, and for a conversation that is not that
 * customer's). Rows are written by the conversation actors when an agent takes
 * a conversation and when it closes (src/durable/conversation/history-archive.ts).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
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
import { readSettings } from "../../shared/number-settings";
import { isTimeZone } from "../../shared/working-time";
import type { AppEnv } from "../app/app-types";
import { apiError, describeRoute, jsonBody, params, query } from "../app/http";
import { mailTranscript } from "../app/mail-or-502";
import { takeQuota } from "../security/limits";
import { requireTenantUser, visibleCustomer } from "./customers";
import {
  dayStart,
  HISTORY_COLUMNS,
  HISTORY_JOINS,
  type HistoryRow,
  historyView,
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

type Row = HistoryRow;
const view = historyView;
const SELECT = `SELECT ${HISTORY_COLUMNS} FROM conversations c ${HISTORY_JOINS}`;

/** The conversation if it is this customer's (already checked visible), else 404. */
async function customerConversation(
  c: Context<AppEnv>,
  customerId: string,
  conversationId: string,
): Promise<{ conversation: Row; messages: HistoryMessage[] }> {
  const tenantId = c.var.user.tenantId;
  const [found, messages] = await c.env.DB.batch<unknown>([
    c.env.DB.prepare(`${SELECT} WHERE c.id = ? AND c.tenant_id = ? AND c.customer_id = ?`).bind(
      conversationId,
      tenantId,
      customerId,
    ),
    c.env.DB.prepare(
      `SELECT m.seq, m.direction, m.sender_name AS senderName, m.kind, m.text, m.created_at AS createdAt,
         m.status
       FROM conversation_messages m
       JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
       WHERE m.conversation_id = ? AND m.tenant_id = ? AND c.customer_id = ?
       ORDER BY m.seq`,
    ).bind(conversationId, tenantId, customerId),
  ]);
  const conversation = (found?.results as Row[] | undefined)?.[0];
  if (!conversation) apiError(404, "not_found", "No such conversation of this customer");
  return { conversation, messages: (messages?.results ?? []) as HistoryMessage[] };
}

/** /api/customers/:id/conversations… (mounted at /api, before `customers`). */
export const customerHistory = new Hono<AppEnv>();
customerHistory.use("/customers/:id/conversations", requireTenantUser);
customerHistory.use("/customers/:id/conversations/*", requireTenantUser);

customerHistory.get(
  "/customers/:id/conversations",
  describeRoute({
    method: "get",
    path: BASE,
    summary:
      "A customer's conversations, newest first: `from`/`to` days (inclusive, in `tz`, default UTC) on the opening time; `q` full-text over message texts (every word, word prefixes, accents ignored) with up to 3 snippets per conversation, each match between U+E000 and U+E001",
    tag: TAG,
    query: HistoryQuery,
    response: Page(HistoryConversation),
  }),
  params(CustomerParams),
  query(ListQuery),
  async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const tenantId = c.var.user.tenantId;
    await visibleCustomer(c, id);
    const tz = q.tz ?? "UTC";
    let where = "WHERE c.tenant_id = ? AND c.customer_id = ?";
    const binds: unknown[] = [tenantId, id];
    if (q.from) {
      where += " AND c.opened_at >= ?";
      binds.push(dayStart(q.from, tz));
    }
    if (q.to) {
      where += " AND c.opened_at < ?";
      binds.push(dayStart(q.to, tz, 1));
    }
    const match = ftsMatch(q.q);
    // A masked agent's matches are found on what they see (shared/masked-search.ts).
    const seen = match && c.var.user.masked ? await maskedMatches(c, id, match, q.q) : null;
    if (seen) {
      where += " AND c.id IN (SELECT value FROM json_each(?))";
      binds.push(JSON.stringify([...seen.keys()]));
    } else if (match) {
      where += ` AND c.id IN (SELECT m.conversation_id FROM conversation_messages_fts
        JOIN conversation_messages m ON m.rowid = conversation_messages_fts.rowid
        WHERE conversation_messages_fts MATCH ? AND m.tenant_id = ?)`;
      binds.push(match, tenantId);
    }
    const [counted, listed] = await c.env.DB.batch<unknown>([
      c.env.DB.prepare(`SELECT count(*) AS total FROM conversations c ${where}`).bind(...binds),
      c.env.DB.prepare(
        `${SELECT} ${where} ORDER BY c.opened_at DESC, c.id DESC LIMIT ? OFFSET ?`,
      ).bind(...binds, q.pageSize, (q.page - 1) * q.pageSize),
    ]);
    const total = (counted?.results as { total: number }[] | undefined)?.[0]?.total ?? 0;
    const items = ((listed?.results ?? []) as Row[]).map(view);
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
  const { results } = await c.env.DB.prepare(
    `SELECT m.conversation_id, m.seq, m.text FROM conversation_messages_fts
     JOIN conversation_messages m ON m.rowid = conversation_messages_fts.rowid
     JOIN conversations h ON h.id = m.conversation_id AND h.tenant_id = m.tenant_id
     WHERE conversation_messages_fts MATCH ? AND m.tenant_id = ? AND h.customer_id = ?
     ORDER BY m.conversation_id, m.seq LIMIT ?`,
  )
    .bind(match, c.var.user.tenantId, customerId, MAX_MASKED_CHECKED)
    .all<{ conversation_id: string; seq: number; text: string | null }>();
  const byConversation = new Map<string, string[]>();
  for (const r of results) {
    const snippet = r.text === null ? null : maskedSnippet(r.text, q, MATCH_START, MATCH_END);
    if (snippet === null) continue;
    const list = byConversation.get(r.conversation_id) ?? [];
    if (list.length < 3) list.push(snippet);
    byConversation.set(r.conversation_id, list);
  }
  return byConversation;
}

/** Up to 3 matching snippets per conversation, in message order. */
async function snippets(
  c: Context<AppEnv>,
  match: string,
  conversationIds: string[],
): Promise<Map<string, string[]>> {
  const { results } = await c.env.DB.prepare(
    // snippet() only works in the FTS query itself, so the window ranks its materialised rows.
    `WITH hits AS MATERIALIZED (
       SELECT m.conversation_id, m.seq,
         snippet(conversation_messages_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', 12) AS snip
       FROM conversation_messages_fts
       JOIN conversation_messages m ON m.rowid = conversation_messages_fts.rowid
       WHERE conversation_messages_fts MATCH ? AND m.tenant_id = ?
         AND m.conversation_id IN (SELECT value FROM json_each(?)))
     SELECT conversation_id, snip FROM (
       SELECT conversation_id, seq, snip,
         row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS rn
       FROM hits)
     WHERE rn <= 3 ORDER BY conversation_id, seq`,
  )
    .bind(match, c.var.user.tenantId, JSON.stringify(conversationIds))
    .all<{ conversation_id: string; snip: string }>();
  const byConversation = new Map<string, string[]>();
  for (const r of results) {
    const list = byConversation.get(r.conversation_id) ?? [];
    list.push(r.snip);
    byConversation.set(r.conversation_id, list);
  }
  return byConversation;
}

customerHistory.get(
  "/customers/:id/conversations/:conversationId",
  describeRoute({
    method: "get",
    path: `${BASE}/:conversationId`,
    summary: "A conversation of the customer with all its messages (texts null when not kept)",
    tag: TAG,
    response: HistoryDetail,
  }),
  params(ConversationParams),
  async (c) => {
    const { id, conversationId } = c.req.valid("param");
    await visibleCustomer(c, id);
    const { conversation, messages } = await customerConversation(c, id, conversationId);
    return c.json({ conversation: view(conversation), messages } satisfies HistoryDetail);
  },
);

customerHistory.post(
  "/customers/:id/conversations/:conversationId/email",
  describeRoute({
    method: "post",
    path: `${BASE}/:conversationId/email`,
    summary:
      "E-mail a readable transcript of the conversation to any address (in `language`, default the caller's); 502 when the mail server does not accept it",
    tag: TAG,
    body: TranscriptMailBody,
    status: 202,
  }),
  params(ConversationParams),
  jsonBody(TranscriptMailBody),
  async (c) => {
    const { id, conversationId } = c.req.valid("param");
    const body = c.req.valid("json");
    const customer = await visibleCustomer(c, id);
    const { conversation, messages } = await customerConversation(c, id, conversationId);
    await takeQuota(c, { rule: "transcriptMail", subject: c.var.user.id });
    const number = await c.env.DB.prepare(
      "SELECT name, display_phone, settings FROM managed_numbers WHERE id = ? AND tenant_id = ?",
    )
      .bind(conversation.number_id, c.var.user.tenantId)
      .first<{ name: string; display_phone: string; settings: string | null }>();
    await mailTranscript(
      c.var.config.mail,
      body.language ?? c.var.user.language,
      body.to,
      {
        conversationId: conversation.id,
        customer: { name: customer.name, phone: customer.phone },
        number: { name: number?.name ?? null, displayPhone: number?.display_phone ?? null },
        timeZone: number ? readSettings(number.settings).workingTime.timeZone : "UTC",
        openedAt: conversation.opened_at,
        closedAt: conversation.closed_at,
        agentName: conversation.agent_name,
        closedByName: conversation.closed_by_name,
        closeReason: conversation.close_reason,
        closeNotes: conversation.close_notes,
        messages,
      },
      { masked: c.var.user.masked },
    );
    return c.body(null, 202);
  },
);
