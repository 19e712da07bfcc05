/**
 * My history (GET /api/my-history…), shared by the Worker and the UI: the
 * conversations of the tenant the caller handled (they had it last, or closed
 * it) that closed in the last four weeks, newest first.
 */
import { z } from "zod";
import { HistoryConversation, HistoryMessage } from "./customer-history";

/** How far back my history reaches, in days (at the actors' clock). */
export const MY_HISTORY_DAYS = 28;

/** A day "YYYY-MM-DD", read in the caller's time zone `tz` (default UTC). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "a date YYYY-MM-DD", abort: true })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "a date YYYY-MM-DD");

/**
 * GET /api/my-history: `from`/`to` are inclusive days on the closing time, in
 * `tz`; the range is clamped to the last `MY_HISTORY_DAYS` days.
 */
export const MyHistoryQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  /** IANA time zone the days are read in, e.g. "Europe/Rome". */
  tz: z.string().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(100).default(25),
});
export type MyHistoryQuery = z.infer<typeof MyHistoryQuery>;

/** One conversation of my history: the history's facts and who the customer is. */
export const MyHistoryItem = HistoryConversation.extend({
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }),
});
export type MyHistoryItem = z.infer<typeof MyHistoryItem>;

/** GET /api/my-history/:conversationId: the conversation with its messages. */
export const MyHistoryDetail = z.object({
  conversation: MyHistoryItem,
  messages: z.array(HistoryMessage),
});
export type MyHistoryDetail = z.infer<typeof MyHistoryDetail>;
