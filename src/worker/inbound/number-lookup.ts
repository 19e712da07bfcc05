/**
 * Which managed number (and tenant) a Meta phone_number_id belongs to, for the
 * webhook, and whether that tenant is suspended: read from D1 and kept in the
 * isolate for a few seconds, so a burst of deliveries costs one query. Only
 * found numbers are kept (a number just added is seen at once). Changes to a
 * number or a tenant's status call `forgetNumbers`; other isolates follow
 * within NUMBER_CACHE_MS (the number's actor double-checks a suspension, see
 * NumberActor.ingest).
 */
import type { NumberInfo } from "../../durable/contracts";

const NUMBER_CACHE_MS = 10_000;

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
  // D1 allows 100 bound parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT n.id, n.tenant_id, n.phone_number_id, n.display_phone, n.name, t.status
         FROM managed_numbers n JOIN tenants t ON t.id = n.tenant_id
         WHERE n.phone_number_id IN (${chunk.map(() => "?").join(",")})`,
      )
      .bind(...chunk)
      .all<{
        id: string;
        tenant_id: string;
        phone_number_id: string;
        display_phone: string;
        name: string;
        status: "active" | "suspended";
      }>();
    for (const r of results) {
      found.set(r.phone_number_id, {
        number: {
          id: r.id,
          tenantId: r.tenant_id,
          phoneNumberId: r.phone_number_id,
          displayPhone: r.display_phone,
          name: r.name,
        },
        suspended: r.status !== "active",
      });
    }
  }
  return found;
}
