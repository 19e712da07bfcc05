/**
 * Demo data for local development only: one tenant, one admin, two agents, the
 * demo managed number, two skillsets of different priority, and three customers
 * with a past conversation each. Every row is
 * INSERT OR IGNORE, so re-running never overwrites what a developer changed.
 * The demo platform operator is not seeded: the stack passes it to the Worker
 * as OPERATOR_EMAIL / OPERATOR_PASSWORD, which creates it at its first sign-in.
 */
import { DEV_OPERATOR_PASSWORD } from "../src/platform/config.ts";
import { hashPassword } from "../src/platform/crypto.ts";

export const DEMO = {
  operator: { email: "operator@parley.test", password: DEV_OPERATOR_PASSWORD },
  tenant: { id: "demo-tenant", name: "Demo Company" },
  number: {
    id: "demo-number",
    phoneNumberId: "100000000000001",
    displayPhone: "+1 555 010 0001",
    name: "Demo support line",
    wabaId: "200000000000001",
    /** Granted on the demo WABA in the Meta simulator, so Graph proves the number with it. */
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
  /** A "Segment" property shown in the customers list. */
  segmentProperty: {
    id: "demo-property-segment",
    name: "Segment",
    options: ["Business", "Consumer"],
  },
  /**
   * [id, phone, name, segment, authorized] — valid mobile numbers (they pass the
   * checks of the customers API and of the import) that the simulator's phone page
   * does not use.
   */
  customers: [
    ["demo-customer-1", "+393480000001", "Giulia Conti", "Business", 1],
    ["demo-customer-2", "+393480000002", "Marco Ferri", "Consumer", 1],
    ["demo-customer-3", "+447400123456", "Emily Clarke", "Consumer", 0],
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
     VALUES (${q(number.id)}, ${q(tenant.id)}, ${q(number.phoneNumberId)}, ${q(number.displayPhone)}, ${q(number.name)}, ${q(number.wabaId)}, ${q(number.accessToken)}, ${q(JSON.stringify(DEMO_SETTINGS))});`,
    // The demo tenant holds the demo WABA, as the admin API records it.
    `INSERT OR IGNORE INTO waba_owners (waba_id, tenant_id) VALUES (${q(number.wabaId)}, ${q(tenant.id)});`,
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
  lines.push(...demoCustomersSql());
  return lines.join("\n");
}

/**
 * Demo customers, each with one closed conversation in their history (written
 * straight into D1 as the conversation actor would have, about a week ago).
 */
function demoCustomersSql(): string[] {
  const { tenant, number, segmentProperty: segment } = DEMO;
  const lines = [
    `INSERT OR IGNORE INTO customer_properties (id, tenant_id, number_id, name, type, options, show_in_customer_list, position)
     VALUES (${q(segment.id)}, ${q(tenant.id)}, ${q(number.id)}, ${q(segment.name)}, 'choice', ${q(JSON.stringify(segment.options))}, 1, 0);`,
  ];
  const day = 24 * 60 * 60 * 1000;
  const agent = DEMO.users[1];
  DEMO.customers.forEach(([id, phone, name, segmentValue, authorized], i) => {
    const properties = JSON.stringify({ [segment.id]: segmentValue });
    lines.push(
      `INSERT OR IGNORE INTO customers (id, tenant_id, contact_key, phone, name, authorized, authorized_by, authorized_at, properties)
       VALUES (${q(id)}, ${q(tenant.id)}, ${q(phone.slice(1))}, ${q(phone)}, ${q(name)}, ${authorized}, ${authorized ? q("demo-admin") : "NULL"}, ${authorized ? Date.now() : "NULL"}, ${q(properties)});`,
    );
    // Conversation ids are UUIDs everywhere (the history API checks them).
    const conversation = `d${i + 1}a7c2e9-5b1d-4f3e-9c8a-0d2b6e4f1a3${i}`;
    const opened = Date.now() - (7 - i) * day;
    const messages: [string, string, string][] = [
      ["in", name, "Buongiorno, il mio ordine non è ancora arrivato. Potete controllare?"],
      ["out", agent.name, "Certo! Vedo che il pacco è in consegna: arriva domani entro le 18."],
      ["in", name, "Perfetto, grazie mille!"],
    ];
    lines.push(
      `INSERT OR IGNORE INTO conversations (id, tenant_id, number_id, customer_id, skillset_id, agent_id, agent_name, opened_at, closed_at, closed_by, closed_by_name, close_reason, close_notes, message_count)
       VALUES (${q(conversation)}, ${q(tenant.id)}, ${q(number.id)}, ${q(id)}, 'demo-skillset-general', ${q(agent.id)}, ${q(agent.name)}, ${opened}, ${opened + 15 * 60 * 1000}, ${q(agent.id)}, ${q(agent.name)}, 'Order status', 'Parcel tracked, delivery tomorrow', ${messages.length});`,
    );
    messages.forEach(([direction, sender, text], seq) => {
      lines.push(
        `INSERT OR IGNORE INTO conversation_messages (conversation_id, seq, tenant_id, direction, sender_name, kind, text, created_at)
         VALUES (${q(conversation)}, ${seq + 1}, ${q(tenant.id)}, ${q(direction)}, ${q(sender)}, 'text', ${q(text)}, ${opened + seq * 60 * 1000});`,
      );
    });
  });
  return lines;
}
