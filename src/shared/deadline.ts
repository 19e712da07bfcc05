/**
 * A deadline for a request and the reading of its answer. `run` gets a signal
 * that aborts with a `TimeoutError` after `ms` (as `AbortSignal.timeout`'s
 * does), and the timer is cleared as soon as `run` settles.
 * `AbortSignal.timeout` cannot be cleared: its timer stays armed after the
 * answer, and firing it wakes the isolate once more per request, long after
 * the work is done.
 */
export async function withDeadline<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${ms} ms`, "TimeoutError")),
    ms,
  );
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
