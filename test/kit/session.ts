/**
 * Sessions against the Worker under test (workerd): tenants and users in D1 with a
 * known password, a real login, a small JSON client that carries the session
 * cookie (or none), and the desktop's WebSocket.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { hashPassword } from "../../src/platform/crypto";
import type { ApiError, ServerEvent } from "../../src/shared/protocol";
import { uid } from "./ids";
import { eventually } from "./wait";

export const BASE = "https://parley.test";
/** The password of every user these helpers create. */
export const PASSWORD = "correct horse battery";

// scrypt takes ~0.1 s: hash once per test file.
let hashed: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  hashed ??= hashPassword(PASSWORD);
  return hashed;
}

/** A signed-in user and the cookie that proves it. */
export interface Session {
  cookie: string;
  userId: string;
  tenantId: string;
  email: string;
}

/** Inserts an active tenant; returns its id. */
export async function createTenant(name = "Tenant"): Promise<string> {
  const id = uid("tenant");
  await env.DB.prepare("INSERT INTO tenants (id, name) VALUES (?, ?)").bind(id, name).run();
  return id;
}

/** Inserts a user with the known password; returns its id and e-mail. */
export async function createUser(
  tenantId: string,
  opts: { role?: "admin" | "agent" | "operator"; name?: string; maxConversations?: number } = {},
): Promise<{ id: string; email: string }> {
  const id = uid(opts.role ?? "agent");
  const email = `${id}@example.test`.toLowerCase();
  await env.DB.prepare(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, role, max_conversations)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      tenantId,
      email,
      opts.name ?? id,
      await passwordHash(),
      opts.role ?? "agent",
      opts.maxConversations ?? 3,
    )
    .run();
  return { id, email };
}

/** POSTs credentials to the real /auth/login; the answer, not checked. */
export function loginResponse(email: string, password = PASSWORD): Promise<Response> {
  return exports.default.fetch(`${BASE}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
}

/** Logs in through the real /auth/login; returns the `name=value` cookie pair. */
export async function login(email: string, password = PASSWORD): Promise<string> {
  const res = await loginResponse(email, password);
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}`);
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

/**
 * Gives a user seeded without a password (see seedTenant: `<id>@example.test`)
 * the known password and logs them in; returns the cookie pair.
 */
export async function loginAs(userId: string): Promise<string> {
  await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
    .bind(await passwordHash(), userId)
    .run();
  return login(`${userId}@example.test`);
}

/** Creates a user of `tenantId` (a new tenant when omitted) and signs them in. */
export async function signIn(
  role: "admin" | "agent" | "operator",
  tenantId?: string,
  opts: { name?: string; maxConversations?: number } = {},
): Promise<Session> {
  const tenant = tenantId ?? (await createTenant());
  const user = await createUser(tenant, { role, ...opts });
  return { cookie: await login(user.email), userId: user.id, tenantId: tenant, email: user.email };
}

/** An administrator of a new tenant (or of `tenantId`). */
export function adminSession(tenantId?: string): Promise<Session> {
  return signIn("admin", tenantId);
}

/** An agent of `tenantId`. */
export function agentSession(tenantId: string): Promise<Session> {
  return signIn("agent", tenantId);
}

/** Calls the Worker with the session cookie (and `headers`); `body` is sent as JSON. */
export function call(
  session: Session | string,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const cookie = typeof session === "string" ? session : session.cookie;
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      Cookie: cookie,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Calls the Worker without a session; `body` is sent as JSON. */
export function anonymous(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** An API error body: the one schema the Worker answers with (src/shared/protocol.ts). */
export type ErrorBody = ApiError;

/** Calls and parses the JSON answer, failing loudly when the status is not `expected`. */
export async function callJson<T = unknown>(
  session: Session | string,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body: unknown,
  expected: number,
): Promise<T> {
  const res = await call(session, method, path, body);
  const text = await res.text();
  if (res.status !== expected) {
    throw new Error(`${method} ${path} answered ${res.status}, expected ${expected}: ${text}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}

/** The field paths named by a 400 answer. */
export async function badFields(res: Response): Promise<string[]> {
  const body = (await res.json()) as ErrorBody;
  return (body.error.fields ?? []).map((f) => f.path);
}

/**
 * Opens the desktop WebSocket (101 expected) and collects its events and, once
 * it closes, its close code. With `lastSeq` (null: from the start) it sends
 * `resume`, as the desktop does.
 */
export async function openSocket(
  session: Session | string,
  lastSeq?: number | null,
  language?: "en" | "it",
) {
  const cookie = typeof session === "string" ? session : session.cookie;
  const res = await exports.default.fetch(`${BASE}/api/ws${language ? `?lang=${language}` : ""}`, {
    headers: { Upgrade: "websocket", Cookie: cookie },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const events: ServerEvent[] = [];
  const closed: { code: number | null } = { code: null };
  ws.addEventListener("message", (e) => {
    events.push(JSON.parse(e.data as string) as ServerEvent);
  });
  ws.addEventListener("close", (e) => {
    closed.code = e.code;
  });
  ws.accept();
  if (lastSeq !== undefined) ws.send(JSON.stringify({ type: "resume", lastSeq }));
  return { ws, events, closed };
}

/**
 * Sends a desk action (`send`, `accept`, `read`) on a socket of `openSocket`
 * with a fresh ref, and waits for its `result` frame.
 */
export async function socketAction(
  socket: Awaited<ReturnType<typeof openSocket>>,
  frame: Record<string, unknown>,
): Promise<Extract<ServerEvent, { type: "result" }>> {
  const ref = crypto.randomUUID().slice(0, 8);
  socket.ws.send(JSON.stringify({ ...frame, ref }));
  return eventually(async () =>
    socket.events.find(
      (e): e is Extract<ServerEvent, { type: "result" }> => e.type === "result" && e.ref === ref,
    ),
  );
}

/**
 * The stack's meter (src/platform/meter.ts) through the drills' hooks: its
 * counts (`GET /_drill/meter`), or reset to zero with `reset`.
 */
export async function meterCounts(reset = false): Promise<Record<string, number>> {
  const res = await exports.default.fetch(`${BASE}/_drill/meter${reset ? "/reset" : ""}`, {
    method: reset ? "POST" : "GET",
  });
  return (await res.json<{ counts: Record<string, number> }>()).counts;
}
