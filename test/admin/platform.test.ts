/**
 * The platform operator through the real Worker: bootstrap from configuration
 * at first sign-in, tenants with their first administrator invited over real
 * SMTP, and suspension (sessions, agents, login and webhooks) and reactivation.
 */

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NumberItem } from "../../src/durable/contracts";
import type { NumberActor } from "../../src/durable/number/actor";
import { extractWebhookItems } from "../../src/meta/webhook-payload";
import { advanceClock, resetClock } from "../../src/platform/clock";
import { hashPassword } from "../../src/platform/crypto";
import type { TenantView, UserView } from "../../src/shared/admin";
import type { MeView } from "../../src/shared/protocol";
import { offerFor } from "../kit/conversation";
import { readXlsxRows } from "../kit/files";
import { emailAddress, phone, uid } from "../kit/ids";
import { acceptMailTo, mailsTo, refuseMailTo } from "../kit/mail";
import { customerWrites, postWebhook, relaySim } from "../kit/meta";
import { textWebhook } from "../kit/meta-payloads";
import {
  adminSession,
  agentSession,
  anonymous,
  BASE,
  badFields,
  call,
  callJson,
  type ErrorBody,
  login,
  PASSWORD,
} from "../kit/session";
import { phoneGets, phoneReceived, sim } from "../kit/simulator";
import { seedTenant, setSettings } from "../kit/tenant";
import { eventually } from "../kit/wait";

const OPERATOR = { email: "operator@parley.test", password: "operator-test-password" };

async function operator(): Promise<string> {
  return login(OPERATOR.email, OPERATOR.password);
}

async function operatorTenant(cookie: string, name = uid("Acme")) {
  const adminEmail = emailAddress("admin");
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
    const { tenant, adminEmail } = await operatorTenant(op, "Caffè Milano");
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
    const adminEmail = emailAddress("admin");
    const name = uid("Bouncy");
    await refuseMailTo(adminEmail);
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
    await acceptMailTo(adminEmail);
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
            adminEmail: emailAddress("admin"),
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
    const { tenant } = await operatorTenant(op);
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
    await operatorTenant(op, `=cmd ${tag}`);
    await operatorTenant(op, `Beta ${tag}`);
    await operatorTenant(op, "Unrelated");
    const res = await call(op, "GET", `/api/platform/tenants/export.xlsx?q=${tag}&sort=name`);
    expect(res.status).toBe(200);
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows.map((r) => r[0])).toEqual(["Name", `'=cmd ${tag}`, `Beta ${tag}`]);
  });
});

/** Suspends the tenant through the operator's API; returns it as it then is. */
async function suspendTenant(op: string, tenantId: string): Promise<TenantView> {
  const tenant = await callJson<TenantView>(
    op,
    "GET",
    `/api/platform/tenants/${tenantId}`,
    undefined,
    200,
  );
  return callJson<TenantView>(
    op,
    "PATCH",
    `/api/platform/tenants/${tenantId}`,
    { version: tenant.version, status: "suspended" },
    200,
  );
}

/** Reactivates the tenant `suspended` (as `suspendTenant` returned it). */
async function reactivateTenant(op: string, tenantId: string, suspended: TenantView) {
  return callJson<TenantView>(
    op,
    "PATCH",
    `/api/platform/tenants/${tenantId}`,
    { version: suspended.version, status: "active" },
    200,
  );
}

/** The number as the Worker hands it to its actor. */
function numberInfo(t: { numberId: string; tenantId: string; phoneNumberId: string }) {
  return {
    id: t.numberId,
    tenantId: t.tenantId,
    phoneNumberId: t.phoneNumberId,
    displayPhone: "+1 555 010 0001",
    name: "Support",
  };
}

