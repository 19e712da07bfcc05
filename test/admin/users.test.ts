/**
 * Users through the real Worker: invitations mailed to a real SMTP server on
 * loopback, the set-password link, validation, versions, tenancy, the Excel
 * download, and propagation to the actors (limits, memberships, deactivation)
 * driven through the real webhook, number, agent and conversation actors.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../src/platform/crypto";
import type { UserTokenView, UserView } from "../../src/shared/admin";
import type { MeView } from "../../src/shared/protocol";
import { offersOf } from "../kit/conversation";
import { readXlsxRows } from "../kit/files";
import { emailAddress, phone, uid } from "../kit/ids";
import { acceptMailTo, mailsTo, refuseMailTo } from "../kit/mail";
import { customerWrites } from "../kit/meta";
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
  type Session,
} from "../kit/session";
import type { SinkMessage } from "../kit/smtp-sink";
import { seedTenant } from "../kit/tenant";
import { eventually } from "../kit/wait";

/** Waits for the `n`th mail to `to` and returns the token of its set-password link. */
async function invitationToken(to: string, n = 1): Promise<{ token: string; mail: SinkMessage }> {
  const mail = await eventually(async () => (await mailsTo(to))[n - 1]);
  const link = mail.links.find((l) => l.startsWith("https://parley.test/welcome?token="));
  expect(link, mail.text).toBeTruthy();
  return { token: new URL(link!).searchParams.get("token")!, mail };
}

async function invite(admin: Session, body: Record<string, unknown>): Promise<UserView> {
  return callJson<UserView>(admin, "POST", "/api/admin/users", { role: "agent", ...body }, 201);
}

async function skillsetOf(tenantId: string): Promise<string> {
  const numberId = crypto.randomUUID();
  const skillsetId = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name) VALUES (?, ?, ?, '+1', 'Line')",
    ).bind(numberId, tenantId, String(Math.floor(Math.random() * 1e15))),
    env.DB.prepare(
      "INSERT INTO skillsets (id, tenant_id, number_id, name, priority) VALUES (?, ?, ?, 'Sales', 5)",
    ).bind(skillsetId, tenantId, numberId),
  ]);
  return skillsetId;
}

async function countUsers(address: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?")
    .bind(address)
    .first<number>("n"))!;
}

