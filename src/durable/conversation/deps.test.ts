import { describe, expect, it } from "vitest";
import { oneAtATime } from "./deps";

describe("one run at a time", () => {
  it("joins a call made while a run is under way, and starts a new run after it", async () => {
    const settle = () => new Promise((r) => setTimeout(r, 0));
    let runs = 0;
    let finish = () => {};
    const run = oneAtATime(() => {
      runs += 1;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    const first = run();
    // Not started before the caller's synchronous work is done.
    expect(runs).toBe(0);
    const second = run();
    expect(second).toBe(first);
    await settle();
    expect(runs).toBe(1);
    finish();
    await first;
    const third = run();
    expect(third).not.toBe(first);
    await settle();
    expect(runs).toBe(2);
    finish();
    await third;
  });

  it("starts again after a run that failed", async () => {
    let runs = 0;
    const run = oneAtATime(async () => {
      runs += 1;
      if (runs === 1) throw new Error("boom");
    });
    await expect(run()).rejects.toThrow("boom");
    await run();
    expect(runs).toBe(2);
  });
});
