import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inOneBatch } from "../src/platform/db/batch";
import { d1, failUnlessChanged, rawStatement } from "../src/platform/db/d1";
import { failedConstraint } from "../src/platform/db/errors";
import { tenants } from "../src/platform/db/schema";
import { uid } from "./kit/ids";

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("it did not fail");
}

describe("D1 batches", () => {
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
    expect(failedConstraint(err, "CHECK")).toBe(true);
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
});
