/**
 * Demo data for local development only: one tenant, one admin, two agents, the
 * demo managed number and two skillsets of different priority. Every row is
 * INSERT OR IGNORE, so re-running never overwrites what a developer changed.
 * The demo platform operator is not seeded: the stack passes it to the Worker
 * as OPERATOR_EMAIL / OPERATOR_PASSWORD, which creates it at its first sign-in.
 */
import { DEV_OPERATOR_PASSWORD } from "../src/worker/config.ts";
import { hashPassword } from "../src/worker/crypto.ts";

export const DEMO = {
  operator: { email: "operator@parley.test", password: DEV_OPERATOR_PASSWORD },
  tenant: { id: "demo-tenant", name: "Demo Company" },
  number: {
    id: "demo-number",
    phoneNumberId: "100000000000001",
    displayPhone: "+1 555 010 0001",
    name: "Demo support line",
    accessToken: "dev-access-token",
  },
  skillsets: [
    { id: "demo-skillset-premium", name: "Premium", priority: 8 },
    { id: "demo-skillset-general", name: "General", priority: 4 },
  ],
  users: [
    {
      id: "demo-admin",
      email: "admin@demo.parley.test",
      name: "Ada Admin",
      role: "admin",
      password: "parley-admin",
    },
    {
      id: "demo-agent-1",
      email: "alice@demo.parley.test",
      name: "Alice Agent",
      role: "agent",
      password: "parley-agent",
    },
    {
      id: "demo-agent-2",
      email: "bruno@demo.parley.test",
      name: "Bruno Agent",
      role: "agent",
      password: "parley-agent",
    },
  ],
  /** [user, skillset, agent priority] */
  memberships: [
    ["demo-agent-1", "demo-skillset-premium", 7],
    ["demo-agent-1", "demo-skillset-general", 5],
    ["demo-agent-2", "demo-skillset-general", 5],
  ],
} as const;

const office = [{ open: "09:00", close: "18:00" }];
/**
 * The demo number is open around the clock, so dev routes at any hour (numbers
 * created in the admin start with office hours; see src/shared/number-settings.ts).
 */
const DEMO_SETTINGS = {
  workingTime: {
    timeZone: "Europe/Rome",
    alwaysOpen: true,
    week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
    closedDates: [],
  },
};

function q(value: string | number): string {
  return typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/** SQL that seeds the demo data if absent. */
export async function demoSql(): Promise<string> {
  const { tenant, number } = DEMO;
  const lines = [
    `INSERT OR IGNORE INTO tenants (id, name) VALUES (${q(tenant.id)}, ${q(tenant.name)});`,
    `INSERT OR IGNORE INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, waba_id, access_token, settings)
     VALUES (${q(number.id)}, ${q(tenant.id)}, ${q(number.phoneNumberId)}, ${q(number.displayPhone)}, ${q(number.name)}, '200000000000001', ${q(number.accessToken)}, ${q(JSON.stringify(DEMO_SETTINGS))});`,
  ];
  for (const s of DEMO.skillsets) {
    lines.push(
      `INSERT OR IGNORE INTO skillsets (id, tenant_id, number_id, name, priority) VALUES (${q(s.id)}, ${q(tenant.id)}, ${q(number.id)}, ${q(s.name)}, ${s.priority});`,
    );
  }
  for (const u of DEMO.users) {
    lines.push(
      `INSERT OR IGNORE INTO users (id, tenant_id, email, name, password_hash, role, max_conversations)
       VALUES (${q(u.id)}, ${q(tenant.id)}, ${q(u.email)}, ${q(u.name)}, ${q(await hashPassword(u.password))}, ${q(u.role)}, 3);`,
    );
  }
  for (const [user, skillset, priority] of DEMO.memberships) {
    lines.push(
      `INSERT OR IGNORE INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (${q(tenant.id)}, ${q(skillset)}, ${q(user)}, ${priority});`,
    );
  }
  return lines.join("\n");
}
