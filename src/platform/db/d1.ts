/**
 * D1 through drizzle's typed query builder, over the tables of `schema.ts`:
 * `d1(env.DB).select().from(users).where(…)`. Raw SQL stays only where drizzle
 * cannot say it (FTS5, `json_each` staging), commented where it is written.
 */
import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { QueryBuilder } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

export type D1Db = ReturnType<typeof d1>;

/** One statement of a `d1(…).batch([…])`: a builder query, or a `rawStatement`. */
export type D1Statement = BatchItem<"sqlite">;

const handles = new WeakMap<D1Database, ReturnType<typeof open>>();

function open(db: D1Database) {
  return drizzle(db, { schema });
}

/**
 * A typed handle on `db` (the binding, or the pipeline's `pipelineDb(env.DB)`),
 * made once per binding: drizzle's handle holds no state of its own.
 */
export function d1(db: D1Database): ReturnType<typeof open> {
  let handle = handles.get(db);
  if (!handle) {
    handle = open(db);
    handles.set(db, handle);
  }
  return handle;
}

/**
 * Builds queries without a database: the correlated subqueries of a select
 * list (`sql\`${qb.select(…).from(…).where(…)}\``). Not plain `sql` text: in a
 * one-table select list drizzle writes a column without its table, which inside
 * a subquery would name the subquery's own table.
 */
export const qb = new QueryBuilder();

/**
 * Raw SQL (`sql\`…\``, every value bound) as a statement that also goes in a
 * batch, for what the query builder cannot say. Not `db.run(…)` alone: drizzle's
 * D1 batch binds a raw statement's values to a prepared D1 statement that
 * `db.run` never makes (drizzle-orm issue #2277), so it is made here.
 */
export function rawStatement(db: D1Db, query: SQL) {
  const raw = db.run(query);
  return Object.assign(raw, { stmt: db.$client.prepare(raw.getQuery().sql) });
}

/**
 * The statements that, right after an UPDATE in a batch, fail the whole batch
 * (the CHECK on `version_guard`, which rolls it back) unless that UPDATE
 * changed a row: optimistic concurrency, a link used once.
 */
export function failUnlessChanged(db: D1Db): [D1Statement, D1Statement] {
  return [
    db.insert(schema.versionGuard).values({ ok: sql`changes()` }),
    db.delete(schema.versionGuard),
  ];
}

export { schema };
