/**
 * The open-loop load generator: requests leave at the target rate whether or not
 * earlier ones were answered (a closed loop would slow down with the server and
 * hide its queueing), and each request's latency is recorded.
 */
import { Agent, request } from "node:http";

/** What one open-loop run measured. */
export interface LoadResult {
  offeredRate: number;
  /** Successful responses per second over the run (until the last answer). */
  achievedRate: number;
  /** Latency of each successful request, ms. */
  latencies: number[];
  errors: number;
  sent: number;
}

/**
 * Calls `send(i)` for i = 0… at `rate` per second for `seconds`, on a schedule
 * fixed in advance; `send` resolves when its request was answered with success
 * and rejects otherwise. Resolves once every request has settled.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<void>,
): Promise<LoadResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let lastDone = start;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      send(i).then(
        () => {
          lastDone = performance.now();
          latencies.push(lastDone - t0);
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = Math.max(seconds * 1000, lastDone - start) / 1000;
  return {
    offeredRate: rate,
    achievedRate: latencies.length / elapsed,
    latencies,
    errors,
    sent: total,
  };
}

/**
 * Connections the generator keeps open per server, as a real sender (Meta's
 * webhook delivery included) keeps a bounded pool. A request due while all are
 * busy waits in the client, and its latency still counts from when it was due.
 * Unbounded, an overloaded local stack was sent thousands of connections at
 * once and ran out of file descriptors, which measured the operating system.
 */
export const CONNECTIONS = 64;
const pool = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

/** POSTs `body` to `url` with `headers` over the bounded pool; rejects unless 200. */
export function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: pool,
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume();
        res.on("error", reject);
        res.on("end", () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`${url} answered ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
