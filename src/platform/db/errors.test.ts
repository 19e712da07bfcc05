import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { failedConstraint } from "./errors";

const unique = new Error(
  "D1_ERROR: UNIQUE constraint failed: customers.tenant_id, customers.contact_key: SQLITE_CONSTRAINT",
);
const check = new Error("D1_ERROR: CHECK constraint failed: version_guard_ok: SQLITE_CONSTRAINT");

describe("failedConstraint", () => {
  it("reads D1's error as a batch throws it", () => {
    expect(failedConstraint(unique, "UNIQUE")).toBe(true);
    expect(failedConstraint(unique, "CHECK")).toBe(false);
    expect(failedConstraint(check, "CHECK")).toBe(true);
  });

  it("reads the D1 error a single drizzle query wraps", () => {
    const wrapped = new DrizzleQueryError("insert into customers …", ["+393331234567"], unique);
    expect(failedConstraint(wrapped, "UNIQUE")).toBe(true);
  });

  it("never reads the constraint from the parameters a user sent", () => {
    const io = new Error("D1_ERROR: Network connection lost.");
    const wrapped = new DrizzleQueryError(
      "insert into customers …",
      ["UNIQUE constraint failed"],
      io,
    );
    expect(failedConstraint(wrapped, "UNIQUE")).toBe(false);
  });

  it("is false for anything else thrown", () => {
    expect(failedConstraint(new Error("D1_ERROR: no such table: x"), "UNIQUE")).toBe(false);
    expect(failedConstraint(undefined, "CHECK")).toBe(false);
  });
});
