/**
 * `npm run drill`: fault drills under load on the real local stack (wrangler dev,
 * the Meta simulator, local D1/Durable Objects), reusing the bench's customers,
 * agents and exactly-once accounting (scripts/bench/). Each drill runs a steady
 * 10 msg/s for 20 s with agents replying, injects its fault, then checks its own
 * messages: stored once, shown once, replied once, no agent over their limit.
 * Prints a summary table; exits non-zero if any drill lost or duplicated anything
 * (or failed another of its checks). See scripts/drill/ for the drills.
 *
 * Env: DRILL_ONLY (comma-separated drill names to run, default all);
 * DRILL_QUICK=1: the drills quick enough for `npm test`, with 10 s of load each.
 */
import { existsSync } from "node:fs";
import { Product } from "./bench/product.ts";
import { actorAborts } from "./drill/actor-aborts.ts";
import { type Drill, type DrillResult, runDrill, summaryTable } from "./drill/common.ts";
import { d1Writes } from "./drill/d1-writes.ts";
import { duplicatesAndDisorder } from "./drill/duplicates.ts";
import { graphOutage } from "./drill/graph-outage.ts";
import { wsDrops } from "./drill/ws-drops.ts";

/** Name, drill, and whether it is quick enough for `npm test`. */
const DRILLS: [string, Drill, boolean][] = [
  ["actors aborted mid-flow", actorAborts, true],
  ["duplicates and disorder", duplicatesAndDisorder, true],
  ["graph failing then recovering", graphOutage, false],
  ["websockets dropped mid-burst", wsDrops, false],
  ["d1 writes failing", d1Writes, true],
];
const QUICK = process.env.DRILL_QUICK === "1";
const only = process.env.DRILL_ONLY?.split(",").map((s) => s.trim());
const selected = DRILLS.filter(
  ([name, , quick]) => (!only || only.includes(name)) && (!QUICK || quick),
);
const options = { seconds: QUICK ? 10 : 20 };

console.log(`Parley drills${QUICK ? " (quick)" : ""}: ${selected.map(([n]) => n).join(", ")}`);
const product = await Product.start({
  port: 19200,
  simPort: 19201,
  agents: 4,
  maxConversations: 10,
  customers: 30,
  history: 0,
  // The UI is only served, never used: build it only when there is none.
  build: !existsSync("dist/ui/index.html"),
  // Actor aborts and D1 failures are injected through /_drill/*.
  drillHooks: true,
});
const results: DrillResult[] = [];
let overallOk = true;
try {
  await openWindows(product);
  for (const [name, drill] of selected) {
    results.push(await runDrill(product, name, drill, options));
  }
  // Late duplicates of an earlier drill would only show now: account for everything once more.
  const all = await product.account((id) => id.startsWith("drill-"));
  overallOk = all.ok;
  console.log(
    `\nall drills together: ${all.messagesSent} messages, ${all.repliesAttempted} replies, lost ${all.lost}, duplicated ${all.duplicated}, ${all.reconnects} WebSocket resumes, capacity ${all.capacityOk ? "ok" : "EXCEEDED"}`,
  );
} finally {
  await product.stop();
}
console.log(`\n${summaryTable(results)}\n`);
const ok = overallOk && results.every((r) => r.ok);
console.log(ok ? "every drill: nothing lost, nothing duplicated" : "DRILLS FAILED");
// Not process.exit: wrangler gets to shut down its children cleanly first.
process.exitCode = ok ? 0 : 1;

/**
 * Each customer writes once through the simulator, so it knows the 24-hour
 * window is open and answers replies with `sent`/`delivered` rather than 131047
 * (the bench's webhooks come straight from the load generator, unseen by it).
 */
async function openWindows(p: Product): Promise<void> {
  for (const from of p.customers) {
    const res = await fetch(`${p.stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from, text: "drill: window open" }),
    });
    const body = (await res.json()) as { httpStatus: number | null };
    if (body.httpStatus !== 200) throw new Error(`inbound for ${from} answered ${body.httpStatus}`);
  }
}
