/** The details pane's own call: mail the open conversation's transcript. */
import type { TranscriptMailBody } from "../../../shared/customer-history.ts";
import { request } from "../../api.ts";

/** POST /api/conversations/:id/email (202, no body). */
export const mailConversation = (conversationId: string, body: TranscriptMailBody) =>
  request<void>(`/api/conversations/${encodeURIComponent(conversationId)}/email`, null, {
    method: "POST",
    body,
  });
