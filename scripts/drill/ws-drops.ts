/**
 * Drill: every agent's WebSocket is closed under them in the middle of a burst
 * (batched webhooks of 50 messages on top of the steady load), twice per burst,
 * and they resume as the desktop does (`resume` with their last seq: replay, or
 * a fresh snapshot and a catch-up fetch). Nothing may be missed or shown twice.
 */

import { benchText } from "../bench/agents.ts";
import type { Product } from "../bench/product.ts";
import { webhookBody } from "../bench/product.ts";
import { type Drill, sleep, steadyLoad } from "./common.ts";

/** `batches` POSTs of `size` messages each, 100 ms apart; all agents dropped after the first and the middle one. */
async function burstWithDrops(
  product: Product,
  prefix: string,
  batches: number,
  size: number,
): Promise<{ drops: number; errors: number }> {
  let drops = 0;
  let errors = 0;
  const posts: Promise<void>[] = [];
  for (let b = 0; b < batches; b++) {
    const messages: [string, string][] = [];
    for (let j = 0; j < size; j++) {
      const id = `${prefix}.b${b}.${j}`;
      product.tracker.sentAt.set(id, performance.now());
      messages.push([product.customers[j % product.customers.length] ?? "", benchText(id)]);
    }
    posts.push(
      product.webhook(webhookBody(messages)).catch(() => {
        errors += 1;
      }),
    );
    if (b === 0 || b === Math.floor(batches / 2)) {
      for (const agent of product.agents) agent.drop();
      drops += product.agents.length;
    }
    await sleep(100);
  }
  await Promise.all(posts);
  return { drops, errors };
}

/** The drill (see the module comment). */
export const wsDrops: Drill = async (product, prefix) => {
  const problems: string[] = [];
  const reconnectsBefore = product.agents.reduce((n, a) => n + a.reconnects, 0);
  const gapsBefore = product.agents.reduce((n, a) => n + a.gaps, 0);
  const bursts = (async () => {
    let drops = 0;
    let errors = 0;
    for (const at of [5000, 7000]) {
      await sleep(at);
      const r = await burstWithDrops(product, `${prefix}.burst${at}`, 6, 50);
      drops += r.drops;
      errors += r.errors;
    }
    return { drops, errors };
  })();
  const { errors } = await steadyLoad(product, prefix, 10, 20);
  const burst = await bursts;
  if (errors + burst.errors)
    problems.push(`${errors + burst.errors} webhook POSTs were not answered 200`);
  const reconnects = product.agents.reduce((n, a) => n + a.reconnects, 0) - reconnectsBefore;
  const gaps = product.agents.reduce((n, a) => n + a.gaps, 0) - gapsBefore;
  if (reconnects < burst.drops)
    problems.push(`${burst.drops} drops but only ${reconnects} resumes`);
  return {
    injected: `${burst.drops} WebSocket drops during 2 bursts of 6×50 messages (${reconnects} resumes, ${gaps} of them after a seq gap)`,
    problems,
  };
};
