/**
 * The agent desktop's API: profile, status, offers, conversations, replies and
 * the live WebSocket. The Worker authenticates and scopes to the caller's
 * tenant; the actors decide.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { ConversationActor } from "../../durable/conversation/actor";
import type { Env } from "../../durable/env";
import { DEFAULT_PAGE_SIZE, MessageSearchQuery } from "../../shared/message-content";
import {
  AgentView,
  CloseBody,
  CloseOptions,
  ConversationView,
  DesktopSnapshot,
  MarkReadBody,
  MessagesQuery,
  MessageView,
  MeView,
  ResendBody,
  SendBody,
  SetStatusBody,
  UpdateMeBody,
} from "../../shared/protocol";
import type { AppEnv, SessionUser } from "../app/app-types";
import { apiError, describeRoute, jsonBody, languageOf, params, query } from "../app/http";
import { meView, requireUser } from "../auth/auth";
import { closeDecision, closeOptions } from "./close";
import { resolveSend } from "./desk-content";

const ConversationParams = z.object({ id: z.uuid() });
/** A message of a conversation: agents' messages have UUIDs, automatic ones `auto:<key>`. */
const ResendParams = ConversationParams.extend({
  messageId: z.string().min(1).max(200),
});
/** `limit`: only the newest messages (the desktop's first page). */
const LatestQuery = z.object({ limit: MessagesQuery.shape.limit });

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
  if (read?.conversation.agentId !== user.id) {
    apiError(404, "not_found", "No such conversation among yours");
  }
  return read.conversation.numberId;
}

/** The conversation, if it is the caller's tenant's and assigned to the caller. */
async function ownConversation(env: Env, user: SessionUser, id: string) {
  const owns = await env.AGENT.getByName(user.id).owns(id);
  if (!owns) apiError(404, "not_found", "No such conversation among yours");
  return env.CONVERSATION.getByName(id);
}

/** 409 for a send into a closed conversation or past the customer's 24-hour window. */
function refuseClosedOrLate(code: string): void {
  if (code === "closed") apiError(409, "closed", "The conversation is closed");
  if (code === "window_closed") {
    apiError(
      409,
      "window_closed",
      "More than 24 hours have passed since the customer's last message: only a template can be sent",
    );
  }
}

