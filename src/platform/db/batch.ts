/**
 * D1 batches built from lists. `db.batch` takes a non-empty tuple, which a
 * list of queries built at run time (chunks of an import, lookups per value)
 * cannot show it is: `batchOf` says so, for callers that never pass an empty one.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { D1Db, D1Statement } from "./d1";

/** `queries` as the non-empty tuple `db.batch` takes. The caller guarantees at least one. */
export function batchOf<T extends BatchItem<"sqlite">>(queries: T[]): [T, ...T[]] {
  if (queries.length === 0) throw new Error("a D1 batch needs at least one statement");
  return queries as [T, ...T[]];
}

/**
 * Runs `statements`, in order, as one atomic D1 batch, and returns each one's
 * result, for writes whose results nobody reads.
 */
export async function inOneBatch(db: D1Db, statements: D1Statement[]): Promise<unknown[]> {
  return db.batch(batchOf(statements));
}
