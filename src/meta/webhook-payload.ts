/**
 * Normalises a parsed Meta WhatsApp Cloud API webhook body into flat items.
 *
 * Pure: no I/O, no clock, never throws. Every shape is validated with zod using loose
 * objects, so fields Meta adds later never break parsing. One malformed item never hides
 * the other items of a batch (up to 1000 per POST): it is either degraded (an inbound
 * message with an `id` always survives, as type "unsupported") or skipped with a note in
 * `problems`.
 *
 * Contract: Meta's webhook reference (messages, statuses, errors, template updates).
 */

import type { z } from "zod";
import {
  ChangeSchema,
  type Contact,
  ContactSchema,
  ContextSchema,
  EntrySchema,
  EnvelopeSchema,
  ErrorSchema,
  InteractiveReply,
  type KnownMessage,
  KnownMessageSchema,
  type MessageBase,
  MessageBaseSchema,
  MessagesValueSchema,
  type Order,
  ReferralSchema,
  type SharedContact,
  StatusNameSchema,
  StatusSchema,
  TemplateValueSchema,
} from "./webhook-schemas";

export { InteractiveReply };

/** Who sent an inbound message, from `value.contacts[]` (phone and/or business-scoped user id). */
export type InboundContact = { waId: string | null; userId: string | null; name: string | null };

/** One inbound user message, normalised. */
export type InboundMessage = {
  /** The wamid; the deduplication key. */
  id: string;
  /** `wa_id` digits of the sender; absent for users who adopted a username. */
  from: string | null;
  /** Business-scoped user id (BSUID) when present. */
  fromUserId: string | null;
  /** Meta's string seconds × 1000. */
  timestampMs: number;
  /** Meta's type; "unsupported" for anything unknown or malformed. */
  type: string;
  /** The type string Meta sent (for Meta's own "unsupported" items, the inner `unsupported.type`). */
  originalType: string;
  /** Short, plain-text summary for agents (max 4096 chars). */
  text: string;
  /** The validated type object (e.g. the `image` object), or the raw item for unsupported. */
  payload: unknown;
  context: {
    from?: string;
    id?: string;
    forwarded?: boolean;
    frequentlyForwarded?: boolean;
  } | null;
  referral: Record<string, unknown> | null;
  /** `messages[].errors`, e.g. 131051 for unsupported types. */
  errors: MetaError[];
};

/** A Meta error object, flattened (`error_data.details` → `details`). */
export type MetaError = { code: number; title: string; message?: string; details?: string };

/** Outbound message statuses Meta reports. */
export type StatusName = "sent" | "delivered" | "read" | "played" | "failed" | "deleted";

/** One `statuses[]` item: a delivery tick (or failure) for a message we sent. */
export type StatusUpdate = {
  id: string;
  status: StatusName;
  timestampMs: number;
  recipientId: string | null;
  errors: MetaError[];
  bizOpaqueCallbackData: string | null;
};

/** A `message_template_status_update` webhook (approval, rejection, pause, …). */
export type TemplateStatusUpdate = {
  event: string;
  templateId: string;
  name: string;
  language: string;
  reason: string | null;
  category: string | null;
  /** `entry.time` × 1000, when present. */
  timestampMs: number | null;
};

/** One flat, routable item extracted from a webhook body. */
export type WebhookItem =
  | {
      kind: "message";
      phoneNumberId: string;
      displayPhone: string | null;
      contact: InboundContact;
      message: InboundMessage;
    }
  | { kind: "status"; phoneNumberId: string; status: StatusUpdate }
  | { kind: "error"; phoneNumberId: string | null; errors: MetaError[] }
  | { kind: "template_status"; wabaId: string; update: TemplateStatusUpdate };

/** Items found in a body, plus human-readable notes about everything skipped or degraded. */
export type ExtractResult = { items: WebhookItem[]; problems: string[] };

/** Longest summary text handed to agents. */
const MAX_TEXT_LENGTH = 4096;

