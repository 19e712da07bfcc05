/**
 * Masking of sensitive data shown to agents, when their tenant enables it: card
 * numbers, IBANs, social security numbers, e-mail addresses and phone numbers.
 * Admins see clear text.
 *
 * The agent-facing API answers with what is stored, in clear; this middleware
 * rewrites the JSON answers of masked agents on the way out (the WebSocket's
 * frames are masked by the agent actor, `src/durable/agent.ts`). It masks by
 * key, from an explicit list of the keys that carry what customers wrote or
 * who they are; ids, times, states and the business's own `displayPhone` are
 * never touched. Whether the caller is masked comes with the session (one
 * query, see `userFromSession`).
 */
import type { Context, MiddlewareHandler } from "hono";
import { maskPhone, maskText } from "../shared/masking";
import type { AppEnv } from "./app-types";

/** Keys whose string values are phone numbers: masked whole, keeping the last 4 digits. */
const PHONE_KEYS = new Set(["phone", "phones", "customerPhone", "waId"]);

/**
 * Keys whose string values are free text or names that may hold sensitive data:
 * masked where a card, IBAN, SSN, e-mail or phone is found in them. Names are
 * included because a customer without a name is named after their phone, and
 * masking leaves ordinary names as they are.
 */
const TEXT_KEYS = new Set([
  "text",
  "caption",
  "body",
  "excerpt",
  "snippet",
  "snippets",
  "matches",
  "notes",
  "closeNotes",
  "closeReason",
  "name",
  "customerName",
  "senderName",
  "externalId",
  "email",
  "emails",
  "address",
  "lastMessage",
  "lastMessageText",
  "preview",
  "filename",
  // A reply button or list row the customer chose.
  "title",
  "description",
  // A notice's detail (the address a transcript could not be mailed to).
  "detail",
]);

/** Keys whose value is a map of free values (a customer's custom properties, by id): all masked as text. */
const MAP_KEYS = new Set(["properties"]);

/**
 * Paths whose answers are never masked: the administration and the platform
 * (admins only), the caller's own account and profile, the business's own
 * content for the composer, the API description.
 */
const CLEAR_PATHS = [
  /^\/api\/admin(?:\/|$)/,
  /^\/api\/platform(?:\/|$)/,
  /^\/api\/me(?:\/|$)/,
  /^\/api\/account(?:\/|$)/,
  // The business's own content an agent inserts and sends (predefined messages,
  // locations, the meeting URL, templates): masking it would send masked text.
  /^\/api\/desk\//,
  /^\/api\/outbound\/templates$/,
  /^\/api\/openapi\.json$/,
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Masker = (value: string) => string;

/** Masks every string under `value` with `mask` (the key above it decided which). */
function maskAll(value: Json, mask: Masker): Json {
  if (typeof value === "string") return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskAll(v, mask));
  if (value && typeof value === "object") {
    // An object under a listed key (a contact card, a quoted message) follows its own keys.
    return maskJson(value);
  }
  return value;
}

/**
 * A JSON value with the listed keys' strings masked, at any depth; everything
 * else unchanged. Pure; idempotent.
 */
export function maskJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskJson);
  if (!value || typeof value !== "object") return value;
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    if (MAP_KEYS.has(key) && child && typeof child === "object" && !Array.isArray(child)) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([id, v]) => [id, typeof v === "string" ? maskText(v) : v]),
      );
    } else if (PHONE_KEYS.has(key)) out[key] = maskAll(child, maskPhone);
    else if (TEXT_KEYS.has(key)) out[key] = maskAll(child, maskText);
    else out[key] = maskJson(child);
  }
  return out;
}

/** Whether the answer to this request must be masked: a masked agent's JSON from the agent-facing API. */
function mustMask(c: Context<AppEnv>): boolean {
  const user = c.get("user") as AppEnv["Variables"]["user"] | undefined;
  if (!user?.masked) return false;
  if (CLEAR_PATHS.some((p) => p.test(c.req.path))) return false;
  const type = c.res.headers.get("Content-Type") ?? "";
  return type.toLowerCase().startsWith("application/json");
}

/**
 * Masks the JSON answers of the agent-facing API for agents of masking
 * tenants. Non-JSON answers (media, spreadsheets) pass as they are: the
 * routes that serve them mask or refuse for themselves.
 */
export const maskForAgents: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!mustMask(c)) return;
  const original = c.res;
  let json: Json;
  try {
    json = (await original.clone().json()) as Json;
  } catch {
    return;
  }
  const headers = new Headers(original.headers);
  headers.delete("Content-Length");
  // Cleared first: assigning over a response would copy its stale headers back.
  c.res = undefined;
  c.res = new Response(JSON.stringify(maskJson(json)), {
    status: original.status,
    statusText: original.statusText,
    headers,
  });
};
