/**
 * Drill: D1 refuses the pipeline's writes for 6 s (through the drill hook)
 * while the steady load goes on and new customers write for the first time —
 * the path that must create the customer in D1 before the conversation can be
 * routed. Their deliveries are not acknowledged while D1 fails, so Meta sends
 * them again; once D1 is back each must be stored, shown and answered once,
 * and each new customer created once.
 */
import { benchText } from "../bench/agents.ts";
import type { Product } from "../bench/product.ts";
import { type Drill, drillHook, metaRetries, sleep, steadyLoad } from "./common.ts";

/** Opens (or, with 0, just reads) the window of refused writes; how many failed so far. */
async function failD1Writes(product: Product, forMs: number): Promise<number> {
  return ((await drillHook(product, "d1-writes", { forMs })) as { failed: number }).failed;
}

/** The drill (see the module comment). */
export const d1Writes: Drill = async (product, prefix, { seconds }) => {
  const problems: string[] = [];
  const retries = metaRetries(product);
  // Seats are left for these: the drill's product has 4 agents × 10 for 30 customers.
  const newcomers = Array.from(
    { length: 6 },
    (_, i) => `39399${String(Date.now() % 1e5).padStart(5, "0")}${i}`,
  );
  product.newcomers.push(...newcomers);
  const failedBefore = await failD1Writes(product, 0);
  let refusedFirst = 0;
  const fault = (async () => {
    await sleep(3000);
    await failD1Writes(product, 6000);
    // Through the simulator, which opens their 24-hour window (so replies are
    // accepted) and, like Meta, retries a delivery that was not acknowledged.
    for (let round = 0; round < 3; round++) {
      for (const [j, customer] of newcomers.entries()) {
        const id = `${prefix}.new${j}.${round}`;
        product.tracker.sentAt.set(id, performance.now());
        const res = await fetch(`${product.stack.simUrl}/_sim/inbound`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ from: customer, text: benchText(id) }),
        });
        const first = (await res.json()) as { httpStatus: number | null };
        if (first.httpStatus !== 200) refusedFirst += 1;
      }
      await sleep(1500);
    }
  })();
  const { errors } = await steadyLoad(product, prefix, 10, seconds, retries.deliver);
  await fault;
  const failed = (await failD1Writes(product, 0)) - failedBefore;
  if (errors) problems.push(`${errors} deliveries never acknowledged after Meta's retries`);
  if (failed === 0) problems.push("no D1 write failed: the drill injected nothing");
  // A newcomer's last refused delivery may still be waiting for the simulator's retry
  // (Meta's backoff): wait for it, but a duplicate never goes away, so it fails at once.
  let created = await customersNamed(product, newcomers);
  for (let waited = 0; waited < 20_000; waited += 500) {
    const counts = [...created.values()];
    if (counts.every((n) => n === 1) || counts.some((n) => n > 1)) break;
    await sleep(500);
    created = await customersNamed(product, newcomers);
  }
  const twice = newcomers.filter((c) => (created.get(c) ?? 0) !== 1);
  if (twice.length) problems.push(`customers not created exactly once: ${twice.join(", ")}`);
  return {
    injected: `D1 writes refused for 6 s (${failed} writes failed; ${refusedFirst} first deliveries refused and retried by the simulator, ${retries.redelivered()} by the load generator) while ${newcomers.length} new customers wrote`,
    problems,
  };
};

/** How many customer records each phone has (through the admin API). */
async function customersNamed(product: Product, phones: string[]): Promise<Map<string, number>> {
  const cookie = await product.adminCookie();
  const found = new Map<string, number>();
  for (const phone of phones) {
    const res = await fetch(`${product.stack.url}/api/customers?q=${encodeURIComponent(phone)}`, {
      headers: { Cookie: cookie },
    });
    const body = (await res.json()) as { items?: { phone: string | null }[] };
    found.set(phone, (body.items ?? []).filter((c) => c.phone === `+${phone}`).length);
  }
  return found;
}
