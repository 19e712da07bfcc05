/**
 * What one customer message with its reply costs: the stack's own counts
 * (src/platform/meter.ts, read through `/_drill/meter`) around a steady run at
 * a rate the product sustains, divided by the messages sent. Each message is
 * the inbound webhook, the agent's reply (its POST and the Graph call) and
 * the status webhooks Meta's simulator sends for it (sent and delivered; read
 * comes only when the customer opens the chat); the bench's conversations are
 * assigned before, so offers do not count here.
 */
import type { Product } from "./product.ts";
import type { ScenarioResult } from "./report.ts";
import { steady } from "./scenarios.ts";

/** The counts, and their sum per message. */
export interface MessageCost {
  messages: number;
  counts: Record<string, number>;
  perMessage: Record<string, number>;
  /** At PRICES, per million messages. */
  dollarsPerMillion?: Record<string, number>;
}

async function meter(product: Product, path: string, method: string) {
  const res = await fetch(`${product.stack.url}/_drill/${path}`, { method });
  if (res.status !== 200) throw new Error(`/_drill/${path} answered ${res.status}`);
  return ((await res.json()) as { counts: Record<string, number> }).counts;
}

/** The sum of the counts whose names pass `which`. */
const total = (counts: Record<string, number>, which: (name: string) => boolean) =>
  Object.entries(counts)
    .filter(([k]) => which(k))
    .reduce((n, [, v]) => n + v, 0);
const isActor = (k: string) => k.startsWith("actor.");
const isAlarm = (k: string) => isActor(k) && k.endsWith(".alarm");
const isSocketIn = (k: string) => isActor(k) && k.endsWith(".webSocketMessage");

/** Runs `steady` between a reset and a read of the stack's meter. */
export async function measuredSteady(
  product: Product,
  name: string,
  rate: number,
  seconds: number,
): Promise<{ scenario: ScenarioResult; cost: MessageCost }> {
  await meter(product, "meter/reset", "POST");
  const before = product.tracker.sentAt.size;
  const scenario = await steady(product, name, rate, seconds);
  // The last replies' statuses come a moment after their sends.
  await new Promise((r) => setTimeout(r, 3000));
  const counts = await meter(product, "meter", "GET");
  const messages = product.tracker.sentAt.size - before;
  const per = (n: number) => Math.round((n / messages) * 100) / 100;
  const perMessage = {
    // Less the meter's own read.
    "Worker requests": per((counts["worker.requests"] ?? 0) - 1),
    "actor calls (RPC)": per(total(counts, (k) => isActor(k) && !isAlarm(k) && !isSocketIn(k))),
    "actor alarms": per(total(counts, isAlarm)),
    "WebSocket frames from desks": per(total(counts, isSocketIn)),
    "WebSocket frames to desks": per(counts["ws.frames_out"] ?? 0),
    "D1 queries": per(counts["d1.queries"] ?? 0),
    "D1 rows read (where D1 reports them)": per(counts["d1.rows_read"] ?? 0),
    "D1 rows written": per(counts["d1.rows_written"] ?? 0),
    "actor SQLite statements": per(counts["sql.statements"] ?? 0),
    "actor SQLite rows read": per(counts["sql.rows_read"] ?? 0),
    "actor SQLite rows written": per(counts["sql.rows_written"] ?? 0),
  };
  const cost: MessageCost = { messages, counts, perMessage };
  cost.dollarsPerMillion = dollarsPerMillion(cost);
  return { scenario, cost };
}

/**
 * Cloudflare's published prices beyond each plan's included usage (Workers
 * Paid), in US dollars per million, as read on 2026-12-07 from
 * developers.cloudflare.com: /workers/platform/pricing/ (requests),
 * /durable-objects/platform/pricing/ (requests: RPC calls, alarms, and
 * incoming WebSocket messages at 20 to one; SQLite rows),
 * /d1/platform/pricing/ (rows). See bench/README.md.
 */
export const PRICES = {
  workerRequest: 0.3,
  actorRequest: 0.15,
  d1RowRead: 0.001,
  d1RowWritten: 1.0,
  sqlRowRead: 0.001,
  sqlRowWritten: 1.0,
} as const;

/** Dollars per million messages for what the meter counts (CPU and actor duration are not counted here). */
export function dollarsPerMillion(cost: MessageCost): Record<string, number> {
  const p = cost.perMessage;
  const get = (k: string) => p[k] ?? 0;
  const lines = {
    "Worker requests": get("Worker requests") * PRICES.workerRequest,
    "actor requests":
      (get("actor calls (RPC)") + get("actor alarms") + get("WebSocket frames from desks") / 20) *
      PRICES.actorRequest,
    "D1 rows":
      get("D1 rows read (where D1 reports them)") * PRICES.d1RowRead +
      get("D1 rows written") * PRICES.d1RowWritten,
    "actor SQLite rows":
      get("actor SQLite rows read") * PRICES.sqlRowRead +
      get("actor SQLite rows written") * PRICES.sqlRowWritten,
  };
  const round = (n: number) => Math.round(n * 100) / 100;
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return {
    ...Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, round(v)])),
    total: round(total),
  };
}

/** The cost table (Markdown), with the actor calls by method. */
export function costMarkdown(cost: MessageCost, label: string): string {
  const rows = Object.entries(cost.perMessage).map(([k, v]) => `| ${k} | ${v} |`);
  const calls = Object.entries(cost.counts)
    .filter(([k]) => k.startsWith("actor."))
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k.slice("actor.".length)} ${Math.round((v / cost.messages) * 100) / 100}`);
  return [
    `What one message with its reply costs (${label}, ${cost.messages} messages; each: the webhook, the agent's reply, Meta's status webhooks):`,
    "",
    "| per message | count |",
    "| --- | --- |",
    ...rows,
    "",
    `Actor calls per message, by method: ${calls.join(", ")}.`,
    "",
    `At Cloudflare's published prices (bench/README.md), per million messages: ${Object.entries(
      dollarsPerMillion(cost),
    )
      .map(([k, v]) => `${k} $${v.toFixed(2)}`)
      .join(", ")} (Worker CPU and actor duration not included).`,
  ].join("\n");
}
