/**
 * What one customer message with its reply costs: the stack's own counts
 * (src/platform/meter.ts, read through `/_drill/meter`) around a steady run at
 * a rate the product sustains, divided by the messages sent. Each message is
 * the inbound webhook, the agent's reply (its `send` frame and the Graph call)
 * and the status webhooks Meta's simulator sends for it (sent and delivered;
 * read comes only when the customer opens the chat); the bench's conversations
 * are assigned before, so offers do not count here. CPU is the workerd
 * process's over the run, split by part of the product with V8's profiler
 * over a second run (profile.ts).
 */
import type { Product } from "./product.ts";
import { busyByPart, profileWhile } from "./profile.ts";
import type { ScenarioResult } from "./report.ts";
import { steady } from "./scenarios.ts";

/** What is counted per message, each with the label the report shows. */
export const COST_LINES = {
  workerRequests: "Worker requests",
  actorCalls: "actor calls (RPC)",
  actorAlarms: "actor alarms",
  framesIn: "WebSocket frames from desks",
  framesOut: "WebSocket frames to desks",
  d1Queries: "D1 queries",
  d1RowsRead: "D1 rows read (where D1 reports them)",
  d1RowsWritten: "D1 rows written",
  sqlStatements: "actor SQLite statements",
  sqlRowsRead: "actor SQLite rows read",
  sqlRowsWritten: "actor SQLite rows written",
  actorActiveMs: "actor active ms (calls' wall time, as billed for duration)",
  cpuMs: "CPU ms (the product's workerd process: the Worker and every actor)",
  cpuWorkerMs: "CPU ms: Worker",
  cpuNumberMs: "CPU ms: NumberActor",
  cpuConversationMs: "CPU ms: ConversationActor",
  cpuAgentMs: "CPU ms: AgentActor",
  cpuOtherMs: "CPU ms: runtime and shared code",
  cpuProxyMs: "CPU ms of wrangler dev's proxy in front of it (local only, not in the sum)",
} as const;
export type CostLine = keyof typeof COST_LINES;

/**
 * D1 statements that follow time, not messages: the Worker's number lookup
 * (once a minute per isolate) and the number's configuration (every few
 * minutes, should an administrator's change call be lost).
 */
export const D1_REFRESHES = ["select managed_numbers", "select skillsets"];

