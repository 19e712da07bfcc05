/**
 * What a message shows on the desktop beyond its summary text: the typed
 * content of every inbound WhatsApp type (and of our own attachments), the
 * message it replies to, and when its ticks arrived. Shared by the actors
 * (which build it, src/durable/conversation/stored-content.ts) and the desktop (which
 * renders it, src/ui/desk/messages). Times are Unix epoch milliseconds.
 */
import { z } from "zod";

/** Meta's upper bound for any media file (inbound downloads fail above it, error 131052). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** How a file is shown: inline picture, player, download card, small picture. */
export const MediaKind = z.enum(["image", "audio", "voice", "video", "document", "sticker"]);
export type MediaKind = z.infer<typeof MediaKind>;

/** Background work that failed, as a note in the conversation says it (see src/durable/conversation/notices.ts). */
export const NoticeCode = z.enum(["close_mail_failed", "history_failed", "joined", "left"]);
export type NoticeCode = z.infer<typeof NoticeCode>;

/** One shared contact card (vCard-like, only what the desktop shows). */
export const ContactCard = z.object({
  name: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  org: z.string().nullable(),
});
export type ContactCard = z.infer<typeof ContactCard>;

/**
 * The typed content of a message. `media.mediaId` is OUR id (served at
 * /api/media/:mediaId), null while the file is still being fetched from Meta;
 * `failed` says it could not be. A `reaction`'s `targetId` is our id of the
 * message reacted to (null when unknown); `emoji` null means it was removed.
 */
export const MessageContent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), body: z.string() }),
  z.object({
    type: z.literal("media"),
    kind: MediaKind,
    mediaId: z.string().nullable(),
    mime: z.string().nullable(),
    filename: z.string().nullable(),
    caption: z.string().nullable(),
    size: z.number().int().nonnegative().nullable(),
    failed: z.boolean(),
  }),
  z.object({
    type: z.literal("location"),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().nullable(),
    address: z.string().nullable(),
  }),
  z.object({ type: z.literal("contacts"), contacts: z.array(ContactCard) }),
  z.object({
    type: z.literal("reaction"),
    emoji: z.string().nullable(),
    targetId: z.string().nullable(),
  }),
  /** The customer tapped a reply button, a list row, a template's quick reply or sent a flow. */
  z.object({
    type: z.literal("reply"),
    kind: z.enum(["button", "list", "template_button", "flow"]),
    replyId: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
  }),
  /** Our interactive message: its body and the choices it offered. */
  z.object({
    type: z.literal("interactive"),
    body: z.string(),
    options: z.array(z.string()),
  }),
  z.object({ type: z.literal("template"), name: z.string() }),
  z.object({ type: z.literal("unsupported"), originalType: z.string() }),
  /**
   * A note for the agents (never sent) or a system message from WhatsApp. A
   * `notice` says what failed in the background, for each agent in their own
   * language (`detail`: e.g. the address a mail could not reach).
   */
  z.object({
    type: z.literal("note"),
    body: z.string(),
    notice: NoticeCode.optional(),
    detail: z.string().optional(),
  }),
]);
export type MessageContent = z.infer<typeof MessageContent>;

/** The message a message replies to (WhatsApp's `context.id`), as far as we have it. */
export const ReplyTo = z.object({
  /** Our id of the quoted message. */
  id: z.string(),
  /** The start of its text. */
  excerpt: z.string(),
  direction: z.enum(["in", "out"]),
});
export type ReplyTo = z.infer<typeof ReplyTo>;

/** When each of an outbound message's ticks was reported by Meta. */
export const StatusTimes = z.object({
  sent: z.number().optional(),
  delivered: z.number().optional(),
  read: z.number().optional(),
  played: z.number().optional(),
  failed: z.number().optional(),
});
export type StatusTimes = z.infer<typeof StatusTimes>;

/** Longest search text inside a conversation. */
export const MAX_SEARCH_LENGTH = 200;

/** GET /api/conversations/:id/messages/search?q= */
export const MessageSearchQuery = z.object({
  q: z.string().trim().min(1).max(MAX_SEARCH_LENGTH),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessageSearchQuery = z.infer<typeof MessageSearchQuery>;

/** Messages of a conversation to page through: the newest first page, older ones on demand. */
export const DEFAULT_PAGE_SIZE = 50;

/** The kinds of message that are a file, as the history stores them. */
const FILE_KINDS = ["image", "video", "audio", "voice", "document", "sticker"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * The file kind to name before a stored message's text ("[Image] Our logo"), or null:
 * not a file, or a text that already says it (the summaries "[image]", "[document] a.pdf").
 * The customer's history and the mailed transcripts read it alike.
 */
export function fileKindToName(kind: string, text: string): FileKind | null {
  if (text.startsWith("[")) return null;
  return (FILE_KINDS as readonly string[]).includes(kind) ? (kind as FileKind) : null;
}
