import { describe, expect, it } from "vitest";
import { tabAfterKey } from "./tabs.ts";

describe("tabAfterKey", () => {
  const keys = ["details", "history", "more"];
  it("moves with the arrows, wrapping at both ends", () => {
    expect(tabAfterKey(keys, "details", "ArrowRight")).toBe(1);
    expect(tabAfterKey(keys, "more", "ArrowRight")).toBe(0);
    expect(tabAfterKey(keys, "details", "ArrowLeft")).toBe(2);
    expect(tabAfterKey(keys, "history", "ArrowLeft")).toBe(0);
  });
  it("jumps with Home and End, and ignores other keys", () => {
    expect(tabAfterKey(keys, "history", "Home")).toBe(0);
    expect(tabAfterKey(keys, "details", "End")).toBe(2);
    expect(tabAfterKey(keys, "details", "Enter")).toBeNull();
  });
});