/** The counts, and their sum per message. */
export interface MessageCost {
  messages: number;
  /** The run's length, seconds. */
  seconds: number;
  /** D1 statements over the whole run, by shape (`select managed_numbers`). */
  d1ByStatement: Record<string, number>;
  counts: Record<string, number>;
  perMessage: Partial<Record<CostLine, number>>;
  /** Busy time by part of the product over a second, profiled run, ms (its shares split `cpuMs`). */
  cpuByPart?: Record<string, number>;
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

/**
 * After a warm-up at the same rate, runs `steady` between a reset and a read
 * of the stack's meter, reading the CPU time the stack's workerd used
 * meanwhile (from `/proc`). When the stack
 * has an inspector port, a second run at the same rate under V8's CPU
 * profiler splits that time by part of the product (its shares; the
 * profiler's own sampling stays out of the first run's figures).
 */
export async function measuredSteady(
  product: Product,
  name: string,
  rate: number,
  seconds: number,
  warmUpSeconds: number,
): Promise<{ scenario: ScenarioResult; cost: MessageCost }> {
  const run = async (label: string, length = seconds) => {
    const result = await steady(product, label, rate, length);
    // The last replies' statuses come a moment after their sends.
    await new Promise((r) => setTimeout(r, 3000));
    return result;
  };
  // Steady state: the code the messages run is compiled (JIT) and their actors
  // are up before counting starts, and what follows time (a reply's backup
  // alarm, 30 s later) comes during the count as often as it would go on.
  await run(`${name}, warm-up`, warmUpSeconds);
  await meter(product, "meter/reset", "POST");
  const before = product.tracker.sentAt.size;
  const cpuBefore = product.stack.cpuMs();
  const scenario = await run(name);
  const cpuAfter = product.stack.cpuMs();
  const counts = await meter(product, "meter", "GET");
  const messages = product.tracker.sentAt.size - before;
  const port = product.opts.inspectorPort;
  let cpuByPart: Record<string, number> | undefined;
  if (port) {
    const profiled = await profileWhile(port, () => run(`${name}, profiled`));
    cpuByPart = busyByPart(profiled.profile, profiled.modules);
  }
  const per = (n: number) => Math.round((n / messages) * 100) / 100;
  const perMessage: MessageCost["perMessage"] = {
    // Less the meter's own read.
    workerRequests: per((counts["worker.requests"] ?? 0) - 1),
    actorCalls: per(total(counts, (k) => isActor(k) && !isAlarm(k) && !isSocketIn(k))),
    actorAlarms: per(total(counts, isAlarm)),
    framesIn: per(total(counts, isSocketIn)),
    framesOut: per(counts["ws.frames_out"] ?? 0),
    d1Queries: per(counts["d1.queries"] ?? 0),
    d1RowsRead: per(counts["d1.rows_read"] ?? 0),
    d1RowsWritten: per(counts["d1.rows_written"] ?? 0),
    sqlStatements: per(counts["sql.statements"] ?? 0),
    sqlRowsRead: per(counts["sql.rows_read"] ?? 0),
    sqlRowsWritten: per(counts["sql.rows_written"] ?? 0),
    actorActiveMs: per(total(counts, (k) => k.startsWith("actor_ms."))),
  };
  if (cpuBefore !== null && cpuAfter !== null) {
    const cpu = cpuAfter.product - cpuBefore.product;
    perMessage.cpuMs = per(cpu);
    perMessage.cpuProxyMs = per(cpuAfter.proxy - cpuBefore.proxy);
    if (cpuByPart) {
      const busy = Object.values(cpuByPart).reduce((a, b) => a + b, 0) || 1;
      const part = (name: string) => per((cpu * (cpuByPart[name] ?? 0)) / busy);
      Object.assign(perMessage, {
        cpuWorkerMs: part("Worker"),
        cpuNumberMs: part("number actor"),
        cpuConversationMs: part("conversation actor"),
        cpuAgentMs: part("agent actor"),
        cpuOtherMs: part("other"),
      });
    }
  }
  const d1ByStatement = Object.fromEntries(
    Object.entries(counts).flatMap(([k, v]) =>
      k.startsWith("d1.by.") ? [[k.slice("d1.by.".length), v]] : [],
    ),
  );
  const cost: MessageCost = {
    messages,
    seconds,
    d1ByStatement,
    counts,
    perMessage,
    ...(cpuByPart ? { cpuByPart } : {}),
  };
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
  /** Per million CPU ms (Workers Standard). */
  workerCpuMs: 0.02,
  actorRequest: 0.15,
  /** Per million GB-s of duration; an actor is billed at 128 MB. */
  actorGbSecond: 12.5,
  d1RowRead: 0.001,
  d1RowWritten: 1.0,
  sqlRowRead: 0.001,
  sqlRowWritten: 1.0,
} as const;

/**
 * Dollars per million messages at PRICES: requests, rows, the Worker's CPU
 * (when profiled) and the actors' duration, estimated from their calls' wall
 * time (alarms' and background sends' time is not in it).
 */
export function dollarsPerMillion(cost: MessageCost): Record<string, number> {
  const get = (k: CostLine) => cost.perMessage[k] ?? 0;
  const lines = {
    "Worker requests": get("workerRequests") * PRICES.workerRequest,
    "Worker CPU": get("cpuWorkerMs") * PRICES.workerCpuMs,
    "actor requests":
      (get("actorCalls") + get("actorAlarms") + get("framesIn") / 20) * PRICES.actorRequest,
    "actor duration": (get("actorActiveMs") / 1000) * 0.125 * PRICES.actorGbSecond,
    "D1 rows": get("d1RowsRead") * PRICES.d1RowRead + get("d1RowsWritten") * PRICES.d1RowWritten,
    "actor SQLite rows":
      get("sqlRowsRead") * PRICES.sqlRowRead + get("sqlRowsWritten") * PRICES.sqlRowWritten,
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
  const rows = Object.entries(cost.perMessage).map(
    ([k, v]) => `| ${COST_LINES[k as CostLine]} | ${v} |`,
  );
  const calls = Object.entries(cost.counts)
    .filter(([k]) => k.startsWith("actor.") && !k.startsWith("actor_ms."))
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
    `D1 statements over the run (${cost.seconds} s), by kind: ${
      Object.entries(cost.d1ByStatement)
        .map(
          ([k, v]) =>
            `${k} ${v}${D1_REFRESHES.includes(k) ? " (a refresh that follows time)" : ""}`,
        )
        .join(", ") || "none"
    }.`,
    "",
    `At Cloudflare's published prices (bench/README.md), per million messages: ${Object.entries(
      dollarsPerMillion(cost),
    )
      .map(([k, v]) => `${k} $${v.toFixed(2)}`)
      .join(", ")}.`,
  ].join("\n");
}
