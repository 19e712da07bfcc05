/**
 * Turns a stored message row into what the desktop renders (MessageContent),
 * for inbound rows (their payload is the webhook's validated type object, see
 * src/meta/webhook-payload.ts) and outbound ones (`{ content, media? }`, see
 * src/meta/graph.ts). Pure and total: a payload it does not understand
 * gives null content, and the desktop falls back to the row's text.
 */
import { z } from "zod";
import { InteractiveReply } from "../../meta/webhook-payload";
import { cleanFileName } from "../../shared/file-names";
import {
  type ContactCard,
  type MediaKind,
  type MessageContent,
  NoticeCode,
  type ReplyTo,
  type StatusTimes,
} from "../../shared/message-content";
import { type ActorDb, sql } from "../sql";

/** The columns of a `messages` row this module reads. */
export interface ContentRow {
  direction: "in" | "out";
  kind: string;
  text: string;
  payload: string | null;
}

/** Our copy of a file in R2, as recorded in a message's payload once stored. */
export const StoredMedia = z.object({
  id: z.string(),
  mime: z.string(),
  filename: z.string().nullable(),
  size: z.number().int().nonnegative(),
});
export type StoredMedia = z.infer<typeof StoredMedia>;

/** Looks up one of the conversation's messages by Meta's wamid. */
export type WamidLookup = (
  wamid: string,
) => { id: string; text: string; direction: "in" | "out" } | null;

/** Inbound row payload, as message-rows.ts writes it (plus the fetched file). */
const InboundPayload = z.looseObject({
  payload: z.unknown().optional(),
  context: z.looseObject({ id: z.string().optional() }).nullable().optional().catch(null),
  originalType: z.string().optional().catch(undefined),
  /** Set when the file is in R2. */
  media: StoredMedia.optional().catch(undefined),
  /** Set when fetching it from Meta gave up. */
  mediaFailed: z.boolean().optional().catch(undefined),
});

/** Outbound row payload, as the composer and the automatic messages write it. */
const OutboundPayload = z.looseObject({
  content: z.looseObject({ type: z.string() }).optional().catch(undefined),
  media: StoredMedia.optional().catch(undefined),
});

const MediaObject = z.looseObject({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
});

const Num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const LocationObject = z.looseObject({
  latitude: Num,
  longitude: Num,
  name: z.string().optional(),
  address: z.string().optional(),
});

const ContactObject = z.looseObject({
  name: z
    .looseObject({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional()
    .catch(undefined),
  phones: z
    .array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() }))
    .optional()
    .catch(undefined),
  emails: z
    .array(z.looseObject({ email: z.string().optional() }))
    .optional()
    .catch(undefined),
  org: z.looseObject({ company: z.string().optional() }).optional().catch(undefined),
});

