/**
 * The agent desktop's API: profile, status, offers, conversations, replies and
 * the live WebSocket. The Worker authenticates and scopes to the caller's
 * tenant; the actors decide.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { ConversationActor } from "../../durable/conversation/actor";
import type { Env } from "../../durable/env";
import { d1 } from "../../platform/db/d1";
import { users } from "../../platform/db/schema";
import { DEFAULT_PAGE_SIZE, MessageSearchQuery } from "../../shared/message-content";
import {
  AgentView,
  CloseBody,
  CloseOptions,
  ConversationView,
  DesktopSnapshot,
  Language,
  MarkReadBody,
  MessagesQuery,
  MessageView,
  MeView,
  ResendBody,
  SendBody,
  SetStatusBody,
  UpdateMeBody,
} from "../../shared/protocol";
import { ACCEPT_REFUSALS, SEND_REFUSALS } from "../../shared/refusals";
import type { SessionUser } from "../app/app-types";
import { apiError, languageOf } from "../app/http";
import { refuse, refuseResult } from "../app/results";
import { Routes } from "../app/routes";
import { meView } from "../auth/auth";
import { closeDecision, closeOptions } from "./close";
import { resolveSend } from "./desk-content";

const ConversationParams = z.object({ id: z.uuid() });
/** A message of a conversation: agents' messages have UUIDs, automatic ones `auto:<key>`. */
const ResendParams = ConversationParams.extend({
  messageId: z.string().min(1).max(200),
});
/** `limit`: only the newest messages (the desktop's first page). */
const LatestQuery = z.object({ limit: MessagesQuery.shape.limit });
/** The desktop's language: what its socket's refusals are written in. */
const SocketQuery = z.object({ lang: Language.optional() });

/**
 * The managed number of a conversation the caller owns; 404 when it is not the
 * tenant's or the caller is only a conference guest (the owner closes).
 */
async function ownedNumber(
  stub: DurableObjectStub<ConversationActor>,
  user: SessionUser,
): Promise<string> {
  // Messages after the largest seq: none, so only the conversation crosses the wire.
  const read = await stub.read(user.tenantId, Number.MAX_SAFE_INTEGER);
  if (read?.conversation.agentId !== user.id) refuse("conversationNotYours");
  return read.conversation.numberId;
}

/** The conversation, if it is the caller's tenant's and assigned to the caller. */
async function ownConversation(env: Env, user: SessionUser, id: string) {
  const owns = await env.AGENT.getByName(user.id).owns(id);
  if (!owns) refuse("conversationNotYours");
  return env.CONVERSATION.getByName(id);
}

