/**
 * `npm run bench`: measures the webhook hot path on the real local stack
 * (wrangler dev + Meta simulator, fresh state) and prints the figures.
 *
 *  1. Webhook acknowledgement latency: N signed inbound messages from M customers,
 *     C at a time; Meta wants a median ≤ 250 ms and < 1 % over 1 s.
 *  2. Time from a customer's message to the agent's offer (routing), for one
 *     customer at a time with a Ready agent.
 *  3. A customer import of BENCH_IMPORT_ROWS rows (default 50,000, the limit):
 *     upload to preview (read, check, stage), then the one-batch apply.
 */
import { createHmac } from "node:crypto";
import { textWebhook } from "../test/meta-payloads.ts";
import { DEMO } from "./demo-data.ts";
import { freshStateDir, startStack } from "./stack.ts";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const ROUTING_SAMPLES = Number(process.env.BENCH_ROUTING_SAMPLES ?? 20);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(name: string, samples: number[]): void {
  const s = [...samples].sort((a, b) => a - b);
  const over1s = s.filter((x) => x > 1000).length;
  console.log(
    `${name.padEnd(34)} n=${s.length}  p50=${percentile(s, 50).toFixed(1)} ms  p90=${percentile(s, 90).toFixed(1)} ms  p99=${percentile(s, 99).toFixed(1)} ms  max=${(s.at(-1) ?? 0).toFixed(1)} ms  >1s=${((over1s / s.length) * 100).toFixed(2)}%`,
  );
}

function webhook(from: string, text: string): string {
  return JSON.stringify(
    textWebhook(DEMO.number.phoneNumberId, [
      { from, text, id: `wamid.bench.${crypto.randomUUID()}` },
    ]),
  );
}

async function post(url: string, body: string): Promise<number> {
  const signature = `sha256=${createHmac("sha256", "dev-app-secret").update(body).digest("hex")}`;
  const start = performance.now();
  const res = await fetch(`${url}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return performance.now() - start;
}

async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** A customer file of `rows` valid Italian mobiles (CSV, as a spreadsheet would save it). */
function customerCsv(rows: number): string {
  const lines = ["Phone *,Name,Authorized,Priority,Notes"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `+39347${String(i).padStart(7, "0")},Customer ${i},yes,${(i % 9) + 1},bench row ${i}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Uploads and applies a customer file as the demo admin; returns both phases' times (ms). */
async function importBench(url: string): Promise<{ bytes: number; upload: number; apply: number }> {
  const cookie = await login(url, "admin@demo.parley.test", "parley-admin");
  const body = customerCsv(IMPORT_ROWS);
  const id = crypto.randomUUID();
  const qs = new URLSearchParams({ id, mode: "upsert", fileName: "bench.csv" });
  let start = performance.now();
  const uploaded = await fetch(`${url}/api/customers/imports?${qs}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "text/csv" },
    body,
  });
  const preview = (await uploaded.json()) as { validRows?: number };
  if (uploaded.status !== 201 || preview.validRows !== IMPORT_ROWS) {
    throw new Error(`import upload answered ${uploaded.status}: ${JSON.stringify(preview)}`);
  }
  const upload = performance.now() - start;
  start = performance.now();
  const applied = await fetch(`${url}/api/customers/imports/${id}/apply`, {
    method: "POST",
    headers: { Cookie: cookie },
  });
  if (applied.status !== 200) throw new Error(`import apply answered ${applied.status}`);
  await applied.arrayBuffer();
  return { bytes: body.length, upload, apply: performance.now() - start };
}

const stack = await startStack({
  port: 28787,
  simPort: 28788,
  persistTo: freshStateDir(),
  quiet: true,
});
try {
  // Warm up the isolate and the number actor.
  await post(stack.url, webhook("390000000000", "warm up"));

  // Routing: a Ready agent with spare capacity; how long until the offer shows.
  const cookie = await login(stack.url, "bruno@demo.parley.test", "parley-agent");
  const headers = { Cookie: cookie, "Content-Type": "application/json" };
  const routing: number[] = [];
  for (let i = 0; i < ROUTING_SAMPLES; i++) {
    await fetch(`${stack.url}/api/me/status`, {
      method: "POST",
      headers,
      body: JSON.stringify({ status: "ready" }),
    });
    const customer = `39200${String(i).padStart(7, "0")}`;
    const start = performance.now();
    await post(stack.url, webhook(customer, "route me"));
    for (;;) {
      const snap = (await (await fetch(`${stack.url}/api/desktop`, { headers })).json()) as {
        offers: { conversationId: string; customerPhone: string }[];
      };
      const offer = snap.offers.find((o) => o.customerPhone === `+${customer}`);
      if (offer) {
        routing.push(performance.now() - start);
        await fetch(`${stack.url}/api/offers/${offer.conversationId}/accept`, {
          method: "POST",
          headers,
        });
        await fetch(`${stack.url}/api/conversations/${offer.conversationId}/close`, {
          method: "POST",
          headers,
          body: JSON.stringify({ reason: "bench" }),
        });
        break;
      }
      if (performance.now() - start > 10_000) throw new Error("no offer within 10 s");
    }
  }
  // The flood comes after, so routing samples do not queue behind it.
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        latencies.push(
          await post(stack.url, webhook(`39100${String(i % CUSTOMERS).padStart(7, "0")}`, `m${i}`)),
        );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nParley benchmark (local wrangler dev, ${MESSAGES} messages, ${CUSTOMERS} customers, ${CONCURRENCY} concurrent)`,
  );
  summary("webhook ack (inbound message)", latencies);
  console.log(`${"throughput".padEnd(34)} ${(MESSAGES / seconds).toFixed(0)} messages/s`);

  summary("message → offer (incl. polling)", routing);

  const imported = await importBench(stack.url);
  console.log(
    `${"customer import: upload → preview".padEnd(34)} ${IMPORT_ROWS} rows, ${(imported.bytes / 1024 / 1024).toFixed(1)} MiB CSV: ${(imported.upload / 1000).toFixed(2)} s`,
  );
  console.log(
    `${"customer import: apply (1 batch)".padEnd(34)} ${(imported.apply / 1000).toFixed(2)} s`,
  );
  const mem = process.memoryUsage();
  console.log(`${"bench process RSS".padEnd(34)} ${(mem.rss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  await stack.stop();
}
