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
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { OperatorConfig } from "../../platform/config";
import { hashPassword, randomToken, sha256Hex, verifyPassword } from "../../platform/crypto";
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
  const row = await db
    .prepare(
      `SELECT s.id AS session_id, s.expires_at, coalesce(s.last_seen_at, s.created_at) AS seen_at,
              u.id, u.tenant_id, u.email, u.name, u.role, u.language,
              t.name AS tenant_name, t.mask_sensitive_data, t.session_idle_minutes
       FROM sessions s
       JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id AND u.active = 1
       JOIN tenants t ON t.id = u.tenant_id AND t.status = 'active'
       WHERE s.id = ?`,
    )
    .bind(sessionId)
    .first<{
      session_id: string;
      expires_at: number;
      seen_at: number;
      id: string;
      tenant_id: string;
      email: string;
      name: string;
      role: "admin" | "agent" | "operator";
      language: "en" | "it";
      tenant_name: string;
      mask_sensitive_data: number;
      session_idle_minutes: number;
    }>();
  if (!row) return null;
  const at = Date.now();
  const idle = at - row.seen_at > row.session_idle_minutes * 60_000;
  if (row.expires_at <= at || idle) {
    await db.prepare("DELETE FROM sessions WHERE id = ?").bind(sessionId).run();
    ended?.(idle ? "idle" : "expired", { id: row.id, tenantId: row.tenant_id });
    return null;
  }
  if (at - row.seen_at >= SEEN_WRITE_INTERVAL_MS) {
    await db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?").bind(at, sessionId).run();
  }
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    email: row.email,
    name: row.name,
    role: row.role,
    language: row.language,
    sessionId: row.session_id,
    // Read with the session, so masking costs no query of its own.
    masked: row.role === "agent" && row.mask_sensitive_data === 1,
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

type SignedIn = { id: string; tenant_id: string };

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
  const row = await db
    .prepare(
      `SELECT u.id, u.tenant_id, u.password_hash, u.active, t.status AS tenant_status
       FROM users u JOIN tenants t ON t.id = u.tenant_id
       WHERE u.email = ?`,
    )
    .bind(email)
    .first<SignedIn & { password_hash: string | null; active: number; tenant_status: string }>();
  dummyHash ??= hashPassword("not a real password");
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash));
  if (!row?.password_hash || !ok) return null;
  if (!row.active || row.tenant_status !== "active")
    apiError(403, "account_disabled", "This account is deactivated or suspended");
  return { id: row.id, tenant_id: row.tenant_id };
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
  try {
    await db.batch([
      db
        .prepare("INSERT OR IGNORE INTO tenants (id, name) VALUES (?, 'Platform')")
        .bind(PLATFORM_TENANT_ID),
      db
        .prepare(
          `INSERT INTO users (id, tenant_id, email, name, password_hash, role)
           VALUES (?, ?, ?, 'Platform operator', ?, 'operator')
           ON CONFLICT (id) DO UPDATE SET email = excluded.email, password_hash = excluded.password_hash`,
        )
        .bind(OPERATOR_USER_ID, PLATFORM_TENANT_ID, operator.email, hash),
    ]);
  } catch (err) {
    // The configured e-mail already belongs to a tenant's user: a configuration error.
    console.error("cannot create the platform operator", operator.email, err);
    return null;
  }
  return { id: OPERATOR_USER_ID, tenant_id: PLATFORM_TENANT_ID };
}