export const desktop = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/me",
      summary: "The signed-in user",
      tag: "me",
      access: "user",
      response: MeView,
    },
    (c) => c.json(meView(c.var.user)),
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/me",
      summary: "Change the user's language",
      tag: "me",
      access: "user",
      body: UpdateMeBody,
      response: MeView,
    },
    async (c) => {
      const { language } = c.req.valid("json");
      const user = c.var.user;
      await d1(c.env.DB)
        .update(users)
        .set({ language, version: sql`${users.version} + 1` })
        .where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId)));
      return c.json(meView({ ...user, language }));
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/desktop",
      summary: "Everything the desktop shows, with the event seq it is current to",
      tag: "desktop",
      access: "user",
      response: DesktopSnapshot,
    },
    async (c) => {
      const user = c.var.user;
      const snapshot = await c.env.AGENT.getByName(user.id).snapshot(user.tenantId);
      if (!snapshot) refuse("notAnAgent");
      return c.json(snapshot);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/me/status",
      summary: "Set Ready, Back office or Break (also leaves RONA)",
      tag: "desktop",
      access: "user",
      body: SetStatusBody,
      response: AgentView,
    },
    async (c) => {
      const user = c.var.user;
      const view = await c.env.AGENT.getByName(user.id).setStatus(
        user.tenantId,
        c.req.valid("json").status,
      );
      if (!view) refuse("notAnAgent");
      return c.json(view);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/offers/:id/accept",
      summary: "Accept an offered conversation",
      tag: "desktop",
      access: "user",
      params: ConversationParams,
      response: ConversationView,
    },
    async (c) => {
      const user = c.var.user;
      const result = await c.env.AGENT.getByName(user.id).accept(
        user.tenantId,
        c.req.valid("param").id,
      );
      if (!result.ok) refuseResult(result.code, ACCEPT_REFUSALS);
      return c.json(result.conversation);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/conversations/:id",
      summary:
        "A conversation of mine and its messages: all of them, or with ?limit= only the newest (hasMore: older ones exist)",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      query: LatestQuery,
      response: z.object({
        conversation: ConversationView,
        messages: z.array(MessageView),
        hasMore: z.boolean().optional(),
      }),
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { limit } = c.req.valid("query");
      const read = await stub.read(
        user.tenantId,
        limit === undefined ? 0 : Number.MAX_SAFE_INTEGER,
      );
      if (!read) refuse("conversationMissing");
      if (limit === undefined) return c.json(read);
      const page = await stub.page(user.tenantId, { after: 0, limit });
      if (!page) refuse("conversationMissing");
      return c.json({ conversation: read.conversation, ...page });
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/conversations/:id/messages",
      summary:
        "Messages after a seq (what a reconnecting desktop missed), or a page before a seq (scrolling back; hasMore: older ones exist)",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      query: MessagesQuery,
      response: z.object({ messages: z.array(MessageView), hasMore: z.boolean().optional() }),
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { after, before, limit } = c.req.valid("query");
      if (before === undefined && limit === undefined) {
        const read = await stub.read(user.tenantId, after);
        if (!read) refuse("conversationMissing");
        return c.json({ messages: read.messages });
      }
      const page = await stub.page(user.tenantId, {
        after,
        before,
        limit: limit ?? DEFAULT_PAGE_SIZE,
      });
      if (!page) refuse("conversationMissing");
      return c.json(page);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/conversations/:id/messages/search",
      summary:
        "Messages of a conversation of mine whose text contains q, newest first (agents who see masked data: only what they see matches)",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      query: MessageSearchQuery,
      response: z.object({ messages: z.array(MessageView) }),
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { q, limit } = c.req.valid("query");
      const messages = await stub.search(user.tenantId, q, limit, user.masked);
      if (!messages) refuse("conversationMissing");
      return c.json({ messages });
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/messages",
      summary:
        "Send a reply (idempotent by clientId): text, or content — an upload of this conversation, a predefined location or message (interactive when it has buttons or a list). 404 for ids not of the tenant; 409 window_closed more than 24 h after the customer's last message.",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      body: SendBody,
      response: MessageView,
      status: 201,
    },
    async (c) => {
      const user = c.var.user;
      const { clientId, text, content } = c.req.valid("json");
      const conversationId = c.req.valid("param").id;
      const stub = await ownConversation(c.env, user, conversationId);
      const resolved = content
        ? await resolveSend(c.env, user.tenantId, conversationId, content)
        : { text: text ?? "" };
      const result = await stub.sendText(
        user.tenantId,
        { id: user.id, name: user.name },
        clientId,
        resolved.text,
        resolved.outbound,
      );
      if (!result.ok) refuseResult(result.code, SEND_REFUSALS);
      return c.json(result.message, 201);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/messages/:messageId/resend",
      summary:
        "Send again one of our messages that is not confirmed (no answer and no status from WhatsApp) or failed, as a new message clientId; a message is resent once at most (a repeat answers the same new message). 404 when not a conversation of mine; 409 not_resendable, closed, or window_closed (more than 24 h after the customer's last message, except templates).",
      tag: "conversations",
      access: "user",
      params: ResendParams,
      body: ResendBody,
      response: MessageView,
      status: 201,
    },
    async (c) => {
      const user = c.var.user;
      const { id, messageId } = c.req.valid("param");
      const stub = await ownConversation(c.env, user, id);
      const result = await stub.resend(
        user.tenantId,
        { id: user.id, name: user.name },
        messageId,
        c.req.valid("json").clientId,
      );
      if (!result.ok) {
        refuseResult(result.code, {
          closed: "conversationClosed",
          window_closed: "replyWindowClosed",
          not_resendable: "notResendable",
          not_found: "messageNotYours",
          not_assigned: "messageNotYours",
        });
      }
      return c.json(result.message, 201);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/read",
      summary: "Report the messages up to a seq as read (the customer sees blue ticks)",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      body: MarkReadBody,
      status: 204,
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const result = await stub.markRead(user.tenantId, user.id, c.req.valid("json").upToSeq);
      if (!result.ok) refuse("conversationNotYours");
      return c.body(null, 204);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/conversations/:id/close-options",
      summary: "The closing reasons of the conversation's number (profiling tree) and its rules",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      response: CloseOptions,
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const numberId = await ownedNumber(stub, user);
      return c.json(await closeOptions(c.env.DB, user.tenantId, numberId));
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/close",
      summary:
        "Close a conversation with a reason from the number's profiling tree (reasonId, a leaf) or free text, and notes; 400 naming reasonId or notes when the number's profiling rules refuse them",
      tag: "conversations",
      access: "user",
      params: ConversationParams,
      body: CloseBody,
      response: ConversationView,
    },
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const numberId = await ownedNumber(stub, user);
      const { reason, notes } = await closeDecision(
        c.env.DB,
        languageOf(c),
        user.tenantId,
        numberId,
        c.req.valid("json"),
      );
      const result = await stub.close(user.tenantId, user.id, reason, notes);
      if (!result.ok) refuse("conversationNotYours");
      return c.json(result.conversation);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/ws",
      summary:
        "WebSocket of live desktop events (send {type:'resume', lastSeq}); `lang`: the language of its refusals",
      tag: "desktop",
      access: "user",
      query: SocketQuery,
      status: 101,
    },
    async (c) => {
      if (c.req.header("Upgrade") !== "websocket")
        apiError(426, "upgrade_required", "Expected a WebSocket upgrade");
      const user = c.var.user;
      const headers = new Headers(c.req.raw.headers);
      headers.set("X-Parley-Tenant", user.tenantId);
      headers.set("X-Parley-Language", c.req.valid("query").lang ?? languageOf(c));
      // The socket is tagged with its session: it closes when that session ends.
      headers.set("X-Parley-Session", user.sessionId);
      return c.env.AGENT.getByName(user.id).fetch(new Request(c.req.raw, { headers }));
    },
  );
