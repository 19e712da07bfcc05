/**
 * Meta-shaped building blocks: ids, the managed number, webhook envelopes,
 * Graph API error bodies, and the exact serialisation + signature Meta uses.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { isObject, type Json, type JsonObject } from "./http.ts";

/** WABA id used as `entry[].id` in every webhook. */
export const WABA_ID = "200000000000001";
/** The demo business number's phone_number_id. */
export const DEFAULT_PHONE_NUMBER_ID = "100000000000001";
/** The demo business number as Meta writes it in `metadata.display_phone_number`. */
export const DEFAULT_DISPLAY_PHONE = "15550100001";

const ERROR_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

/** Titles Meta uses for the error codes the simulator can produce. */
const ERROR_TITLES: Record<number, string> = {
  0: "AuthException",
  4: "API Too Many Calls",
  10: "Permission Denied",
  100: "Invalid parameter",
  190: "Access token has expired",
  368: "Temporarily blocked for policies violations",
  80007: "Rate limit issues",
  130429: "Rate limit hit",
  130472: "User's number is part of an experiment",
  131000: "Something went wrong",
  131008: "Required parameter is missing",
  131009: "Parameter value is not valid",
  131026: "Message undeliverable",
  131047: "Re-engagement message",
  131048: "Spam rate limit hit",
  131049: "Meta chose not to deliver",
  131050: "Unable to deliver the message",
  131051: "Unsupported message type",
  131053: "Media upload error",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  131057: "Account in maintenance mode",
  132000: "Number of parameters does not match the expected number of params",
  132001: "Template name does not exist in the translation",
  132015: "Template is Paused",
  132016: "Template is Disabled",
  133010: "Phone number not registered",
};

/** Meta's title for an error code (a generic one for unknown codes). */
export function errorTitle(code: number): string {
  return ERROR_TITLES[code] ?? "Simulated error";
}

/** Only the digits of a phone number or id. */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, "");
}

/** Current Unix time in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `display_phone_number` for a phone_number_id (the demo number, or one derived from the id). */
export function displayPhoneFor(phoneNumberId: string): string {
  if (phoneNumberId === DEFAULT_PHONE_NUMBER_ID) return DEFAULT_DISPLAY_PHONE;
  return `1555${digitsOf(phoneNumberId).slice(-7).padStart(7, "0")}`;
}

/**
 * A fresh message id shaped like Meta's: `wamid.` + base64 of a small
 * protobuf-like blob embedding the customer's number and a random key.
 */
export function newWamid(customer: string): string {
  const wa = Buffer.from(customer.slice(0, 20), "ascii");
  const key = Buffer.from(randomBytes(10).toString("hex").toUpperCase(), "ascii");
  const blob = Buffer.concat([
    Buffer.from([0x1c, 0x18, wa.length]),
    wa,
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, key.length]),
    key,
    Buffer.from([0x00]),
  ]);
  return `wamid.${blob.toString("base64")}`;
}

/** A numeric id like Meta's media / conversation ids. */
export function newNumericId(length = 16): string {
  let id = String(randomInt(1, 10));
  while (id.length < length) id += String(randomInt(0, 10));
  return id;
}

/** A random `fbtrace_id`-like token. */
export function newTraceId(): string {
  return randomBytes(9).toString("base64").replace(/[+/=]/g, "A");
}

/** A Graph API error body: `{"error":{message,type,code,error_data?,fbtrace_id}}`. */
export function graphErrorBody(code: number, details?: string, message?: string): JsonObject {
  const error: JsonObject = {
    message: message ?? `(#${code}) ${errorTitle(code)}`,
    type: "OAuthException",
    code,
  };
  if (details !== undefined) error.error_data = { messaging_product: "whatsapp", details };
  error.fbtrace_id = newTraceId();
  return { error };
}

/** The error object Meta puts in `statuses[].errors[]` / webhooks. */
export function webhookError(code: number, details: string): JsonObject {
  const title = errorTitle(code);
  return { code, title, message: title, error_data: { details }, href: ERROR_HREF };
}

/** The 131047 error of a send outside the 24 h customer service window. */
export function reengagementError(): JsonObject {
  return webhookError(
    131047,
    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  );
}

/** Wraps a change `value` into a full `whatsapp_business_account` webhook payload. */
export function webhookEnvelope(phoneNumberId: string, value: JsonObject): JsonObject {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: displayPhoneFor(phoneNumberId),
                phone_number_id: phoneNumberId,
              },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

/**
 * Serialises a payload the way Meta sends it: compact JSON with every
 * non-ASCII UTF-16 code unit escaped as `\uXXXX` (lowercase hex).
 */
export function encodeMetaJson(payload: Json): string {
  return JSON.stringify(payload).replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The `X-Hub-Signature-256` header value for exact body bytes. */
export function signBody(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

function str(value: Json | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function field(obj: Json | undefined, key: string): Json | undefined {
  return isObject(obj) ? obj[key] : undefined;
}

/** Text of a template's body parameters, for the phone's preview. */
function templateText(template: Json | undefined): string {
  const components = field(template, "components");
  const params = Array.isArray(components)
    ? components
        .filter((c) => field(c, "type") === "body")
        .flatMap((c) => {
          const ps = field(c, "parameters");
          return Array.isArray(ps) ? ps.map((p) => str(field(p, "text")) ?? "") : [];
        })
        .filter((t) => t !== "")
    : [];
  const name = str(field(template, "name")) ?? "template";
  return params.length > 0 ? `[template ${name}] ${params.join(" · ")}` : `[template ${name}]`;
}

function interactiveText(interactive: Json | undefined): string {
  const reply = field(interactive, "button_reply") ?? field(interactive, "list_reply");
  if (reply !== undefined) return str(field(reply, "title")) ?? "";
  const nfm = field(interactive, "nfm_reply");
  if (nfm !== undefined) return str(field(nfm, "body")) ?? "[flow reply]";
  return str(field(field(interactive, "body"), "text")) ?? "[interactive]";
}

function locationText(loc: Json | undefined): string {
  const label = [str(field(loc, "name")), str(field(loc, "address"))].filter(Boolean).join(", ");
  return label || `[location ${String(field(loc, "latitude"))},${String(field(loc, "longitude"))}]`;
}

/** A short human text for a message object (inbound webhook shape or outbound send shape). */
export function describeMessage(type: string, message: JsonObject): string {
  const obj = message[type];
  switch (type) {
    case "text":
      return str(field(obj, "body")) ?? "";
    case "image":
    case "video":
    case "document":
      return str(field(obj, "caption")) ?? str(field(obj, "filename")) ?? `[${type}]`;
    case "location":
      return locationText(obj);
    case "interactive":
      return interactiveText(obj);
    case "template":
      return templateText(obj);
    case "reaction":
      return str(field(obj, "emoji")) ?? "[reaction removed]";
    case "button":
      return str(field(obj, "text")) ?? "";
    case "system":
      return str(field(obj, "body")) ?? "[system]";
    default:
      return `[${type}]`;
  }
}
