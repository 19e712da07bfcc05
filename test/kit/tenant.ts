/**
 * Tenants for workerd tests: one seeded straight into D1 (a number, skillsets and
 * agents), one with a signed-in admin, a number's settings as the admin API stores
 * them, and counts of a tenant's rows.
 */
import { env } from "cloudflare:workers";
import type { NumberSettings } from "../../src/shared/admin";
import {
  defaultNumberSettings,
  type NumberExtras,
  readSettings,
} from "../../src/shared/number-settings";
import { freshPhoneNumberId, uid } from "./ids";
import { adminSession, type Session } from "./session";

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

/** A fresh tenant with one number (unique phone_number_id), skillsets and agents. */
export async function seedTenant(opts: {
  skillsets: Record<string, number>;
  agents: AgentSeed[];
}): Promise<SeededTenant> {
  const tenantId = uid("tenant");
  const numberId = crypto.randomUUID();
  const phoneNumberId = freshPhoneNumberId();
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

/** A tenant with one number, its skillsets (name → id) and a signed-in admin. */
export interface HistoryTenant extends SeededTenant {
  admin: Session;
}

/** A fresh tenant (seeded in D1) with the given skillsets and a signed-in admin. */
export async function historyTenant(
  skillsets: Record<string, number> = { care: 5 },
): Promise<HistoryTenant> {
  const t = await seedTenant({ skillsets, agents: [] });
  return { ...t, admin: await adminSession(t.tenantId) };
}

/** A tenant whose number is always open (so routing never waits for working time). */
export async function openTenant(
  skillsets: Record<string, number> = { care: 5 },
): Promise<HistoryTenant> {
  const t = await historyTenant(skillsets);
  await setSettings(t.numberId, {});
  return t;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Stores a number's settings: the defaults (always open unless `workingTime`
 * says otherwise) with `patch` over them, then tells the number actor, as the
 * admin API does.
 */
export async function setSettings(
  numberId: string,
  patch: DeepPartial<NumberSettings> & { details?: Partial<NumberExtras> },
): Promise<void> {
  const defaults = { ...defaultNumberSettings(), details: readSettings("{}").details };
  defaults.workingTime = { ...defaults.workingTime, alwaysOpen: true };
  const merged = {
    details: { ...defaults.details, ...patch.details },
    autoClose: {
      ...defaults.autoClose,
      ...patch.autoClose,
      endOfDay: { ...defaults.autoClose.endOfDay, ...patch.autoClose?.endOfDay },
    },
    messages: { ...defaults.messages, ...patch.messages },
    workingTime: { ...defaults.workingTime, ...patch.workingTime },
    profiling: { ...defaults.profiling, ...patch.profiling },
    bot: { ...defaults.bot, ...patch.bot },
  };
  await env.DB.prepare("UPDATE managed_numbers SET settings = ? WHERE id = ?")
    .bind(JSON.stringify(merged), numberId)
    .run();
  await env.NUMBER.getByName(numberId).configChanged();
}

/** How many rows of `table` belong to the tenant (test-only SQL: `table` is ours). */
export async function countRows(table: string, tenantId: string): Promise<number> {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
    .bind(tenantId)
    .first<number>("n"))!;
}
