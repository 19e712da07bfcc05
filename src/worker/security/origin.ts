/**
 * Cross-site request defence for what the JSON content-type rule cannot cover: a
 * browser sends `Origin` with every state-changing request and every WebSocket
 * handshake, so any such request whose Origin is not the product's own is refused
 * (403) before a handler runs. Requests without an Origin do not come from a web
 * page (scripts, Meta's webhooks) and carry no ambient browser credentials, so they
 * pass to the usual checks.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app/app-types";
import { apiError } from "../app/http";
import { securityLog } from "./log";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a page of ours is served from: `PUBLIC_URL`'s and the request's own. */
export function ownOrigins(requestUrl: string, publicUrl: string | undefined): Set<string> {
  const origins = new Set([new URL(requestUrl).origin]);
  if (publicUrl) origins.add(new URL(publicUrl).origin);
  return origins;
}

/** Refuses state-changing requests and WebSocket upgrades that a foreign page made. */
export const checkOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  const origin = c.req.header("Origin");
  if ((upgrade || !SAFE.has(c.req.method)) && origin !== undefined) {
    if (!ownOrigins(c.req.url, c.env.PUBLIC_URL).has(origin)) {
      securityLog("origin_refused", { origin: origin.slice(0, 200) });
      apiError(403, "bad_origin", "This request did not come from Parley's own pages");
    }
  }
  await next();
};
