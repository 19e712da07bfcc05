/**
 * Meta's checks on a message template create/edit body, as its
 * template-management API applies them: name, language, category, and the
 * HEADER / BODY / FOOTER / BUTTONS components with their examples.
 */
import { isObject, type Json, type JsonObject } from "./http.ts";

/** A refused template: Meta answers 400, code 100, with a subcode and a user-facing message. */
export class TemplateRejection extends Error {
  readonly subcode: number;
  readonly title: string;
  constructor(subcode: number, title: string, message: string) {
    super(message);
    this.subcode = subcode;
    this.title = title;
  }
}

/** A valid template request. */
export interface TemplateRequest {
  name: string;
  language: string;
  category: "UTILITY" | "MARKETING" | "AUTHENTICATION";
  components: JsonObject[];
}

const CATEGORIES = ["UTILITY", "MARKETING", "AUTHENTICATION"] as const;
const COMPONENT_TYPES = ["HEADER", "BODY", "FOOTER", "BUTTONS"] as const;
const HEADER_FORMATS = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];

// Meta's subcodes for the failures the simulator reproduces.
const INVALID = 2388040;
const MISSING_EXAMPLE = 2388043;
const VARIABLE_AT_EDGE = 2388299;
const BAD_BUTTONS = 2388158;

function fail(subcode: number, title: string, message: string): never {
  throw new TemplateRejection(subcode, title, message);
}

function text(value: Json | undefined, what: string, max: number): string {
  if (typeof value !== "string" || value.trim() === "") {
    fail(INVALID, "Missing field", `${what} is required.`);
  }
  if (value.length > max)
    fail(INVALID, "Text too long", `${what} is longer than ${max} characters.`);
  return value;
}

/** Number of positional variables ({{1}}…{{n}}, consecutive from 1) in a text. */
function variableCount(value: string, what: string): number {
  const seen = new Set<number>();
  for (const m of value.matchAll(/\{\{([^{}]*)\}\}/g)) {
    if (!/^\d+$/.test(m[1] ?? "")) {
      fail(
        INVALID,
        "Invalid parameter format",
        `${what}: {{${m[1]}}} is not a positional variable.`,
      );
    }
    seen.add(Number(m[1]));
  }
  for (let i = 1; i <= seen.size; i++) {
    if (!seen.has(i)) {
      fail(
        INVALID,
        "Invalid parameter format",
        `${what}: variables must be sequential from {{1}}.`,
      );
    }
  }
  return seen.size;
}

function exampleStrings(value: Json | undefined, count: number, what: string): void {
  const ok =
    Array.isArray(value) &&
    value.length === count &&
    value.every((v) => typeof v === "string" && v !== "");
  if (!ok) {
    fail(
      MISSING_EXAMPLE,
      "Missing sample values",
      `${what} has ${count} variable(s) and needs exactly ${count} sample value(s).`,
    );
  }
}

function checkBody(c: JsonObject, auth: boolean): void {
  if (auth) {
    if (c.text !== undefined) {
      fail(INVALID, "Invalid body", "Authentication templates cannot set the body text.");
    }
    return;
  }
  const body = text(c.text, "BODY text", 1024);
  const count = variableCount(body, "BODY");
  if (count === 0) return;
  const trimmed = body.trim();
  if (/^\{\{\d+\}\}/.test(trimmed) || /\{\{\d+\}\}$/.test(trimmed)) {
    fail(
      VARIABLE_AT_EDGE,
      "Parameters can't be at the start or end of the template",
      "Variables can't be at the start or end of the template.",
    );
  }
  const example = isObject(c.example) ? c.example.body_text : undefined;
  exampleStrings(Array.isArray(example) ? example[0] : undefined, count, "BODY");
}

function checkHeader(c: JsonObject, auth: boolean): void {
  if (auth) fail(INVALID, "Invalid header", "Authentication templates have no header.");
  const format = typeof c.format === "string" ? c.format.toUpperCase() : "";
  if (!HEADER_FORMATS.includes(format)) {
    fail(INVALID, "Invalid header", `HEADER format must be one of ${HEADER_FORMATS.join(", ")}.`);
  }
  const example = isObject(c.example) ? c.example : {};
  if (format !== "TEXT") {
    if (format !== "LOCATION") exampleStrings(example.header_handle, 1, "HEADER");
    return;
  }
  const count = variableCount(text(c.text, "HEADER text", 60), "HEADER");
  if (count > 1) fail(INVALID, "Too many parameters", "A HEADER may contain at most one variable.");
  if (count === 1) exampleStrings(example.header_text, 1, "HEADER");
}

function checkFooter(c: JsonObject, auth: boolean): void {
  if (auth) {
    const minutes = c.code_expiration_minutes;
    if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > 90) {
      fail(INVALID, "Invalid footer", "code_expiration_minutes must be an integer from 1 to 90.");
    }
    return;
  }
  if (variableCount(text(c.text, "FOOTER text", 60), "FOOTER") > 0) {
    fail(INVALID, "Invalid footer", "A FOOTER cannot contain variables.");
  }
}