/** Our interactive message (buttons or list), as Meta's `interactive` object. */
const OutboundInteractive = z.looseObject({
  body: z.looseObject({ text: z.string() }).optional().catch(undefined),
  action: z
    .looseObject({
      buttons: z
        .array(z.looseObject({ reply: z.looseObject({ title: z.string() }) }))
        .optional()
        .catch(undefined),
      sections: z
        .array(
          z.looseObject({
            rows: z
              .array(z.looseObject({ title: z.string() }))
              .optional()
              .catch(undefined),
          }),
        )
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const MEDIA_TYPES: ReadonlySet<string> = new Set([
  "image",
  "audio",
  "video",
  "document",
  "sticker",
]);

/** Longest quote excerpt. */
const EXCERPT_LENGTH = 120;

function parseJson(text: string | null): unknown {
  if (text === null || text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function orNull(s: string | undefined): string | null {
  return s === undefined || s === "" ? null : s;
}

/** A file name from outside, without control characters (rows stored before they were cleaned on arrival). */
function cleanOrNull(name: string | null | undefined): string | null {
  return orNull(name === null || name === undefined ? undefined : cleanFileName(name));
}

function mediaContent(
  type: string,
  object: unknown,
  stored: StoredMedia | undefined,
  failed: boolean,
): MessageContent {
  const m = MediaObject.safeParse(object);
  const data = m.success ? m.data : {};
  const kind: MediaKind = type === "audio" && data.voice ? "voice" : (type as MediaKind);
  return {
    type: "media",
    kind,
    mediaId: stored?.id ?? null,
    mime: stored?.mime ?? orNull(data.mime_type),
    filename: cleanOrNull(stored?.filename ?? data.filename),
    caption: orNull(data.caption),
    size: stored?.size ?? null,
    failed: !stored && failed,
  };
}

function contactCard(c: z.infer<typeof ContactObject>): ContactCard {
  const n = c.name;
  const full = [n?.first_name, n?.last_name].filter((p) => p).join(" ");
  const phones = (c.phones ?? []).map((p) => p.phone ?? p.wa_id ?? "").filter((p) => p !== "");
  return {
    name: n?.formatted_name || full || phones[0] || "",
    phones,
    emails: (c.emails ?? []).map((e) => e.email ?? "").filter((e) => e !== ""),
    org: orNull(c.org?.company),
  };
}

function inboundContent(row: ContentRow, lookup: WamidLookup | null): MessageContent | null {
  const parsed = InboundPayload.safeParse(parseJson(row.payload));
  if (!parsed.success) return null;
  const { payload, media, mediaFailed } = parsed.data;
  if (MEDIA_TYPES.has(row.kind))
    return mediaContent(row.kind, payload, media, mediaFailed ?? false);
  switch (row.kind) {
    case "text":
      return { type: "text", body: row.text };
    case "location": {
      const l = LocationObject.safeParse(payload);
      if (!l.success) return null;
      return {
        type: "location",
        latitude: l.data.latitude,
        longitude: l.data.longitude,
        name: orNull(l.data.name),
        address: orNull(l.data.address),
      };
    }
    case "contacts": {
      const list = z.array(ContactObject).safeParse(payload);
      return list.success ? { type: "contacts", contacts: list.data.map(contactCard) } : null;
    }
    case "reaction": {
      const r = z
        .looseObject({ message_id: z.string(), emoji: z.string().optional() })
        .safeParse(payload);
      if (!r.success) return null;
      return {
        type: "reaction",
        emoji: orNull(r.data.emoji),
        targetId: lookup?.(r.data.message_id)?.id ?? null,
      };
    }
    case "interactive": {
      const i = InteractiveReply.safeParse(payload);
      if (!i.success) return null;
      switch (i.data.type) {
        case "button_reply":
          return {
            type: "reply",
            kind: "button",
            replyId: i.data.button_reply.id,
            title: i.data.button_reply.title,
            description: null,
          };
        case "list_reply":
          return {
            type: "reply",
            kind: "list",
            replyId: i.data.list_reply.id,
            title: i.data.list_reply.title,
            description: orNull(i.data.list_reply.description),
          };
        case "nfm_reply":
          return {
            type: "reply",
            kind: "flow",
            replyId: null,
            title: i.data.nfm_reply.body ?? i.data.nfm_reply.name ?? row.text,
            description: null,
          };
      }
      return null;
    }
    case "button": {
      const b = z
        .looseObject({ payload: z.string().optional(), text: z.string() })
        .safeParse(payload);
      if (!b.success) return null;
      return {
        type: "reply",
        kind: "template_button",
        replyId: orNull(b.data.payload),
        title: b.data.text,
        description: null,
      };
    }
    case "system":
      return { type: "note", body: row.text };
    case "unsupported":
      return { type: "unsupported", originalType: parsed.data.originalType ?? "unknown" };
    default:
      // Orders and whatever Meta adds later: the summary text says it.
      return { type: "text", body: row.text };
  }
}

/** A note's payload: the notice it shows, when the system wrote it about a failure. */
const NotePayload = z.object({ notice: NoticeCode, detail: z.string() });

function outboundContent(row: ContentRow): MessageContent | null {
  if (row.kind === "note") {
    const notice = NotePayload.safeParse(parseJson(row.payload));
    return notice.success
      ? { type: "note", body: row.text, notice: notice.data.notice, detail: notice.data.detail }
      : { type: "note", body: row.text };
  }
  const parsed = OutboundPayload.safeParse(parseJson(row.payload));
  const content = parsed.success ? parsed.data.content : undefined;
  if (!content) return row.kind === "text" ? { type: "text", body: row.text } : null;
  // Meta's shape nests the fields under the type ({type: "image", image: {…}}); the
  // sends of our desk keep them flat ({type: "image", mediaId, caption}): either reads.
  const nested = (content as Record<string, unknown>)[content.type];
  const object = typeof nested === "object" && nested !== null ? nested : content;
  if (MEDIA_TYPES.has(content.type)) {
    const caption = MediaObject.safeParse(object);
    const stored = parsed.success ? parsed.data.media : undefined;
    const base = mediaContent(content.type, object, stored, false);
    return base.type === "media"
      ? { ...base, caption: caption.success ? orNull(caption.data.caption) : null }
      : base;
  }
  switch (content.type) {
    case "text":
      return { type: "text", body: row.text };
    case "location": {
      const l = LocationObject.safeParse(object);
      return l.success
        ? {
            type: "location",
            latitude: l.data.latitude,
            longitude: l.data.longitude,
            name: orNull(l.data.name),
            address: orNull(l.data.address),
          }
        : null;
    }
    case "interactive": {
      const i = OutboundInteractive.safeParse(object);
      if (!i.success) return null;
      const buttons = (i.data.action?.buttons ?? []).map((b) => b.reply.title);
      const rows = (i.data.action?.sections ?? []).flatMap((s) =>
        (s.rows ?? []).map((r) => r.title),
      );
      return {
        type: "interactive",
        body: i.data.body?.text ?? row.text,
        options: [...buttons, ...rows],
      };
    }
    case "template": {
      const t = z.looseObject({ name: z.string() }).safeParse(object);
      return t.success ? { type: "template", name: t.data.name } : null;
    }
    default:
      return null;
  }
}

/**
 * The typed content of a stored message, or null when its payload is gone
 * (contents removed, attachment refused) or not understood. `lookup` resolves
 * a reaction's wamid to our message id (null: `targetId` stays null). Pure.
 */
export function contentOf(
  row: ContentRow,
  lookup: WamidLookup | null = null,
): MessageContent | null {
  if (row.direction === "in" && row.kind === "text" && row.payload === null) {
    return row.text === "" ? null : { type: "text", body: row.text };
  }
  return row.direction === "in" ? inboundContent(row, lookup) : outboundContent(row);
}

/** The wamid an inbound message quotes (`context.id`), if any. Reactions quote nothing. */
export function quotedWamid(row: ContentRow): string | null {
  if (row.direction !== "in" || row.kind === "reaction") return null;
  const parsed = InboundPayload.safeParse(parseJson(row.payload));
  return parsed.success ? (parsed.data.context?.id ?? null) : null;
}

/** The start of a message's text for a quote, on one line. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= EXCERPT_LENGTH ? line : `${line.slice(0, EXCERPT_LENGTH - 1)}…`;
}

/**
 * The Meta media id of an inbound file still to fetch, with what the webhook
 * said of it; null when the row carries no file or it is already stored.
 */
export function pendingMediaOf(
  row: ContentRow,
): { metaMediaId: string; mime: string | null; filename: string | null } | null {
  if (row.direction !== "in" || !MEDIA_TYPES.has(row.kind)) return null;
  const parsed = InboundPayload.safeParse(parseJson(row.payload));
  if (!parsed.success || parsed.data.media) return null;
  const m = MediaObject.safeParse(parsed.data.payload);
  if (!m.success || !m.data.id) return null;
  return {
    metaMediaId: m.data.id,
    mime: orNull(m.data.mime_type),
    filename: cleanOrNull(m.data.filename),
  };
}

/**
 * The payload with the fetched file recorded (or the failure), leaving the
 * rest as it was. Null when the row has no payload any more (contents removed).
 */
export function withStoredMedia(
  payload: string | null,
  result: { media: StoredMedia } | { failed: true },
): string | null {
  const parsed = parseJson(payload);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  return JSON.stringify(
    "media" in result
      ? { ...parsed, media: result.media, mediaFailed: false }
      : { ...parsed, mediaFailed: true },
  );
}

/** The columns `viewExtras` reads. */
export interface ViewRow extends ContentRow {
  wamid: string | null;
}

/**
 * What MessageView adds to a row: its content, the message it quotes and its
 * ticks' times, read from the conversation actor's tables (`messages`,
 * `status_log`). Without `db` (a message just created) nothing is looked up.
 */
export function viewExtras(
  row: ViewRow,
  db: ActorDb | null,
): { content: MessageContent | null; replyTo: ReplyTo | null; statusTimes: StatusTimes } {
  const lookup: WamidLookup | null = db
    ? (wamid) =>
        db.one<{ id: string; text: string; direction: "in" | "out" }>(
          sql`SELECT id, text, direction FROM messages WHERE wamid = ${wamid}`,
        )
    : null;
  const quoted = lookup ? quotedWamid(row) : null;
  const target = quoted ? lookup?.(quoted) : null;
  const statusTimes: StatusTimes = {};
  if (db && row.direction === "out" && row.wamid) {
    for (const s of db.all<{ status: string; at: number }>(
      sql`SELECT status, at FROM status_log WHERE wamid = ${row.wamid}`,
    )) {
      if (s.status in TICK_TIMES) statusTimes[s.status as keyof StatusTimes] = s.at;
    }
  }
  return {
    content: contentOf(row, lookup),
    replyTo: target
      ? { id: target.id, excerpt: excerpt(target.text), direction: target.direction }
      : null,
    statusTimes,
  };
}

const TICK_TIMES = { sent: 1, delivered: 1, read: 1, played: 1, failed: 1 };
