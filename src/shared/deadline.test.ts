import { describe, expect, it } from "vitest";
import { withDeadline } from "./deadline";

describe("withDeadline", () => {
  it("gives the answer that comes in time, its signal never aborted", async () => {
    let seen: AbortSignal | null = null;
    const value = await withDeadline(1000, async (signal) => {
      seen = signal;
      return 42;
    });
    expect(value).toBe(42);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen!.aborted).toBe(false);
  });

  it("aborts what takes longer with a TimeoutError, as AbortSignal.timeout does", async () => {
    const err = await withDeadline(
      10,
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason)),
        ),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe("TimeoutError");
  });
});
