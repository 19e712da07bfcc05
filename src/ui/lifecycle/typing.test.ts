import { describe, expect, it } from "vitest";
import { createTypingThrottle } from "./typing.ts";

describe("createTypingThrottle", () => {
  it("lets one notice through per conversation every interval", () => {
    const throttle = createTypingThrottle(3000);
    expect(throttle.shouldSend("c1", 10_000)).toBe(true);
    expect(throttle.shouldSend("c1", 10_500)).toBe(false);
    expect(throttle.shouldSend("c1", 12_999)).toBe(false);
    expect(throttle.shouldSend("c1", 13_000)).toBe(true);
    expect(throttle.shouldSend("c1", 13_001)).toBe(false);
  });

  it("keeps conversations apart", () => {
    const throttle = createTypingThrottle(3000);
    expect(throttle.shouldSend("c1", 10_000)).toBe(true);
    expect(throttle.shouldSend("c2", 10_100)).toBe(true);
    expect(throttle.shouldSend("c2", 10_200)).toBe(false);
  });

  it("does not stay silent when the clock jumps back", () => {
    const throttle = createTypingThrottle(3000);
    expect(throttle.shouldSend("c1", 10_000)).toBe(true);
    expect(throttle.shouldSend("c1", 5_000)).toBe(true);
    expect(throttle.shouldSend("c1", 6_000)).toBe(false);
  });
});
