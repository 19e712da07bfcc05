/**
 * The signed-in user's account through the real Worker and D1: profile (name,
 * language), password change (wrong current → 403, other sessions end, this
 * one stays), and the password reset by e-mail through the real SMTP sink —
 * the link in the mail sets a new password and signs in; an unknown address
 * gets the same 202 and no mail; at most one mail a minute.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountView, DesktopSnapshot, MeView } from "../src/shared/protocol";
import { mailsTo } from "./kit/mail";
import {
  BASE,
  badFields,
  call,
  callJson,
  createTenant,
  createUser,
  type ErrorBody,
  login,
  loginResponse,
  PASSWORD,
  signIn,
} from "./kit/session";
import { eventually } from "./kit/wait";

function requestReset(email: string): Promise<Response> {
  return exports.default.fetch(`${BASE}/auth/password-reset`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
}

function loginStatus(email: string, password: string): Promise<number> {
  return loginResponse(email, password).then((r) => r.status);
}

describe("profile", () => {
  it("reads and changes my name and language; the e-mail stays; the desk shows the new name", async () => {
    const agent = await signIn("agent", undefined, { name: "Lia" });
    const mine = await callJson<AccountView>(agent, "GET", "/api/account", undefined, 200);
    expect(mine).toMatchObject({
      id: agent.userId,
      email: agent.email,
      name: "Lia",
      role: "agent",
    });
    // The desk knows the agent by its old name first.
    const before = await callJson<DesktopSnapshot>(agent, "GET", "/api/desktop", undefined, 200);
    expect(before.agent.name).toBe("Lia");

    const changed = await callJson<AccountView>(
      agent,
      "PATCH",
      "/api/account",
      { name: "  Lia Bianchi ", language: "it" },
      200,
    );
    expect(changed).toMatchObject({ name: "Lia Bianchi", language: "it", email: agent.email });
    const me = await callJson<MeView>(agent, "GET", "/api/me", undefined, 200);
    expect(me).toMatchObject({ name: "Lia Bianchi", language: "it" });
    const after = await callJson<DesktopSnapshot>(agent, "GET", "/api/desktop", undefined, 200);
    expect(after.agent.name).toBe("Lia Bianchi");

    // Only the language: the name stays.
    const english = await callJson<AccountView>(
      agent,
      "PATCH",
      "/api/account",
      { language: "en" },
      200,
    );
    expect(english).toMatchObject({ name: "Lia Bianchi", language: "en" });
  });

  it("refuses a blank name, an unknown language, an empty body and no session, changing nothing", async () => {
    const agent = await signIn("agent", undefined, { name: "Teo" });
    const blank = await call(agent, "PATCH", "/api/account", { name: "   " });
    expect(blank.status).toBe(400);
    expect(await badFields(blank)).toEqual(["name"]);
    const language = await call(agent, "PATCH", "/api/account", { language: "fr" });
    expect(language.status).toBe(400);
    expect(await badFields(language)).toEqual(["language"]);
    expect((await call(agent, "PATCH", "/api/account", {})).status).toBe(400);
    expect((await call("parley_session=nope", "GET", "/api/account")).status).toBe(401);
    const me = await callJson<AccountView>(agent, "GET", "/api/account", undefined, 200);
    expect(me).toMatchObject({ name: "Teo", language: "en" });
  });
});

describe("change password", () => {
  it("checks the current password, ends my other sessions and keeps this one", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant, { role: "admin" });
    const here = await login(user.email);
    const elsewhere = await login(user.email);

    const wrong = await call(here, "POST", "/api/account/password", {
      currentPassword: "not it at all",
      newPassword: "a brand new secret",
    });
    expect(wrong.status).toBe(403);
    expect(await badFields(wrong)).toEqual(["currentPassword"]);
    const short = await call(here, "POST", "/api/account/password", {
      currentPassword: PASSWORD,
      newPassword: "short",
    });
    expect(short.status).toBe(400);
    expect(await badFields(short)).toEqual(["newPassword"]);
    // Nothing changed by the refusals.
    expect((await call(elsewhere, "GET", "/api/account")).status).toBe(200);
    expect(await loginStatus(user.email, PASSWORD)).toBe(200);

    const changed = await call(here, "POST", "/api/account/password", {
      currentPassword: PASSWORD,
      newPassword: "a brand new secret",
    });
    expect(changed.status).toBe(204);
    expect((await call(here, "GET", "/api/account")).status).toBe(200);
    expect((await call(elsewhere, "GET", "/api/account")).status).toBe(401);
    expect(await loginStatus(user.email, PASSWORD)).toBe(401);
    expect(await loginStatus(user.email, "a brand new secret")).toBe(200);
  });

  it("is not for the platform operator, whose password is configured", async () => {
    const res = await exports.default.fetch(`${BASE}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "operator@parley.test", password: "operator-test-password" }),
    });
    const cookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
    const refused = await call(cookie, "POST", "/api/account/password", {
      currentPassword: "operator-test-password",
      newPassword: "something else entirely",
    });
    expect(refused.status).toBe(403);
  });
});

describe("reset by e-mail", () => {
  it("mails a link in the user's language that sets a new password and signs in, once", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant, { role: "agent", name: "Gianna" });
    await env.DB.prepare("UPDATE users SET language = 'it' WHERE id = ?").bind(user.id).run();
    const old = await login(user.email);

    const res = await requestReset(user.email.toUpperCase());
    expect(res.status).toBe(202);
    const [mail] = await eventually(async () => {
      const got = await mailsTo(user.email);
      return got.length > 0 ? got : null;
    });
    expect(mail!.subject).toBe("Reimposta la tua password di Parley");
    expect(mail!.text).toContain("Ciao Gianna");
    const link = mail!.links.find((l) => l.startsWith("https://parley.test/welcome?token="));
    expect(link).toBeDefined();
    const token = new URL(link!).searchParams.get("token")!;

    // The welcome page reads what the link is for without using it.
    const info = await exports.default.fetch(`${BASE}/auth/token/${token}`);
    expect(await info.json()).toMatchObject({ purpose: "reset", email: user.email });

    const set = await exports.default.fetch(`${BASE}/auth/password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, password: "my new password" }),
    });
    expect(set.status).toBe(200);
    expect(((await set.json()) as MeView).id).toBe(user.id);
    const cookie = set.headers.get("Set-Cookie")!.split(";")[0]!;
    expect((await call(cookie, "GET", "/api/account")).status).toBe(200);
    // The old session ended; the old password no longer works; the link is used up.
    expect((await call(old, "GET", "/api/account")).status).toBe(401);
    expect(await loginStatus(user.email, PASSWORD)).toBe(401);
    expect(await loginStatus(user.email, "my new password")).toBe(200);
    const again = await exports.default.fetch(`${BASE}/auth/password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, password: "yet another one" }),
    });
    expect(again.status).toBe(410);
  });

  it("answers an unknown, deactivated or operator address exactly the same, and mails nothing", async () => {
    const tenant = await createTenant();
    const gone = await createUser(tenant, { role: "agent" });
    await env.DB.prepare("UPDATE users SET active = 0 WHERE id = ?").bind(gone.id).run();
    const known = await createUser(tenant, { role: "agent" });
    const unknown = `nobody-${crypto.randomUUID()}@example.test`;

    const answers = await Promise.all(
      [unknown, gone.email, "operator@parley.test", known.email].map(async (email) => {
        const res = await requestReset(email);
        return { status: res.status, body: await res.text() };
      }),
    );
    // Identical answers: nothing tells which address has an account.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe(202);
    // The known one is mailed (so the others had every chance to be).
    await eventually(async () => (await mailsTo(known.email)).length === 1);
    expect(await mailsTo(unknown)).toEqual([]);
    expect(await mailsTo(gone.email)).toEqual([]);
    expect(await mailsTo("operator@parley.test")).toEqual([]);
  });

  it("mails at most once a minute per account, and refuses a body that is not an e-mail", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant, { role: "admin" });
    expect((await requestReset(user.email)).status).toBe(202);
    await eventually(async () => (await mailsTo(user.email)).length === 1);
    expect((await requestReset(user.email)).status).toBe(202);
    // Give a second mail every chance to arrive: none does.
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(user.email)).toHaveLength(1);
    const tokens = await env.DB.prepare(
      "SELECT count(*) AS n FROM user_tokens WHERE user_id = ? AND purpose = 'reset'",
    )
      .bind(user.id)
      .first<{ n: number }>();
    expect(tokens?.n).toBe(1);

    const bad = await requestReset("not an address");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fields?.map((f) => f.path)).toEqual(["email"]);
  });
});
