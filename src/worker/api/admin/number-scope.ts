/**
 * What every per-number admin route shares: the number must belong to the
 * caller's tenant (else 404, never revealing that it exists elsewhere), lists
 * keep an explicit order, and the number's actor hears about every change.
 */
import { and, count, eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "../../../durable/env";
import { inOneBatch } from "../../../platform/db/batch";
import { type D1Statement, d1 } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { managedNumbers, versionGuard } from "../../../platform/db/schema";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import { forgetNumbers } from "../../inbound/number-lookup";
import { notFound, type TenantTable } from "../../security/probe";

/** Answers 404 unless `numberId` is a managed number of `tenantId`; returns its name. */
export async function requireOwnNumber(
  db: D1Database,
  numberId: string,
  tenantId: string,
): Promise<string> {
  const row = await d1(db)
    .select({ name: managedNumbers.name })
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, numberId), eq(managedNumbers.tenantId, tenantId)))
    .get();
  if (!row) return notFound(db, managedNumbers, numberId, tenantId, "No such managed number");
  return row.name;
}

/** The :numberId of a route mounted under /numbers/:numberId (checked by `numberInPath`). */
export function pathNumberId(c: Context<AppEnv>): string {
  return c.req.param("numberId") ?? "";
}

/** Middleware for routes under /numbers/:numberId/…: the number must be the caller's tenant's. */
export const numberInPath: MiddlewareHandler<AppEnv> = async (c, next) => {
  await requireOwnNumber(c.env.DB, pathNumberId(c), c.var.user.tenantId);
  await next();
};

/**
 * Tells the numbers' actors that their configuration changed, so they reload
 * what they cache and route again at once. Awaited, so the admin's response
 * means "in effect". A failure is logged, not thrown: the change is already
 * stored and the actor re-reads its configuration on its own within minutes.
 */
export async function numbersChanged(env: Env, numberIds: Iterable<string>): Promise<void> {
  forgetNumbers();
  await Promise.all(
    [...new Set(numberIds)].map(async (id) => {
      try {
        await env.NUMBER.getByName(id).configChanged();
      } catch (err) {
        console.error(`number ${id}: configChanged failed`, err);
      }
    }),
  );
}

/** A tenant's table whose rows the admin puts in order (`position` 1…n). */
export type OrderedTable = TenantTable & { position: SQLiteColumn };

/**
 * Rewrites `position` 1…n of the rows in `scope` (a condition on `table` that
 * includes its tenant) in the order of `ids`, in one atomic batch that fails
 * unless `ids` are exactly the rows in scope right now (none added, removed or
 * repeated meanwhile) — then 409 "reload".
 */
export async function saveOrder(
  binding: D1Database,
  table: OrderedTable,
  scope: SQL | undefined,
  ids: string[],
  also: D1Statement[] = [],
): Promise<void> {
  const reload = () =>
    apiError(
      409,
      "conflict",
      "The list changed since you loaded it (someone added, removed or moved an item). Reload it and try again.",
    );
  if (new Set(ids).size !== ids.length) reload();
  const db = d1(binding);
  const idsJson = JSON.stringify(ids);
  // json_each: the new order as one bound value, however long the list.
  const place = sql`(SELECT j.key + 1 FROM json_each(${idsJson}) j WHERE j.value = ${table.id})`;
  const listed = sql`${table.id} IN (SELECT value FROM json_each(${idsJson}))`;
  try {
    await inOneBatch(db, [
      db.insert(versionGuard).values({
        ok: sql`${db.select({ n: count() }).from(table).where(scope)} = ${ids.length}`,
      }),
      db.delete(versionGuard),
      db
        .update(table as SQLiteTable)
        .set({ position: place })
        .where(and(scope, listed)),
      db.insert(versionGuard).values({ ok: sql`changes() = ${ids.length}` }),
      db.delete(versionGuard),
      ...also,
    ]);
  } catch (err) {
    if (failedConstraint(err, "CHECK")) reload();
    throw err;
  }
}
