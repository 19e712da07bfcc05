/**
 * Sessions end when they should, and take their desktops with them: a changed or
 * reset password, a session past its lifetime, a session idle longer than the
 * tenant allows. Real Worker, D1 and agent actors; the WebSockets are the
 * desktop's own.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../../src/durable/agent/actor";
import { advanceClock, resetClock } from "../../src/platform/clock";
import { d1 } from "../../src/platform/db/d1";
import { newUserToken } from "../../src/worker/auth/auth";
import {
  adminSession,
  BASE,
  call,
  createTenant,
  createUser,
  login,
  openSocket,
} from "../kit/session";
import { eventually } from "../kit/wait";

/** The desktop's WebSocket: its events, and how and whether it closed. */
async function openDesktop(cookie: string) {
  const desktop = await openSocket(cookie, null);
  await eventually(async () => desktop.events.length > 0);
  return desktop;
}

/** Answers a ping only while the socket is open. */
async function stillOpen(desktop: Awaited<ReturnType<typeof openDesktop>>): Promise<boolean> {
  if (desktop.closed.code !== null) return false;
  const before = desktop.events.length;
  desktop.ws.send(JSON.stringify({ type: "ping" }));
  await eventually(async () => desktop.events.slice(before).some((e) => e.type === "pong"));
  return desktop.closed.code === null;
}

async function agentWithTwoSessions() {
  const tenantId = await createTenant();
  const agent = await createUser(tenantId, { role: "agent" });
  const first = await login(agent.email);
  const second = await login(agent.email);
  return { tenantId, agent, first, second };
}

async function agentStatus(userId: string): Promise<string> {
  const stub = env.AGENT.getByName(userId);
  return runInDurableObject(stub, (_: AgentActor, state) => {
    const row = state.storage.sql
      .exec<{ value: string }>("SELECT value FROM kv WHERE key = 'presence'")
      .toArray()[0];
    return row ? (JSON.parse(row.value) as { status: string }).status : "offline";
  });
}

/** Moves the actors' clock past the agent's next session check and runs its alarm. */
async function runSessionCheck(userId: string): Promise<void> {
  advanceClock(11 * 60_000);
  try {
    expect(await runDurableObjectAlarm(env.AGENT.getByName(userId))).toBe(true);
  } finally {
    resetClock();
  }
}

describe("sessions and desktops", () => {
  it("changing the password closes my other sessions' desktops and keeps this one's", async () => {
    const { agent, first, second } = await agentWithTwoSessions();
    const mine = await openDesktop(first);
    const other = await openDesktop(second);
    const res = await call(first, "POST", "/api/account/password", {
      currentPassword: "correct horse battery",
      newPassword: "an even better password",
    });
    expect(res.status).toBe(204);
    await eventually(async () => other.closed.code);
    expect(other.closed.code).toBe(4001);
    expect(await stillOpen(mine)).toBe(true);
    expect((await call(second, "GET", "/api/me")).status).toBe(401);
    // This session's desktop stays, so the agent is not taken offline.
    expect(await agentStatus(agent.id)).not.toBe("offline");
  });

  it("a password reset through its link closes every desktop of the account", async () => {
    const { tenantId, agent, first } = await agentWithTwoSessions();
    const desktop = await openDesktop(first);
    const { token, statements } = await newUserToken(env.DB, { id: agent.id, tenantId }, "reset");
    await d1(env.DB).batch(statements);
    const res = await exports.default.fetch(`${BASE}/auth/password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, password: "a brand new password" }),
    });
    expect(res.status).toBe(200);
    await eventually(async () => desktop.closed.code);
    expect(desktop.closed.code).toBe(4001);
    expect((await call(first, "GET", "/api/me")).status).toBe(401);
  });

  it("a session idle longer than the tenant allows ends: 401, and its desktop is closed", async () => {
    const { tenantId, agent, first, second } = await agentWithTwoSessions();
    await env.DB.prepare("UPDATE tenants SET session_idle_minutes = 15 WHERE id = ?")
      .bind(tenantId)
      .run();
    const idle = await openDesktop(first);
    const active = await openDesktop(second);
    // The first session was last used 16 minutes ago; the second a minute ago.
    const sixteenMinutesAgo = Date.now() - 16 * 60_000;
    await env.DB.prepare(
      "UPDATE sessions SET last_seen_at = ?, created_at = ? WHERE user_id = ? AND id = (SELECT id FROM sessions WHERE user_id = ? ORDER BY created_at LIMIT 1)",
    )
      .bind(sixteenMinutesAgo, sixteenMinutesAgo, agent.id, agent.id)
      .run();
    await runSessionCheck(agent.id);
    await eventually(async () => idle.closed.code);
    expect(idle.closed.code).toBe(4001);
    expect(await stillOpen(active)).toBe(true);
    expect((await call(first, "GET", "/api/me")).status).toBe(401);
    expect((await call(second, "GET", "/api/me")).status).toBe(200);
  });

  it("a session past its lifetime ends, and with no desktop left the agent goes offline", async () => {
    const { agent, first } = await agentWithTwoSessions();
    const desktop = await openDesktop(first);
    await call(first, "POST", "/api/me/status", { status: "ready" });
    expect(await agentStatus(agent.id)).toBe("ready");
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, agent.id)
      .run();
    await runSessionCheck(agent.id);
    await eventually(async () => desktop.closed.code);
    expect(desktop.closed.code).toBe(4001);
    expect(await agentStatus(agent.id)).toBe("offline");
    expect((await call(first, "GET", "/api/me")).status).toBe(401);
  });

  it("a request made with an idle session deletes it and disconnects its desktops at once", async () => {
    const { agent, first } = await agentWithTwoSessions();
    const desktop = await openDesktop(first);
    await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE user_id = ?")
      .bind(Date.now() - 3 * 60 * 60_000, agent.id)
      .run();
    expect((await call(first, "GET", "/api/me")).status).toBe(401);
    await eventually(async () => desktop.closed.code);
    expect(desktop.closed.code).toBe(4001);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?")
      .bind(agent.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(1);
  });

  it("using a session keeps it alive: each request marks it seen (at most once a minute)", async () => {
    const { agent, first } = await agentWithTwoSessions();
    const longAgo = Date.now() - 30 * 60_000;
    await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE user_id = ?")
      .bind(longAgo, agent.id)
      .run();
    expect((await call(first, "GET", "/api/me")).status).toBe(200);
    const seen = await env.DB.prepare(
      "SELECT max(last_seen_at) AS at FROM sessions WHERE user_id = ?",
    )
      .bind(agent.id)
      .first<{ at: number }>();
    expect(seen!.at).toBeGreaterThan(Date.now() - 60_000);
  });

  it("the idle time is a tenant setting an admin changes, validated", async () => {
    const admin = await adminSession();
    const read = await (await call(admin.cookie, "GET", "/api/admin/settings")).json<{
      version: number;
      sessionIdleMinutes: number;
    }>();
    expect(read.sessionIdleMinutes).toBe(120);
    const bad = await call(admin.cookie, "PATCH", "/api/admin/settings", {
      version: read.version,
      sessionIdleMinutes: 2,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("sessionIdleMinutes");
    const ok = await call(admin.cookie, "PATCH", "/api/admin/settings", {
      version: read.version,
      sessionIdleMinutes: 30,
    });
    expect(ok.status).toBe(200);
    const row = await env.DB.prepare("SELECT session_idle_minutes AS m FROM tenants WHERE id = ?")
      .bind(admin.tenantId)
      .first<{ m: number }>();
    expect(row?.m).toBe(30);
  });
});
