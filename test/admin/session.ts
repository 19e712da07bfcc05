/**
 * Sessions for admin API tests: tenants and users in D1 with a known password,
 * a real login through the Worker, and a small JSON client that carries the
 * session cookie. Shared by every admin test file.
 */
import { env, exports } from "cloudflare:workers";
import { hashPassword } from "../../src/platform/crypto";
import type { NumberView, SkillsetView } from "../../src/shared/admin";
import type { ApiError } from "../../src/shared/protocol";
import { SIM_URL, uid } from "../helpers";

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

/** Logs in through the real /auth/login; returns the `name=value` cookie pair. */
export async function login(email: string, password = PASSWORD): Promise<string> {
  const res = await exports.default.fetch(`${BASE}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}`);
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
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

/** Calls the Worker with the session cookie; `body` is sent as JSON. */
export function call(
  session: Session | string,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
): Promise<Response> {
  const cookie = typeof session === "string" ? session : session.cookie;
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      Cookie: cookie,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
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

// ---- seeds through the API ------------------------------------------------------

/** A phone_number_id no other test uses (Meta's ids are unique across Parley). */
export function freshPhoneNumberId(): string {
  return String(100_000_000_000_000 + Math.floor(Math.random() * 899_999_999_999_999));
}

/** A WhatsApp Business Account in the simulator, its numbers and a token granted on it. */
export interface SimAccount {
  wabaId: string;
  token: string;
}

/**
 * Registers in the Meta simulator a WABA (fresh unless given) holding
 * `phoneNumberIds`, and grants `token` (fresh unless given) on it, so Graph
 * proves those numbers with that token.
 */
export async function simAccount(
  opts: { wabaId?: string; phoneNumberIds?: string[]; token?: string } = {},
): Promise<SimAccount> {
  const res = await fetch(`${SIM_URL}/_sim/accounts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      ...(opts.wabaId ? { wabaId: opts.wabaId } : {}),
      ...(opts.token ? { token: opts.token } : {}),
      phoneNumbers: (opts.phoneNumberIds ?? []).map((id) => ({ id })),
    }),
  });
  if (res.status !== 200)
    throw new Error(`/_sim/accounts answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as SimAccount;
}

/**
 * Creates a managed number through POST /api/admin/numbers (201 or the test
 * fails). The simulator first learns the number in its WABA (`overrides.wabaId`
 * or a fresh one) with a token granted on it (`overrides.accessToken` or a
 * fresh one), so the Worker's proof holds.
 */
export async function createNumber(
  admin: Session,
  overrides: Record<string, unknown> = {},
): Promise<NumberView> {
  const phoneNumberId = (overrides.phoneNumberId as string | undefined) ?? freshPhoneNumberId();
  const account = await simAccount({
    phoneNumberIds: [phoneNumberId],
    ...(typeof overrides.wabaId === "string" ? { wabaId: overrides.wabaId } : {}),
    ...(typeof overrides.accessToken === "string" ? { token: overrides.accessToken } : {}),
  });
  return callJson<NumberView>(
    admin,
    "POST",
    "/api/admin/numbers",
    {
      name: "Support",
      displayPhone: "+39 02 1234 5678",
      phoneNumberId,
      wabaId: account.wabaId,
      accessToken: account.token,
      ...overrides,
    },
    201,
  );
}

/** Creates a skillset through POST /api/admin/skillsets (201 or the test fails). */
export function createSkillset(
  admin: Session,
  numberId: string,
  overrides: Record<string, unknown> = {},
): Promise<SkillsetView> {
  return callJson<SkillsetView>(
    admin,
    "POST",
    "/api/admin/skillsets",
    { numberId, name: "General", priority: 5, ...overrides },
    201,
  );
}
