/**
 * Validation of `POST /:phoneNumberId/messages` bodies, with Meta's limits.
 * Failures throw {@link InvalidParameter} naming the offending field.
 */
import { isObject, type Json, type JsonObject, nonEmptyString } from "./http.ts";
import { digitsOf } from "./meta.ts";

/** Message types the simulator accepts on send. */
export const SEND_TYPES = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "interactive",
  "template",
  "reaction",
] as const;
/** One of {@link SEND_TYPES}. */
export type SendType = (typeof SEND_TYPES)[number];

/** A validated request: mark-as-read or a send. */
export type MessagesRequest =
  | { kind: "read"; messageId: string; typing: boolean }
  | { kind: "send"; to: string; type: SendType; body: JsonObject; bizOpaque?: string };

/** A body that Meta would reject with `(#100) Invalid parameter`; `details` names the field. */
export class InvalidParameter extends Error {
  readonly details: string;
  constructor(details: string) {
    super(details);
    this.details = details;
  }
}

function fail(details: string): never {
  throw new InvalidParameter(details);
}

function requireObject(value: Json | undefined, path: string): JsonObject {
  return isObject(value) ? value : fail(`${path} is required and must be an object`);
}

function requireString(value: Json | undefined, path: string, max?: number): string {
  const s = nonEmptyString(value) ?? fail(`${path} is required`);
  if (max !== undefined && s.length > max) fail(`${path} must be at most ${max} characters`);
  return s;
}

function optionalString(value: Json | undefined, path: string, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "string") fail(`${path} must be a string`);
  if (value.length > max) fail(`${path} must be at most ${max} characters`);
}

function requireArray(value: Json | undefined, path: string, min: number, max: number): Json[] {
  if (!Array.isArray(value)) fail(`${path} is required and must be an array`);
  if (value.length < min || value.length > max) {
    fail(`${path} must have between ${min} and ${max} items`);
  }
  return value;
}

function requireCoordinate(value: Json | undefined, path: string): void {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) fail(`${path} must be a number`);
}

function validateText(text: JsonObject): void {
  requireString(text.body, "text.body", 4096);
  if (text.preview_url !== undefined && typeof text.preview_url !== "boolean") {
    fail("text.preview_url must be a boolean");
  }
}

function validateMedia(type: SendType, media: JsonObject): void {
  if (nonEmptyString(media.id) === undefined && nonEmptyString(media.link) === undefined) {
    fail(`${type}.id or ${type}.link is required`);
  }
  if (type === "image" || type === "video" || type === "document") {
    optionalString(media.caption, `${type}.caption`, 1024);
  } else if (media.caption !== undefined) {
    fail(`${type}.caption is not supported`);
  }
  if (type === "document") optionalString(media.filename, "document.filename", 240);
}

function validateLocation(loc: JsonObject): void {
  requireCoordinate(loc.latitude, "location.latitude");
  requireCoordinate(loc.longitude, "location.longitude");
  optionalString(loc.name, "location.name", 1000);
  optionalString(loc.address, "location.address", 1000);
}

function validateButtons(action: JsonObject): void {
  const buttons = requireArray(action.buttons, "interactive.action.buttons", 1, 3);
  const ids = new Set<string>();
  const titles = new Set<string>();
  buttons.forEach((b, i) => {
    const path = `interactive.action.buttons[${i}]`;
    const button = requireObject(b, path);
    if (button.type !== "reply") fail(`${path}.type must be "reply"`);
    const reply = requireObject(button.reply, `${path}.reply`);
    const id = requireString(reply.id, `${path}.reply.id`, 256);
    const title = requireString(reply.title, `${path}.reply.title`, 20);
    if (ids.has(id)) fail(`${path}.reply.id must be unique`);
    if (titles.has(title)) fail(`${path}.reply.title must be unique`);
    ids.add(id);
    titles.add(title);
  });
}

