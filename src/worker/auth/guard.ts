/**
 * The one authentication guard of /api/*, mounted once in src/worker/index.ts:
 * it reads the session from D1 once per request, sets `c.var.user`, and
 * refuses what the path's area does not admit (the table in
 * src/worker/app/access.ts). Routes stricter than their area check the rest
 * themselves (src/worker/app/routes.ts), from `c.var.user`, without reading
 * the session again.
 */
import type { MiddlewareHandler } from "hono";
import { accessOfPath, requireRole } from "../app/access";
import type { AppEnv } from "../app/app-types";
import { refuse } from "../app/results";
import { identify, securityLog } from "../security/log";
import { sessionToken, userFromSession } from "./auth";

/** Public paths pass; elsewhere 401 without a valid session, 403 outside the caller's role. */
export const guardApi: MiddlewareHandler<AppEnv> = async (c, next) => {
  const access = accessOfPath(c.req.path) ?? "user";
  if (access === "public" || access === "session-if-any") return next();
  const user = await userFromSession(c.env.DB, sessionToken(c), (why, who) => {
    securityLog("session_revoked", { reason: why, tenantId: who.tenantId, userId: who.id });
    // Its desktops are disconnected and the agent goes offline, as on logout.
    c.executionCtx.waitUntil(
      c.env.AGENT.getByName(who.id)
        .sessionsEnded(who.tenantId, null)
        .catch((err: unknown) => console.error("closing an ended session's desktops failed", err)),
    );
  });
  if (!user) refuse("unauthenticated");
  c.set("user", user);
  identify(user);
  requireRole(user, access);
  await next();
};
