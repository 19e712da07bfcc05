import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { d1Error } from "./d1";

describe("d1Error", () => {
  it("gives D1's own error, without the bound values drizzle quotes", () => {
    const cause = new Error("D1_ERROR: write refused");
    const wrapped = new DrizzleQueryError(
      "insert into customers …",
      ["+393331234567", "Lia"],
      cause,
    );
    expect(wrapped.message).toContain("+393331234567");
    expect(d1Error(wrapped)).toBe(cause);
  });

  it("leaves any other error as it is", () => {
    const other = new Error("boom");
    expect(d1Error(other)).toBe(other);
    expect(d1Error("text")).toBe("text");
  });
});
