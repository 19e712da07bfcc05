/**
 * What every drill shares: the steady load it runs under, the exactly-once
 * accounting of its own messages afterwards, and the summary table.
 */
import { openLoop } from "../bench/load.ts";
import type { Accounting, Product } from "../bench/product.ts";

/** One drill's outcome, as the summary prints it. */
export interface DrillResult {
  drill: string;
  /** What was injected, in words, with counts. */
  injected: string;
  lost: number;
  duplicated: number;
  /** Anything else the drill checked that failed (empty when all held). */
  problems: string[];
  accounting: Accounting;
  ok: boolean;
}

/** How long a drill's steady load runs (the quick set in `npm test` runs shorter). */
export interface DrillOptions {
  seconds: number;
}

/** A drill: runs its load and faults on `product`, using ids that start with `prefix`. */
export type Drill = (
  product: Product,
  prefix: string,
  options: DrillOptions,
) => Promise<{
  injected: string;
  problems?: string[];
}>;

/**
 * Open-loop `rate` msg/s for `seconds`, one text per webhook, ids `${prefix}.${i}`.
 * `deliver(i, body, sent)` may add to message i's delivery (send it again, …) and
 * resolves when all of it was answered; by default it is just `sent`. Resolves with
 * the ids once every webhook was answered, and how many were not answered 200.
 */
export async function steadyLoad(
  product: Product,
  prefix: string,
  rate: number,
  seconds: number,
  deliver: (i: number, body: string, sent: Promise<void>) => Promise<void> = (_i, _b, sent) => sent,
): Promise<{ ids: string[]; errors: number }> {
  const ids: string[] = [];
  const load = await openLoop(rate, seconds, (i) => {
    const id = `${prefix}.${i}`;
    ids.push(id);
    const { body, sent } = product.send(id, i);
    return deliver(i, body, sent);
  });
  return { ids, errors: load.errors };
}

/** Runs `drill`, waits for its messages to settle, and accounts for exactly those. */
export async function runDrill(
  product: Product,
  name: string,
  drill: Drill,
  options: DrillOptions,
): Promise<DrillResult> {
  const prefix = `drill-${name.replaceAll(/[^\w]+/g, "-")}`;
  console.log(`drill: ${name}…`);
  const { injected, problems = [] } = await drill(product, prefix, options);
  const mine = (id: string) => id.startsWith(`${prefix}.`);
  await product.drainFrames([...product.tracker.sentAt.keys()].filter(mine), 60_000);
  const accounting = await product.account(mine);
  if (accounting.replyErrors) problems.push(`${accounting.replyErrors} reply POSTs failed`);
  if (!accounting.capacityOk) problems.push("an agent went above their limit");
  const result: DrillResult = {
    drill: name,
    injected,
    lost: accounting.lost,
    duplicated: accounting.duplicated,
    problems,
    accounting,
    ok: accounting.ok && problems.length === 0,
  };
  console.log(
    `  injected ${injected}; ${accounting.messagesSent} messages, ${accounting.repliesAttempted} replies; lost ${result.lost}, duplicated ${result.duplicated}${problems.length ? `; ${problems.join("; ")}` : ""} → ${result.ok ? "ok" : "FAILED"}`,
  );
  if (!accounting.ok) {
    const { shownNotOnce, storedNotOnce, repliedNotOnce } = accounting;
    console.log(`  ${JSON.stringify({ shownNotOnce, storedNotOnce, repliedNotOnce })}`);
  }
  return result;
}

/** The summary as a Markdown table. */
export function summaryTable(results: DrillResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.drill} | ${r.injected} | ${r.accounting.messagesSent} / ${r.accounting.repliesAttempted} | ${r.lost} | ${r.duplicated} | ${r.ok ? "ok" : `FAILED${r.problems.length ? `: ${r.problems.join("; ")}` : ""}`} |`,
  );
  return [
    "| drill | injected | messages / replies | lost | duplicated | verdict |",
    "| ----- | -------- | ------------------ | ---- | ---------- | ------- |",
    ...rows,
  ].join("\n");
}

/**
 * Plays Meta's retries: a delivery not answered 200 is sent again, with the
 * same body and a growing pause, up to 10 times (Meta keeps trying for days;
 * a drill has seconds). `deliver` fits `steadyLoad`.
 */
export function metaRetries(product: Product): {
  deliver: (i: number, body: string, sent: Promise<void>) => Promise<void>;
  redelivered: () => number;
} {
  let redelivered = 0;
  const deliver = async (_i: number, body: string, sent: Promise<void>) => {
    try {
      await sent;
      return;
    } catch {
      // retried below
    }
    for (let attempt = 1; ; attempt++) {
      await sleep(Math.min(500 * attempt, 3000));
      redelivered += 1;
      try {
        await product.webhook(body);
        return;
      } catch (err) {
        if (attempt === 10) throw err;
      }
    }
  };
  return { deliver, redelivered: () => redelivered };
}

/** POSTs `body` to one of the product's drill hooks (`/_drill/<hook>`); its JSON answer. */
export async function drillHook(product: Product, hook: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${product.stack.url}/_drill/${hook}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) {
    await res.arrayBuffer();
    throw new Error(`/_drill/${hook} answered ${res.status}`);
  }
  return res.json();
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