function checkButton(b: Json, auth: boolean): string {
  if (!isObject(b) || typeof b.type !== "string") {
    fail(BAD_BUTTONS, "Invalid buttons", "Each button needs a type.");
  }
  const type = b.type.toUpperCase();
  if (auth !== (type === "OTP")) {
    fail(BAD_BUTTONS, "Invalid buttons", "Authentication templates need exactly one OTP button.");
  }
  switch (type) {
    case "OTP":
      if (!["COPY_CODE", "ONE_TAP", "ZERO_TAP"].includes(String(b.otp_type))) {
        fail(BAD_BUTTONS, "Invalid buttons", "otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.");
      }
      return type;
    case "QUICK_REPLY":
      text(b.text, "Button text", 25);
      return type;
    case "URL": {
      text(b.text, "Button text", 25);
      const url = text(b.url, "Button url", 2000);
      if (!/^https?:\/\//.test(url))
        fail(BAD_BUTTONS, "Invalid buttons", "Button url must be http(s).");
      if (variableCount(url, "Button url") > 0) exampleStrings(b.example, 1, "Button url");
      return type;
    }
    case "PHONE_NUMBER":
      text(b.text, "Button text", 25);
      if (typeof b.phone_number !== "string" || !/^\+?\d{6,15}$/.test(b.phone_number)) {
        fail(BAD_BUTTONS, "Invalid buttons", "phone_number must be a phone number.");
      }
      return type;
    default:
      return fail(BAD_BUTTONS, "Invalid buttons", `Unsupported button type ${type}.`);
  }
}

function checkButtons(c: JsonObject, auth: boolean): void {
  const buttons = c.buttons;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 10) {
    fail(BAD_BUTTONS, "Invalid buttons", "BUTTONS needs 1 to 10 buttons.");
  }
  const types = buttons.map((b) => checkButton(b, auth));
  const count = (t: string) => types.filter((x) => x === t).length;
  if (count("URL") > 2) fail(BAD_BUTTONS, "Invalid buttons", "At most 2 URL buttons.");
  if (count("PHONE_NUMBER") > 1) fail(BAD_BUTTONS, "Invalid buttons", "At most 1 phone button.");
  if (count("OTP") > 1) fail(BAD_BUTTONS, "Invalid buttons", "At most 1 OTP button.");
}

/** Validates the components of a template of `category`. */
export function checkComponents(raw: Json | undefined, category: string): JsonObject[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    fail(INVALID, "Missing components", "components must be a non-empty array.");
  }
  const auth = category === "AUTHENTICATION";
  const seen = new Set<string>();
  const components = raw.map((c) => {
    if (!isObject(c) || typeof c.type !== "string") {
      fail(INVALID, "Invalid component", "Each component needs a type.");
    }
    const type = c.type.toUpperCase();
    if (!(COMPONENT_TYPES as readonly string[]).includes(type)) {
      fail(INVALID, "Invalid component", `Unknown component type ${c.type}.`);
    }
    if (seen.has(type)) fail(INVALID, "Invalid component", `More than one ${type} component.`);
    seen.add(type);
    if (type === "BODY") checkBody(c, auth);
    if (type === "HEADER") checkHeader(c, auth);
    if (type === "FOOTER") checkFooter(c, auth);
    if (type === "BUTTONS") checkButtons(c, auth);
    return c;
  });
  if (!seen.has("BODY")) fail(INVALID, "Missing body", "A template needs a BODY component.");
  if (auth && !seen.has("BUTTONS")) {
    fail(BAD_BUTTONS, "Invalid buttons", "Authentication templates need exactly one OTP button.");
  }
  return components;
}

/** Validates a create body (`POST /{waba_id}/message_templates`). Throws TemplateRejection. */
export function parseTemplateRequest(body: unknown): TemplateRequest {
  if (!isObject(body)) fail(INVALID, "Invalid request", "The body must be a JSON object.");
  const name = body.name;
  if (typeof name !== "string" || !/^[a-z0-9_]{1,512}$/.test(name)) {
    fail(
      INVALID,
      "Invalid template name",
      "Template names may contain only lowercase letters, digits and underscores (at most 512).",
    );
  }
  const language = body.language;
  if (typeof language !== "string" || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language)) {
    fail(INVALID, "Invalid language", "language must be a language code such as en_US.");
  }
  const category = body.category;
  if (typeof category !== "string" || !(CATEGORIES as readonly string[]).includes(category)) {
    fail(INVALID, "Invalid category", `category must be one of ${CATEGORIES.join(", ")}.`);
  }
  const components = checkComponents(body.components, category);
  return { name, language, category: category as TemplateRequest["category"], components };
}
