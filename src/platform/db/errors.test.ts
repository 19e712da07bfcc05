import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { failedConstraint, redacted } from "./errors";

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

  it("tells one column's constraint from another's", () => {
    const email = new Error("D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT");
    expect(failedConstraint(email, "UNIQUE", "users.email")).toBe(true);
    expect(failedConstraint(email, "UNIQUE", "managed_numbers.phone_number_id")).toBe(false);
    const wrapped = new DrizzleQueryError("insert into users …", ["a@b.c"], email);
    expect(failedConstraint(wrapped, "UNIQUE", "users.email")).toBe(true);
  });

  it("is false for anything else thrown", () => {
    expect(failedConstraint(new Error("D1_ERROR: no such table: x"), "UNIQUE")).toBe(false);
    expect(failedConstraint(undefined, "CHECK")).toBe(false);
  });
});

describe("redacted", () => {
  it("keeps a failed query's SQL and D1's error but not its parameters", () => {
    const d1Error = new Error("D1_ERROR: UNIQUE constraint failed: customers.phone");
    const err = new DrizzleQueryError(
      "insert into customers (phone) values (?)",
      ["+393331234567"],
      d1Error,
    );
    const logged = redacted(err) as Error;
    expect(String(err.message)).toContain("+393331234567");
    expect(logged.message).not.toContain("+393331234567");
    expect(logged.message).toContain("insert into customers");
    expect(logged.cause).toBe(d1Error);
    const other = new Error("plain");
    expect(redacted(other)).toBe(other);
  });
});
