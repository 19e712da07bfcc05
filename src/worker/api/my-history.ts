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
import { and, count, desc, eq, gte, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { now } from "../../platform/clock";
import { type D1Db, d1 } from "../../platform/db/d1";
import { conversationMessages, conversations, customers } from "../../platform/db/schema";
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
import { Routes } from "../app/routes";
import { conversationEmail, mailHistoryTranscript } from "./conversation-email";
import { dayStart, historyMessageColumns, historyRows } from "./history-rows";

const TAG = "desktop";
const DAY_MS = 24 * 60 * 60 * 1000;

const ListQuery = MyHistoryQuery.extend({
  tz: z.string().max(64).refine(isTimeZone, "an IANA time zone such as Europe/Rome").optional(),
}).refine((v) => !v.from || !v.to || v.from <= v.to, {
  path: ["to"],
  message: "on or after from",
});

const ConversationParams = z.object({ conversationId: z.uuid() });

/** The conversation's customer, within its tenant. */
const customerOfConversation = and(
  eq(customers.id, conversations.customerId),
  eq(customers.tenantId, conversations.tenantId),
);

/** `MyHistoryItem`s: history rows with their customer (aliased: a batch answers by column name). */
function myHistoryRows(db: D1Db) {
  return historyRows(db, {
    customer: {
      id: conversations.customerId,
      name: sql<string>`${customers.name}`.as("customer_name"),
      phone: sql<string | null>`${customers.phone}`.as("customer_phone"),
    },
  }).innerJoin(customers, customerOfConversation);
}

/** Closed conversations of the caller's tenant that the caller handled. */
function mine(user: { id: string; tenantId: string }): SQL {
  return and(
    eq(conversations.tenantId, user.tenantId),
    isNotNull(conversations.closedAt),
    or(eq(conversations.agentId, user.id), eq(conversations.closedBy, user.id)),
  )!;
}

/** One conversation of my history with its messages, or 404. */
async function myConversation(
  c: Context<AppEnv>,
  conversationId: string,
): Promise<{ conversation: MyHistoryItem; messages: HistoryMessage[] }> {
  const db = d1(c.env.DB);
  const [found, messages] = await db.batch([
    myHistoryRows(db).where(and(eq(conversations.id, conversationId), mine(c.var.user))),
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
      .where(and(eq(conversationMessages.conversationId, conversationId), mine(c.var.user)))
      .orderBy(conversationMessages.seq),
  ]);
  const conversation = found[0];
  if (!conversation) apiError(404, "not_found", "No such conversation in your history");
  return { conversation, messages };
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
    const tz = q.tz ?? "UTC";
    let lower = now() - MY_HISTORY_DAYS * DAY_MS;
    if (q.from) lower = Math.max(lower, dayStart(q.from, tz));
    const where = and(
      mine(c.var.user),
      gte(conversations.closedAt, lower),
      q.to ? lt(conversations.closedAt, dayStart(q.to, tz, 1)) : undefined,
    );
    const db = d1(c.env.DB);
    const [counted, items] = await db.batch([
      db
        .select({ total: count() })
        .from(conversations)
        .innerJoin(customers, customerOfConversation)
        .where(where),
      myHistoryRows(db)
        .where(where)
        .orderBy(desc(conversations.closedAt), desc(conversations.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
    ]);
    const total = counted[0]?.total ?? 0;
    return c.json({
      items,
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
    return c.json({ conversation, messages } satisfies MyHistoryDetail);
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
    await mailHistoryTranscript(c, body, conversation.customer, conversation, messages);
    return c.body(null, 202);
  },
);
