/**
 * The service status the desktop's header shows: whether the caller's tenant is
 * open for customers right now, number by number, from each number's working
 * time. Computed on request (it is a few rows and pure maths), at the actors'
 * clock so it agrees with the out-of-hours replies they send.
 */
import { eq, sql } from "drizzle-orm";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { managedNumbers } from "../../platform/db/schema";
import { readSettings } from "../../shared/number-settings";
import { ServiceStatus } from "../../shared/protocol";
import { numberHours, ServiceHours } from "../../shared/service-hours";
import { openState } from "../../shared/working-time";
import { Routes } from "../app/routes";

/** The tenant's numbers with their settings, by name. */
function tenantNumbers(db: D1Database, tenantId: string) {
  return d1(db)
    .select({ id: managedNumbers.id, name: managedNumbers.name, settings: managedNumbers.settings })
    .from(managedNumbers)
    .where(eq(managedNumbers.tenantId, tenantId))
    .orderBy(sql`${managedNumbers.name} COLLATE NOCASE`, managedNumbers.id);
}

/**
 * Open when every number is open, mixed when some are, closed when none is (or
 * the tenant has no number yet). Pure.
 */
export function overallStatus(numbers: readonly { open: boolean }[]): ServiceStatus["status"] {
  const open = numbers.filter((n) => n.open).length;
  if (open === 0) return "closed";
  return open === numbers.length ? "open" : "mixed";
}

/** GET /api/service-status and GET /api/service-status/hours. */
export const serviceStatus = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/service-status",
      summary:
        "Whether the tenant's numbers are open now (open / mixed / closed) and when each next opens or closes",
      tag: "desktop",
      access: "tenant",
      response: ServiceStatus,
    },
    async (c) => {
      const results = await tenantNumbers(c.env.DB, c.var.user.tenantId);
      const at = now();
      const numbers = results.map((row) => {
        const { open, nextChangeAt } = openState(readSettings(row.settings).workingTime, at);
        return { id: row.id, name: row.name, open, nextChangeAt };
      });
      return c.json({
        status: overallStatus(numbers),
        numbers,
      } satisfies ServiceStatus);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/service-status/hours",
      summary:
        "Each of the tenant's numbers: its time zone, today's opening ranges (none on a holiday) and its holidays of the coming month",
      tag: "desktop",
      access: "tenant",
      response: ServiceHours,
    },
    async (c) => {
      const results = await tenantNumbers(c.env.DB, c.var.user.tenantId);
      const at = now();
      const numbers = results.map((row) =>
        numberHours({ id: row.id, name: row.name }, readSettings(row.settings).workingTime, at),
      );
      return c.json({ numbers } satisfies ServiceHours);
    },
  );
