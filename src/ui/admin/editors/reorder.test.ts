import { describe, expect, it } from "vitest";
import { moveBy, moveTo, orderBy } from "./reorder.ts";

describe("reorder", () => {
  const ids = ["a", "b", "c", "d"];

  it("moves an id up and down", () => {
    expect(moveBy(ids, "c", -1)).toEqual(["a", "c", "b", "d"]);
    expect(moveBy(ids, "a", 1)).toEqual(["b", "a", "c", "d"]);
    expect(ids).toEqual(["a", "b", "c", "d"]);
  });

  it("returns the same array when nothing moves", () => {
    expect(moveBy(ids, "a", -1)).toBe(ids);
    expect(moveBy(ids, "d", 1)).toBe(ids);
    expect(moveBy(ids, "zz", 1)).toBe(ids);
  });

  it("moves to an index, clamped", () => {
    expect(moveTo(ids, 0, 3)).toEqual(["b", "c", "d", "a"]);
    expect(moveTo(ids, 3, 0)).toEqual(["d", "a", "b", "c"]);
    expect(moveTo(ids, 1, 99)).toEqual(["a", "c", "d", "b"]);
    expect(moveTo(ids, 9, 0)).toBe(ids);
  });

  it("orders items by an id list, keeping unknown ones last", () => {
    const items = [{ id: "a" }, { id: "b" }, { id: "x" }, { id: "c" }];
    expect(orderBy(items, ["c", "a", "b"], (i) => i.id).map((i) => i.id)).toEqual([
      "c",
      "a",
      "b",
      "x",
    ]);
  });
});
