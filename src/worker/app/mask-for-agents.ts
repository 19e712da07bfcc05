/**
 * Masking of sensitive data shown to agents, when their tenant enables it: card
 * numbers, IBANs, social security numbers, e-mail addresses and phone numbers.
 * Admins see clear text.
 *
 * The agent-facing API answers with what is stored, in clear; this middleware
 * rewrites the JSON answers of masked agents on the way out (the WebSocket's
 * frames are masked by the agent actor, `src/durable/agent/event-log.ts`). `maskJson`
 * (src/shared/masking.ts) masks by key, from an explicit list of the keys that
 * carry what customers wrote or who they are; ids, times, states and the
 * business's own `displayPhone` are never touched. Whether the caller is masked comes with the session (one
 * query, see `userFromSession`).
 */
import type { Context, MiddlewareHandler } from "hono";
import { type Json, maskJson } from "../../shared/masking";
import type { AppEnv } from "./app-types";

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
