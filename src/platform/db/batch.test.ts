import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { batchOf } from "./batch";

// Queries are only built here, never run: a handle without a binding builds them as well.
const db = drizzle({} as D1Database);

describe("batchOf", () => {
  it("keeps every query, in order", () => {
    const queries = [db.run(sql`SELECT 1`), db.run(sql`SELECT 2`)];
    expect(batchOf(queries)).toEqual(queries);
  });

  it("refuses an empty batch", () => {
    expect(() => batchOf([])).toThrow(/at least one/);
  });
});
