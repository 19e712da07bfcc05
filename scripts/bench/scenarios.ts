/**
 * The bench's scenarios, each measured on the product and (at the same rate,
 * with the same bodies) on the floor: steady rate, a ramp, batched bursts.
 */
import { type Floor, floorRun } from "./floor.ts";
import { openLoop } from "./load.ts";
import type { Product } from "./product.ts";
import { webhookBody } from "./product.ts";
import { type ScenarioResult, type Stats, stats } from "./report.ts";

/** Open-loop `rate` msg/s for `seconds` on the product; waits for its frames and replies. */
export async function steady(
  product: Product,
  name: string,
  rate: number,
  seconds: number,
): Promise<ScenarioResult> {
  const { tracker } = product;
  tracker.endToEnd = [];
  const ids: string[] = [];
  const load = await openLoop(rate, seconds, (i) => {
    const id = `${name.replaceAll(/[^\w]+/g, "-")}.${i}`;
    ids.push(id);
    return product.send(id, i).sent;
  });
  await product.drainFrames(ids, 60_000);
  const endToEnd = tracker.endToEnd;
  const replies = await product.replyLatencies(ids, 60_000);
  const missing = ids.length - ids.filter((id) => tracker.frames.has(id)).length;
  return {
    name,
    offeredRate: rate,
    achievedRate: load.achievedRate,
    ack: stats(load.latencies),
    endToEnd: stats(endToEnd),
    replyToGraph: stats(replies),
    errors: load.errors,
    ...(missing ? { notes: `${missing} of ${ids.length} not shown within 60 s` } : {}),
  };
}

/**
 * A rate was sustained: (nearly) all of it achieved, and the median answer stays
 * under 100 ms (no queue building up). Applied alike to the product and the floor.
 */
const sustained = (offered: number, achieved: number, p50: number) =>
  achieved >= offered * 0.95 && p50 < 100;

/**
 * Ramp: each rate for `seconds` until the product no longer sustains it (acks)
 * or does not show every message. Returns the steps, the highest rate held with
 * p99 webhook→agent under 100 ms, and the highest rate sustained.
 */
export async function ramp(
  product: Product,
  rates: number[],
  seconds: number,
): Promise<{ steps: ScenarioResult[]; maxHeld: number; maxSustained: number }> {
  const steps: ScenarioResult[] = [];
  let maxHeld = 0;
  let maxSustained = 0;
  for (const rate of rates) {
    const step = await steady(product, `ramp ${rate}/s`, rate, seconds);
    steps.push(step);
    console.log(
      `  ${step.name}: achieved ${step.achievedRate.toFixed(1)}/s, ack p50 ${step.ack.p50.toFixed(1)} ms, e2e p99 ${step.endToEnd.p99.toFixed(1)} ms`,
    );
    const allShown = step.endToEnd.n >= step.ack.n;
    if (!allShown || !sustained(rate, step.achievedRate, step.ack.p50)) break;
    maxSustained = rate;
    if (step.endToEnd.p99 < 100) maxHeld = rate;
  }
  return { steps, maxHeld, maxSustained };
}

/** The floor at one rate: the bare route and the bare Durable Object. */
export interface FloorStep {
  rate: number;
  noop: Stats;
  store: Stats;
  storeAchieved: number;
  /** The object kept up: ≥ 95% achieved, p50 < 100 ms. */
  sustained: boolean;
}

/**
 * The floor alone (nothing else running): each rate of `rates` against `/noop`
 * and `/store/number` (one object, as every webhook of a number meets one
 * NumberActor), until the object no longer sustains a rate.
 */
export async function floorRamp(
  floor: Floor,
  body: string,
  rates: number[],
  seconds: number,
): Promise<FloorStep[]> {
  await floorRun(floor, "/store/number", 20, 2, () => body); // warm up
  const out: FloorStep[] = [];
  for (const rate of rates) {
    const noop = await floorRun(floor, "/noop", rate, seconds, () => body);
    const store = await floorRun(floor, "/store/number", rate, seconds, () => body);
    const step = {
      rate,
      noop: stats(noop.latencies),
      store: stats(store.latencies),
      storeAchieved: store.achievedRate,
      sustained: sustained(rate, store.achievedRate, stats(store.latencies).p50),
    };
    out.push(step);
    console.log(
      `  floor ${rate}/s: noop p99 ${step.noop.p99.toFixed(1)} ms; DO achieved ${step.storeAchieved.toFixed(1)}/s, p99 ${step.store.p99.toFixed(1)} ms`,
    );
    if (!step.sustained) break;
  }
  return out;
}

/**
 * `count` batched POSTs of `size` messages each (spread over the customers),
 * `gapMs` apart: the ack of each batch and every message's webhook→agent time.
 */
export async function burst(
  product: Product,
  floor: Floor,
  count: number,
  size: number,
  gapMs: number,
): Promise<ScenarioResult> {
  const { tracker } = product;
  tracker.endToEnd = [];
  const ids: string[] = [];
  const acks: number[] = [];
  const floorAcks: number[] = [];
  const bodies: string[] = [];
  let errors = 0;
  const start = performance.now();
  for (let b = 0; b < count; b++) {
    const messages: [string, string][] = [];
    for (let i = 0; i < size; i++) {
      const id = `burst.${b}.${i}`;
      ids.push(id);
      messages.push([product.customers[i % product.customers.length] ?? "", `bench:${id}:`]);
    }
    const body = webhookBody(messages);
    bodies.push(body);
    const t0 = performance.now();
    for (const id of ids.slice(-size)) tracker.sentAt.set(id, t0);
    try {
      await product.webhook(body);
      acks.push(performance.now() - t0);
      console.log(`  burst POST ${b + 1}/${count}: acknowledged in ${acks.at(-1)!.toFixed(0)} ms`);
    } catch {
      errors += 1;
    }
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await product.drainFrames(ids, 120_000);
  const seconds = (performance.now() - start) / 1000;
  // The same bodies on the floor's object, once the product is quiet.
  for (const body of bodies) {
    const f0 = performance.now();
    const r = await fetch(`${floor.url}/store/number`, { method: "POST", body });
    await r.arrayBuffer();
    floorAcks.push(performance.now() - f0);
  }
  const replies = await product.replyLatencies(ids, 120_000);
  const shown = ids.filter((id) => tracker.frames.has(id)).length;
  return {
    name: `burst ${count}×${size}`,
    offeredRate: (count * size) / ((count * gapMs) / 1000),
    achievedRate: shown / seconds,
    ack: stats(acks),
    endToEnd: stats(tracker.endToEnd),
    replyToGraph: stats(replies),
    floorStore: stats(floorAcks),
    errors,
    notes: `ack is per ${size}-message POST; achieved = messages shown to agents per second until the last one; ${ids.length - shown} not shown within 120 s`,
  };
}
