/**
 * Login, logout and the session middleware. Sessions are rows in D1 keyed by
 * the SHA-256 of a random token; the token travels only in an HttpOnly,
 * SameSite=Strict cookie. Logout deletes the row, so the cookie is dead at once.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { LoginBody, MeView } from "../shared/protocol";
import type { AppEnv, SessionUser } from "./app-types";
import { hashPassword, randomToken, sha256Hex, verifyPassword } from "./crypto";
import { apiError, describeRoute, jsonBody } from "./http";

export const SESSION_COOKIE = "parley_session";
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

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
              t.name AS tenant_name
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
  };
}

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
      const row = await c.env.DB.prepare(
        `SELECT u.id, u.tenant_id, u.password_hash FROM users u
         JOIN tenants t ON t.id = u.tenant_id AND t.status = 'active'
         WHERE u.email = ? AND u.active = 1`,
      )
        .bind(email)
        .first<{ id: string; tenant_id: string; password_hash: string | null }>();
      dummyHash ??= hashPassword("not a real password");
      const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash));
      if (!row?.password_hash || !ok)
        apiError(401, "invalid_credentials", "Invalid e-mail or password");
      const token = randomToken();
      await c.env.DB.prepare(
        "INSERT INTO sessions (id, user_id, tenant_id, expires_at) VALUES (?, ?, ?, ?)",
      )
        .bind(await sha256Hex(token), row.id, row.tenant_id, Date.now() + SESSION_TTL_MS)
        .run();
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        secure: new URL(c.req.url).protocol === "https:",
        path: "/",
        maxAge: SESSION_TTL_MS / 1000,
      });
      const user = await userFromSession(c.env.DB, token);
      return c.json(meView(user!));
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
  );
