/**
 * The security log: one JSON object per line on the Worker's console (Workers
 * Logs and `wrangler tail` in production), so it can be searched and alerted
 * on. Each line names its event, the request id, and the tenant and user when
 * known. It never carries secrets, tokens, passwords or message bodies:
 * callers pass identifiers, and any field whose name says it holds one of
 * those is dropped.
 *
 * The request's id, tenant and user travel in an AsyncLocalStorage set by
 * `requestContext`, so code that has no Hono context (a shared helper that
 * finds another tenant's id) logs with them too.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app/app-types";

/** What a security log line reports. */
export type SecurityEvent =
  | "login_failed"
  | "login_throttled"
  | "throttled"
  | "webhook_bad_signature"
  | "request_denied"
  | "cross_tenant_probe"
  | "session_revoked"
  | "admin_change"
  | "origin_refused";

type Field = string | number | boolean | null | undefined | string[];

/** What is known of the request being served. */
interface RequestFacts {
  requestId: string;
  method: string;
  path: string;
  tenantId?: string;
  userId?: string;
}

const current = new AsyncLocalStorage<RequestFacts>();

/** Field names never logged, whatever a caller passes. */
const FORBIDDEN = /pass|secret|token|cookie|authorization|body|text|caption/i;

/** The line as it is written (exported for tests). */
export function securityLine(
  event: SecurityEvent,
  facts: Partial<RequestFacts>,
  fields: Record<string, Field> = {},
): string {
  const safe: Record<string, Field> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && !FORBIDDEN.test(name)) safe[name] = value;
  }
  return JSON.stringify({
    kind: "security",
    event,
    at: new Date().toISOString(),
    requestId: facts.requestId ?? null,
    method: facts.method ?? null,
    path: facts.path ?? null,
    tenantId: facts.tenantId ?? null,
    userId: facts.userId ?? null,
    ...safe,
  });
}

/**
 * Writes one security event. The request's id, method, path, tenant and user
 * are added; `fields` may name a tenant and user explicitly (e.g. the account
 * a failed sign-in tried).
 */
export function securityLog(event: SecurityEvent, fields: Record<string, Field> = {}): void {
  const facts = current.getStore() ?? {};
  console.log(securityLine(event, facts, fields));
}

/** Runs the request with its facts available to `securityLog` (install first). */
export const requestContext: MiddlewareHandler<AppEnv> = (c, next) =>
  current.run({ requestId: c.get("requestId"), method: c.req.method, path: c.req.path }, next);

/** Records the signed-in user for the request's log lines. */
export function identify(user: { id: string; tenantId: string }): void {
  const facts = current.getStore();
  if (facts) {
    facts.userId = user.id;
    facts.tenantId = user.tenantId;
  }
}

/** Logs the API's refusals (401, 403) on the way out; failed sign-ins log themselves. */
export const logDenied: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const status = c.res.status;
  const path = c.req.path;
  // Failed sign-ins and bad webhook signatures log their own, more specific, events.
  if (
    (status === 401 || status === 403) &&
    path !== "/auth/login" &&
    !path.startsWith("/webhooks/")
  ) {
    securityLog("request_denied", { status });
  }
};
