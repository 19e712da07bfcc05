/**
 * Drill: the Graph API (the simulator) fails every call for a while — first 5 s
 * of HTTP 500 with code 131000, then 5 s of HTTP 429 with Meta's rate-limit code
 * 130429 — and then recovers, while customers write and agents reply. Replies
 * wait in their conversations' outboxes and are retried with backoff (both codes
 * are retryable): every one must still reach the simulator exactly once.
 */
import type { Product } from "../bench/product.ts";
import { type Drill, sleep, steadyLoad } from "./common.ts";

/** Sets a time-window fault at the simulator (its `forMs` mode). */
async function fault(product: Product, forMs: number, httpStatus: number, code: number) {
  const res = await fetch(`${product.stack.simUrl}/_sim/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ forMs, httpStatus, code }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/_sim/faults answered ${res.status}`);
}

/** Graph calls failed by faults so far. */
async function failedSoFar(product: Product): Promise<number> {
  const res = await fetch(`${product.stack.simUrl}/_sim/faults`);
  return ((await res.json()) as { failed: number }).failed;
}

/** The drill (see the module comment). */
export const graphOutage: Drill = async (product, prefix) => {
  const problems: string[] = [];
  const before = await failedSoFar(product);
  const outage = (async () => {
    await sleep(3000);
    await fault(product, 5000, 500, 131000);
    await sleep(5000);
    await fault(product, 5000, 429, 130429);
    await sleep(5000);
  })();
  const { errors } = await steadyLoad(product, prefix, 10, 20);
  await outage;
  if (errors) problems.push(`${errors} webhooks were not answered 200`);
  const failed = (await failedSoFar(product)) - before;
  if (failed === 0) problems.push("no Graph call failed: the drill injected nothing");
  return {
    injected: `Graph 500/131000 for 5 s then 429/130429 for 5 s (${failed} calls failed)`,
    problems,
  };
};