const STATUS_RANK: Record<StatusName, number> = {
  deleted: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 3,
  failed: 99,
};

/**
 * Status rank for monotonic ticks: sent 1 < delivered 2 < read 3 = played 3;
 * failed is terminal (99); deleted 0 (ignored).
 */
export function statusRank(s: StatusName): number {
  return STATUS_RANK[s];
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Per-entry parsing state. */
type Ctx = { problems: string[]; entryTimeMs: number | null };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `""` and `undefined` become `null`. */
function nonEmpty(s: string | undefined): string | null {
  return s === undefined || s === "" ? null : s;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const at = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return `${at}${issue.message}`;
}

/** Drops control characters (keeps tab and newline) and caps the length without splitting a surrogate pair. */
function safeText(input: string): string {
  const source = input.length > MAX_TEXT_LENGTH * 2 ? input.slice(0, MAX_TEXT_LENGTH * 2) : input;
  let out = "";
  for (const ch of source.replace(/\r\n?/g, "\n")) {
    const code = ch.charCodeAt(0);
    if ((code < 0x20 && ch !== "\n" && ch !== "\t") || code === 0x7f) continue;
    out += ch;
  }
  if (out.length <= MAX_TEXT_LENGTH) return out;
  let cut = out.slice(0, MAX_TEXT_LENGTH - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Reads an optional array field; a present non-array is a problem. */
function asArray(raw: unknown, path: string, ctx: Ctx): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  ctx.problems.push(`${path}: expected an array`);
  return [];
}

function toMetaError(e: z.infer<typeof ErrorSchema>): MetaError {
  const out: MetaError = { code: e.code, title: e.title ?? e.message ?? "" };
  if (e.message !== undefined) out.message = e.message;
  const details = e.error_data?.details;
  if (details !== undefined) out.details = details;
  return out;
}

/** Parses an `errors[]` array; malformed elements are skipped with a problem. */
function parseErrors(raw: unknown, path: string, ctx: Ctx): MetaError[] {
  const out: MetaError[] = [];
  asArray(raw, path, ctx).forEach((item, i) => {
    const r = ErrorSchema.safeParse(item);
    if (r.success) out.push(toMetaError(r.data));
    else ctx.problems.push(`${path}[${i}]: invalid error (${firstIssue(r.error)})`);
  });
  return out;
}

/** Item timestamp, else the entry time, else 0 — with a problem note when it had to fall back. */
function resolveTimestamp(ms: number | undefined, path: string, ctx: Ctx): number {
  if (ms !== undefined) return ms;
  ctx.problems.push(`${path}: missing or invalid timestamp`);
  return ctx.entryTimeMs ?? 0;
}

// ---------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------

function locationText(l: { latitude: number; longitude: number; name?: string; address?: string }) {
  const label = [l.name, l.address].filter((p) => p !== undefined && p !== "").join(", ");
  return `[location] ${label === "" ? "" : `${label} `}(${l.latitude}, ${l.longitude})`;
}

function sharedContactName(c: SharedContact): string {
  const n = c.name;
  const full = [n?.first_name, n?.last_name].filter((p) => p !== undefined && p !== "").join(" ");
  return n?.formatted_name || full || c.phones?.[0]?.phone || "(unnamed)";
}

function contactsText(contacts: SharedContact[]): string {
  const label = contacts.length === 1 ? "[contact]" : "[contacts]";
  return `${label} ${contacts.map(sharedContactName).join(", ")}`.trimEnd();
}

function interactiveText(i: InteractiveReply): string {
  switch (i.type) {
    case "button_reply":
      return i.button_reply.title;
    case "list_reply":
      return i.list_reply.title;
    case "nfm_reply":
      return i.nfm_reply.body ? `[flow reply] ${i.nfm_reply.body}` : "[flow reply]";
  }
}

function orderText(o: Order): string {
  const units = o.product_items.reduce((n, p) => n + p.quantity, 0);
  const currencies = new Set(o.product_items.map((p) => p.currency));
  let out = `[order] ${units} item${units === 1 ? "" : "s"}`;
  const [currency] = currencies;
  if (currencies.size === 1 && currency !== undefined) {
    const total = o.product_items.reduce((n, p) => n + p.quantity * p.item_price, 0);
    out += `, ${total.toFixed(2)} ${currency}`;
  }
  return o.text ? `${out}: ${o.text}` : out;
}

type Shaped = { type: string; originalType: string; text: string; payload: unknown };

function unsupported(originalType: string, raw: unknown): Shaped {
  return {
    type: "unsupported",
    originalType,
    text: `[unsupported: ${originalType}]`,
    payload: raw,
  };
}

/** Turns a validated known message into type, summary and payload. */
function shapeKnown(m: KnownMessage, raw: unknown): Shaped {
  const known = (text: string, payload: unknown): Shaped => ({
    type: m.type,
    originalType: m.type,
    text,
    payload,
  });
  switch (m.type) {
    case "text":
      return known(m.text.body, m.text);
    case "image":
      return known(m.image.caption || "[image]", m.image);
    case "video":
      return known(m.video.caption || "[video]", m.video);
    case "audio":
      return known(m.audio.voice ? "[voice message]" : "[audio]", m.audio);
    case "document": {
      const d = m.document;
      return known(d.caption || (d.filename ? `[document] ${d.filename}` : "[document]"), d);
    }
    case "sticker":
      return known(m.sticker.animated ? "[animated sticker]" : "[sticker]", m.sticker);
    case "location":
      return known(locationText(m.location), m.location);
    case "contacts":
      return known(contactsText(m.contacts), m.contacts);
    case "interactive":
      return known(interactiveText(m.interactive), m.interactive);
    case "button":
      return known(m.button.text || m.button.payload || "[button]", m.button);
    case "reaction": {
      const e = m.reaction.emoji;
      return known(e ? `[reaction ${e}]` : "[reaction removed]", m.reaction);
    }
    case "order":
      return known(orderText(m.order), m.order);
    case "system":
      return known(m.system.body, m.system);
    case "unsupported":
      return unsupported(m.unsupported?.type || "unsupported", raw);
    case "unknown":
      return unsupported("unknown", raw);
  }
}

function parseContext(raw: unknown): InboundMessage["context"] {
  const r = ContextSchema.safeParse(raw);
  if (!r.success) return null;
  const c = r.data;
  const out: NonNullable<InboundMessage["context"]> = {};
  if (c.from !== undefined) out.from = c.from;
  if (c.id !== undefined) out.id = c.id;
  if (c.forwarded !== undefined) out.forwarded = c.forwarded;
  if (c.frequently_forwarded !== undefined) out.frequentlyForwarded = c.frequently_forwarded;
  return out;
}

function parseReferral(raw: unknown): Record<string, unknown> | null {
  const r = ReferralSchema.safeParse(raw);
  return r.success ? r.data : null;
}

/** Parses one `messages[]` item; `null` (with a problem) only when it has no usable id. */
function parseMessage(raw: unknown, path: string, ctx: Ctx): InboundMessage | null {
  const base = MessageBaseSchema.safeParse(raw);
  if (!base.success) {
    ctx.problems.push(`${path}: message without a string id, skipped`);
    return null;
  }
  const b = base.data;
  const known = KnownMessageSchema.safeParse(raw);
  const shaped = known.success
    ? shapeKnown(known.data, raw)
    : unsupported(b.type === undefined || b.type === "" ? "unknown" : b.type, raw);
  if (!known.success && b.type !== undefined && isKnownTypeName(b.type)) {
    ctx.problems.push(`${path}: malformed ${b.type} message (${firstIssue(known.error)})`);
  }
  return buildMessage(b, shaped, path, ctx);
}

const KNOWN_TYPE_NAMES: ReadonlySet<string> = new Set(
  KnownMessageSchema.options.map((o) => o.shape.type.value),
);

function isKnownTypeName(t: string): boolean {
  return KNOWN_TYPE_NAMES.has(t);
}

function buildMessage(b: MessageBase, s: Shaped, path: string, ctx: Ctx): InboundMessage {
  return {
    id: b.id,
    from: nonEmpty(b.from),
    fromUserId: nonEmpty(b.from_user_id),
    timestampMs: resolveTimestamp(b.timestamp, path, ctx),
    type: s.type,
    originalType: s.originalType,
    text: safeText(s.text),
    payload: s.payload,
    context: b.context === undefined ? null : parseContext(b.context),
    referral: b.referral === undefined ? null : parseReferral(b.referral),
    errors: parseErrors(b.errors, `${path}.errors`, ctx),
  };
}

function parseContacts(raw: unknown, path: string, ctx: Ctx): Contact[] {
  const out: Contact[] = [];
  for (const item of asArray(raw, path, ctx)) {
    const r = ContactSchema.safeParse(item);
    if (r.success) out.push(r.data);
  }
  return out;
}

/** Matches a message to its contact by wa_id or BSUID, falling back to the only contact. */
function contactFor(contacts: Contact[], m: InboundMessage): InboundContact {
  const match =
    contacts.find(
      (c) =>
        (m.from !== null && c.wa_id === m.from) ||
        (m.fromUserId !== null && c.user_id === m.fromUserId),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  return {
    waId: nonEmpty(match?.wa_id) ?? m.from,
    userId: nonEmpty(match?.user_id) ?? m.fromUserId,
    name: nonEmpty(match?.profile?.name),
  };
}

// ---------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------

/** Parses one `statuses[]` item; `null` (with a problem) when it has no id or an unknown status. */
function parseStatus(raw: unknown, path: string, ctx: Ctx): StatusUpdate | null {
  const r = StatusSchema.safeParse(raw);
  if (!r.success) {
    ctx.problems.push(`${path}: invalid status (${firstIssue(r.error)}), skipped`);
    return null;
  }
  const name = StatusNameSchema.safeParse(r.data.status);
  if (!name.success) {
    ctx.problems.push(`${path}: unknown status "${r.data.status.slice(0, 64)}", skipped`);
    return null;
  }
  return {
    id: r.data.id,
    status: name.data,
    timestampMs: resolveTimestamp(r.data.timestamp, path, ctx),
    recipientId: nonEmpty(r.data.recipient_id),
    errors: parseErrors(r.data.errors, `${path}.errors`, ctx),
    bizOpaqueCallbackData: r.data.biz_opaque_callback_data ?? null,
  };
}

// ---------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------

/** Handles a `field: "messages"` change value. */
function extractMessagesValue(value: unknown, path: string, ctx: Ctx): WebhookItem[] {
  const parsed = MessagesValueSchema.safeParse(value);
  if (!parsed.success) {
    ctx.problems.push(`${path}.value: expected an object`);
    return [];
  }
  const v = parsed.data;
  const items: WebhookItem[] = [];
  const phoneNumberId = v.metadata?.phone_number_id ?? null;
  const messages = asArray(v.messages, `${path}.value.messages`, ctx);
  const statuses = asArray(v.statuses, `${path}.value.statuses`, ctx);
  if (phoneNumberId === null && messages.length + statuses.length > 0) {
    ctx.problems.push(
      `${path}.value.metadata.phone_number_id missing: ${messages.length} message(s) and ${statuses.length} status(es) skipped`,
    );
  } else if (phoneNumberId !== null) {
    const displayPhone = nonEmpty(v.metadata?.display_phone_number);
    const contacts = parseContacts(v.contacts, `${path}.value.contacts`, ctx);
    messages.forEach((raw, i) => {
      const message = parseMessage(raw, `${path}.value.messages[${i}]`, ctx);
      if (message === null) return;
      const contact = contactFor(contacts, message);
      items.push({ kind: "message", phoneNumberId, displayPhone, contact, message });
    });
    statuses.forEach((raw, i) => {
      const status = parseStatus(raw, `${path}.value.statuses[${i}]`, ctx);
      if (status !== null) items.push({ kind: "status", phoneNumberId, status });
    });
  }
  const errors = parseErrors(v.errors, `${path}.value.errors`, ctx);
  if (errors.length > 0) items.push({ kind: "error", phoneNumberId, errors });
  return items;
}

/** True when a change value looks like a template status update, whatever its `field` says. */
function looksLikeTemplateStatus(value: unknown): boolean {
  return isRecord(value) && "message_template_id" in value && "event" in value;
}

function extractTemplateStatus(
  value: unknown,
  wabaId: string | undefined,
  path: string,
  ctx: Ctx,
): WebhookItem[] {
  const r = TemplateValueSchema.safeParse(value);
  if (!r.success) {
    ctx.problems.push(`${path}: invalid template status update (${firstIssue(r.error)})`);
    return [];
  }
  if (wabaId === undefined) {
    ctx.problems.push(`${path}: template status update without entry id, skipped`);
    return [];
  }
  const v = r.data;
  const update: TemplateStatusUpdate = {
    event: v.event,
    templateId: v.message_template_id,
    name: v.message_template_name,
    language: v.message_template_language,
    reason: v.reason ?? null,
    category: v.message_template_category ?? null,
    timestampMs: ctx.entryTimeMs,
  };
  return [{ kind: "template_status", wabaId, update }];
}

/** Dispatches one `changes[]` item on its value shape and `field`. */
function extractChange(
  raw: unknown,
  wabaId: string | undefined,
  path: string,
  ctx: Ctx,
): WebhookItem[] {
  const change = ChangeSchema.safeParse(raw);
  if (!change.success) {
    ctx.problems.push(`${path}: expected an object`);
    return [];
  }
  const { field, value } = change.data;
  if (looksLikeTemplateStatus(value)) return extractTemplateStatus(value, wabaId, path, ctx);
  if (field === "messages") return extractMessagesValue(value, path, ctx);
  if (field === "message_template_status_update") {
    ctx.problems.push(`${path}: template update without event/message_template_id, ignored`);
    return [];
  }
  const name = field === undefined ? "(missing)" : `"${field.slice(0, 64)}"`;
  ctx.problems.push(`${path}: field ${name} ignored`);
  return [];
}

function extractEntry(raw: unknown, path: string, problems: string[]): WebhookItem[] {
  const entry = EntrySchema.safeParse(raw);
  if (!entry.success) {
    problems.push(`${path}: invalid entry (${firstIssue(entry.error)})`);
    return [];
  }
  const ctx: Ctx = { problems, entryTimeMs: entry.data.time ?? null };
  const items: WebhookItem[] = [];
  entry.data.changes.forEach((change, j) => {
    const changePath = `${path}.changes[${j}]`;
    try {
      items.push(...extractChange(change, entry.data.id, changePath, ctx));
    } catch (err) {
      problems.push(`${changePath}: unexpected error ${String(err).slice(0, 200)}`);
    }
  });
  return items;
}

/**
 * Flattens a parsed webhook body into items. Never throws. Unknown top-level fields are
 * ignored; unknown change fields produce a `problems` entry; a malformed item never hides the
 * other items of the batch.
 */
export function extractWebhookItems(body: unknown): ExtractResult {
  const problems: string[] = [];
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    problems.push(`invalid webhook envelope (${firstIssue(envelope.error)})`);
    return { items: [], problems };
  }
  if (envelope.data.object !== "whatsapp_business_account") {
    problems.push(`unexpected object "${envelope.data.object.slice(0, 64)}", ignored`);
    return { items: [], problems };
  }
  const items: WebhookItem[] = [];
  envelope.data.entry.forEach((entry, i) => {
    items.push(...extractEntry(entry, `entry[${i}]`, problems));
  });
  return { items, problems };
}
