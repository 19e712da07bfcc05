/**
 * What the bench writes into D1 before the product starts: its agents (known
 * password, a known conversation limit, in every demo skillset) and N stored
 * customers each with a closed conversation, as the actors would have left them.
 * Written as one SQL file and applied with `wrangler d1 execute --local`, as the
 * demo data is, so nothing here goes around the product's own schema.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "../../src/platform/crypto.ts";
import { DEMO, demoSql } from "../demo-data.ts";

/** Password of every bench agent. */
export const AGENT_PASSWORD = "bench-agent-password";

/** The bench agent `i`'s sign-in e-mail. */
export const agentEmail = (i: number) => `bench-agent-${i}@demo.parley.test`;

/** Phone digits (wa_id) of bench customer `i`; the first ones also have stored history. */
export const customerPhone = (i: number) => `39340${String(i).padStart(7, "0")}`;

const q = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** SQL for `agents` bench agents with `maxConversations` each. */
async function agentsSql(agents: number, maxConversations: number): Promise<string[]> {
  const hash = await hashPassword(AGENT_PASSWORD);
  const t = q(DEMO.tenant.id);
  const lines: string[] = [];
  for (let i = 0; i < agents; i++) {
    const id = q(`bench-agent-${i}`);
    lines.push(
      `INSERT OR IGNORE INTO users (id, tenant_id, email, name, password_hash, role, max_conversations) VALUES (${id}, ${t}, ${q(agentEmail(i))}, 'Bench Agent ${i}', ${q(hash)}, 'agent', ${maxConversations});`,
    );
    for (const s of DEMO.skillsets) {
      lines.push(
        `INSERT OR IGNORE INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (${t}, ${q(s.id)}, ${id}, 5);`,
      );
    }
  }
  return lines;
}

/** SQL for `count` customers, each with one closed conversation of two messages, in 100-row inserts (D1 caps a statement's length). */
function historySql(count: number): string[] {
  const t = q(DEMO.tenant.id);
  const n = q(DEMO.number.id);
  const day = 86_400_000;
  const lines: string[] = [];
  for (let from = 0; from < count; from += 100) {
    const customers: string[] = [];
    const conversations: string[] = [];
    const messages: string[] = [];
    for (let i = from; i < Math.min(count, from + 100); i++) {
      const phone = customerPhone(i);
      const cid = q(`bench-customer-${i}`);
      const conv = q(crypto.randomUUID());
      const opened = Date.now() - 2 * day - i * 1000;
      customers.push(`(${cid}, ${t}, ${q(phone)}, ${q(`+${phone}`)}, 'Customer ${i}', 1, '{}')`);
      conversations.push(
        `(${conv}, ${t}, ${n}, ${cid}, 'demo-skillset-general', 'demo-agent-1', 'Alice Agent', ${opened}, ${opened + 600_000}, 'demo-agent-1', 'Alice Agent', 'Bench history', 2)`,
      );
      messages.push(
        `(${conv}, 1, ${t}, 'in', 'Customer ${i}', 'text', 'Where is my order ${i}?', ${opened})`,
        `(${conv}, 2, ${t}, 'out', 'Alice Agent', 'text', 'It ships tomorrow.', ${opened + 60_000})`,
      );
    }
    lines.push(
      `INSERT OR IGNORE INTO customers (id, tenant_id, contact_key, phone, name, authorized, properties) VALUES ${customers.join(",")};`,
      `INSERT OR IGNORE INTO conversations (id, tenant_id, number_id, customer_id, skillset_id, agent_id, agent_name, opened_at, closed_at, closed_by, closed_by_name, close_reason, message_count) VALUES ${conversations.join(",")};`,
      `INSERT OR IGNORE INTO conversation_messages (conversation_id, seq, tenant_id, direction, sender_name, kind, text, created_at) VALUES ${messages.join(",")};`,
    );
  }
  return lines;
}

function wrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("wrangler", args, {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited ${code}`)),
    );
  });
}

/**
 * Creates the schema in `persistTo`, then the demo data, the bench agents and
 * `history` stored customers with closed conversations. Run before the stack starts
 * (its own migrations and demo seed are then no-ops).
 */
export async function preSeed(
  persistTo: string,
  opts: { agents: number; maxConversations: number; history: number },
): Promise<void> {
  const persist = ["--persist-to", persistTo];
  await wrangler(["d1", "migrations", "apply", "DB", "--local", ...persist]);
  const sql = [
    await demoSql(),
    ...(await agentsSql(opts.agents, opts.maxConversations)),
    ...historySql(opts.history),
  ].join("\n");
  const file = join(mkdtempSync(join(tmpdir(), "parley-bench-seed-")), "seed.sql");
  writeFileSync(file, sql);
  await wrangler(["d1", "execute", "DB", "--local", ...persist, "--file", file]);
}
