/**
 * The agent's own history: conversations they closed or handled in the last four weeks.
 *
 * "Handled" is what the history row records: the caller had the conversation
 * last (`agent_id`) or closed it (`closed_by`). That is also the permission to
 * read and mail it here, whatever customers the caller may otherwise see (an
 * isolated agent keeps the conversations they worked after a transfer out of
 * their skillsets). The window is counted at the actors' clock, which wrote
 * the closing times. Also mounts POST /api/conversations/:id/email.
 */
import type { Context } from "hono";
import { z } from "zod";
import { now } from "../../platform/clock";
import { Page } from "../../shared/admin";
import { type HistoryMessage, TranscriptMailBody } from "../../shared/customer-history";
import {
  MY_HISTORY_DAYS,
  MyHistoryDetail,
  MyHistoryItem,
  MyHistoryQuery,
} from "../../shared/my-history";
import { isTimeZone } from "../../shared/working-time";
import type { AppEnv } from "../app/app-types";
import { apiError } from "../app/http";
import { mailTranscript } from "../app/mail-or-502";
import { Routes } from "../app/routes";
import { conversationEmail, transcriptNumber } from "./conversation-email";
import {
  dayStart,
  HISTORY_COLUMNS,
  HISTORY_JOINS,
  type HistoryRow,
  historyView,
} from "./history-rows";

const TAG = "desktop";
const DAY_MS = 24 * 60 * 60 * 1000;

const ListQuery = MyHistoryQuery.extend({
  tz: z.string().max(64).refine(isTimeZone, "an IANA time zone such as Europe/Rome").optional(),
}).refine((v) => !v.from || !v.to || v.from <= v.to, {
  path: ["to"],
  message: "on or after from",
});

const ConversationParams = z.object({ conversationId: z.uuid() });

interface Row extends HistoryRow {
  customer_id: string;
  customer_name: string;
  customer_phone: string | null;
}

function view(row: Row): MyHistoryItem {
  return {
    ...historyView(row),
    customer: { id: row.customer_id, name: row.customer_name, phone: row.customer_phone },
  };
}

const SELECT = `SELECT ${HISTORY_COLUMNS}, c.customer_id, cu.name AS customer_name, cu.phone AS customer_phone
  FROM conversations c
  JOIN customers cu ON cu.id = c.customer_id AND cu.tenant_id = c.tenant_id
  ${HISTORY_JOINS}`;

/** Closed conversations of the caller's tenant that the caller handled. */
const MINE = "c.tenant_id = ? AND c.closed_at IS NOT NULL AND (c.agent_id = ? OR c.closed_by = ?)";

/** One conversation of my history with its messages, or 404. */
async function myConversation(
  c: Context<AppEnv>,
  conversationId: string,
): Promise<{ conversation: Row; messages: HistoryMessage[] }> {
  const { id: userId, tenantId } = c.var.user;
  const [found, messages] = await c.env.DB.batch<unknown>([
    c.env.DB.prepare(`${SELECT} WHERE c.id = ? AND ${MINE}`).bind(
      conversationId,
      tenantId,
      userId,
      userId,
    ),
    c.env.DB.prepare(
      `SELECT m.seq, m.direction, m.sender_name AS senderName, m.kind, m.text, m.created_at AS createdAt,
         m.status
       FROM conversation_messages m
       JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
       WHERE m.conversation_id = ? AND ${MINE} ORDER BY m.seq`,
    ).bind(conversationId, tenantId, userId, userId),
  ]);
  const conversation = (found?.results as Row[] | undefined)?.[0];
  if (!conversation) apiError(404, "not_found", "No such conversation in your history");
  return { conversation, messages: (messages?.results ?? []) as HistoryMessage[] };
}

/** /api/my-history… and /api/conversations/:id/email. */
export const myHistory = new Routes();
myHistory.route("/", conversationEmail);

myHistory.endpoint(
  {
    method: "get",
    path: "/api/my-history",
    summary: `Conversations of the tenant I handled (I had it last, or closed it) that closed in the last ${MY_HISTORY_DAYS} days, newest first; \`from\`/\`to\` are inclusive days on the closing time in \`tz\` (default UTC), clamped to the window`,
    tag: TAG,
    access: "tenant",
    query: ListQuery,
    response: Page(MyHistoryItem),
  },
  async (c) => {
    const q = c.req.valid("query");
    const { id: userId, tenantId } = c.var.user;
    const tz = q.tz ?? "UTC";
    let lower = now() - MY_HISTORY_DAYS * DAY_MS;
    if (q.from) lower = Math.max(lower, dayStart(q.from, tz));
    let where = `WHERE ${MINE} AND c.closed_at >= ?`;
    const binds: unknown[] = [tenantId, userId, userId, lower];
    if (q.to) {
      where += " AND c.closed_at < ?";
      binds.push(dayStart(q.to, tz, 1));
    }
    const [counted, listed] = await c.env.DB.batch<unknown>([
      c.env.DB.prepare(
        `SELECT count(*) AS total FROM conversations c
         JOIN customers cu ON cu.id = c.customer_id AND cu.tenant_id = c.tenant_id ${where}`,
      ).bind(...binds),
      c.env.DB.prepare(
        `${SELECT} ${where} ORDER BY c.closed_at DESC, c.id DESC LIMIT ? OFFSET ?`,
      ).bind(...binds, q.pageSize, (q.page - 1) * q.pageSize),
    ]);
    const total = (counted?.results as { total: number }[] | undefined)?.[0]?.total ?? 0;
    return c.json({
      items: ((listed?.results ?? []) as Row[]).map(view),
      total,
      page: q.page,
      pageSize: q.pageSize,
    } satisfies Page<MyHistoryItem>);
  },
);

myHistory.endpoint(
  {
    method: "get",
    path: "/api/my-history/:conversationId",
    summary: "A conversation of my history with all its messages (texts null when not kept)",
    tag: TAG,
    access: "tenant",
    params: ConversationParams,
    response: MyHistoryDetail,
  },
  async (c) => {
    const { conversation, messages } = await myConversation(c, c.req.valid("param").conversationId);
    return c.json({ conversation: view(conversation), messages } satisfies MyHistoryDetail);
  },
);

myHistory.endpoint(
  {
    method: "post",
    path: "/api/my-history/:conversationId/email",
    summary:
      "E-mail a readable transcript of a conversation of my history to any address (in `language`, default mine); 502 when the mail server does not accept it",
    tag: TAG,
    access: "tenant",
    params: ConversationParams,
    body: TranscriptMailBody,
    status: 202,
  },
  async (c) => {
    const body = c.req.valid("json");
    const { conversation, messages } = await myConversation(c, c.req.valid("param").conversationId);
    const number = await transcriptNumber(c.env, c.var.user.tenantId, conversation.number_id);
    await mailTranscript(
      c.var.config.mail,
      body.language ?? c.var.user.language,
      body.to,
      {
        conversationId: conversation.id,
        customer: { name: conversation.customer_name, phone: conversation.customer_phone },
        number: { name: number.name, displayPhone: number.displayPhone },
        timeZone: number.timeZone,
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