describe("invitations", () => {
  it("mails a single-use link that sets the password and signs in; reuse fails", async () => {
    const admin = await adminSession();
    const to = emailAddress("invitee");
    const user = await invite(admin, { email: to, name: "Carla Conti", language: "it" });
    expect(user).toMatchObject({ email: to, invitePending: true, active: true, language: "it" });

    const { token, mail } = await invitationToken(to);
    expect(mail.subject).toMatch(/^Invito a .+ su Parley$/);
    expect(mail.text).toContain("Ciao Carla Conti,");

    // Reading the link does not use it.
    for (let i = 0; i < 2; i++) {
      const res = await anonymous("GET", `/auth/token/${token}`);
      expect(res.status).toBe(200);
      expect((await res.json()) as UserTokenView).toEqual({
        email: to,
        name: "Carla Conti",
        purpose: "invite",
        language: "it",
      });
    }
    // Before the password is set, nobody can sign in as the invitee.
    expect(
      (await anonymous("POST", "/auth/login", { email: to, password: "anything-at-all" })).status,
    ).toBe(401);

    const tooShort = await anonymous("POST", "/auth/password", { token, password: "short" });
    expect(tooShort.status).toBe(400);
    expect(await badFields(tooShort)).toEqual(["password"]);

    const set = await anonymous("POST", "/auth/password", { token, password: "a new password 1" });
    expect(set.status).toBe(200);
    expect(((await set.json()) as MeView).email).toBe(to);
    const cookie = set.headers.get("Set-Cookie")!.split(";")[0]!;
    expect((await call(cookie, "GET", "/api/me")).status).toBe(200);
    expect(await login(to, "a new password 1")).toMatch(/^parley_session=/);

    const reused = await anonymous("POST", "/auth/password", {
      token,
      password: "another password",
    });
    expect(reused.status).toBe(410);
    expect((await anonymous("GET", `/auth/token/${token}`)).status).toBe(410);
    // The first password still holds.
    expect(await login(to, "a new password 1")).toBeTruthy();

    const after = await callJson<UserView>(
      admin,
      "GET",
      `/api/admin/users/${user.id}`,
      undefined,
      200,
    );
    expect(after.invitePending).toBe(false);
    expect(after.version).toBe(user.version + 1);
    // Resending is only for pending invitations.
    expect((await call(admin, "POST", `/api/admin/users/${user.id}/invite`)).status).toBe(409);
  });

  it("refuses expired and unknown links", async () => {
    const admin = await adminSession();
    const to = emailAddress("invitee");
    const user = await invite(admin, { email: to, name: "Late Larry" });
    const { token } = await invitationToken(to);
    await env.DB.prepare("UPDATE user_tokens SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    expect((await anonymous("GET", `/auth/token/${token}`)).status).toBe(410);
    const set = await anonymous("POST", "/auth/password", { token, password: "a new password 1" });
    expect(set.status).toBe(410);
    expect(((await set.json()) as ErrorBody).error.code).toBe("link_expired");
    const stored = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<string | null>("password_hash");
    expect(stored).toBeNull();
    const unknown = "x".repeat(43);
    expect((await anonymous("GET", `/auth/token/${unknown}`)).status).toBe(404);
    expect(
      (await anonymous("POST", "/auth/password", { token: unknown, password: "a new password 1" }))
        .status,
    ).toBe(404);
  });

  it("resending mails a new link and the old one stops working", async () => {
    const admin = await adminSession();
    const to = emailAddress("invitee");
    const user = await invite(admin, { email: to, name: "Resend Rita" });
    const first = await invitationToken(to, 1);
    await callJson(admin, "POST", `/api/admin/users/${user.id}/invite`, undefined, 200);
    const second = await invitationToken(to, 2);
    expect(second.token).not.toBe(first.token);
    expect(second.mail.subject).toMatch(/^You are invited to .+ on Parley$/);
    expect((await anonymous("GET", `/auth/token/${first.token}`)).status).toBe(410);
    const set = await anonymous("POST", "/auth/password", {
      token: second.token,
      password: "a new password 1",
    });
    expect(set.status).toBe(200);
  });

  it("keeps the user when the mail server refuses the invitation (502), and resend works later", async () => {
    const admin = await adminSession();
    const to = emailAddress("invitee");
    await refuseMailTo(to);
    const res = await call(admin, "POST", "/api/admin/users", {
      email: to,
      name: "Bounce Bob",
      role: "agent",
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/could not be sent/);
    const page = await callJson<{ items: UserView[] }>(
      admin,
      "GET",
      `/api/admin/users?q=${encodeURIComponent(to)}`,
      undefined,
      200,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ email: to, invitePending: true });

    await acceptMailTo(to);
    await callJson(admin, "POST", `/api/admin/users/${page.items[0]!.id}/invite`, undefined, 200);
    const { token } = await invitationToken(to);
    expect((await anonymous("GET", `/auth/token/${token}`)).status).toBe(200);
  });
});

describe("users API", () => {
  it("documents every route of users, links and tenants in the OpenAPI document", async () => {
    const doc = (await (await anonymous("GET", "/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        "get /api/admin/users",
        "get /api/admin/users/export.xlsx",
        "get /api/admin/users/{id}",
        "post /api/admin/users",
        "patch /api/admin/users/{id}",
        "post /api/admin/users/{id}/invite",
        "get /auth/token/{token}",
        "post /auth/password",
        "get /api/platform/tenants",
        "get /api/platform/tenants/export.xlsx",
        "get /api/platform/tenants/{id}",
        "post /api/platform/tenants",
        "patch /api/platform/tenants/{id}",
        "post /api/platform/tenants/{id}/invite",
      ]),
    );
  });

  it("rejects bad input naming each field and stores nothing", async () => {
    const admin = await adminSession();
    const skillsetId = await skillsetOf(admin.tenantId);
    const to = emailAddress("invitee");
    const res = await call(admin, "POST", "/api/admin/users", {
      email: "not-an-email",
      name: "",
      role: "boss",
      maxConversations: 0,
      memberships: [{ skillsetId, agentPriority: 10 }],
    });
    expect(res.status).toBe(400);
    expect((await badFields(res)).sort()).toEqual(
      ["email", "maxConversations", "memberships.0.agentPriority", "name", "role"].sort(),
    );
    // A valid body with an unknown skillset stores nothing either.
    const unknown = await call(admin, "POST", "/api/admin/users", {
      email: to,
      name: "N",
      role: "agent",
      memberships: [
        { skillsetId, agentPriority: 5 },
        { skillsetId: "nope", agentPriority: 5 },
        { skillsetId, agentPriority: 3 },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(await badFields(unknown)).toEqual([
      "memberships.1.skillsetId",
      "memberships.2.skillsetId",
    ]);
    expect(await countUsers(to)).toBe(0);
    expect(await mailsTo(to)).toEqual([]);

    const user = await invite(admin, { email: to, name: "Valid Val" });
    const patch = await call(admin, "PATCH", `/api/admin/users/${user.id}`, {
      version: user.version,
      name: "Changed",
      maxConversations: 51,
    });
    expect(patch.status).toBe(400);
    expect(await badFields(patch)).toEqual(["maxConversations"]);
    const unchanged = await callJson<UserView>(
      admin,
      "GET",
      `/api/admin/users/${user.id}`,
      undefined,
      200,
    );
    expect(unchanged).toMatchObject({ name: "Valid Val", version: user.version });

    const dup = await call(admin, "POST", "/api/admin/users", {
      email: to.toUpperCase(),
      name: "Again",
      role: "agent",
    });
    expect(dup.status).toBe(409);
    expect(await badFields(dup)).toEqual(["email"]);
  });

  it("updates with the version read; a stale version gets 409 and changes nothing", async () => {
    const admin = await adminSession();
    const s1 = await skillsetOf(admin.tenantId);
    const s2 = await skillsetOf(admin.tenantId);
    const user = await invite(admin, {
      email: emailAddress("invitee"),
      name: "Versioned Vic",
      memberships: [{ skillsetId: s1, agentPriority: 7 }],
    });
    expect(user.memberships).toMatchObject([
      { skillsetId: s1, agentPriority: 7, skillsetName: "Sales" },
    ]);
    const saved = await callJson<UserView>(
      admin,
      "PATCH",
      `/api/admin/users/${user.id}`,
      {
        version: user.version,
        maxConversations: 9,
        isolated: true,
        role: "admin",
        memberships: [{ skillsetId: s2, agentPriority: 2 }],
      },
      200,
    );
    expect(saved).toMatchObject({
      version: user.version + 1,
      maxConversations: 9,
      isolated: true,
      role: "admin",
      memberships: [{ skillsetId: s2, agentPriority: 2 }],
    });
    const stale = await call(admin, "PATCH", `/api/admin/users/${user.id}`, {
      version: user.version,
      name: "Overwriter",
      memberships: [],
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");
    const now = await callJson<UserView>(
      admin,
      "GET",
      `/api/admin/users/${user.id}`,
      undefined,
      200,
    );
    expect(now).toEqual(saved);
  });

  it("refuses agents (403) and anonymous callers (401)", async () => {
    const admin = await adminSession();
    const agent = await agentSession(admin.tenantId);
    expect((await call(agent, "GET", "/api/admin/users")).status).toBe(403);
    expect(
      (
        await call(agent, "POST", "/api/admin/users", {
          email: emailAddress("invitee"),
          name: "X",
          role: "admin",
        })
      ).status,
    ).toBe(403);
    expect((await anonymous("GET", "/api/admin/users")).status).toBe(401);
  });

  it("never reads, changes or links another tenant's users and skillsets", async () => {
    const a = await adminSession();
    const b = await adminSession();
    const aSkillset = await skillsetOf(a.tenantId);
    const aUser = await invite(a, { email: emailAddress("invitee"), name: "Tenant A user" });
    const bUser = await invite(b, { email: emailAddress("invitee"), name: "Tenant B user" });
    expect((await call(b, "GET", `/api/admin/users/${aUser.id}`)).status).toBe(404);
    expect(
      (await call(b, "PATCH", `/api/admin/users/${aUser.id}`, { version: 1, name: "Stolen" }))
        .status,
    ).toBe(404);
    expect((await call(b, "POST", `/api/admin/users/${aUser.id}/invite`)).status).toBe(404);
    const link = await call(b, "PATCH", `/api/admin/users/${bUser.id}`, {
      version: bUser.version,
      memberships: [{ skillsetId: aSkillset, agentPriority: 5 }],
    });
    expect(link.status).toBe(400);
    expect(await badFields(link)).toEqual(["memberships.0.skillsetId"]);
    const list = await callJson<{ items: UserView[] }>(
      b,
      "GET",
      "/api/admin/users",
      undefined,
      200,
    );
    expect(list.items.map((u) => u.id)).not.toContain(aUser.id);
    const untouched = await callJson<UserView>(
      a,
      "GET",
      `/api/admin/users/${aUser.id}`,
      undefined,
      200,
    );
    expect(untouched).toEqual(aUser);
  });

  it("an admin can neither deactivate nor demote themself", async () => {
    const admin = await adminSession();
    const me = await callJson<UserView>(
      admin,
      "GET",
      `/api/admin/users/${admin.userId}`,
      undefined,
      200,
    );
    const off = await call(admin, "PATCH", `/api/admin/users/${admin.userId}`, {
      version: me.version,
      active: false,
    });
    expect(off.status).toBe(400);
    expect(await badFields(off)).toEqual(["active"]);
    const demote = await call(admin, "PATCH", `/api/admin/users/${admin.userId}`, {
      version: me.version,
      role: "agent",
    });
    expect(demote.status).toBe(400);
    expect(await badFields(demote)).toEqual(["role"]);
    expect((await call(admin, "GET", "/api/admin/users")).status).toBe(200);
  });

  it("lists with search, sort and paging, and downloads exactly the filtered rows as .xlsx", async () => {
    const admin = await adminSession();
    const tag = uid("zeta").replace(/-/g, "");
    const names = [`Bea ${tag}`, `Alan ${tag}`, `=HYPERLINK("x") ${tag}`];
    for (const name of names) await invite(admin, { email: emailAddress("invitee"), name });
    await invite(admin, { email: emailAddress("invitee"), name: "Other Person" });

    const page = await callJson<{ items: UserView[]; total: number; pageSize: number }>(
      admin,
      "GET",
      `/api/admin/users?q=${tag}&sort=name&dir=desc&pageSize=10`,
      undefined,
      200,
    );
    expect(page.total).toBe(3);
    expect(page.items.map((u) => u.name)).toEqual([names[0], names[1], names[2]]);
    const bad = await call(admin, "GET", "/api/admin/users?sort=password_hash");
    expect(bad.status).toBe(400);
    expect(await badFields(bad)).toEqual(["sort"]);
    expect(await badFields(await call(admin, "GET", "/api/admin/users?pageSize=5"))).toEqual([
      "pageSize",
    ]);

    const res = await call(admin, "GET", `/api/admin/users/export.xlsx?q=${tag}&sort=name`);
    expect(res.status).toBe(200);
    const bytes = await res.arrayBuffer();
    expect(new TextDecoder().decode(bytes.slice(0, 2))).toBe("PK");
    const rows = await readXlsxRows(bytes);
    expect(rows[0]!.slice(0, 3)).toEqual(["Name", "E-mail", "Role"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([`'=HYPERLINK("x") ${tag}`, names[1], names[0]]);
    expect(rows.flat()).not.toContain("Other Person");
  });
});

// ---- propagation to the actors ---------------------------------------------------------

async function waitForOffers(agentId: string, tenantId: string, n = 1) {
  return eventually(async () => {
    const offers = await offersOf(agentId, tenantId);
    return offers.length >= n ? offers : null;
  });
}

/** A seeded tenant whose agents can sign in, plus a signed-in admin. */
async function routedTenant(agents: Parameters<typeof seedTenant>[0]["agents"]) {
  const t = await seedTenant({ skillsets: { main: 5, other: 5 }, agents });
  const hash = await hashPassword(PASSWORD);
  await env.DB.prepare(`UPDATE users SET password_hash = ? WHERE tenant_id = ?`)
    .bind(hash, t.tenantId)
    .run();
  const admin = await adminSession(t.tenantId);
  return { ...t, admin };
}

async function userView(admin: Session, id: string): Promise<UserView> {
  return callJson<UserView>(admin, "GET", `/api/admin/users/${id}`, undefined, 200);
}

describe("propagation to routing", () => {
  it("a higher maxConversations lets the waiting conversation through at once", async () => {
    const t = await routedTenant([{ id: "solo", name: "Solo", max: 1, skills: { main: 5 } }]);
    const [solo] = t.agents as [string];
    const agent = env.AGENT.getByName(solo);
    await agent.setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "first");
    const [first] = await waitForOffers(solo, t.tenantId);
    expect((await agent.accept(t.tenantId, first!.conversationId)).ok).toBe(true);
    await customerWrites(t.phoneNumberId, phone(), "second");
    await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q.some((c) => c.state === "queued");
    });
    // Still full: nothing is offered.
    await new Promise((r) => setTimeout(r, 100));
    expect(await offersOf(solo, t.tenantId)).toEqual([]);

    const view = await userView(t.admin, solo);
    await callJson(
      t.admin,
      "PATCH",
      `/api/admin/users/${solo}`,
      {
        version: view.version,
        maxConversations: 2,
      },
      200,
    );
    const [second] = await waitForOffers(solo, t.tenantId);
    expect(second!.conversationId).not.toBe(first!.conversationId);
    expect((await agent.snapshot(t.tenantId))!.agent.maxConversations).toBe(2);
  });

  it("a new membership makes a Ready agent receive the number's waiting conversation", async () => {
    const t = await routedTenant([{ id: "newbie", name: "Newbie", skills: {} }]);
    const [newbie] = t.agents as [string];
    await env.AGENT.getByName(newbie).setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "hello?");
    await eventually(async () => {
      const q = await env.NUMBER.getByName(t.numberId).conversations();
      return q[0]?.state === "queued";
    });
    const view = await userView(t.admin, newbie);
    const saved = await callJson<UserView>(
      t.admin,
      "PATCH",
      `/api/admin/users/${newbie}`,
      { version: view.version, memberships: [{ skillsetId: t.skillsets.main!, agentPriority: 4 }] },
      200,
    );
    expect(saved.memberships).toMatchObject([{ skillsetName: "main", numberName: "Support" }]);
    const [offer] = await waitForOffers(newbie, t.tenantId);
    expect(offer!.skillsetName).toBe("main");
  });

  it("deactivation ends the sessions at once and hands offers and conversations to another Ready agent", async () => {
    const t = await routedTenant([
      { id: "anna", name: "Anna", skills: { main: 9 } },
      { id: "bruno", name: "Bruno", skills: { main: 1 } },
    ]);
    const [anna, bruno] = t.agents as [string, string];
    const annaEmail = `${anna}@example.test`;
    const annaCookie = await login(annaEmail);
    await env.AGENT.getByName(anna).setStatus(t.tenantId, "ready");
    await env.AGENT.getByName(bruno).setStatus(t.tenantId, "ready");

    // Anna takes one conversation and has a second one offered.
    await customerWrites(t.phoneNumberId, phone(), "first");
    const [first] = await waitForOffers(anna, t.tenantId);
    expect((await env.AGENT.getByName(anna).accept(t.tenantId, first!.conversationId)).ok).toBe(
      true,
    );
    await customerWrites(t.phoneNumberId, phone(), "second");
    const offered = await waitForOffers(anna, t.tenantId);
    const second = offered.find((o) => o.conversationId !== first!.conversationId)!;
    expect(second).toBeTruthy();
    expect(await offersOf(bruno, t.tenantId)).toEqual([]);

    // Her desktop is connected.
    const ws = await exports.default.fetch(`${BASE}/api/ws`, {
      headers: { Upgrade: "websocket", Cookie: annaCookie },
    });
    expect(ws.status).toBe(101);
    const socket = ws.webSocket!;
    const closed = new Promise<number>((resolve) =>
      socket.addEventListener("close", (e) => resolve(e.code)),
    );
    socket.accept();

    const view = await userView(t.admin, anna);
    const saved = await callJson<UserView>(
      t.admin,
      "PATCH",
      `/api/admin/users/${anna}`,
      { version: view.version, active: false },
      200,
    );
    expect(saved.active).toBe(false);

    expect((await call(annaCookie, "GET", "/api/me")).status).toBe(401);
    const sessions = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?")
      .bind(anna)
      .first<number>("n");
    expect(sessions).toBe(0);
    expect(await closed).toBe(4001);
    const signIn = await anonymous("POST", "/auth/login", { email: annaEmail, password: PASSWORD });
    expect(signIn.status).toBe(403);

    // Both conversations go to Bruno; the assigned one no longer belongs to Anna.
    const toBruno = await waitForOffers(bruno, t.tenantId, 2);
    expect(toBruno.map((o) => o.conversationId).sort()).toEqual(
      [first!.conversationId, second.conversationId].sort(),
    );
    const conversation = await env.CONVERSATION.getByName(first!.conversationId).read(t.tenantId);
    expect(conversation!.conversation).toMatchObject({ state: "queued", agentId: null });
    expect(await env.AGENT.getByName(anna).owns(first!.conversationId)).toBe(false);
    const accepted = await env.AGENT.getByName(bruno).accept(t.tenantId, first!.conversationId);
    expect(accepted).toMatchObject({
      ok: true,
      conversation: { agentId: bruno, state: "assigned" },
    });
    // Anna cannot act on it any more, even through the actor.
    const send = await env.CONVERSATION.getByName(first!.conversationId).sendText(
      t.tenantId,
      { id: anna, name: "Anna" },
      crypto.randomUUID(),
      "still here?",
    );
    expect(send).toEqual({ ok: false, code: "not_assigned" });

    // Reactivation restores sign-in; she comes back offline, not Ready.
    const again = await callJson<UserView>(
      t.admin,
      "PATCH",
      `/api/admin/users/${anna}`,
      { version: saved.version, active: true },
      200,
    );
    expect(again.active).toBe(true);
    expect(await login(annaEmail)).toBeTruthy();
    expect((await env.AGENT.getByName(anna).state(t.tenantId))!.status).toBe("offline");
  });
});
