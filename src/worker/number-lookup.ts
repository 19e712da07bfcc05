/**
 * Which managed number (and tenant) a Meta phone_number_id belongs to, for the
 * webhook: read from D1 and kept in the isolate for a few seconds, so a burst
 * of deliveries costs one query. Only active tenants' numbers are found, and
 * only found ones are kept (a number just added is seen at once). Changes to a
 * number or a tenant's status call `forgetNumbers`; other isolates follow
 * within NUMBER_CACHE_MS.
 */
import type { NumberInfo } from "../durable/types";

const NUMBER_CACHE_MS = 10_000;

const cache = new Map<string, { number: NumberInfo; at: number }>();

/** Drops what this isolate remembers (after a number or a tenant changed). */
export function forgetNumbers(): void {
  cache.clear();
}

/** The managed numbers for these phone_number_ids (any tenant: the webhook is app-wide). */
export async function numbersByPhoneId(
  db: D1Database,
  ids: string[],
): Promise<Map<string, NumberInfo>> {
  const at = Date.now();
  const found = new Map<string, NumberInfo>();
  const missing: string[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit && at - hit.at < NUMBER_CACHE_MS) found.set(id, hit.number);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  for (const [id, number] of await fromD1(db, missing)) {
    cache.set(id, { number, at });
    found.set(id, number);
  }
  return found;
}

async function fromD1(db: D1Database, ids: string[]): Promise<Map<string, NumberInfo>> {
  const found = new Map<string, NumberInfo>();
  // D1 allows 100 bound parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT n.id, n.tenant_id, n.phone_number_id, n.display_phone, n.name
         FROM managed_numbers n JOIN tenants t ON t.id = n.tenant_id AND t.status = 'active'
         WHERE n.phone_number_id IN (${chunk.map(() => "?").join(",")})`,
      )
      .bind(...chunk)
      .all<{
        id: string;
        tenant_id: string;
        phone_number_id: string;
        display_phone: string;
        name: string;
      }>();
    for (const r of results) {
      found.set(r.phone_number_id, {
        id: r.id,
        tenantId: r.tenant_id,
        phoneNumberId: r.phone_number_id,
        displayPhone: r.display_phone,
        name: r.name,
      });
    }
  }
  return found;
}
