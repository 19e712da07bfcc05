import { describe, expect, it } from "vitest";
import { formatElapsed } from "./i18n.ts";

describe("formatElapsed", () => {
  const now = Date.UTC(2026, 11, 8, 12, 0, 0);
  const ago = (ms: number) => now - ms;
  const HOUR = 3_600_000;

  it("reads as a clock within the day", () => {
    expect(formatElapsed("en", ago(75_000), now)).toBe("1:15");
    expect(formatElapsed("en", ago(5 * HOUR + 61_000), now)).toBe("5:01:01");
  });

  it("in days and hours within the week, in each language", () => {
    expect(formatElapsed("en", ago(3 * 24 * HOUR + 4 * HOUR + 5_000), now)).toBe("3d 4h");
    expect(formatElapsed("it", ago(3 * 24 * HOUR + 4 * HOUR), now)).toBe("3gg 4h");
    expect(formatElapsed("en", ago(2 * 24 * HOUR), now)).toBe("2d");
  });

  it("as a date beyond, never as 95134 hours", () => {
    expect(formatElapsed("en", Date.UTC(2026, 10, 12, 9), now)).toBe("Nov 12");
    expect(formatElapsed("it", Date.UTC(2026, 10, 12, 9), now)).toBe("12 nov");
    expect(formatElapsed("en", Date.UTC(2016, 0, 3, 9), now)).toBe("Jan 3, 2016");
  });
});
