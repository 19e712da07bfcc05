/**
 * Sign-in, sign-out, reading a session (for the guard of /api/*, guard.ts),
 * single-use links (invitations and password resets) and the platform
 * operator's bootstrap. Sessions are rows in
 * D1 keyed by the SHA-256 of a random token; the token travels only in an
 * HttpOnly, SameSite=Strict cookie (`__Host-` prefixed in production). Logout
 * deletes the row, so the cookie is dead at once. A session ends after
 * SESSION_TTL_MS, or earlier when unused for the tenant's idle time. Link
 * tokens are stored the same way: only their SHA-256. Sign-in and links are
 * throttled per account and per client IP (src/worker/security/limits.ts).
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { OperatorConfig } from "../../platform/config";
import { hashPassword, randomToken, sha256Hex, verifyPassword } from "../../platform/crypto";
import { type D1Statement, d1, failUnlessChanged } from "../../platform/db/d1";
import { failedConstraint } from "../../platform/db/errors";
import { activeSessionUser } from "../../platform/db/joins";
import { sessions, tenants, users, userTokens } from "../../platform/db/schema";
import { SetPasswordBody, UserTokenView } from "../../shared/admin";
import { LoginBody, MeView } from "../../shared/protocol";
import type { AppEnv, SessionUser } from "../app/app-types";
import { apiError } from "../app/http";
import { Routes } from "../app/routes";
import {
  clearThrottle,
  clientIp,
  countFailure,
  refuseIfThrottled,
  type Throttle,
} from "../security/limits";
import { securityLog } from "../security/log";

/** How long a session lives at most, used or not. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** `last_seen_at` is written at most this often per session. */
const SEEN_WRITE_INTERVAL_MS = 60_000;
/** How long an invitation link stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** How long a password-reset link stays valid. */
export const RESET_TTL_MS = 2 * 60 * 60 * 1000;

/** The tenant of the platform operator; never listed among tenants, never suspended. */
export const PLATFORM_TENANT_ID = "platform";
const OPERATOR_USER_ID = "platform-operator";

// Compared against when the e-mail is unknown, so timing does not reveal which e-mails exist.
let dummyHash: Promise<string> | undefined;

/** Why a session cookie does not sign anybody in. */
export type SessionEnd = "none" | "expired" | "idle";

/**
 * Resolves the session cookie to its user, or null. A session past its lifetime
 * or idle longer than its tenant allows is deleted (`ended` says which). A valid
 * one is marked as seen now, at most once a minute.
 */
export async function userFromSession(
  db: D1Database,
  token: string | undefined,
  ended?: (why: SessionEnd, user: { id: string; tenantId: string }) => void,
): Promise<SessionUser | null> {
  if (!token) return null;
  const sessionId = await sha256Hex(token);
  const orm = d1(db);
  const row = await orm
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      seenAt: sql<number>`coalesce(${sessions.lastSeenAt}, ${sessions.createdAt})`,
      id: users.id,
      tenantId: users.tenantId,
      email: users.email,
      name: users.name,
      role: users.role,
      language: users.language,
      tenantName: tenants.name,
      maskSensitiveData: tenants.maskSensitiveData,
      sessionIdleMinutes: tenants.sessionIdleMinutes,
    })
    .from(sessions)
    .innerJoin(users, activeSessionUser)
    .innerJoin(tenants, and(eq(tenants.id, users.tenantId), eq(tenants.status, "active")))
    .where(eq(sessions.id, sessionId))
    .get();
  if (!row) return null;
  const at = Date.now();
  const idle = at - row.seenAt > row.sessionIdleMinutes * 60_000;
  if (row.expiresAt <= at || idle) {
    await orm.delete(sessions).where(eq(sessions.id, sessionId));
    ended?.(idle ? "idle" : "expired", { id: row.id, tenantId: row.tenantId });
    return null;
  }
  if (at - row.seenAt >= SEEN_WRITE_INTERVAL_MS) {
    await orm.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, sessionId));
  }
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    email: row.email,
    name: row.name,
    role: row.role,
    language: row.language,
    sessionId: row.sessionId,
    // Read with the session, so masking costs no query of its own.
    masked: row.role === "agent" && row.maskSensitiveData,
  };
}

