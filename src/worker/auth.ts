/**
 * Sign-in, sign-out, the session middleware, single-use links (invitations and
 * password resets) and the platform operator's bootstrap. Sessions are rows in
 * D1 keyed by the SHA-256 of a random token; the token travels only in an
 * HttpOnly, SameSite=Strict cookie. Logout deletes the row, so the cookie is
 * dead at once. Link tokens are stored the same way: only their SHA-256.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { SetPasswordBody, UserTokenView } from "../shared/admin";
import { LoginBody, MeView } from "../shared/protocol";
import type { AppEnv, SessionUser } from "./app-types";
import type { OperatorConfig } from "./config";
import { hashPassword, randomToken, sha256Hex, verifyPassword } from "./crypto";
import { apiError, describeRoute, jsonBody, params } from "./http";

export const SESSION_COOKIE = "parley_session";
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long an invitation link stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** How long a password-reset link stays valid. */
export const RESET_TTL_MS = 2 * 60 * 60 * 1000;

/** The tenant of the platform operator; never listed among tenants, never suspended. */
export const PLATFORM_TENANT_ID = "platform";
const OPERATOR_USER_ID = "platform-operator";

// Compared against when the e-mail is unknown, so timing does not reveal which e-mails exist.
let dummyHash: Promise<string> | undefined;

/** Resolves the session cookie to its user, or null. Expired sessions are deleted. */
export async function userFromSession(
  db: D1Database,
  token: string | undefined,
): Promise<SessionUser | null> {
  if (!token) return null;
  const sessionId = await sha256Hex(token);
  const row = await db
    .prepare(
      `SELECT s.id AS session_id, s.expires_at, u.id, u.tenant_id, u.email, u.name, u.role, u.language,
              t.name AS tenant_name, t.mask_sensitive_data
       FROM sessions s
       JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id AND u.active = 1
       JOIN tenants t ON t.id = u.tenant_id AND t.status = 'active'
       WHERE s.id = ?`,
    )
    .bind(sessionId)
    .first<{
      session_id: string;
      expires_at: number;
      id: string;
      tenant_id: string;
      email: string;
      name: string;
      role: "admin" | "agent" | "operator";
      language: "en" | "it";
      tenant_name: string;
      mask_sensitive_data: number;
    }>();
  if (!row) return null;
  if (row.expires_at <= Date.now()) {
    await db.prepare("DELETE FROM sessions WHERE id = ?").bind(sessionId).run();
    return null;
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

/** Requires a valid session; sets `c.var.user`. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = await userFromSession(c.env.DB, getCookie(c, SESSION_COOKIE));
  if (!user) apiError(401, "unauthenticated", "Sign in first");
  c.set("user", user);
  await next();
};

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
  const statement = db
    .prepare("INSERT INTO sessions (id, user_id, tenant_id, expires_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, tenantId, Date.now() + SESSION_TTL_MS);
  return { token, statement };
}

/** Sets the cookie of a stored session and returns its user; 401 if it is not valid (any more). */
async function setSessionCookie(c: Context<AppEnv>, token: string): Promise<SessionUser> {
  const user = await userFromSession(c.env.DB, token);
  if (!user) apiError(401, "unauthenticated", "This account cannot sign in");
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: new URL(c.req.url).protocol === "https:",
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

/** The link's token row, if it can still be used; 404 unknown, 410 used, expired or account gone. */
async function usableToken(db: D1Database, token: string): Promise<TokenRow> {
  const row = await db
    .prepare(
      `SELECT t.id, t.user_id, t.tenant_id, t.purpose, t.expires_at, t.used_at,
              u.email, u.name, u.language, u.active, tn.status AS tenant_status
       FROM user_tokens t
       JOIN users u ON u.id = t.user_id AND u.tenant_id = t.tenant_id
       JOIN tenants tn ON tn.id = t.tenant_id
       WHERE t.id = ?`,
    )
    .bind(await sha256Hex(token))
    .first<TokenRow>();
  if (!row) apiError(404, "not_found", "This link is not valid");
  if (row.used_at !== null) apiError(410, "link_used", "This link has already been used");
  if (row.expires_at <= Date.now()) apiError(410, "link_expired", "This link has expired");
  if (!row.active || row.tenant_status !== "active")
    apiError(410, "link_revoked", "This account can no longer sign in");
  return row;
}

const TokenParams = z.object({ token: z.string().min(20).max(200) });

export const auth = new Hono<AppEnv>()
  .post(
    "/login",
    describeRoute({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with e-mail and password; sets the session cookie",
      tag: "auth",
      body: LoginBody,
      response: MeView,
      auth: false,
    }),
    jsonBody(LoginBody),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const operator = c.var.config.operator;
      const signedIn =
        operator && email === operator.email
          ? await operatorSignIn(c.env.DB, operator, password)
          : await passwordSignIn(c.env.DB, email, password);
      if (!signedIn) apiError(401, "invalid_credentials", "Invalid e-mail or password");
      const session = await newSession(c.env.DB, signedIn.id, signedIn.tenant_id);
      await session.statement.run();
      return c.json(meView(await setSessionCookie(c, session.token)));
    },
  )
  .post(
    "/logout",
    describeRoute({
      method: "post",
      path: "/auth/logout",
      summary: "End the session",
      tag: "auth",
      status: 204,
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      const user = await userFromSession(c.env.DB, token);
      if (token)
        await c.env.DB.prepare("DELETE FROM sessions WHERE id = ?")
          .bind(await sha256Hex(token))
          .run();
      if (user) {
        await c.env.AGENT.getByName(user.id).loggedOut(user.tenantId);
      }
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    },
  )
  .get(
    "/token/:token",
    describeRoute({
      method: "get",
      path: "/auth/token/:token",
      summary:
        "What an invitation or reset link is for (does not use it); 404 unknown, 410 used or expired",
      tag: "auth",
      response: UserTokenView,
      auth: false,
    }),
    params(TokenParams),
    async (c) => {
      const row = await usableToken(c.env.DB, c.req.valid("param").token);
      return c.json({
        email: row.email,
        name: row.name,
        purpose: row.purpose,
        language: row.language,
      } satisfies UserTokenView);
    },
  )
  .post(
    "/password",
    describeRoute({
      method: "post",
      path: "/auth/password",
      summary: "Set the password with an invitation or reset link; uses the link and signs in",
      tag: "auth",
      body: SetPasswordBody,
      response: MeView,
      auth: false,
    }),
    jsonBody(SetPasswordBody),
    async (c) => {
      const { token, password } = c.req.valid("json");
      const db = c.env.DB;
      const row = await usableToken(db, token);
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
      return c.json(meView(await setSessionCookie(c, session.token)));
    },
  );