function validateList(action: JsonObject): void {
  requireString(action.button, "interactive.action.button", 20);
  const sections = requireArray(action.sections, "interactive.action.sections", 1, 10);
  const ids = new Set<string>();
  sections.forEach((s, i) => {
    const path = `interactive.action.sections[${i}]`;
    const section = requireObject(s, path);
    if (sections.length > 1) requireString(section.title, `${path}.title`, 24);
    else optionalString(section.title, `${path}.title`, 24);
    const rows = requireArray(section.rows, `${path}.rows`, 1, 10);
    rows.forEach((r, j) => {
      const row = requireObject(r, `${path}.rows[${j}]`);
      const id = requireString(row.id, `${path}.rows[${j}].id`, 200);
      requireString(row.title, `${path}.rows[${j}].title`, 24);
      optionalString(row.description, `${path}.rows[${j}].description`, 72);
      if (ids.has(id)) fail(`${path}.rows[${j}].id must be unique`);
      ids.add(id);
    });
  });
  if (ids.size > 10) fail("interactive.action.sections must have at most 10 rows in total");
}

function validateInteractive(interactive: JsonObject): void {
  const kind = requireString(interactive.type, "interactive.type");
  const action = requireObject(interactive.action, "interactive.action");
  if (interactive.footer !== undefined) {
    requireString(
      requireObject(interactive.footer, "interactive.footer").text,
      "interactive.footer.text",
      60,
    );
  }
  if (kind === "button" || kind === "list") {
    const max = kind === "button" ? 1024 : 4096;
    requireString(
      requireObject(interactive.body, "interactive.body").text,
      "interactive.body.text",
      max,
    );
  }
  if (kind === "button") validateButtons(action);
  else if (kind === "list") validateList(action);
}

function validateTemplate(template: JsonObject): void {
  requireString(template.name, "template.name", 512);
  requireString(
    requireObject(template.language, "template.language").code,
    "template.language.code",
  );
  if (template.components !== undefined) {
    requireArray(template.components, "template.components", 0, 100).forEach((c, i) => {
      requireString(
        requireObject(c, `template.components[${i}]`).type,
        `template.components[${i}].type`,
      );
    });
  }
}

function validateReaction(reaction: JsonObject): void {
  requireString(reaction.message_id, "reaction.message_id");
  if (typeof reaction.emoji !== "string") fail("reaction.emoji is required");
}

const TYPE_VALIDATORS: Record<SendType, (obj: JsonObject) => void> = {
  text: validateText,
  location: validateLocation,
  interactive: validateInteractive,
  template: validateTemplate,
  reaction: validateReaction,
  image: (obj) => validateMedia("image", obj),
  audio: (obj) => validateMedia("audio", obj),
  video: (obj) => validateMedia("video", obj),
  document: (obj) => validateMedia("document", obj),
  sticker: (obj) => validateMedia("sticker", obj),
};

function parseRead(body: JsonObject): MessagesRequest {
  const messageId = requireString(body.message_id, "message_id");
  const typing = body.typing_indicator;
  if (typing !== undefined && (!isObject(typing) || typing.type !== "text")) {
    fail('typing_indicator.type must be "text"');
  }
  return { kind: "read", messageId, typing: typing !== undefined };
}

function parseSend(body: JsonObject): MessagesRequest {
  const to = requireString(body.to, "to");
  if (digitsOf(to).length < 5) fail("to must be a phone number");
  if (body.recipient_type !== undefined && body.recipient_type !== "individual") {
    fail('recipient_type must be "individual"');
  }
  const rawType = body.type ?? "text";
  const type =
    SEND_TYPES.find((t) => t === rawType) ?? fail("type is not a supported message type");
  TYPE_VALIDATORS[type](requireObject(body[type], type));
  if (body.context !== undefined) {
    requireString(requireObject(body.context, "context").message_id, "context.message_id");
  }
  optionalString(body.biz_opaque_callback_data, "biz_opaque_callback_data", 512);
  const bizOpaque = nonEmptyString(body.biz_opaque_callback_data);
  return { kind: "send", to, type, body, ...(bizOpaque ? { bizOpaque } : {}) };
}

/** Validates a messages-endpoint body like Meta does. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (!isObject(body)) fail("body must be a JSON object");
  if (body.messaging_product !== "whatsapp") fail('messaging_product must be "whatsapp"');
  return body.status !== undefined ? parseRead(body) : parseSend(body);
}