/** The request's session cookie (its name depends on the environment). */
export function sessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, c.var.config.sessionCookie);
}

export function meView(user: SessionUser): MeView {
  return {
    id: user.id,
    tenantId: user.tenantId,
    tenantName: user.tenantName,
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language,
    masked: user.masked,
  };
}

// ---- sign-in ----------------------------------------------------------------------

type SignedIn = { id: string; tenantId: string };

/**
 * The user whose password matches, or null (same timing whether or not the
 * e-mail exists). The right password of a deactivated user or suspended tenant
 * answers 403, so they learn why rather than retrying.
 */
async function passwordSignIn(
  db: D1Database,
  email: string,
  password: string,
): Promise<SignedIn | null> {
  const row = await d1(db)
    .select({
      id: users.id,
      tenantId: users.tenantId,
      passwordHash: users.passwordHash,
      active: users.active,
      tenantStatus: tenants.status,
    })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(users.email, email))
    .get();
  dummyHash ??= hashPassword("not a real password");
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash));
  if (!row?.passwordHash || !ok) return null;
  if (!row.active || row.tenantStatus !== "active")
    apiError(403, "account_disabled", "This account is deactivated or suspended");
  return { id: row.id, tenantId: row.tenantId };
}

// Hash of the configured operator password, computed once per isolate (and per password).
let operatorHash: { password: string; hash: Promise<string> } | undefined;

/**
 * The platform operator signs in with the configured password, which stays
 * authoritative (rotating the secret rotates the password). Workers have no
 * start hook, so the platform tenant and the operator's account are created
 * here, idempotently, the first time; a changed OPERATOR_EMAIL moves the
 * account to the new address.
 */
async function operatorSignIn(
  db: D1Database,
  operator: OperatorConfig,
  password: string,
): Promise<SignedIn | null> {
  if (operatorHash?.password !== operator.password) {
    operatorHash = { password: operator.password, hash: hashPassword(operator.password) };
  }
  const hash = await operatorHash.hash;
  if (!(await verifyPassword(password, hash))) return null;
  const orm = d1(db);
  try {
    await orm.batch([
      orm
        .insert(tenants)
        .values({ id: PLATFORM_TENANT_ID, name: "Platform" })
        .onConflictDoNothing(),
      orm
        .insert(users)
        .values({
          id: OPERATOR_USER_ID,
          tenantId: PLATFORM_TENANT_ID,
          email: operator.email,
          name: "Platform operator",
          passwordHash: hash,
          role: "operator",
        })
        .onConflictDoUpdate({
          target: users.id,
          set: { email: sql`excluded.email`, passwordHash: sql`excluded.password_hash` },
        }),
    ]);
  } catch (err) {
    // The configured e-mail already belongs to a tenant's user: a configuration error.
    console.error("cannot create the platform operator", operator.email, err);
    return null;
  }
  return { id: OPERATOR_USER_ID, tenantId: PLATFORM_TENANT_ID };
}

/** A new session's cookie token and the statement that stores it (run it, or batch it). */
async function newSession(db: D1Database, userId: string, tenantId: string) {
  const token = randomToken();
  const at = Date.now();
  const statement = d1(db)
    .insert(sessions)
    .values({
      id: await sha256Hex(token),
      userId,
      tenantId,
      expiresAt: at + SESSION_TTL_MS,
      lastSeenAt: at,
    });
  return { token, statement };
}

