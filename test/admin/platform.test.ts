/**
 * The platform operator through the real Worker: bootstrap from configuration
 * at first sign-in, tenants with their first administrator invited over real
 * SMTP, and suspension (sessions, agents, login and webhooks) and reactivation.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TenantView, UserView } from "../../src/shared/admin";
import type { MeView } from "../../src/shared/protocol";
import { hashPassword } from "../../src/worker/crypto";
import { customerWrites, eventually, seedTenant, uid } from "../helpers";
import type { SinkMessage } from "../smtp-sink";
import {
  adminSession,
  agentSession,
  BASE,
  badFields,
  call,
  callJson,
  type ErrorBody,
  login,
  PASSWORD,
} from "./session";
import { readXlsxRows } from "./xlsx";

const SINK = env.MAIL_SINK_URL as string;
const OPERATOR = { email: "operator@parley.test", password: "operator-test-password" };

function email(): string {
  return `${uid("admin")}@example.test`.toLowerCase();
}

function phone(): string {
  return `39348${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
}

function anonymous(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function mailsTo(to: string): Promise<SinkMessage[]> {
  const res = await fetch(`${SINK}/messages?to=${encodeURIComponent(to)}`);
  return (await res.json()) as SinkMessage[];
}

async function operator(): Promise<string> {
  return login(OPERATOR.email, OPERATOR.password);
}

async function createTenant(cookie: string, name = uid("Acme")) {
  const adminEmail = email();
  const tenant = await callJson<TenantView>(
    cookie,
    "POST",
    "/api/platform/tenants",
    { name, adminEmail, adminName: "First Admin", language: "it", templateLimit: 40 },
    201,
  );
  return { tenant, adminEmail };
}

describe("platform operator", () => {
  it("is created from configuration at first sign-in, idempotently, with the configured password only", async () => {
    expect(
      (
        await anonymous("POST", "/auth/login", {
          email: OPERATOR.email,
          password: "wrong-password",
        })
      ).status,
    ).toBe(401);
    const first = await anonymous("POST", "/auth/login", OPERATOR);
    expect(first.status).toBe(200);
    expect((await first.json()) as MeView).toMatchObject({
      email: OPERATOR.email,
      role: "operator",
      tenantId: "platform",
      tenantName: "Platform",
    });
    expect(await operator()).toMatch(/^parley_session=/);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?")
      .bind(OPERATOR.email)
      .first<number>("n");
    expect(count).toBe(1);
  });

  it("creates a tenant whose first admin is invited by e-mail and can then administer it", async () => {
    const op = await operator();
    const { tenant, adminEmail } = await createTenant(op, "Caffè Milano");
    expect(tenant).toMatchObject({
      name: "Caffè Milano",
      status: "active",
      templateLimit: 40,
      version: 1,
    });
    const mail = await eventually(async () => (await mailsTo(adminEmail))[0]);
    expect(mail.subject).toBe("Invito a Caffè Milano su Parley");
    expect(mail.text).toContain("come amministratore");
    const token = new URL(mail.links[0]!).searchParams.get("token")!;
    const set = await anonymous("POST", "/auth/password", { token, password: "first admin pw" });
    expect(set.status).toBe(200);
    const me = (await set.json()) as MeView;
    expect(me).toMatchObject({ role: "admin", tenantId: tenant.id, language: "it" });
    const cookie = set.headers.get("Set-Cookie")!.split(";")[0]!;
    const users = await callJson<{ items: UserView[] }>(
      cookie,
      "GET",
      "/api/admin/users",
      undefined,
      200,
    );
    expect(users.items.map((u) => u.email)).toEqual([adminEmail]);

    expect(
      await callJson<TenantView>(op, "GET", `/api/platform/tenants/${tenant.id}`, undefined, 200),
    ).toEqual(tenant);
    // The platform's own tenant is never listed nor reachable.
    const list = await callJson<{ items: TenantView[] }>(
      op,
      "GET",
      "/api/platform/tenants?pageSize=100",
      undefined,
      200,
    );
    expect(list.items.map((t) => t.id)).toContain(tenant.id);
    expect(list.items.map((t) => t.id)).not.toContain("platform");
    expect((await call(op, "GET", "/api/platform/tenants/platform")).status).toBe(404);
    expect(
      (
        await call(op, "PATCH", "/api/platform/tenants/platform", {
          version: 1,
          status: "suspended",
        })
      ).status,
    ).toBe(404);
  });

  it("validates, refuses a taken admin e-mail (409) and stores nothing either way", async () => {
    const op = await operator();
    const name = uid("Nothing Stored");
    const bad = await call(op, "POST", "/api/platform/tenants", {
      name: "",
      adminEmail: "nope",
      adminName: "A",
      templateLimit: -1,
    });
    expect(bad.status).toBe(400);
    expect((await badFields(bad)).sort()).toEqual(["adminEmail", "name", "templateLimit"]);
    const taken = await adminSession();
    const dup = await call(op, "POST", "/api/platform/tenants", {
      name,
      adminEmail: taken.email,
      adminName: "A",
    });
    expect(dup.status).toBe(409);
    expect(await badFields(dup)).toEqual(["adminEmail"]);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM tenants WHERE name = ?")
      .bind(name)
      .first<number>("n");
    expect(stored).toBe(0);
  });

  it("keeps the tenant when its invitation cannot be mailed (502) and resends it on request", async () => {
    const op = await operator();
    const adminEmail = email();
    const name = uid("Bouncy");
    await fetch(`${SINK}/reject?to=${encodeURIComponent(adminEmail)}`, { method: "POST" });
    const res = await call(op, "POST", "/api/platform/tenants", {
      name,
      adminEmail,
      adminName: "B",
    });
    expect(res.status).toBe(502);
    const list = await callJson<{ items: TenantView[] }>(
      op,
      "GET",
      `/api/platform/tenants?q=${encodeURIComponent(name)}`,
      undefined,
      200,
    );
    expect(list.items).toHaveLength(1);
    await fetch(`${SINK}/accept?to=${encodeURIComponent(adminEmail)}`, { method: "POST" });
    await callJson(op, "POST", `/api/platform/tenants/${list.items[0]!.id}/invite`, undefined, 200);
    const mail = await eventually(async () => (await mailsTo(adminEmail))[0]);
    expect(mail.subject).toBe(`You are invited to ${name} on Parley`);
  });

  it("only the operator manages tenants; the operator is no tenant admin", async () => {
    const admin = await adminSession();
    const agent = await agentSession(admin.tenantId);
    for (const who of [admin, agent]) {
      expect((await call(who, "GET", "/api/platform/tenants")).status).toBe(403);
      expect(
        (
          await call(who, "POST", "/api/platform/tenants", {
            name: "Mine",
            adminEmail: email(),
            adminName: "Me",
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(who, "PATCH", `/api/platform/tenants/${admin.tenantId}`, {
            version: 1,
            status: "suspended",
          })
        ).status,
      ).toBe(403);
    }
    expect((await anonymous("GET", "/api/platform/tenants")).status).toBe(401);
    expect((await call(await operator(), "GET", "/api/admin/users")).status).toBe(403);
  });

  it("updates with the version read: stale saves get 409", async () => {
    const op = await operator();
    const { tenant } = await createTenant(op);
    const saved = await callJson<TenantView>(
      op,
      "PATCH",
      `/api/platform/tenants/${tenant.id}`,
      { version: tenant.version, name: "Renamed", templateLimit: 7 },
      200,
    );
    expect(saved).toMatchObject({ name: "Renamed", templateLimit: 7, version: 2 });
    const stale = await call(op, "PATCH", `/api/platform/tenants/${tenant.id}`, {
      version: tenant.version,
      status: "suspended",
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");
    expect(
      await callJson<TenantView>(op, "GET", `/api/platform/tenants/${tenant.id}`, undefined, 200),
    ).toEqual(saved);
  });

  it("downloads exactly the filtered tenants as .xlsx", async () => {
    const op = await operator();
    const tag = uid("xl").replace(/-/g, "");
    await createTenant(op, `=cmd ${tag}`);
    await createTenant(op, `Beta ${tag}`);
    await createTenant(op, "Unrelated");
    const res = await call(op, "GET", `/api/platform/tenants/export.xlsx?q=${tag}&sort=name`);
    expect(res.status).toBe(200);
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows.map((r) => r[0])).toEqual(["Name", `'=cmd ${tag}`, `Beta ${tag}`]);
  });
});

describe("suspension", () => {
  it("ends sessions, takes agents offline, refuses sign-in and stops routing until reactivated", async () => {
    const op = await operator();
    const t = await seedTenant({
      skillsets: { main: 5 },
      agents: [{ id: "sam", name: "Sam", skills: { main: 5 } }],
    });
    const [sam] = t.agents as [string];
    await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(await hashPassword(PASSWORD), sam)
      .run();
    const samEmail = `${sam}@example.test`;
    const admin = await adminSession(t.tenantId);
    const samCookie = await login(samEmail);
    await callJson(samCookie, "POST", "/api/me/status", { status: "ready" }, 200);
    const ws = await exports.default.fetch(`${BASE}/api/ws`, {
      headers: { Upgrade: "websocket", Cookie: samCookie },
    });
    const socket = ws.webSocket!;
    const closed = new Promise<number>((resolve) =>
      socket.addEventListener("close", (e) => resolve(e.code)),
    );
    socket.accept();

    const tenant = await callJson<TenantView>(
      op,
      "GET",
      `/api/platform/tenants/${t.tenantId}`,
      undefined,
      200,
    );
    const suspended = await callJson<TenantView>(
      op,
      "PATCH",
      `/api/platform/tenants/${t.tenantId}`,
      { version: tenant.version, status: "suspended" },
      200,
    );
    expect(suspended.status).toBe("suspended");

    expect((await call(admin, "GET", "/api/admin/users")).status).toBe(401);
    expect((await call(samCookie, "GET", "/api/me")).status).toBe(401);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<number>("n");
    expect(left).toBe(0);
    expect(await closed).toBe(4001);
    expect((await env.AGENT.getByName(sam).state(t.tenantId))!.status).toBe("offline");
    const signIn = await anonymous("POST", "/auth/login", { email: samEmail, password: PASSWORD });
    expect(signIn.status).toBe(403);
    // A wrong password still gets the usual 401, revealing nothing.
    expect(
      (await anonymous("POST", "/auth/login", { email: samEmail, password: "wrong one" })).status,
    ).toBe(401);

    // Meta's webhook is acknowledged (customerWrites requires 200) but nothing is routed.
    await env.AGENT.getByName(sam).setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "anyone there?");
    await new Promise((r) => setTimeout(r, 200));
    expect(await env.NUMBER.getByName(t.numberId).conversations()).toEqual([]);
    expect((await env.AGENT.getByName(sam).snapshot(t.tenantId))!.offers).toEqual([]);

    // Reactivation restores sign-in and routing.
    await callJson(
      op,
      "PATCH",
      `/api/platform/tenants/${t.tenantId}`,
      { version: suspended.version, status: "active" },
      200,
    );
    expect(await login(samEmail)).toBeTruthy();
    await customerWrites(t.phoneNumberId, phone(), "back again");
    const offers = await eventually(async () => {
      const s = await env.AGENT.getByName(sam).snapshot(t.tenantId);
      return s?.offers.length ? s.offers : null;
    });
    expect(offers).toHaveLength(1);
  });
});
