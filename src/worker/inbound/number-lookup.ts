/**
 * Which managed number (and tenant) a Meta phone_number_id belongs to, for the
 * webhook, and whether that tenant is suspended: read from D1 and kept in the
 * isolate for a minute, so deliveries cost no D1 query in steady state. Only
 * found numbers are kept (a number just added is seen at once). Changes to a
 * number or a tenant's status call `forgetNumbers`; other isolates follow
 * within NUMBER_CACHE_MS. A suspension needs no wait: the platform tells the
 * tenant's number actors, which keep every message from then on, and each
 * double-checks D1 before keeping one for a tenant a Worker still believes
 * suspended (held-inbound.ts).
 */
import { eq, inArray } from "drizzle-orm";
import type { NumberInfo } from "../../durable/contracts";
import { d1 } from "../../platform/db/d1";
import { managedNumbers, tenants } from "../../platform/db/schema";

const NUMBER_CACHE_MS = 60_000;

/** A managed number as the webhook finds it. */
export interface FoundNumber {
  number: NumberInfo;
  /** Its tenant is suspended: messages are kept, not routed. */
  suspended: boolean;
}

const cache = new Map<string, { found: FoundNumber; at: number }>();

/** Drops what this isolate remembers (after a number or a tenant changed). */
export function forgetNumbers(): void {
  cache.clear();
}

/** The managed numbers for these phone_number_ids (any tenant: the webhook is app-wide). */
export async function numbersByPhoneId(
  db: D1Database,
  ids: string[],
): Promise<Map<string, FoundNumber>> {
  const at = Date.now();
  const found = new Map<string, FoundNumber>();
  const missing: string[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit && at - hit.at < NUMBER_CACHE_MS) found.set(id, hit.found);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  for (const [id, number] of await fromD1(db, missing)) {
    cache.set(id, { found: number, at });
    found.set(id, number);
  }
  return found;
}

async function fromD1(db: D1Database, ids: string[]): Promise<Map<string, FoundNumber>> {
  const found = new Map<string, FoundNumber>();
  const orm = d1(db);
  // D1 allows 100 bound parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const results = await orm
      .select({
        id: managedNumbers.id,
        tenantId: managedNumbers.tenantId,
        phoneNumberId: managedNumbers.phoneNumberId,
        displayPhone: managedNumbers.displayPhone,
        name: managedNumbers.name,
        status: tenants.status,
      })
      .from(managedNumbers)
      .innerJoin(tenants, eq(tenants.id, managedNumbers.tenantId))
      .where(inArray(managedNumbers.phoneNumberId, chunk));
    for (const r of results) {
      found.set(r.phoneNumberId, {
        number: {
          id: r.id,
          tenantId: r.tenantId,
          phoneNumberId: r.phoneNumberId,
          displayPhone: r.displayPhone,
          name: r.name,
        },
        suspended: r.status !== "active",
      });
    }
  }
  return found;
}
