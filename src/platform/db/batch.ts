/**
 * D1 batches built from lists. `db.batch` takes a non-empty tuple, which a
 * list of queries built at run time (chunks of an import, lookups per value)
 * cannot show it is: `batchOf` says so, for callers that never pass an empty one.
 */
import type { BatchItem } from "drizzle-orm/batch";

/** `queries` as the non-empty tuple `db.batch` takes. The caller guarantees at least one. */
export function batchOf<T extends BatchItem<"sqlite">>(queries: T[]): [T, ...T[]] {
  if (queries.length === 0) throw new Error("a D1 batch needs at least one statement");
  return queries as [T, ...T[]];
}
