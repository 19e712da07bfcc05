/**
 * The signed-in user's profile and password.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../../platform/crypto";
import { d1 } from "../../platform/db/d1";
import { sessions, users, userTokens } from "../../platform/db/schema";
import { AccountView, ChangePasswordBody, UpdateAccountBody } from "../../shared/protocol";
import type { SessionUser } from "../app/app-types";
import { apiError } from "../app/http";
import { Routes } from "../app/routes";
import { securityLog } from "../security/log";

const TAG = "account";

function accountView(user: SessionUser): AccountView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    language: user.language,
    role: user.role,
    tenantName: user.tenantName,
  };
}

/** GET/PATCH /api/account and POST /api/account/password. */
export const account = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/account",
      summary: "My profile: name, language, and the e-mail I sign in with",
      tag: TAG,
      access: "user",
      response: AccountView,
    },
    (c) => c.json(accountView(c.var.user)),
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/account",
      summary: "Change my name and/or language (the e-mail is changed by an administrator)",
      tag: TAG,
      access: "user",
      body: UpdateAccountBody,
      response: AccountView,
    },
    async (c) => {
      const body = c.req.valid("json");
      const user = c.var.user;
      if (user.role === "operator" && body.name !== undefined) {
        apiError(403, "forbidden", "The platform operator's account is configured, not edited", [
          { path: "name", message: "cannot be changed for the platform operator" },
        ]);
      }
      const name = body.name ?? user.name;
      const language = body.language ?? user.language;
      await d1(c.env.DB)
        .update(users)
        .set({ name, language, version: sql`${users.version} + 1` })
        .where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId)));
      // The agent actor shows the name on offers, transfers and the desktop: it rereads it.
      if (name !== user.name) await c.env.AGENT.getByName(user.id).profileChanged(user.tenantId);
      return c.json(accountView({ ...user, name, language }));
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/account/password",
      summary:
        "Change my password: 403 naming currentPassword when it is wrong; my other sessions end, this one stays",
      tag: TAG,
      access: "user",
      body: ChangePasswordBody,
      status: 204,
    },
    async (c) => {
      const { currentPassword, newPassword } = c.req.valid("json");
      const user = c.var.user;
      if (user.role === "operator") {
        apiError(403, "forbidden", "The platform operator's password is set in the configuration");
      }
      const db = d1(c.env.DB);
      const row = await db
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(
          and(eq(users.id, user.id), eq(users.tenantId, user.tenantId), eq(users.active, true)),
        )
        .get();
      if (!row?.passwordHash || !(await verifyPassword(currentPassword, row.passwordHash))) {
        apiError(403, "wrong_password", "The current password is not right", [
          { path: "currentPassword", message: "not your current password" },
        ]);
      }
      if (currentPassword === newPassword) {
        apiError(400, "invalid_request", "Invalid body: newPassword: same as the current one", [
          { path: "newPassword", message: "same as the current one" },
        ]);
      }
      const hash = await hashPassword(newPassword);
      const now = Date.now();
      await db.batch([
        db
          .update(users)
          .set({ passwordHash: hash, version: sql`${users.version} + 1` })
          .where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId))),
        // Whoever else holds a session or a reset link of this account loses it.
        db
          .delete(sessions)
          .where(
            and(
              eq(sessions.userId, user.id),
              eq(sessions.tenantId, user.tenantId),
              ne(sessions.id, user.sessionId),
            ),
          ),
        db
          .update(userTokens)
          .set({ usedAt: now })
          .where(
            and(
              eq(userTokens.tenantId, user.tenantId),
              eq(userTokens.userId, user.id),
              eq(userTokens.purpose, "reset"),
              isNull(userTokens.usedAt),
            ),
          ),
      ]);
      // Desktops open under the other sessions are disconnected; this one's stay.
      securityLog("session_revoked", { reason: "password_changed" });
      await c.env.AGENT.getByName(user.id).sessionsEnded(user.tenantId, user.sessionId);
      return c.body(null, 204);
    },
  );
