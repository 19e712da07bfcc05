/**
 * What every answer carries and what every browser request must prove: security
 * headers on each documented route and on the app's pages, HSTS and the
 * `__Host-` cookie in production, the Origin check on WebSocket upgrades and
 * state-changing requests, the drill hooks only when enabled, and the security
 * log's lines. The Worker is the real one; production is the same app given a
 * production configuration.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/durable/env";
import { parseConfig } from "../../src/platform/config";
import app from "../../src/worker/index";
import {
  BASE,
  call,
  createTenant,
  createUser,
  type ErrorBody,
  login,
  PASSWORD,
} from "../kit/session";

/** The same bindings with a production configuration (real-looking secrets, Meta's Graph API). */
const production = {
  ...env,
  ENVIRONMENT: "production",
  META_APP_SECRET: "0123456789abcdef0123456789abcdef",
  META_VERIFY_TOKEN: "a-long-random-verify-token",
  GRAPH_API_BASE: "https://graph.facebook.com/v23.0",
  DATA_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
  SMTP_HOST: undefined,
  SMTP_SECURE: "tls",
  MAIL_FROM: undefined,
  DRILL_HOOKS: undefined,
} as unknown as Env;

/** Development without the drills' variable. */
const development = {
  ...env,
  ENVIRONMENT: "development",
  DRILL_HOOKS: undefined,
} as unknown as Env;

async function fetchWith(target: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, init), target, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function expectSecurityHeaders(res: Response, where: string): void {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).not.toContain("unsafe-inline");
  expect(csp, where).not.toContain("unsafe-eval");
  expect(csp, where).toMatch(/(script-src 'self'|default-src 'none')/);
  expect(res.headers.get("X-Content-Type-Options"), where).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy"), where).toBe("same-origin");
  expect(res.headers.get("X-Request-Id"), where).toMatch(/^[\w-]+$/);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("security headers", () => {
  it("are on every documented route, signed in or not, and on the app's pages", async () => {
    const doc = await (await exports.default.fetch(`${BASE}/api/openapi.json`)).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const tenantId = await createTenant();
    const admin = await createUser(tenantId, { role: "admin" });
    const cookie = await login(admin.email);
    const id = crypto.randomUUID();
    let walked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (path.startsWith("/webhooks/")) continue; // checked below, signed as Meta would not be
      const concrete = path.replace(/\{[^}]+\}/g, id);
      for (const method of Object.keys(methods)) {
        if (concrete === "/auth/logout") continue; // would end the session used below
        const res = await exports.default.fetch(`${BASE}${concrete}`, {
          method: method.toUpperCase(),
          headers: {
            Cookie: cookie,
            ...(method === "get" ? {} : { "Content-Type": "application/json" }),
          },
          ...(method === "get" ? {} : { body: "{}" }),
        });
        expectSecurityHeaders(res, `${method.toUpperCase()} ${concrete} (${res.status})`);
        await res.body?.cancel();
        walked++;
      }
    }
    expect(walked).toBeGreaterThan(80);
    for (const path of ["/", "/customers", "/admin/users", "/api/nowhere", "/webhooks/whatsapp"]) {
      const res = await exports.default.fetch(`${BASE}${path}`);
      expectSecurityHeaders(res, path);
      await res.body?.cancel();
    }
    const signedOut = await exports.default.fetch(`${BASE}/api/me`);
    expect(signedOut.status).toBe(401);
    expectSecurityHeaders(signedOut, "/api/me signed out");
  });

  it("send HSTS in production only", async () => {
    const prod = await fetchWith(production, "/api/openapi.json");
    expect(prod.status).toBe(200);
    expectSecurityHeaders(prod, "production");
    expect(prod.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
    const dev = await fetchWith(development, "/api/openapi.json");
    expect(dev.headers.get("Strict-Transport-Security")).toBeNull();
  });
});

