/**
 * What every per-number admin route shares: the number must belong to the
 * caller's tenant (else 404, never revealing that it exists elsewhere), lists
 * keep an explicit order, and the number's actor hears about every change.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "../../../durable/env";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import { forgetNumbers } from "../../inbound/number-lookup";
import { notFound } from "../../security/probe";

/** Answers 404 unless `numberId` is a managed number of `tenantId`; returns its name. */
export async function requireOwnNumber(
  db: D1Database,
  numberId: string,
  tenantId: string,
): Promise<string> {
  const row = await db
    .prepare("SELECT name FROM managed_numbers WHERE id = ? AND tenant_id = ?")
    .bind(numberId, tenantId)
    .first<{ name: string }>();
  if (!row) return notFound(db, "managed_numbers", numberId, tenantId, "No such managed number");
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

/** The numbers whose skillsets include these ids (for propagating membership changes). */
export async function numbersOfSkillsets(
  db: D1Database,
  tenantId: string,
  skillsetIds: string[],
): Promise<string[]> {
  if (skillsetIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT DISTINCT number_id FROM skillsets
       WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .bind(tenantId, JSON.stringify(skillsetIds))
    .all<{ number_id: string }>();
  return results.map((r) => r.number_id);
}

/**
 * Rewrites `position` 1…n of the rows in `scope` in the order of `ids`, in one
 * atomic batch that fails unless `ids` are exactly the rows in scope right now
 * (none added, removed or repeated meanwhile) — then 409 "reload".
 * `table` and `scope.where` come from code, never from the request.
 */
export async function saveOrder(
  db: D1Database,
  table: string,
  scope: { where: string; binds: unknown[] },
  ids: string[],
  also: D1PreparedStatement[] = [],
): Promise<void> {
  const reload = () =>
    apiError(
      409,
      "conflict",
      "The list changed since you loaded it (someone added, removed or moved an item). Reload it and try again.",
    );
  if (new Set(ids).size !== ids.length) reload();
  const idsJson = JSON.stringify(ids);
  try {
    await db.batch([
      db
        .prepare(
          `INSERT INTO version_guard (ok) VALUES ((SELECT count(*) FROM ${table} WHERE ${scope.where}) = ?)`,
        )
        .bind(...scope.binds, ids.length),
      db.prepare("DELETE FROM version_guard"),
      db
        .prepare(
          `UPDATE ${table} SET position = (SELECT j.key + 1 FROM json_each(?) j WHERE j.value = ${table}.id)
           WHERE ${scope.where} AND id IN (SELECT value FROM json_each(?))`,
        )
        .bind(idsJson, ...scope.binds, idsJson),
      db.prepare("INSERT INTO version_guard (ok) VALUES (changes() = ?)").bind(ids.length),
      db.prepare("DELETE FROM version_guard"),
      ...also,
    ]);
  } catch (err) {
    if (String(err).includes("CHECK constraint failed")) reload();
    throw err;
  }
}
