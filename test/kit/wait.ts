/** Waiting for what the system finishes after answering. Pure: usable in workerd and in Node. */

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value, which it resolves
 * with (actors finish work after responding); fails after `timeoutMs`.
 */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
