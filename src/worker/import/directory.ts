/**
 * The tenant's customers that an uploaded file names, read from D1 once per
 * upload: those with one of the file's IDs, phones or WhatsApp user IDs. The
 * validator matches rows against them (validate.ts); nothing else is read,
 * so a tenant's size does not weigh on an import, and no other tenant's
 * customer can ever match.
 */
import { and, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { batchOf } from "../../platform/db/batch";
import type { D1Db } from "../../platform/db/d1";
import { customers } from "../../platform/db/schema";
import { directoryOf, type FileIdentities } from "./validate";

// Each statement binds the tenant and one JSON array of at most this size (D1: ~1 MB per value).
// The values travel as JSON read by json_each, not as a parameter each: D1 binds at most 100.
const CHUNK_JSON_BYTES = 128 * 1024;

/** The tenant's customers matching `match`, as the validator knows them. */
function lookup(db: D1Db, tenantId: string, match: SQL) {
  return db
    .select({ id: customers.id, contactKey: customers.contactKey, phone: customers.phone })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), match));
}

/** Lookups by what the file has, each against an index of `customers`. */
const byId = (db: D1Db, tenantId: string, json: string) =>
  lookup(db, tenantId, inArray(customers.id, sql`(SELECT value FROM json_each(${json}))`));
// A phone's customer is keyed by its digits; a username's may have a phone too (a scan of those only).
const byPhone = (db: D1Db, tenantId: string, json: string) =>
  lookup(
    db,
    tenantId,
    inArray(customers.contactKey, sql`(SELECT substr(value, 2) FROM json_each(${json}))`),
  ).union(
    lookup(
      db,
      tenantId,
      and(
        gte(customers.contactKey, "u:"),
        lt(customers.contactKey, "u;"),
        inArray(customers.phone, sql`(SELECT value FROM json_each(${json}))`),
      )!,
    ),
  );
const byUserId = (db: D1Db, tenantId: string, json: string) =>
  lookup(
    db,
    tenantId,
    inArray(customers.contactKey, sql`(SELECT 'u:' || value FROM json_each(${json}))`),
  );

/** Splits values into JSON arrays of at most `CHUNK_JSON_BYTES` characters. */
function jsonChunks(values: string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const value of values) {
    const item = JSON.stringify(value);
    if (current.length > 0 && size + item.length + 1 > CHUNK_JSON_BYTES) {
      out.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(item);
    size += item.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(",")}]`);
  return out;
}

/** Reads the tenant's customers named by the file's IDs, phones and WhatsApp user IDs. */
export async function loadDirectory(
  db: D1Db,
  tenantId: string,
  wanted: Pick<FileIdentities, "ids" | "phones" | "userIds">,
) {
  const statements = [
    ...jsonChunks(wanted.ids).map((json) => byId(db, tenantId, json)),
    ...jsonChunks(wanted.phones).map((json) => byPhone(db, tenantId, json)),
    ...jsonChunks(wanted.userIds).map((json) => byUserId(db, tenantId, json)),
  ];
  const found = new Map<string, { id: string; contactKey: string; phone: string | null }>();
  if (statements.length > 0) {
    for (const rows of await db.batch(batchOf(statements))) {
      for (const row of rows) found.set(row.id, row);
    }
  }
  return directoryOf([...found.values()]);
}
