/** Test fixtures: a tenant with a number, skillsets and agents in D1, and signed webhooks. */
import { env, exports } from "cloudflare:workers";
import { signBody } from "../src/platform/crypto";

export { statusWebhook, textWebhook } from "./meta-payloads";

export const APP_SECRET = "dev-app-secret";
export const SIM_URL = env.SIM_URL as string;

export interface AgentSeed {
  id: string;
  name: string;
  max?: number;
  /** skillset key → agent priority */
  skills: Record<string, number>;
}

export interface SeededTenant {
  tenantId: string;
  numberId: string;
  phoneNumberId: string;
  skillsets: Record<string, string>;
  agents: string[];
}

let counter = 0;
/** A unique id for this test file run. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A fresh tenant with one number (unique phone_number_id), skillsets and agents. */
export async function seedTenant(opts: {
  skillsets: Record<string, number>;
  agents: AgentSeed[];
}): Promise<SeededTenant> {
  const tenantId = uid("tenant");
  const numberId = crypto.randomUUID();
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 899999999999));
  const stmts: D1PreparedStatement[] = [
    env.DB.prepare("INSERT INTO tenants (id, name) VALUES (?, ?)").bind(
      tenantId,
      `Tenant ${tenantId}`,
    ),
    env.DB.prepare(
      "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, access_token) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(numberId, tenantId, phoneNumberId, "+1 555 010 0001", "Support", "test-token"),
  ];
  const skillsets: Record<string, string> = {};
  for (const [key, priority] of Object.entries(opts.skillsets)) {
    const id = crypto.randomUUID();
    skillsets[key] = id;
    stmts.push(
      env.DB.prepare(
        "INSERT INTO skillsets (id, tenant_id, number_id, name, priority) VALUES (?, ?, ?, ?, ?)",
      ).bind(id, tenantId, numberId, key, priority),
    );
  }
  const agents: string[] = [];
  for (const a of opts.agents) {
    const id = `${a.id}-${tenantId}`;
    agents.push(id);
    stmts.push(
      env.DB.prepare(
        "INSERT INTO users (id, tenant_id, email, name, role, max_conversations) VALUES (?, ?, ?, ?, 'agent', ?)",
      ).bind(id, tenantId, `${id}@example.test`, a.name, a.max ?? 3),
    );
    for (const [key, prio] of Object.entries(a.skills)) {
      stmts.push(
        env.DB.prepare(
          "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, ?)",
        ).bind(tenantId, skillsets[key]!, id, prio),
      );
    }
  }
  await env.DB.batch(stmts);
  return { tenantId, numberId, phoneNumberId, skillsets, agents };
}

/** POSTs a body to the real Worker's webhook, signed like Meta signs it. */
export async function postWebhook(
  payload: unknown | string,
  secret = APP_SECRET,
): Promise<Response> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const bytes = new TextEncoder().encode(body);
  return exports.default.fetch("https://parley.test/webhooks/whatsapp", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Hub-Signature-256": await signBody(secret, bytes),
    },
    body: bytes,
  });
}

/** Polls `fn` until it returns a truthy value (actors finish work after responding). */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Calls the simulator's control API. */
export async function sim(path: string, body?: unknown): Promise<Response> {
  return fetch(`${SIM_URL}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * Relays the signed webhooks the simulator queued for `phoneNumberId` to the
 * Worker, byte for byte with the simulator's signature. Returns how many.
 */
export async function relaySim(phoneNumberId: string): Promise<number> {
  const res = await sim(`/_sim/outbox/drain?phoneNumberId=${phoneNumberId}`, {});
  const { items } = (await res.json()) as { items: { body: string; signature: string }[] };
  for (const item of items) {
    const r = await exports.default.fetch("https://parley.test/webhooks/whatsapp", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hub-Signature-256": item.signature },
      body: item.body,
    });
    if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
  }
  return items.length;
}

/** The customer writes from the simulator's phone; the signed webhook is relayed to the Worker. */
export async function customerWrites(
  phoneNumberId: string,
  from: string,
  text: string,
  name = "Mario Rossi",
): Promise<string> {
  const res = await sim("/_sim/inbound", { from, name, phoneNumberId, text });
  const { id } = (await res.json()) as { id: string };
  await relaySim(phoneNumberId);
  return id;
}

/**
 * Relays the signed webhooks the simulator queued for the WhatsApp Business
 * Account `wabaId` (template status updates, which name no number) to the
 * Worker, byte for byte. Returns how many.
 */
export async function relaySimWaba(wabaId: string): Promise<number> {
  const res = await sim(`/_sim/outbox/drain?wabaId=${wabaId}`, {});
  const { items } = (await res.json()) as { items: { body: string; signature: string }[] };
  for (const item of items) {
    const r = await exports.default.fetch("https://parley.test/webhooks/whatsapp", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hub-Signature-256": item.signature },
      body: item.body,
    });
    if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
  }
  return items.length;
}
