/**
 * A 404 for an id that exists in another tenant is someone trying ids they were not
 * given: the answer stays the same 404 (it must not tell), but the security log gets
 * a `cross_tenant_probe` line. Only computed on the 404 path, so it costs nothing
 * otherwise.
 */
import { eq, getTableName } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { d1 } from "../../platform/db/d1";
import { apiError } from "../app/http";
import { securityLog } from "./log";

/** A table whose rows carry `id` and `tenant_id` (e.g. `users`, `customers`). */
export type TenantTable = SQLiteTable & { id: SQLiteColumn; tenantId: SQLiteColumn };

/** Logs when `id` is a row of another tenant than `tenantId`. Never throws. */
export async function reportIfForeign(
  db: D1Database,
  table: TenantTable,
  id: string,
  tenantId: string,
): Promise<void> {
  try {
    const row = await d1(db)
      .select({ tenantId: table.tenantId })
      .from(table)
      .where(eq(table.id, id))
      .limit(1)
      .get();
    if (row && row.tenantId !== tenantId) {
      const name = getTableName(table);
      securityLog("cross_tenant_probe", { table: name, id: id.slice(0, 100), status: 404 });
    }
  } catch (err) {
    console.error("cross-tenant check failed", err);
  }
}

/** Answers 404 with `message`, logging first when the id is another tenant's. */
export async function notFound(
  db: D1Database,
  table: TenantTable,
  id: string,
  tenantId: string,
  message: string,
): Promise<never> {
  await reportIfForeign(db, table, id, tenantId);
  apiError(404, "not_found", message);
}