export const desktop = new Hono<AppEnv>()
  .use(requireUser)
  .get(
    "/me",
    describeRoute({
      method: "get",
      path: "/api/me",
      summary: "The signed-in user",
      tag: "me",
      response: MeView,
    }),
    (c) => c.json(meView(c.var.user)),
  )
  .patch(
    "/me",
    describeRoute({
      method: "patch",
      path: "/api/me",
      summary: "Change the user's language",
      tag: "me",
      body: UpdateMeBody,
      response: MeView,
    }),
    jsonBody(UpdateMeBody),
    async (c) => {
      const { language } = c.req.valid("json");
      const user = c.var.user;
      await c.env.DB.prepare(
        "UPDATE users SET language = ?, version = version + 1 WHERE id = ? AND tenant_id = ?",
      )
        .bind(language, user.id, user.tenantId)
        .run();
      return c.json(meView({ ...user, language }));
    },
  )
  .get(
    "/desktop",
    describeRoute({
      method: "get",
      path: "/api/desktop",
      summary: "Everything the desktop shows, with the event seq it is current to",
      tag: "desktop",
      response: DesktopSnapshot,
    }),
    async (c) => {
      const user = c.var.user;
      const snapshot = await c.env.AGENT.getByName(user.id).snapshot(user.tenantId);
      if (!snapshot) apiError(403, "not_an_agent", "This user cannot take conversations");
      return c.json(snapshot);
    },
  )
  .post(
    "/me/status",
    describeRoute({
      method: "post",
      path: "/api/me/status",
      summary: "Set Ready, Back office or Break (also leaves RONA)",
      tag: "desktop",
      body: SetStatusBody,
      response: AgentView,
    }),
    jsonBody(SetStatusBody),
    async (c) => {
      const user = c.var.user;
      const view = await c.env.AGENT.getByName(user.id).setStatus(
        user.tenantId,
        c.req.valid("json").status,
      );
      if (!view) apiError(403, "not_an_agent", "This user cannot take conversations");
      return c.json(view);
    },
  )
  .post(
    "/offers/:id/accept",
    describeRoute({
      method: "post",
      path: "/api/offers/:id/accept",
      summary: "Accept an offered conversation",
      tag: "desktop",
      response: ConversationView,
    }),
    params(ConversationParams),
    async (c) => {
      const user = c.var.user;
      const result = await c.env.AGENT.getByName(user.id).accept(
        user.tenantId,
        c.req.valid("param").id,
      );
      if (!result.ok) apiError(409, "offer_gone", "This offer has expired or was withdrawn");
      return c.json(result.conversation);
    },
  )
  .get(
    "/conversations/:id",
    describeRoute({
      method: "get",
      path: "/api/conversations/:id",
      summary:
        "A conversation of mine and its messages: all of them, or with ?limit= only the newest (hasMore: older ones exist)",
      tag: "conversations",
      query: LatestQuery,
      response: z.object({
        conversation: ConversationView,
        messages: z.array(MessageView),
        hasMore: z.boolean().optional(),
      }),
    }),
    params(ConversationParams),
    query(LatestQuery),
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { limit } = c.req.valid("query");
      const read = await stub.read(
        user.tenantId,
        limit === undefined ? 0 : Number.MAX_SAFE_INTEGER,
      );
      if (!read) apiError(404, "not_found", "No such conversation");
      if (limit === undefined) return c.json(read);
      const page = await stub.page(user.tenantId, { after: 0, limit });
      if (!page) apiError(404, "not_found", "No such conversation");
      return c.json({ conversation: read.conversation, ...page });
    },
  )
  .get(
    "/conversations/:id/messages",
    describeRoute({
      method: "get",
      path: "/api/conversations/:id/messages",
      summary:
        "Messages after a seq (what a reconnecting desktop missed), or a page before a seq (scrolling back; hasMore: older ones exist)",
      tag: "conversations",
      query: MessagesQuery,
      response: z.object({ messages: z.array(MessageView), hasMore: z.boolean().optional() }),
    }),
    params(ConversationParams),
    query(MessagesQuery),
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { after, before, limit } = c.req.valid("query");
      if (before === undefined && limit === undefined) {
        const read = await stub.read(user.tenantId, after);
        if (!read) apiError(404, "not_found", "No such conversation");
        return c.json({ messages: read.messages });
      }
      const page = await stub.page(user.tenantId, {
        after,
        before,
        limit: limit ?? DEFAULT_PAGE_SIZE,
      });
      if (!page) apiError(404, "not_found", "No such conversation");
      return c.json(page);
    },
  )
  .get(
    "/conversations/:id/messages/search",
    describeRoute({
      method: "get",
      path: "/api/conversations/:id/messages/search",
      summary:
        "Messages of a conversation of mine whose text contains q, newest first (agents who see masked data: only what they see matches)",
      tag: "conversations",
      query: MessageSearchQuery,
      response: z.object({ messages: z.array(MessageView) }),
    }),
    params(ConversationParams),
    query(MessageSearchQuery),
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const { q, limit } = c.req.valid("query");
      const messages = await stub.search(user.tenantId, q, limit, user.masked);
      if (!messages) apiError(404, "not_found", "No such conversation");
      return c.json({ messages });
    },
  )
  .post(
    "/conversations/:id/messages",
    describeRoute({
      method: "post",
      path: "/api/conversations/:id/messages",
      summary:
        "Send a reply (idempotent by clientId): text, or content — an upload of this conversation, a predefined location or message (interactive when it has buttons or a list). 404 for ids not of the tenant; 409 window_closed more than 24 h after the customer's last message.",
      tag: "conversations",
      body: SendBody,
      response: MessageView,
      status: 201,
    }),
    params(ConversationParams),
    jsonBody(SendBody),
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
      if (!result.ok) {
        refuseClosedOrLate(result.code);
        // Deleted unsent meanwhile (after a day): as if it had never been uploaded.
        if (result.code === "upload_gone") {
          apiError(404, "not_found", "No such upload in this conversation");
        }
        apiError(404, "not_found", "No such conversation among yours");
      }
      return c.json(result.message, 201);
    },
  )
  .post(
    "/conversations/:id/messages/:messageId/resend",
    describeRoute({
      method: "post",
      path: "/api/conversations/:id/messages/:messageId/resend",
      summary:
        "Send again one of our messages that is not confirmed (no answer and no status from WhatsApp) or failed, as a new message clientId; a message is resent once at most (a repeat answers the same new message). 404 when not a conversation of mine; 409 not_resendable, closed, or window_closed (more than 24 h after the customer's last message, except templates).",
      tag: "conversations",
      body: ResendBody,
      response: MessageView,
      status: 201,
    }),
    params(ResendParams),
    jsonBody(ResendBody),
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
        refuseClosedOrLate(result.code);
        if (result.code === "not_resendable") {
          apiError(
            409,
            "not_resendable",
            "Only a message that is not confirmed or that failed can be resent",
          );
        }
        apiError(404, "not_found", "No such message in your conversations");
      }
      return c.json(result.message, 201);
    },
  )
  .post(
    "/conversations/:id/read",
    describeRoute({
      method: "post",
      path: "/api/conversations/:id/read",
      summary: "Report the messages up to a seq as read (the customer sees blue ticks)",
      tag: "conversations",
      body: MarkReadBody,
      status: 204,
    }),
    params(ConversationParams),
    jsonBody(MarkReadBody),
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const result = await stub.markRead(user.tenantId, user.id, c.req.valid("json").upToSeq);
      if (!result.ok) apiError(404, "not_found", "No such conversation among yours");
      return c.body(null, 204);
    },
  )
  .get(
    "/conversations/:id/close-options",
    describeRoute({
      method: "get",
      path: "/api/conversations/:id/close-options",
      summary: "The closing reasons of the conversation's number (profiling tree) and its rules",
      tag: "conversations",
      response: CloseOptions,
    }),
    params(ConversationParams),
    async (c) => {
      const user = c.var.user;
      const stub = await ownConversation(c.env, user, c.req.valid("param").id);
      const numberId = await ownedNumber(stub, user);
      return c.json(await closeOptions(c.env.DB, user.tenantId, numberId));
    },
  )
  .post(
    "/conversations/:id/close",
    describeRoute({
      method: "post",
      path: "/api/conversations/:id/close",
      summary:
        "Close a conversation with a reason from the number's profiling tree (reasonId, a leaf) or free text, and notes; 400 naming reasonId or notes when the number's profiling rules refuse them",
      tag: "conversations",
      body: CloseBody,
      response: ConversationView,
    }),
    params(ConversationParams),
    jsonBody(CloseBody),
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
      if (!result.ok) apiError(404, "not_found", "No such conversation among yours");
      return c.json(result.conversation);
    },
  )
  .get(
    "/ws",
    describeRoute({
      method: "get",
      path: "/api/ws",
      summary: "WebSocket of live desktop events (send {type:'resume', lastSeq})",
      tag: "desktop",
      status: 101,
    }),
    async (c) => {
      if (c.req.header("Upgrade") !== "websocket")
        apiError(426, "upgrade_required", "Expected a WebSocket upgrade");
      const user = c.var.user;
      const headers = new Headers(c.req.raw.headers);
      headers.set("X-Parley-Tenant", user.tenantId);
      // The socket is tagged with its session: it closes when that session ends.
      headers.set("X-Parley-Session", user.sessionId);
      return c.env.AGENT.getByName(user.id).fetch(new Request(c.req.raw, { headers }));
    },
  );
