/**
 * The conversation history API (/api/customers/:id/conversations…). It depends on the
 * app's client only, so the desktop can embed the history without the administration.
 */
import { Page } from "../../../shared/admin.ts";
import {
  HistoryConversation,
  HistoryDetail,
  type TranscriptMailBody,
} from "../../../shared/customer-history.ts";
import { request } from "../../api.ts";

const base = (customerId: string) =>
  `/api/customers/${encodeURIComponent(customerId)}/conversations`;

export const historyApi = {
  /** A page of conversations, newest first; `search` from `historySearch`. */
  list: (customerId: string, search: string) =>
    request(`${base(customerId)}?${search}`, Page(HistoryConversation)),
  /** One conversation with its messages. */
  detail: (customerId: string, conversationId: string) =>
    request(`${base(customerId)}/${encodeURIComponent(conversationId)}`, HistoryDetail),
  /** Mails a readable transcript (202/204, no body used). */
  email: (customerId: string, conversationId: string, body: TranscriptMailBody) =>
    request<void>(`${base(customerId)}/${encodeURIComponent(conversationId)}/email`, null, {
      method: "POST",
      body,
    }),
};
