/**
 * Drill: 10% of webhooks delivered twice (same bytes, same signature; half of
 * them concurrently with the first delivery, half up to 1.5 s later), and every
 * reply's status webhooks delivered again in reverse order (`read`, then
 * `delivered`, then `sent`; every third `read` twice at once), on top of the
 * simulator's own in-order ones. Beyond the exactly-once accounting, every reply
 * must end `read`: a late `sent` or `delivered` must not move a tick back.
 */

import { statusWebhook } from "../../test/kit/meta-payloads.ts";
import type { Product } from "../bench/product.ts";
import { DEMO } from "../demo-data.ts";
import { type Drill, sleep, steadyLoad } from "./common.ts";

/** Outbound messages at the simulator whose text starts with `prefix`: wamid, customer, text. */
async function simOutbound(
  product: Product,
  prefix: string,
): Promise<{ wamid: string; customer: string; text: string; callback?: string }[]> {
  const out: { wamid: string; customer: string; text: string; callback?: string }[] = [];
  for (const customer of product.customers) {
    const res = await fetch(`${product.stack.simUrl}/_sim/threads/${customer}`);
    const body = (await res.json()) as {
      messages: {
        id: string;
        direction: string;
        text: string;
        raw: { biz_opaque_callback_data?: string };
      }[];
    };
    for (const m of body.messages) {
      if (m.direction === "out" && m.text.startsWith(prefix)) {
        // Meta repeats the callback data we sent with the message in each of its statuses.
        const callback = m.raw.biz_opaque_callback_data;
        out.push({ wamid: m.id, customer, text: m.text, ...(callback ? { callback } : {}) });
      }
    }
  }
  return out;
}

/** The drill (see the module comment). */
export const duplicatesAndDisorder: Drill = async (product, prefix, { seconds }) => {
  const problems: string[] = [];
  let duplicates = 0;
  let concurrent = 0;
  let statuses = 0;
  const handled = new Set<string>();
  const status = (m: { wamid: string; customer: string; callback?: string }, s: string) => {
    statuses += 1;
    const item = { id: m.wamid, status: s, recipient: m.customer, callback: m.callback };
    return product.webhook(JSON.stringify(statusWebhook(DEMO.number.phoneNumberId, [item])));
  };
  // Replays each new reply's statuses backwards, as soon as the reply reaches the simulator.
  const replayStatuses = async () => {
    for (const m of await simOutbound(product, `re:${prefix}.`)) {
      if (handled.has(m.wamid)) continue;
      handled.add(m.wamid);
      const reads = handled.size % 3 === 0 ? 2 : 1;
      await Promise.all(Array.from({ length: reads }, () => status(m, "read")));
      await status(m, "delivered");
      await status(m, "sent");
    }
  };
  let loading = true;
  const poller = (async () => {
    while (loading) {
      await replayStatuses().catch((err: unknown) => problems.push(`status replay: ${err}`));
      await sleep(500);
    }
  })();

  const { ids, errors } = await steadyLoad(product, prefix, 10, seconds, async (i, body, sent) => {
    if (i % 10 !== 3) return sent;
    duplicates += 1;
    if (i % 20 === 3) {
      concurrent += 1;
      await Promise.all([sent, product.webhook(body)]);
      return;
    }
    await sent;
    await sleep(Math.random() * 1500);
    await product.webhook(body);
  });
  if (errors) problems.push(`${errors} webhook deliveries were not answered 200`);

  // Every reply must reach the simulator and get its reversed statuses before the check.
  await product.drainFrames(ids, 60_000);
  const deadline = Date.now() + 60_000;
  while (handled.size < ids.length && Date.now() < deadline) await sleep(500);
  loading = false;
  await poller;
  await replayStatuses();
  await sleep(1000); // the last status webhooks reach their conversations

  // No tick went back: every reply of this drill ends `read`.
  let notRead = 0;
  for (const agent of product.agents) {
    for (const conversation of agent.conversations) {
      for (const m of await agent.storedMessages(conversation)) {
        if (m.direction === "out" && m.text.startsWith(`re:${prefix}.`) && m.status !== "read") {
          notRead += 1;
        }
      }
    }
  }
  if (notRead)
    problems.push(`${notRead} replies did not end "read" (a late status moved a tick back)`);
  return {
    injected: `${duplicates} duplicate webhooks (${concurrent} concurrent), ${statuses} reordered status webhooks`,
    problems,
  };
};