/** A new session's cookie token and the statement that stores it (run it, or batch it). */
async function newSession(
  db: D1Database,
  userId: string,
  tenantId: string,
): Promise<{ token: string; statement: D1PreparedStatement }> {
  const token = randomToken();
  const at = Date.now();
  const statement = db
    .prepare(
      "INSERT INTO sessions (id, user_id, tenant_id, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(await sha256Hex(token), userId, tenantId, at + SESSION_TTL_MS, at);
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
): Promise<{ token: string; statements: D1PreparedStatement[] }> {
  const token = randomToken();
  const now = Date.now();
  const ttl = purpose === "invite" ? INVITE_TTL_MS : RESET_TTL_MS;
  return {
    token,
    statements: [
      db
        .prepare(
          "UPDATE user_tokens SET used_at = ? WHERE tenant_id = ? AND user_id = ? AND purpose = ? AND used_at IS NULL",
        )
        .bind(now, user.tenantId, user.id, purpose),
      db
        .prepare(
          "INSERT INTO user_tokens (id, user_id, tenant_id, purpose, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(await sha256Hex(token), user.id, user.tenantId, purpose, now + ttl),
    ],
  };
}

type TokenRow = {
  id: string;
  user_id: string;
  tenant_id: string;
  purpose: "invite" | "reset";
  expires_at: number;
  used_at: number | null;
  email: string;
  name: string;
  language: "en" | "it";
  active: number;
  tenant_status: string;
};

/**
 * The link's token row, if it can still be used; 404 unknown, 410 used, expired
 * or account gone. Every such refusal counts against the client's IP (and the
 * account, when the link is one of its own), so links cannot be guessed or
 * replayed endlessly: over the limit the answer is 429.
 */
async function usableToken(c: Context<AppEnv>, token: string): Promise<TokenRow> {
  const ip: Throttle = { rule: "linkIp", subject: clientIp(c) };
  await refuseIfThrottled(c, [ip]);
  const row = await c.env.DB.prepare(
    `SELECT t.id, t.user_id, t.tenant_id, t.purpose, t.expires_at, t.used_at,
            u.email, u.name, u.language, u.active, tn.status AS tenant_status
     FROM user_tokens t
     JOIN users u ON u.id = t.user_id AND u.tenant_id = t.tenant_id
     JOIN tenants tn ON tn.id = t.tenant_id
     WHERE t.id = ?`,
  )
    .bind(await sha256Hex(token))
    .first<TokenRow>();
  if (!row) {
    await countFailure(c, [ip]);
    apiError(404, "not_found", "This link is not valid");
  }
  const account: Throttle = { rule: "linkAccount", subject: row.user_id };
  await refuseIfThrottled(c, [account]);
  const refuse = async (code: string, message: string): Promise<never> => {
    await countFailure(c, [ip, account]);
    apiError(410, code, message);
  };
  if (row.used_at !== null) await refuse("link_used", "This link has already been used");
  if (row.expires_at <= Date.now()) await refuse("link_expired", "This link has expired");
  if (!row.active || row.tenant_status !== "active")
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
      const session = await newSession(c.env.DB, signedIn.id, signedIn.tenant_id);
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
      if (token)
        await c.env.DB.prepare("DELETE FROM sessions WHERE id = ?")
          .bind(await sha256Hex(token))
          .run();
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
      const session = await newSession(db, row.user_id, row.tenant_id);
      const now = Date.now();
      try {
        await db.batch([
          // Uses the link, or fails the whole batch when a concurrent request used it first.
          db
            .prepare(
              "UPDATE user_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?",
            )
            .bind(now, row.id, now),
          db.prepare("INSERT INTO version_guard (ok) VALUES (changes())"),
          db.prepare("DELETE FROM version_guard"),
          // Every other link of the user dies with it.
          db
            .prepare(
              "UPDATE user_tokens SET used_at = ? WHERE tenant_id = ? AND user_id = ? AND used_at IS NULL",
            )
            .bind(now, row.tenant_id, row.user_id),
          db
            .prepare(
              "UPDATE users SET password_hash = ?, version = version + 1 WHERE id = ? AND tenant_id = ? AND active = 1",
            )
            .bind(passwordHash, row.user_id, row.tenant_id),
          // A new password ends the user's other sessions.
          db
            .prepare("DELETE FROM sessions WHERE user_id = ? AND tenant_id = ?")
            .bind(row.user_id, row.tenant_id),
          session.statement,
        ]);
      } catch (err) {
        if (!String(err).includes("CHECK constraint failed")) throw err;
        apiError(410, "link_used", "This link has already been used");
      }
      // Desktops still open under the old password are disconnected.
      securityLog("session_revoked", {
        reason: "password_set",
        tenantId: row.tenant_id,
        userId: row.user_id,
      });
      await c.env.AGENT.getByName(row.user_id).sessionsEnded(row.tenant_id, null);
      return c.json(meView(await setSessionCookie(c, session.token)));
    },
  );
