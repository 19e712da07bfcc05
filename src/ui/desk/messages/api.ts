/** The message area's calls: pages of a conversation's messages and the search inside it. */
import { z } from "zod";
import { ConversationView, MessageView } from "../../../shared/protocol.ts";
import { request } from "../../api.ts";

const Page = z.object({ messages: z.array(MessageView), hasMore: z.boolean().default(false) });
const Latest = Page.extend({ conversation: ConversationView });
const Found = z.object({ messages: z.array(MessageView) });

/** How many messages a page holds (the first load and each scroll back). */
export const PAGE_SIZE = 50;
/** Most messages fetched at once to reach a search hit from what is loaded. */
export const MAX_JUMP = 1000;

const base = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

export const messagesApi = {
  /** The conversation and its newest `PAGE_SIZE` messages; `hasMore` when older ones exist. */
  latest: (conversationId: string) => request(`${base(conversationId)}?limit=${PAGE_SIZE}`, Latest),
  /** The `limit` messages just before `beforeSeq` (and after `afterSeq`), oldest first. */
  before: (conversationId: string, beforeSeq: number, limit = PAGE_SIZE, afterSeq = 0) =>
    request(
      `${base(conversationId)}/messages?before=${beforeSeq}&after=${afterSeq}&limit=${limit}`,
      Page,
    ),
  /** Messages whose text contains `q`, newest first. */
  search: (conversationId: string, q: string) =>
    request(`${base(conversationId)}/messages/search?q=${encodeURIComponent(q)}`, Found),
};

/** Where a file of a conversation is served. */
export function mediaUrl(mediaId: string): string {
  return `/api/media/${encodeURIComponent(mediaId)}`;
}
