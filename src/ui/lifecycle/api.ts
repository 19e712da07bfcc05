/**
 * The desktop's calls for the conversation lifecycle: transfer, conference, wait queue,
 * waiting conversations, pick-up and typing. Same client as the rest of the desktop:
 * answers validated against the shared protocol, failures as ApiError / NetworkError.
 */
import { z } from "zod";
import {
  type ConferenceBody,
  ConversationView,
  type TransferBody,
  TransferTargets,
  WaitingList,
} from "../../shared/protocol.ts";
import { request } from "../api.ts";

const Invited = z.object({ invited: z.object({ id: z.string(), name: z.string() }) });

const conversationPath = (id: string, action: string) =>
  `/api/conversations/${encodeURIComponent(id)}/${action}`;

/** Lifecycle endpoints; each resolves with validated data or rejects with ApiError/NetworkError. */
export const lifecycleApi = {
  /** Who the conversation can go to: agents with their readiness, skillsets with how many are free. */
  transferTargets: (conversationId: string) =>
    request(conversationPath(conversationId, "transfer-targets"), TransferTargets),
  /** Hands the conversation over; it leaves the caller's desktop (state `transfer` or `wait_queue`). */
  transfer: (conversationId: string, body: TransferBody) =>
    request(conversationPath(conversationId, "transfer"), ConversationView, {
      method: "POST",
      body,
    }),
  /** Invites an agent (or the best one of a skillset); resolves with who was invited. */
  conference: (conversationId: string, body: ConferenceBody) =>
    request(conversationPath(conversationId, "conference"), Invited, { method: "POST", body }),
  /** A conference guest leaves; the owner keeps the conversation. */
  leave: (conversationId: string) =>
    request<void>(conversationPath(conversationId, "leave"), null, { method: "POST" }),
  /** The caller's parked conversations (personal ones and the public ones they parked). */
  waitQueue: () => request("/api/wait-queue", WaitingList),
  /** Takes a parked conversation back onto the caller's desktop. */
  unpause: (conversationId: string) =>
    request(conversationPath(conversationId, "unpause"), ConversationView, { method: "POST" }),
  /** The tenant's conversations that no agent is working right now. */
  waiting: () => request("/api/waiting", WaitingList),
  /** The caller takes a waiting conversation. */
  pickUp: (conversationId: string) =>
    request(conversationPath(conversationId, "pick-up"), ConversationView, { method: "POST" }),
  /** The agent is typing (HTTP fallback of the WebSocket frame). */
  typing: (conversationId: string) =>
    request<void>(conversationPath(conversationId, "typing"), null, { method: "POST" }),
};
