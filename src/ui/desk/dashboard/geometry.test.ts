import { describe, expect, it } from "vitest";
import { linePoints, niceMax, pieSlices } from "./geometry.ts";

describe("niceMax", () => {
  it("rounds an axis top up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 1, 2, 3, 7, 10, 11, 26, 99, 140].map(niceMax)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 50, 100, 200,
    ]);
  });
});

describe("pieSlices", () => {
  it("draws nothing when every value is zero", () => {
    expect(pieSlices([{ key: "a", value: 0 }], 50, 50, 40)).toEqual([]);
  });

  it("draws a whole disc for a single non-zero value", () => {
    const [slice] = pieSlices(
      [
        { key: "ready", value: 0 },
        { key: "break", value: 3 },
      ],
      50,
      50,
      40,
    );
    expect(slice).toMatchObject({ key: "break", value: 3, percent: 100 });
    expect(slice!.path).toBe(
      "M 50.000 10.000 A 40 40 0 1 1 50.000 90.000 A 40 40 0 1 1 50.000 10.000 Z",
    );
  });

  it("splits clockwise from twelve o'clock, the larger arc flagged", () => {
    const slices = pieSlices(
      [
        { key: "a", value: 1 },
        { key: "b", value: 3 },
      ],
      50,
      50,
      40,
    );
    expect(slices.map((s) => s.percent)).toEqual([25, 75]);
    // A quarter: from the top to three o'clock, small arc.
    expect(slices[0]!.path).toBe("M 50 50 L 50.000 10.000 A 40 40 0 0 1 90.000 50.000 Z");
    expect(slices[1]!.path).toBe("M 50 50 L 90.000 50.000 A 40 40 0 1 1 50.000 10.000 Z");
  });
});

describe("linePoints", () => {
  it("spreads the values across the width, the maximum at the top", () => {
    expect(linePoints([0, 2, 4], 100, 50, 4)).toEqual([
      { x: 0, y: 50 },
      { x: 50, y: 25 },
      { x: 100, y: 0 },
    ]);
  });
});
