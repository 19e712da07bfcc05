/**
 * The tenant's customers that an uploaded file names, read from D1 once per
 * upload: those with one of the file's IDs, phones or WhatsApp user IDs. The
 * validator matches rows against them (validate.ts); nothing else is read,
 * so a tenant's size does not weigh on an import, and no other tenant's
 * customer can ever match.
 */
import { directoryOf, type FileIdentities, type KnownCustomer } from "./validate";

// Each statement binds the tenant and one JSON array of at most this size (D1: ~1 MB per value).
const CHUNK_JSON_BYTES = 128 * 1024;

const COLUMNS = "SELECT id, contact_key, phone FROM customers WHERE tenant_id = ?";

/** Lookups by what the file has, each against an index of `customers`. */
const BY_ID = `${COLUMNS} AND id IN (SELECT value FROM json_each(?))`;
// A phone's customer is keyed by its digits; a username's may have a phone too (a scan of those only).
const BY_PHONE = `${COLUMNS} AND contact_key IN (SELECT substr(value, 2) FROM json_each(?))
  UNION ${COLUMNS} AND contact_key >= 'u:' AND contact_key < 'u;' AND phone IN (SELECT value FROM json_each(?))`;
const BY_USER_ID = `${COLUMNS} AND contact_key IN (SELECT 'u:' || value FROM json_each(?))`;

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
  db: D1Database,
  tenantId: string,
  wanted: Pick<FileIdentities, "ids" | "phones" | "userIds">,
) {
  const statements = [
    ...jsonChunks(wanted.ids).map((json) => db.prepare(BY_ID).bind(tenantId, json)),
    ...jsonChunks(wanted.phones).map((json) =>
      db.prepare(BY_PHONE).bind(tenantId, json, tenantId, json),
    ),
    ...jsonChunks(wanted.userIds).map((json) => db.prepare(BY_USER_ID).bind(tenantId, json)),
  ];
  const found = new Map<string, KnownCustomer>();
  if (statements.length > 0) {
    for (const result of await db.batch(statements)) {
      for (const row of result.results as {
        id: string;
        contact_key: string;
        phone: string | null;
      }[]) {
        found.set(row.id, { id: row.id, contactKey: row.contact_key, phone: row.phone });
      }
    }
  }
  return directoryOf([...found.values()]);
}