describe("the session cookie", () => {
  it("is __Host- prefixed, Secure, host-only and Path=/ in production, and only that name signs in", async () => {
    const tenantId = await createTenant();
    const user = await createUser(tenantId);
    const res = await fetchWith(production, "/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^__Host-parley_session=/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).toMatch(/HttpOnly/i);
    const pair = cookie.split(";")[0]!;
    expect((await fetchWith(production, "/api/me", { headers: { Cookie: pair } })).status).toBe(
      200,
    );
    const unprefixed = pair.replace(/^__Host-/, "");
    expect(
      (await fetchWith(production, "/api/me", { headers: { Cookie: unprefixed } })).status,
    ).toBe(401);
  });
});

describe("the Origin check", () => {
  it("refuses a WebSocket upgrade from another site, and accepts our own pages", async () => {
    const tenantId = await createTenant();
    const agent = await createUser(tenantId);
    const cookie = await login(agent.email);
    const foreign = await exports.default.fetch(`${BASE}/api/ws`, {
      headers: { Upgrade: "websocket", Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json<ErrorBody>()).error.code).toBe("bad_origin");
    const own = await exports.default.fetch(`${BASE}/api/ws`, {
      headers: { Upgrade: "websocket", Cookie: cookie, Origin: BASE },
    });
    expect(own.status).toBe(101);
    own.webSocket?.accept();
    own.webSocket?.close(1000);
  });

  it("refuses state-changing requests from another site, with or without a JSON body", async () => {
    const tenantId = await createTenant();
    const agent = await createUser(tenantId);
    const cookie = await login(agent.email);
    for (const origin of ["https://evil.example", "null"]) {
      const logout = await exports.default.fetch(`${BASE}/auth/logout`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: origin },
      });
      expect(logout.status).toBe(403);
      const form = new FormData();
      form.set("file", new File(["x"], "x.txt", { type: "text/plain" }));
      const upload = await exports.default.fetch(
        `${BASE}/api/conversations/${crypto.randomUUID()}/uploads`,
        { method: "POST", headers: { Cookie: cookie, Origin: origin }, body: form },
      );
      expect(upload.status).toBe(403);
      const json = await exports.default.fetch(`${BASE}/api/me/status`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/json" },
        body: JSON.stringify({ status: "ready" }),
      });
      expect(json.status).toBe(403);
    }
    // The session survived every refused logout.
    expect((await call(cookie, "GET", "/api/me")).status).toBe(200);
    const own = await exports.default.fetch(`${BASE}/auth/logout`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: BASE },
    });
    expect(own.status).toBe(204);
  });

  it("accepts the configured public address as an origin too", async () => {
    const res = await exports.default.fetch("http://127.0.0.1:8787/auth/logout", {
      method: "POST",
      headers: { Origin: new URL(env.PUBLIC_URL as string).origin },
    });
    expect(res.status).toBe(204);
  });
});

describe("the drill hooks", () => {
  it("exist only with DRILL_HOOKS=on, which production refuses, and are not documented", async () => {
    const hidden = await fetchWith(development, "/_drill/d1-writes", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ forMs: 0 }),
    });
    expect(hidden.status).toBe(404);
    const prod = parseConfig({ ...production, DRILL_HOOKS: "on" });
    expect(prod.ok).toBe(false);
    expect(JSON.stringify(prod)).toContain("DRILL_HOOKS");
    const doc = await (await exports.default.fetch(`${BASE}/api/openapi.json`)).text();
    expect(doc).not.toContain("_drill");
    // The test configuration turns them on (test/drill-hooks.test.ts uses them).
    const enabled = await exports.default.fetch(`${BASE}/_drill/d1-writes`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ forMs: 0 }),
    });
    expect(enabled.status).toBe(200);
  });
});

describe("the security log", () => {
  function captured(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
    return spy.mock.calls
      .map((args) => String(args[0]))
      .filter((line) => line.startsWith('{"kind":"security"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it("writes one JSON line per failed sign-in, bad signature, refusal and probe of another tenant's id, without secrets", async () => {
    const spy = vi.spyOn(console, "log");
    const tenantId = await createTenant();
    const agent = await createUser(tenantId);
    const wrong = await exports.default.fetch(`${BASE}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.8.7" },
      body: JSON.stringify({ email: agent.email, password: "hunter2 is my password" }),
    });
    expect(wrong.status).toBe(401);
    const webhook = await exports.default.fetch(`${BASE}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00" },
      body: JSON.stringify({ object: "whatsapp_business_account", entry: [] }),
    });
    expect(webhook.status).toBe(401);
    const cookie = await login(agent.email);
    const denied = await call(cookie, "GET", "/api/admin/users");
    expect(denied.status).toBe(403);

    const lines = captured(spy);
    const failed = lines.find((l) => l.event === "login_failed");
    expect(failed).toMatchObject({ account: agent.email, ip: "10.9.8.7", path: "/auth/login" });
    expect(failed?.requestId).toBe(wrong.headers.get("X-Request-Id"));
    expect(lines.some((l) => l.event === "webhook_bad_signature")).toBe(true);
    expect(lines.find((l) => l.event === "request_denied")).toMatchObject({
      status: 403,
      tenantId,
      userId: agent.id,
      path: "/api/admin/users",
    });
    // Another tenant's id answers the same 404 as a made-up one, but is logged.
    const otherTenant = await createTenant();
    const stranger = await createUser(otherTenant);
    const adminUser = await createUser(tenantId, { role: "admin" });
    const adminCookie = await login(adminUser.email);
    const probe = await call(adminCookie, "GET", `/api/admin/users/${stranger.id}`);
    const madeUp = await call(adminCookie, "GET", `/api/admin/users/${crypto.randomUUID()}`);
    expect(probe.status).toBe(404);
    expect(await probe.json()).toEqual(await madeUp.json());
    const probes = captured(spy).filter((l) => l.event === "cross_tenant_probe");
    expect(probes).toEqual([
      expect.objectContaining({ table: "users", id: stranger.id, tenantId, userId: adminUser.id }),
    ]);

    const all = spy.mock.calls.map((args) => String(args[0])).join("\n");
    expect(all).not.toContain("hunter2");
    expect(all).not.toContain(cookie.split("=")[1]!);
  });
});