/** A text message as the Worker hands it to a number actor, parsed from a Meta-shaped webhook. */
function numberItem(phoneNumberId: string, from: string, text: string): NumberItem {
  const [parsed] = extractWebhookItems(textWebhook(phoneNumberId, [{ from, text }])).items;
  if (parsed?.kind !== "message") throw new Error("not a message");
  return { kind: "message", contact: parsed.contact, message: parsed.message };
}

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

    const suspended = await suspendTenant(op, t.tenantId);
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

    // Reactivation restores sign-in and routing: the message kept meanwhile is
    // routed too (see the next test), so Sam gets both conversations.
    await reactivateTenant(op, t.tenantId, suspended);
    expect(await login(samEmail)).toBeTruthy();
    await customerWrites(t.phoneNumberId, phone(), "back again");
    const offers = await eventually(async () => {
      const s = await env.AGENT.getByName(sam).snapshot(t.tenantId);
      return s && s.offers.length >= 2 ? s.offers : null;
    });
    expect(offers).toHaveLength(2);
  });

  it("keeps a suspended tenant's messages (once each, unanswered) and routes them in order, with their time, on reactivation", async () => {
    const op = await operator();
    const t = await seedTenant({
      skillsets: { main: 5 },
      agents: [{ id: "vera", name: "Vera", skills: { main: 5 } }],
    });
    const [vera] = t.agents as [string];
    // A welcome message: what the number would send at once to a new conversation.
    await setSettings(t.numberId, { messages: { welcome: "Benvenuto in Parley!" } });
    const suspended = await suspendTenant(op, t.tenantId);

    // The customer writes twice while the tenant is suspended, with Meta's own
    // (earlier) times; Meta delivers the first message twice, once in a batch
    // with itself. Each delivery is signed and acknowledged through the Worker.
    const customer = phone();
    const sentAt = Math.floor(Date.now() / 1000) - 3600;
    const texts = ["Ho un problema con l'ordine", "È urgente"];
    const wamids: string[] = [];
    for (const [i, text] of texts.entries()) {
      const res = await sim("/_sim/inbound", {
        from: customer,
        name: "Lia Neri",
        phoneNumberId: t.phoneNumberId,
        message: { type: "text", text: { body: text }, timestamp: String(sentAt + i * 60) },
      });
      wamids.push(((await res.json()) as { id: string }).id);
      expect(await relaySim(t.phoneNumberId)).toBe(1);
    }
    await sim("/_sim/inbound", {
      from: customer,
      phoneNumberId: t.phoneNumberId,
      id: wamids[0],
      text: texts[0],
    });
    expect(await relaySim(t.phoneNumberId)).toBe(1);
    const [first] = wamids;
    const twice = textWebhook(t.phoneNumberId, [
      { from: customer, text: texts[0]!, id: first! },
      { from: customer, text: texts[0]!, id: first! },
    ]);
    expect((await postWebhook(twice)).status).toBe(200);

    // Kept durably, once per message; nothing routed, nothing sent to the customer.
    const number = env.NUMBER.getByName(t.numberId);
    const kept = await runInDurableObject(number, (_i: NumberActor, state) =>
      state.storage.sql
        .exec<{ wamid: string }>("SELECT wamid FROM held_inbound ORDER BY seq")
        .toArray(),
    );
    expect(kept.map((r) => r.wamid)).toEqual(wamids);
    expect(await number.conversations()).toEqual([]);
    await env.AGENT.getByName(vera).setStatus(t.tenantId, "ready");
    await new Promise((r) => setTimeout(r, 200));
    expect((await env.AGENT.getByName(vera).snapshot(t.tenantId))!.offers).toEqual([]);
    expect(await phoneReceived(customer)).toEqual([]);

    await reactivateTenant(op, t.tenantId, suspended);
    // As if they had just arrived: offered to the Ready agent, welcomed.
    const offer = await offerFor(vera, t.tenantId);
    expect(offer).toMatchObject({ customerName: "Lia Neri", customerPhone: `+${customer}` });
    await phoneGets(customer, "Benvenuto in Parley!");
    // Meta retries the first message once more after the release: still once.
    await sim("/_sim/inbound", {
      from: customer,
      phoneNumberId: t.phoneNumberId,
      id: wamids[0],
      text: texts[0],
    });
    expect(await relaySim(t.phoneNumberId)).toBe(1);
    const { messages } = (await env.CONVERSATION.getByName(offer.conversationId).read(t.tenantId))!;
    const inbound = messages.filter((m) => m.direction === "in");
    expect(inbound.map((m) => [m.text, m.createdAt])).toEqual([
      [texts[0], sentAt * 1000],
      [texts[1], (sentAt + 60) * 1000],
    ]);
    const left = await runInDurableObject(number, (_i: NumberActor, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM held_inbound").one(),
    );
    expect(left.n).toBe(0);
  });

  it("a number told of the suspension keeps what a Worker still believing the tenant active hands it", async () => {
    const op = await operator();
    const t = await seedTenant({ skillsets: { main: 5 }, agents: [] });
    const suspended = await suspendTenant(op, t.tenantId);
    const number = env.NUMBER.getByName(t.numberId);
    const info = numberInfo(t);
    // Another isolate's cached view (up to a minute old) still says active.
    const late = numberItem(t.phoneNumberId, "393330009999", "ci siete?");
    expect(await number.ingest(info, [late], { suspended: false })).toMatchObject({
      held: 1,
      messages: 0,
    });
    expect(await number.conversations()).toEqual([]);

    await reactivateTenant(op, t.tenantId, suspended);
    await eventually(async () => ((await number.conversations()).length === 1 ? true : null));
    // Active again: a delivery is routed (behind the release, should it still be under way).
    const next = numberItem(t.phoneNumberId, "393330008888", "eccomi");
    await number.ingest(info, [next], { suspended: false });
    await eventually(async () => ((await number.conversations()).length === 2 ? true : null));
  });

  it("a reactivation the number never heard of is noticed by its alarm, and kept messages are routed", async () => {
    const t = await seedTenant({ skillsets: { main: 5 }, agents: [] });
    await env.DB.prepare("UPDATE tenants SET status = 'suspended' WHERE id = ?")
      .bind(t.tenantId)
      .run();
    const number = env.NUMBER.getByName(t.numberId);
    const info = numberInfo(t);
    const item = (from: string, text: string) => numberItem(t.phoneNumberId, from, text);
    await number.tenantSuspended(); // as the platform's suspension tells it
    expect(
      await number.ingest(info, [item("393330001234", "uno")], { suspended: true }),
    ).toMatchObject({
      held: 1,
      messages: 0,
    });
    // Reactivated in D1 while the platform's call to this number was lost.
    await env.DB.prepare("UPDATE tenants SET status = 'active' WHERE id = ?")
      .bind(t.tenantId)
      .run();
    expect(await number.conversations()).toEqual([]);
    advanceClock(6 * 60 * 1000);
    try {
      expect(await runDurableObjectAlarm(number)).toBe(true);
    } finally {
      resetClock();
    }
    expect(await number.conversations()).toHaveLength(1);
    // What it was told of the suspension is forgotten with it.
    expect(
      await number.ingest(info, [item("393330004321", "tre")], { suspended: false }),
    ).toMatchObject({ held: 0, messages: 1 });

    // A Worker that still thinks the tenant suspended: the actor checks D1 and routes at once.
    await number.ingest(info, [item("393330005678", "due")], { suspended: true });
    expect(await number.conversations()).toHaveLength(3);
  });
});
