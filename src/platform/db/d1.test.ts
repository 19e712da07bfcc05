import { env } from "cloudflare:workers";
import { DrizzleQueryError, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uid } from "../../../test/helpers";
import { d1, failUnlessChanged, inOneBatch, isConstraintError, rawStatement } from "./d1";
import { tenants } from "./schema";

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("it did not fail");
}

describe("isConstraintError", () => {
  const d1Error = new Error("D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT");

  it("reads D1's own error, and the one drizzle wraps it in", () => {
    expect(isConstraintError(d1Error, "UNIQUE")).toBe(true);
    expect(isConstraintError(d1Error, "UNIQUE", "users.email")).toBe(true);
    const wrapped = new DrizzleQueryError("insert into users …", ["a@b.c"], d1Error);
    expect(isConstraintError(wrapped, "UNIQUE", "users.email")).toBe(true);
  });

  it("tells kinds and columns apart", () => {
    expect(isConstraintError(d1Error, "CHECK")).toBe(false);
    expect(isConstraintError(d1Error, "UNIQUE", "managed_numbers.phone_number_id")).toBe(false);
    expect(isConstraintError(new Error("D1_ERROR: no such table: x"), "UNIQUE")).toBe(false);
    expect(isConstraintError(undefined, "CHECK")).toBe(false);
  });

  it("never reads the query's values that drizzle's own message repeats", () => {
    const other = new Error("D1_ERROR: too many SQL variables");
    const wrapped = new DrizzleQueryError("insert …", ["CHECK constraint failed"], other);
    expect(isConstraintError(wrapped, "CHECK")).toBe(false);
  });
});

describe("batches", () => {
  it("a rawStatement binds its values and goes in a batch with builder statements, in order", async () => {
    const db = d1(env.DB);
    const id = uid("tenant");
    const [inserted] = await inOneBatch(db, [
      rawStatement(db, sql`INSERT INTO tenants (id, name) VALUES (${id}, ${"It's 'quoted'"})`),
      db
        .update(tenants)
        .set({ name: sql`${tenants.name} || ${"!"}` })
        .where(eq(tenants.id, id)),
    ]);
    expect((inserted as D1Result).meta.changes).toBe(1);
    const row = await db
      .select({ name: tenants.name })
      .from(tenants)
      .where(eq(tenants.id, id))
      .get();
    expect(row?.name).toBe("It's 'quoted'!");
  });

  it("failUnlessChanged rolls the whole batch back when the update before it changed nothing", async () => {
    const db = d1(env.DB);
    const id = uid("tenant");
    const err = await failure(
      inOneBatch(db, [
        db.insert(tenants).values({ id, name: "T" }),
        db.update(tenants).set({ name: "U" }).where(eq(tenants.id, "no such tenant")),
        ...failUnlessChanged(db),
      ]),
    );
    expect(isConstraintError(err, "CHECK")).toBe(true);
    expect(await db.select().from(tenants).where(eq(tenants.id, id)).get()).toBeUndefined();
    await inOneBatch(db, [
      db.insert(tenants).values({ id, name: "T" }),
      db.update(tenants).set({ name: "U" }).where(eq(tenants.id, id)),
      ...failUnlessChanged(db),
    ]);
    const row = await db
      .select({ name: tenants.name })
      .from(tenants)
      .where(eq(tenants.id, id))
      .get();
    expect(row?.name).toBe("U");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM version_guard").first("n")).toBe(0);
  });

  it("inOneBatch refuses an empty batch", async () => {
    expect(String(await failure(inOneBatch(d1(env.DB), [])))).toContain("an empty D1 batch");
  });
});
