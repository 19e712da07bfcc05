/**
 * Forgotten passwords: a reset link sent by e-mail (the link itself is used through
 * `POST /auth/password`, like an invitation). Mounted at /auth.
 *
 * The answer is always 202 and comes before any token or mail is made, so
 * neither its content nor its timing tells whether an address has an account.
 * One mail per account per minute at most (counted from the newest reset
 * link): a form pressed repeatedly, or someone flooding a victim's inbox,
 * sends nothing more. Requests are also throttled per address and per client
 * IP (429 with Retry-After), alike for addresses with and without an account.
 */
import { and, eq, gt, ne, notExists, sql } from "drizzle-orm";
import { d1 } from "../../platform/db/d1";
import { tenants, users, userTokens } from "../../platform/db/schema";
import { PasswordResetBody } from "../../shared/protocol";
import { mailPasswordReset } from "../app/mail-or-502";
import { Routes } from "../app/routes";
import { clientIp, takeQuota } from "../security/limits";
import { newUserToken, RESET_TTL_MS } from "./auth";

/** At most one reset mail per account within this time. */
export const RESET_MAIL_INTERVAL_MS = 60_000;

/**
 * The account a reset may be mailed to: active, of an active tenant, not the
 * platform operator (whose password is configured), and without a reset link
 * made in the last minute. Null otherwise.
 */
async function resettable(db: D1Database, email: string, now: number) {
  const orm = d1(db);
  const recentReset = orm
    .select({ x: sql`1` })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.tenantId, users.tenantId),
        eq(userTokens.userId, users.id),
        eq(userTokens.purpose, "reset"),
        gt(userTokens.createdAt, now - RESET_MAIL_INTERVAL_MS),
      ),
    );
  return orm
    .select({
      id: users.id,
      tenantId: users.tenantId,
      email: users.email,
      name: users.name,
      language: users.language,
    })
    .from(users)
    .innerJoin(tenants, and(eq(tenants.id, users.tenantId), eq(tenants.status, "active")))
    .where(
      and(
        eq(users.email, email),
        eq(users.active, true),
        ne(users.role, "operator"),
        notExists(recentReset),
      ),
    )
    .get();
}

export const passwordReset = new Routes().endpoint(
  {
    method: "post",
    path: "/auth/password-reset",
    summary:
      "Mail a password-reset link to the address if it is an account's (always 202, whether or not it is; at most one mail a minute)",
    tag: "auth",
    access: "public",
    body: PasswordResetBody,
    status: 202,
  },
  async (c) => {
    const { email } = c.req.valid("json");
    // Counted whether or not the address has an account, so a 429 tells nothing either.
    await takeQuota(c, { rule: "resetIp", subject: clientIp(c) });
    await takeQuota(c, { rule: "resetAccount", subject: email });
    const db = c.env.DB;
    const config = c.var.config.mail;
    const work = (async () => {
      const account = await resettable(db, email, Date.now());
      if (!account) return;
      const { token, statements } = await newUserToken(
        db,
        { id: account.id, tenantId: account.tenantId },
        "reset",
      );
      await d1(db).batch(statements);
      await mailPasswordReset(config, account, {
        token,
        expiresInHours: RESET_TTL_MS / 3_600_000,
      });
    })().catch((err: unknown) => console.error("password reset failed", err));
    c.executionCtx.waitUntil(work);
    return c.body(null, 202);
  },
);
