/**
 * The conversation history of a customer (/api/customers/:id/conversations),
 * shared by the Worker and the UI. Conversations enter the history when an
 * agent takes them and are completed when they close; their messages are copied
 * at closing, without their texts when the customer's "keep message history" is
 * off.
 */
import { z } from "zod";
import { Tick } from "./protocol";

/** A day "YYYY-MM-DD", read in the caller's time zone `tz` (default UTC). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "a date YYYY-MM-DD", abort: true })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "a date YYYY-MM-DD");

/**
 * GET /api/customers/:id/conversations: newest first. `from`/`to` are
 * inclusive days on the opening time; `q` keeps conversations with a message
 * matching every word (full-text search, accents ignored, word prefixes match).
 */
export const HistoryQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  /** IANA time zone the days are read in, e.g. "Europe/Rome". */
  tz: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(100).default(25),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/**
 * Marks around a match in a snippet: private-use characters, which no message
 * writes, so quotation marks like « » in a text are never read as a match.
 */
export const MATCH_START = "\u{E000}";
export const MATCH_END = "\u{E001}";

export const HistoryConversation = z.object({
  id: z.string(),
  numberId: z.string(),
  numberName: z.string().nullable(),
  skillsetId: z.string().nullable(),
  skillsetName: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  openedAt: z.number(),
  /** null while the conversation is still open. */
  closedAt: z.number().nullable(),
  closedBy: z.string().nullable(),
  closedByName: z.string().nullable(),
  closeReason: z.string().nullable(),
  closeNotes: z.string().nullable(),
  /** False when the message texts were removed at closing. */
  messagesKept: z.boolean(),
  messageCount: z.number().int(),
  /** With `q`: a few matching snippets, each match between `MATCH_START` and `MATCH_END`. */
  matches: z.array(z.string()).optional(),
});
export type HistoryConversation = z.infer<typeof HistoryConversation>;

export const HistoryMessage = z.object({
  seq: z.number().int(),
  direction: z.enum(["in", "out"]),
  senderName: z.string(),
  kind: z.string(),
  /** null when the contents were not kept. */
  text: z.string().nullable(),
  createdAt: z.number(),
  /** Our messages: the last delivery tick ("unconfirmed", "failed" are shown); null otherwise. */
  status: Tick.nullable().default(null),
});
export type HistoryMessage = z.infer<typeof HistoryMessage>;

/** GET /api/customers/:id/conversations/:conversationId */
export const HistoryDetail = z.object({
  conversation: HistoryConversation,
  messages: z.array(HistoryMessage),
});
export type HistoryDetail = z.infer<typeof HistoryDetail>;

/** POST /api/customers/:id/conversations/:conversationId/email: a readable transcript. */
export const TranscriptMailBody = z.object({
  to: z.string().trim().toLowerCase().email().max(254),
  /** Language of the transcript's headings; default the caller's. */
  language: z.enum(["en", "it"]).optional(),
});
export type TranscriptMailBody = z.infer<typeof TranscriptMailBody>;
