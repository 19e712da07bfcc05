/**
 * Response headers every answer carries, HTML and API alike: a Content-Security-Policy
 * that allows only our own scripts (no inline script, no eval) and forbids framing,
 * `nosniff`, a strict referrer policy, and in production HSTS. The built app is served
 * through the Worker (`run_worker_first`), so its HTML gets them from here too.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app/app-types";

/**
 * The app's policy. Styles may be set from script (Preact writes `element.style`),
 * which CSP does not govern; images, audio and video may be our own or blobs (previews
 * of an agent's attachment, a recorded voice note); the WebSocket is same-origin.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** JSON and files: nothing in them may run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** One year, as browsers' preload lists expect. */
const HSTS = "max-age=31536000; includeSubDomains";

/** A request id for logs and the `X-Request-Id` header: Cloudflare's ray id when there is one. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ray = c.req.header("CF-Ray");
  c.set("requestId", ray && /^[\w-]{1,64}$/.test(ray) ? ray : crypto.randomUUID());
  await next();
};

/**
 * Sets the security headers on whatever the handlers answered. A response that set its
 * own policy (a media file's `sandbox`) keeps it, with framing forbidden added. A
 * WebSocket upgrade (101) is left alone: its headers are not the browser's to apply.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const res = c.res;
  if (res.status === 101) return;
  let headers: Headers;
  try {
    res.headers.set("X-Content-Type-Options", "nosniff");
    headers = res.headers;
  } catch {
    // Immutable headers (a response passed through from a binding): copy it.
    c.res = new Response(res.body, res);
    headers = c.res.headers;
    headers.set("X-Content-Type-Options", "nosniff");
  }
  const own = headers.get("Content-Security-Policy");
  if (!own) {
    const html = (headers.get("Content-Type") ?? "").startsWith("text/html");
    const api = c.req.path.startsWith("/api/") || c.req.path.startsWith("/auth/");
    headers.set("Content-Security-Policy", html || !api ? APP_CSP : API_CSP);
  } else if (!own.includes("frame-ancestors")) {
    headers.set("Content-Security-Policy", `${own}; frame-ancestors 'none'`);
  }
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("X-Request-Id", c.get("requestId") ?? "");
  if (c.env.ENVIRONMENT === "production") headers.set("Strict-Transport-Security", HSTS);
};
