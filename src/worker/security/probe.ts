/**
 * A 404 for an id that exists in another tenant is someone trying ids they were not
 * given: the answer stays the same 404 (it must not tell), but the security log gets
 * a `cross_tenant_probe` line. Only computed on the 404 path, so it costs nothing
 * otherwise.
 */
import { apiError } from "../app/http";
import { securityLog } from "./log";

/** Tables whose rows carry `id` and `tenant_id` (names come from code, never input). */
export type TenantTable =
  | "users"
  | "managed_numbers"
  | "skillsets"
  | "customers"
  | "customer_properties"
  | "profiling_nodes"
  | "templates"
  | "predefined_messages"
  | "locations"
  | "conversations"
  | "customer_imports";

/** Logs when `id` is a row of another tenant than `tenantId`. Never throws. */
export async function reportIfForeign(
  db: D1Database,
  table: TenantTable | string,
  id: string,
  tenantId: string,
): Promise<void> {
  try {
    const row = await db
      .prepare(`SELECT tenant_id FROM ${table} WHERE id = ? LIMIT 1`)
      .bind(id)
      .first<{ tenant_id: string }>();
    if (row && row.tenant_id !== tenantId) {
      securityLog("cross_tenant_probe", { table, id: id.slice(0, 100), status: 404 });
    }
  } catch (err) {
    console.error("cross-tenant check failed", err);
  }
}

/** Answers 404 with `message`, logging first when the id is another tenant's. */
export async function notFound(
  db: D1Database,
  table: TenantTable | string,
  id: string,
  tenantId: string,
  message: string,
): Promise<never> {
  await reportIfForeign(db, table, id, tenantId);
  apiError(404, "not_found", message);
}
