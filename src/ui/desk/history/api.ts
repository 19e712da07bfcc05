/** My history's API (/api/my-history…), validated against the shared schemas. */
import { Page } from "../../../shared/admin.ts";
import type { TranscriptMailBody } from "../../../shared/customer-history.ts";
import { MyHistoryDetail, MyHistoryItem } from "../../../shared/my-history.ts";
import { request } from "../../api.ts";

const segment = encodeURIComponent;

export const myHistoryApi = {
  /** A page of my closed conversations, newest first; `search` from `myHistorySearch`. */
  list: (search: string) => request(`/api/my-history?${search}`, Page(MyHistoryItem)),
  /** One of them with its messages. */
  detail: (conversationId: string) =>
    request(`/api/my-history/${segment(conversationId)}`, MyHistoryDetail),
  /** Mails a readable transcript (202, no body). */
  email: (conversationId: string, body: TranscriptMailBody) =>
    request<void>(`/api/my-history/${segment(conversationId)}/email`, null, {
      method: "POST",
      body,
    }),
};
