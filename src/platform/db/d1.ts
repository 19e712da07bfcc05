/**
 * D1 through drizzle's typed query builder, over the tables of `schema.ts`:
 * `d1(env.DB).select().from(users).where(…)`. Raw SQL stays only where drizzle
 * cannot say it (FTS5, `json_each` staging), commented where it is written.
 */
import { DrizzleQueryError } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type D1Db = ReturnType<typeof d1>;

/** A typed handle on `db` (the binding, or the pipeline's `pipelineDb(env.DB)`). */
export function d1(db: D1Database) {
  return drizzle(db, { schema });
}

export { schema };

/**
 * D1's own error for a query that failed through drizzle, whose wrapper
 * (`DrizzleQueryError`) quotes the bound values in its message: a customer's
 * phone and name, a session id, which must not reach the logs. Any other
 * error is returned as it is.
 */
export function d1Error(err: unknown): unknown {
  return err instanceof DrizzleQueryError && err.cause !== undefined ? err.cause : err;
}