/** Sets the cookie of a stored session and returns its user; 401 if it is not valid (any more). */
async function setSessionCookie(c: Context<AppEnv>, token: string): Promise<SessionUser> {
  const user = await userFromSession(c.env.DB, token);
  if (!user) apiError(401, "unauthenticated", "This account cannot sign in");
  const production = c.var.config.environment === "production";
  setCookie(c, c.var.config.sessionCookie, token, {
    httpOnly: true,
    sameSite: "Strict",
    // `__Host-` requires Secure and Path=/ without Domain: the cookie is this host's alone.
    secure: production || new URL(c.req.url).protocol === "https:",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
  return user;
}

// ---- single-use links ------------------------------------------------------------------

/**
 * A new link token for the user and the statements that store it: earlier
 * unused links of the same purpose stop working, so only the newest mail's
 * link is valid. Batch the statements with the rest of the change.
 */
export async function newUserToken(
  db: D1Database,
  user: { id: string; tenantId: string },
  purpose: "invite" | "reset",
): Promise<{ token: string; statements: [D1Statement, D1Statement] }> {
  const token = randomToken();
  const now = Date.now();
  const ttl = purpose === "invite" ? INVITE_TTL_MS : RESET_TTL_MS;
  const orm = d1(db);
  return {
    token,
    statements: [
      orm
        .update(userTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(userTokens.tenantId, user.tenantId),
            eq(userTokens.userId, user.id),
            eq(userTokens.purpose, purpose),
            isNull(userTokens.usedAt),
          ),
        ),
      orm.insert(userTokens).values({
        id: await sha256Hex(token),
        userId: user.id,
        tenantId: user.tenantId,
        purpose,
        expiresAt: now + ttl,
      }),
    ],
  };
}

/** A link's token with its user and the user's tenant's status. */
const TOKEN_FIELDS = {
  id: userTokens.id,
  userId: userTokens.userId,
  tenantId: userTokens.tenantId,
  purpose: userTokens.purpose,
  expiresAt: userTokens.expiresAt,
  usedAt: userTokens.usedAt,
  email: users.email,
  name: users.name,
  language: users.language,
  active: users.active,
  tenantStatus: tenants.status,
};

type TokenRow = SelectResultFields<typeof TOKEN_FIELDS>;

/**
 * The link's token row, if it can still be used; 404 unknown, 410 used, expired
 * or account gone. Every such refusal counts against the client's IP (and the
 * account, when the link is one of its own), so links cannot be guessed or
 * replayed endlessly: over the limit the answer is 429.
 */
async function usableToken(c: Context<AppEnv>, token: string): Promise<TokenRow> {
  const ip: Throttle = { rule: "linkIp", subject: clientIp(c) };
  await refuseIfThrottled(c, [ip]);
  const row = await d1(c.env.DB)
    .select(TOKEN_FIELDS)
    .from(userTokens)
    .innerJoin(users, and(eq(users.id, userTokens.userId), eq(users.tenantId, userTokens.tenantId)))
    .innerJoin(tenants, eq(tenants.id, userTokens.tenantId))
    .where(eq(userTokens.id, await sha256Hex(token)))
    .get();
  if (!row) {
    await countFailure(c, [ip]);
    apiError(404, "not_found", "This link is not valid");
  }
  const account: Throttle = { rule: "linkAccount", subject: row.userId };
  await refuseIfThrottled(c, [account]);
  const refuse = async (code: string, message: string): Promise<never> => {
    await countFailure(c, [ip, account]);
    apiError(410, code, message);
  };
  if (row.usedAt !== null) await refuse("link_used", "This link has already been used");
  if (row.expiresAt <= Date.now()) await refuse("link_expired", "This link has expired");
  if (!row.active || row.tenantStatus !== "active")
    await refuse("link_revoked", "This account can no longer sign in");
  return row;
}

const TokenParams = z.object({ token: z.string().min(20).max(200) });

export const auth = new Routes()
  .endpoint(
    {
      method: "post",
      path: "/auth/login",
      summary: "Sign in with e-mail and password; sets the session cookie",
      tag: "auth",
      access: "public",
      body: LoginBody,
      response: MeView,
    },
    async (c) => {
      const { email, password } = c.req.valid("json");
      // Failures count per address (known or not, alike) and per client IP; the
      // check comes before the password is even hashed.
      const throttles: Throttle[] = [
        { rule: "loginAccount", subject: email },
        { rule: "loginIp", subject: clientIp(c) },
      ];
      await refuseIfThrottled(c, throttles, "login_throttled");
      const operator = c.var.config.operator;
      const signedIn =
        operator && email === operator.email
          ? await operatorSignIn(c.env.DB, operator, password)
          : await passwordSignIn(c.env.DB, email, password);
      if (!signedIn) {
        await countFailure(c, throttles);
        securityLog("login_failed", { account: email, ip: clientIp(c) });
        apiError(401, "invalid_credentials", "Invalid e-mail or password");
      }
      await clearThrottle(c, throttles[0]!);
      const session = await newSession(c.env.DB, signedIn.id, signedIn.tenantId);
      await session.statement.run();
      return c.json(meView(await setSessionCookie(c, session.token)));
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/auth/logout",
      summary: "End the session",
      tag: "auth",
      access: "session-if-any",
      status: 204,
    },
    async (c) => {
      const token = sessionToken(c);
      const user = await userFromSession(c.env.DB, token);
      if (token) {
        await d1(c.env.DB)
          .delete(sessions)
          .where(eq(sessions.id, await sha256Hex(token)));
      }
      if (user) {
        await c.env.AGENT.getByName(user.id).loggedOut(user.tenantId);
      }
      deleteCookie(c, c.var.config.sessionCookie, {
        path: "/",
        secure: c.var.config.environment === "production",
      });
      return c.body(null, 204);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/auth/token/:token",
      summary:
        "What an invitation or reset link is for (does not use it); 404 unknown, 410 used or expired",
      tag: "auth",
      access: "public",
      params: TokenParams,
      response: UserTokenView,
    },
    async (c) => {
      const row = await usableToken(c, c.req.valid("param").token);
      return c.json({
        email: row.email,
        name: row.name,
        purpose: row.purpose,
        language: row.language,
      } satisfies UserTokenView);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/auth/password",
      summary: "Set the password with an invitation or reset link; uses the link and signs in",
      tag: "auth",
      access: "public",
      body: SetPasswordBody,
      response: MeView,
    },
    async (c) => {
      const { token, password } = c.req.valid("json");
      const db = c.env.DB;
      const row = await usableToken(c, token);
      const passwordHash = await hashPassword(password);
      const session = await newSession(db, row.userId, row.tenantId);
      const now = Date.now();
      const orm = d1(db);
      try {
        await orm.batch([
          // Uses the link, or fails the whole batch when a concurrent request used it first.
          orm
            .update(userTokens)
            .set({ usedAt: now })
            .where(
              and(
                eq(userTokens.id, row.id),
                isNull(userTokens.usedAt),
                gt(userTokens.expiresAt, now),
              ),
            ),
          ...failUnlessChanged(orm),
          // Every other link of the user dies with it.
          orm
            .update(userTokens)
            .set({ usedAt: now })
            .where(
              and(
                eq(userTokens.tenantId, row.tenantId),
                eq(userTokens.userId, row.userId),
                isNull(userTokens.usedAt),
              ),
            ),
          orm
            .update(users)
            .set({ passwordHash, version: sql`${users.version} + 1` })
            .where(
              and(
                eq(users.id, row.userId),
                eq(users.tenantId, row.tenantId),
                eq(users.active, true),
              ),
            ),
          // A new password ends the user's other sessions.
          orm
            .delete(sessions)
            .where(and(eq(sessions.userId, row.userId), eq(sessions.tenantId, row.tenantId))),
          session.statement,
        ]);
      } catch (err) {
        if (!failedConstraint(err, "CHECK")) throw err;
        apiError(410, "link_used", "This link has already been used");
      }
      // Desktops still open under the old password are disconnected.
      securityLog("session_revoked", {
        reason: "password_set",
        tenantId: row.tenantId,
        userId: row.userId,
      });
      await c.env.AGENT.getByName(row.userId).sessionsEnded(row.tenantId, null);
      return c.json(meView(await setSessionCookie(c, session.token)));
    },
  );
