/** The desktop's HTTP API and WebSocket through the real Worker. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/platform/config";
import { hashPassword } from "../src/platform/crypto";
import type { DesktopSnapshot } from "../src/shared/protocol";
import { phone } from "./kit/ids";
import { customerWrites, postWebhook } from "./kit/meta";
import { textWebhook } from "./kit/meta-payloads";
import { loginResponse, openSocket } from "./kit/session";
import { seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

const BASE = "https://parley.test";

async function tenantWithLogin() {
  const t = await seedTenant({
    skillsets: { s: 5 },
    agents: [{ id: "lia", name: "Lia", skills: { s: 5 } }],
  });
  const [lia] = t.agents as [string];
  await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
    .bind(await hashPassword("correct horse"), lia)
    .run();
  return { ...t, lia, email: `${lia}@example.test` };
}

/** Logs in (200 expected) and checks the session cookie's flags; returns the cookie pair. */
async function loginWithSafeCookie(email: string, password = "correct horse"): Promise<string> {
  const res = await loginResponse(email, password);
  expect(res.status).toBe(200);
  const cookie = res.headers.get("Set-Cookie")!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  return cookie.split(";")[0]!;
}

function api(cookie: string, path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    ...init,
    headers: { Cookie: cookie, "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
}

describe("auth", () => {
  it("logs in, reads /api/me, and logout kills the session server-side", async () => {
    const t = await tenantWithLogin();
    const cookie = await loginWithSafeCookie(t.email.toUpperCase());
    const me = await (await api(cookie, "/api/me")).json();
    expect(me).toMatchObject({ id: t.lia, role: "agent", language: "en" });
    const out = await api(cookie, "/auth/logout", { method: "POST" });
    expect(out.status).toBe(204);
    expect((await api(cookie, "/api/me")).status).toBe(401);
  });

  it("rejects a wrong password and an unknown e-mail alike", async () => {
    const t = await tenantWithLogin();
    for (const body of [
      { email: t.email, password: "wrong" },
      { email: "nobody@example.test", password: "wrong" },
    ]) {
      const res = await exports.default.fetch(`${BASE}/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "invalid_credentials", message: "Invalid e-mail or password" },
      });
    }
  });

  it("answers 400 naming the bad field, and 415 without a JSON content type", async () => {
    const bad = await exports.default.fetch(`${BASE}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "not-an-email", password: "x" }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(["email"]);
    const form = await exports.default.fetch(`${BASE}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a@b.c&password=x",
    });
    expect(form.status).toBe(415);
  });

  it("refuses the API without a session", async () => {
    expect((await exports.default.fetch(`${BASE}/api/desktop`)).status).toBe(401);
  });
});

describe("desktop API", () => {
  it("goes from offer to reply over HTTP, with live events on the WebSocket and replay after reconnect", async () => {
    const t = await tenantWithLogin();
    const cookie = await loginWithSafeCookie(t.email);
    const snapshot = (await (await api(cookie, "/api/desktop")).json()) as DesktopSnapshot;
    expect(snapshot.agent.status).toBe("back_office");

    const { ws, events } = await openSocket(cookie, snapshot.seq);
    const status = await api(cookie, "/api/me/status", {
      method: "POST",
      body: JSON.stringify({ status: "ready" }),
    });
    expect(await status.json()).toMatchObject({ status: "ready" });

    await customerWrites(t.phoneNumberId, phone(), "Buongiorno");
    const offerEvent = await eventually(async () => events.find((e) => e.type === "offer"));
    if (offerEvent.type !== "offer") throw new Error("unreachable");
    const conversationId = offerEvent.offer.conversationId;

    const accepted = await api(cookie, `/api/offers/${conversationId}/accept`, { method: "POST" });
    expect(accepted.status).toBe(200);
    const again = await api(cookie, `/api/offers/${crypto.randomUUID()}/accept`, {
      method: "POST",
    });
    expect(again.status).toBe(409);

    const detail = (await (await api(cookie, `/api/conversations/${conversationId}`)).json()) as {
      messages: { text: string }[];
    };
    expect(detail.messages.map((m) => m.text)).toEqual(["Buongiorno"]);

    const clientId = crypto.randomUUID();
    const sent = await api(cookie, `/api/conversations/${conversationId}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientId, text: "Come posso aiutarla?" }),
    });
    expect(sent.status).toBe(201);
    const tooLong = await api(cookie, `/api/conversations/${conversationId}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientId: crypto.randomUUID(), text: "x".repeat(4097) }),
    });
    expect(tooLong.status).toBe(400);

    // Events seen live; then a reconnecting desktop gets exactly what it missed.
    const seen = await eventually(async () => {
      const m = events.filter((e) => e.type === "message");
      return m.length >= 1 ? events : null;
    });
    const lastSeq = Math.max(...seen.flatMap((e) => ("seq" in e ? [e.seq] : [])));
    ws.close();
    const second = await openSocket(cookie, lastSeq - 1);
    const replayed = await eventually(async () => (second.events.length ? second.events : null));
    expect("seq" in replayed[0]! && replayed[0].seq).toBe(lastSeq);
    const stale = await openSocket(cookie, null);
    const snap = await eventually(async () => stale.events.find((e) => e.type === "snapshot"));
    if (snap.type !== "snapshot") throw new Error("unreachable");
    expect(snap.snapshot.conversations.map((c) => c.id)).toEqual([conversationId]);

    const closed = await api(cookie, `/api/conversations/${conversationId}/close`, {
      method: "POST",
      body: JSON.stringify({ reason: "Resolved" }),
    });
    expect(await closed.json()).toMatchObject({ state: "closed", closeReason: "Resolved" });
    second.ws.close();
    stale.ws.close();
  });

  it("refuses a free-form reply more than 24 hours after the customer's last message, before Meta", async () => {
    const t = await tenantWithLogin();
    const cookie = await loginWithSafeCookie(t.email);
    const snapshot = (await (await api(cookie, "/api/desktop")).json()) as DesktopSnapshot;
    const { ws, events } = await openSocket(cookie, snapshot.seq);
    await api(cookie, "/api/me/status", {
      method: "POST",
      body: JSON.stringify({ status: "ready" }),
    });
    const day = 24 * 60 * 60 * 1000;

    /** A customer whose only message Meta stamped `age` ms ago; the agent accepts and replies. */
    async function replyAfter(age: number): Promise<{ status: number; body: unknown; id: string }> {
      const from = phone();
      await postWebhook(
        textWebhook(t.phoneNumberId, [{ from, text: "Salve", timestamp: Date.now() - age }]),
      );
      const offer = await eventually(async () =>
        events.find((e) => e.type === "offer" && e.offer.customerPhone === `+${from}`),
      );
      if (offer.type !== "offer") throw new Error("unreachable");
      const id = offer.offer.conversationId;
      expect((await api(cookie, `/api/offers/${id}/accept`, { method: "POST" })).status).toBe(200);
      const res = await api(cookie, `/api/conversations/${id}/messages`, {
        method: "POST",
        body: JSON.stringify({ clientId: crypto.randomUUID(), text: "Eccomi" }),
      });
      return { status: res.status, body: await res.json(), id };
    }

    // Meta stamps messages to the second: 30 s inside the window is still inside.
    expect((await replyAfter(day - 30_000)).status).toBe(201);
    const late = await replyAfter(day + 1_000);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: "window_closed" } });
    // Nothing was queued for Meta: the conversation holds only the customer's message.
    const detail = (await (await api(cookie, `/api/conversations/${late.id}`)).json()) as {
      messages: { direction: string }[];
    };
    expect(detail.messages.map((m) => m.direction)).toEqual(["in"]);
    ws.close();
  });

  it("never shows another tenant's conversation, even by id", async () => {
    const a = await tenantWithLogin();
    const b = await tenantWithLogin();
    await env.AGENT.getByName(a.lia).setStatus(a.tenantId, "ready");
    await customerWrites(a.phoneNumberId, phone(), "private");
    const offer = await eventually(
      async () => (await env.AGENT.getByName(a.lia).snapshot(a.tenantId))!.offers[0],
    );
    await env.AGENT.getByName(a.lia).accept(a.tenantId, offer.conversationId);
    const intruder = await loginWithSafeCookie(b.email);
    for (const [method, path, body] of [
      ["GET", `/api/conversations/${offer.conversationId}`, undefined],
      ["GET", `/api/conversations/${offer.conversationId}/messages`, undefined],
      [
        "POST",
        `/api/conversations/${offer.conversationId}/messages`,
        { clientId: crypto.randomUUID(), text: "hi" },
      ],
      ["POST", `/api/conversations/${offer.conversationId}/close`, { reason: "x" }],
      ["POST", `/api/offers/${offer.conversationId}/accept`, undefined],
    ] as const) {
      const res = await api(intruder, path, {
        method,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect([404, 409]).toContain(res.status);
    }
  });

  it("rejects malformed WebSocket frames with an error event and keeps the socket", async () => {
    const t = await tenantWithLogin();
    const cookie = await loginWithSafeCookie(t.email);
    const { ws, events } = await openSocket(cookie, null);
    ws.send("not json");
    ws.send(JSON.stringify({ type: "resume", lastSeq: -4 }));
    ws.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => events.some((e) => e.type === "pong"));
    expect(events.filter((e) => e.type === "error")).toHaveLength(2);
    ws.close();
  });
});

describe("OpenAPI and configuration", () => {
  it("serves an OpenAPI 3.1 document generated from the zod schemas", async () => {
    const doc = (await (await exports.default.fetch(`${BASE}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: object } }> } }
        >
      >;
    };
    expect(doc.openapi).toBe("3.1.0");
    const send = doc.paths["/api/conversations/{id}/messages"]!.post!;
    expect(Object.keys(send.requestBody!.content["application/json"]!.schema.properties)).toEqual([
      "clientId",
      "text",
      "content",
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/auth/login", "/webhooks/whatsapp", "/api/desktop"]),
    );
  });

  it("refuses a production configuration with development secrets or the simulator as Graph API", () => {
    const prod = { ENVIRONMENT: "production", GRAPH_API_BASE: "https://graph.facebook.com/v23.0" };
    expect(parseConfig(prod).ok).toBe(false);
    expect(
      parseConfig({
        ...prod,
        META_APP_SECRET: "dev-app-secret",
        META_VERIFY_TOKEN: "dev-verify-token",
      }).ok,
    ).toBe(false);
    const real = {
      ...prod,
      META_APP_SECRET: "0123456789abcdef0123",
      META_VERIFY_TOKEN: "a-long-random-verify-token",
      DATA_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
    };
    expect(parseConfig(real).ok).toBe(true);
    const sim = parseConfig({ ...real, GRAPH_API_BASE: "http://127.0.0.1:8788/v23.0" });
    expect(sim).toEqual({ ok: false, problems: [expect.stringMatching(/GRAPH_API_BASE/)] });
  });
});
