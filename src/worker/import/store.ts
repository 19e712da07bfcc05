/**
 * Customer imports in D1: the import record, its staged rows, the preview
 * counts, and the single batch that applies it. Every statement filters by
 * tenant or by an import id the caller already proved is the tenant's. Column
 * names come from this file only (the stored `columns` list is mapped through
 * `UPDATES`, never pasted into SQL).
 */
import type { ImportMode, ImportPreviewRow, ImportView } from "../../shared/customer-import";
import type { FixedField } from "./columns";
import type { KeptRow, StagedRow } from "./validate";

/** A `receiving` import with no progress for this long was cut short (its Worker died). */
export const INTERRUPTED_AFTER_MS = 2 * 60 * 1000;
/** Imports older than this are deleted, rows and all, at the tenant's next upload. */
export const IMPORT_TTL_MS = 24 * 60 * 60 * 1000;
/** At most this many rejections are kept for the preview (`rejected_rows` counts them all). */
export const MAX_REJECTIONS = 1_000;

// D1: at most 100 bound parameters per statement and ~1 MB per value. Each
// staging statement binds 2 parameters and a JSON array of at most this size.
const CHUNK_JSON_BYTES = 128 * 1024;
const STATEMENTS_PER_BATCH = 4;

/** A `customer_imports` row. */
export interface ImportRecord {
  id: string;
  tenant_id: string;
  created_by: string;
  file_name: string;
  mode: ImportMode;
  status: "receiving" | "ready" | "applied" | "failed";
  columns: string;
  total_rows: number;
  processed_rows: number;
  valid_rows: number;
  rejections: string;
  rejected_rows: number;
  inserts: number;
  updates: number;
  deletes: number;
  error: string | null;
  created_at: number;
  updated_at: number;
  applied_at: number | null;
}

/** The API view; a `receiving` import without progress for two minutes reads `interrupted`. */
export function importView(row: ImportRecord, now = Date.now()): ImportView {
  let rejections: ImportView["rejections"] = [];
  try {
    rejections = JSON.parse(row.rejections) as ImportView["rejections"];
  } catch {
    // unreadable: shown as none, the count still says how many
  }
  const interrupted = row.status === "receiving" && now - row.updated_at > INTERRUPTED_AFTER_MS;
  return {
    id: row.id,
    fileName: row.file_name,
    mode: row.mode,
    status: interrupted ? "interrupted" : row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    validRows: row.valid_rows,
    rejectedRows: row.rejected_rows,
    rejections,
    inserts: row.inserts,
    updates: row.updates,
    deletes: row.deletes,
    error: row.error,
    createdAt: row.created_at,
    appliedAt: row.applied_at,
  };
}

/** The tenant's import, or null (another tenant's reads as none). */
export function findImport(
  db: D1Database,
  id: string,
  tenantId: string,
): Promise<ImportRecord | null> {
  return db
    .prepare("SELECT * FROM customer_imports WHERE id = ? AND tenant_id = ?")
    .bind(id, tenantId)
    .first<ImportRecord>();
}

/** Deletes the tenant's imports older than `IMPORT_TTL_MS` (their staged rows cascade). */
export async function deleteOldImports(db: D1Database, tenantId: string, now: number) {
  await db
    .prepare("DELETE FROM customer_imports WHERE tenant_id = ? AND created_at < ?")
    .bind(tenantId, now - IMPORT_TTL_MS)
    .run();
}

/** Records a new import as `receiving`; false when the id is already taken. */
export async function createImport(
  db: D1Database,
  record: { id: string; tenantId: string; createdBy: string; fileName: string; mode: ImportMode },
  now: number,
): Promise<boolean> {
  const { meta } = await db
    .prepare(
      `INSERT INTO customer_imports (id, tenant_id, created_by, file_name, mode, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'receiving', ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(record.id, record.tenantId, record.createdBy, record.fileName, record.mode, now, now)
    .run();
  return meta.changes === 1;
}

/** Marks an import `failed` with the reason shown to the admin, dropping any staged rows. */
export async function failImport(db: D1Database, id: string, message: string) {
  await db.batch([
    db
      .prepare(
        "UPDATE customer_imports SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status = 'receiving'",
      )
      .bind(message, Date.now(), id),
    db.prepare("DELETE FROM customer_import_rows WHERE import_id = ?").bind(id),
  ]);
}

/** Records the file's size in rows once parsed, before staging starts. */
export async function startStaging(
  db: D1Database,
  id: string,
  totalRows: number,
  columns: string[],
) {
  await db
    .prepare(
      "UPDATE customer_imports SET total_rows = ?, processed_rows = 0, columns = ?, updated_at = ? WHERE id = ?",
    )
    .bind(totalRows, JSON.stringify(columns), Date.now(), id)
    .run();
}

// Staged rows travel as compact JSON arrays, in this column order.
const STAGE_SQL = `INSERT INTO customer_import_rows (import_id, row_no, contact_key, phone, name, authorized,
    bypass_bot, priority, default_skillset_id, notes, external_id, keep_history, properties)
  SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
    json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
    json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]'),
    json_extract(value, '$[9]'), json_extract(value, '$[10]'), json_extract(value, '$[11]')
  FROM json_each(?)`;

function stagedJson(row: StagedRow): string {
  return JSON.stringify([
    row.rowNo,
    row.contactKey,
    row.phone,
    row.name,
    row.authorized,
    row.bypassBot,
    row.priority,
    row.defaultSkillsetId,
    row.notes,
    row.externalId,
    row.keepHistory,
    JSON.stringify(row.properties),
  ]);
}

/**
 * A refused row whose customer is known is staged with a negative row number:
 * it is never applied, and it keeps that customer out of a `replace` deletion.
 */
function keptJson(row: KeptRow): string {
  return JSON.stringify([
    -row.rowNo,
    row.contactKey,
    row.phone,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    "{}",
  ]);
}

/** Groups JSON rows into arrays of at most `CHUNK_JSON_BYTES` characters. */
function chunks(items: string[]): { json: string; count: number }[] {
  const out: { json: string; count: number }[] = [];
  let current: string[] = [];
  let size = 2;
  for (const item of items) {
    if (current.length > 0 && size + item.length + 1 > CHUNK_JSON_BYTES) {
      out.push({ json: `[${current.join(",")}]`, count: current.length });
      current = [];
      size = 2;
    }
    current.push(item);
    size += item.length + 1;
  }
  if (current.length > 0) out.push({ json: `[${current.join(",")}]`, count: current.length });
  return out;
}

/**
 * Writes the staged rows with chunked `INSERT … SELECT … FROM json_each(?)`,
 * several statements per D1 batch, and advances `processed_rows` (towards
 * `totalRows`) with each batch so the import's progress can be watched.
 */
export async function stageRows(
  db: D1Database,
  id: string,
  staged: StagedRow[],
  kept: KeptRow[],
  totalRows: number,
) {
  const items = [...staged.map(stagedJson), ...kept.map(keptJson)];
  const parts = chunks(items);
  let done = 0;
  for (let i = 0; i < parts.length; i += STATEMENTS_PER_BATCH) {
    const batch = parts.slice(i, i + STATEMENTS_PER_BATCH);
    done += batch.reduce((n, part) => n + part.count, 0);
    const processed = Math.round((totalRows * done) / Math.max(1, items.length));
    await db.batch([
      ...batch.map((part) => db.prepare(STAGE_SQL).bind(id, part.json)),
      db
        .prepare("UPDATE customer_imports SET processed_rows = ?, updated_at = ? WHERE id = ?")
        .bind(processed, Date.now(), id),
    ]);
  }
}

/**
 * Computes the preview counts (rows that insert, that update, customers a
 * `replace` would delete) and makes the import `ready`.
 */
export async function finishImport(
  db: D1Database,
  record: { id: string; tenantId: string; mode: ImportMode },
  summary: { totalRows: number; validRows: number; rejectedRows: number; rejections: unknown[] },
) {
  const inserts = await db
    .prepare(
      `SELECT count(*) AS n FROM customer_import_rows r WHERE r.import_id = ? AND r.row_no > 0
       AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = ? AND c.contact_key = r.contact_key)`,
    )
    .bind(record.id, record.tenantId)
    .first<{ n: number }>();
  const deletes =
    record.mode === "replace"
      ? await db
          .prepare(
            `SELECT count(*) AS n FROM customers c WHERE c.tenant_id = ? AND NOT EXISTS
             (SELECT 1 FROM customer_import_rows r WHERE r.import_id = ? AND r.contact_key = c.contact_key)`,
          )
          .bind(record.tenantId, record.id)
          .first<{ n: number }>()
      : { n: 0 };
  const insertCount = inserts?.n ?? 0;
  await db
    .prepare(
      `UPDATE customer_imports SET status = 'ready', processed_rows = ?, total_rows = ?, valid_rows = ?,
         rejected_rows = ?, rejections = ?, inserts = ?, updates = ?, deletes = ?, updated_at = ?
       WHERE id = ? AND status = 'receiving'`,
    )
    .bind(
      summary.totalRows,
      summary.totalRows,
      summary.validRows,
      summary.rejectedRows,
      JSON.stringify(summary.rejections.slice(0, MAX_REJECTIONS)),
      insertCount,
      summary.validRows - insertCount,
      deletes?.n ?? 0,
      Date.now(),
      record.id,
    )
    .run();
}

/** A page of the valid rows, each saying whether it creates or updates a customer. */
export async function previewRows(
  db: D1Database,
  record: ImportRecord,
  page: number,
  pageSize: number,
): Promise<{ items: ImportPreviewRow[]; total: number }> {
  const [count, rows] = await db.batch([
    db
      .prepare("SELECT count(*) AS n FROM customer_import_rows WHERE import_id = ? AND row_no > 0")
      .bind(record.id),
    db
      .prepare(
        `SELECT r.row_no, r.phone, r.name,
           EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = ? AND c.contact_key = r.contact_key) AS existing
         FROM customer_import_rows r WHERE r.import_id = ? AND r.row_no > 0
         ORDER BY r.row_no LIMIT ? OFFSET ?`,
      )
      .bind(record.tenant_id, record.id, pageSize, (page - 1) * pageSize),
  ]);
  const items = (
    rows!.results as { row_no: number; phone: string; name: string | null; existing: number }[]
  ).map(
    (r): ImportPreviewRow => ({
      row: r.row_no,
      phone: r.phone,
      name: r.name,
      action: r.existing ? "update" : "insert",
    }),
  );
  return { items, total: (count!.results[0] as { n: number }).n };
}

// ---- apply ------------------------------------------------------------------------

/** What an update sets for each present column: SQL written here, `?` bound from `binds`. */
const UPDATES: Record<
  FixedField | "properties",
  { sql: string; binds: "none" | "authorized" | "import" }
> = {
  phone: { sql: "phone = excluded.phone", binds: "none" },
  name: { sql: "name = excluded.name", binds: "none" },
  authorized: {
    sql: `authorized = excluded.authorized,
      authorized_by = CASE WHEN excluded.authorized <> customers.authorized THEN ? ELSE customers.authorized_by END,
      authorized_at = CASE WHEN excluded.authorized <> customers.authorized THEN ? ELSE customers.authorized_at END`,
    binds: "authorized",
  },
  bypassBot: { sql: "bypass_bot = excluded.bypass_bot", binds: "none" },
  priority: { sql: "priority = excluded.priority", binds: "none" },
  defaultSkillset: { sql: "default_skillset_id = excluded.default_skillset_id", binds: "none" },
  notes: { sql: "notes = excluded.notes", binds: "none" },
  externalId: { sql: "external_id = excluded.external_id", binds: "none" },
  keepHistory: { sql: "keep_history = excluded.keep_history", binds: "none" },
  // `excluded.properties` has its nulls removed already; the staged JSON still has them, and they delete.
  properties: {
    sql: `properties = json_patch(customers.properties, (SELECT s.properties FROM customer_import_rows s
      WHERE s.import_id = ? AND s.contact_key = excluded.contact_key))`,
    binds: "import",
  },
};

// A version-4 UUID from SQLite's randomness, like crypto.randomUUID() in the records API.
const NEW_ID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
  || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/** Which fields an import's file had columns for, as stored in `customer_imports.columns`. */
export function presentColumns(record: ImportRecord): (FixedField | "properties")[] {
  let stored: unknown = [];
  try {
    stored = JSON.parse(record.columns);
  } catch {
    // treated as only the phone
  }
  const names = Array.isArray(stored) ? stored : [];
  return (Object.keys(UPDATES) as (FixedField | "properties")[]).filter(
    (key) => key === "phone" || names.includes(key),
  );
}

/**
 * The statements of an apply, for ONE D1 batch (all or nothing): the status
 * flip `ready` → `applied` guarded by `version_guard` (the batch aborts when
 * the import is no longer `ready`), the deletion of customers missing from the
 * file (`replace`), the upsert of every valid row (only the file's columns
 * change on existing customers; `authorized` changes record the admin and the
 * time; a skillset deleted since the preview becomes none), and the removal of
 * the staged rows.
 */
export function applyStatements(
  db: D1Database,
  record: ImportRecord,
  adminId: string,
  now: number,
): D1PreparedStatement[] {
  const present = presentColumns(record);
  const sets: string[] = [];
  const setBinds: unknown[] = [];
  for (const key of present) {
    const update = UPDATES[key];
    sets.push(update.sql);
    if (update.binds === "authorized") setBinds.push(adminId, now);
    if (update.binds === "import") setBinds.push(record.id);
  }
  sets.push("version = customers.version + 1", "updated_at = excluded.updated_at");
  const upsert = db
    .prepare(
      `INSERT INTO customers (id, tenant_id, contact_key, phone, name, authorized, authorized_by, authorized_at,
         bypass_bot, priority, default_skillset_id, notes, external_id, keep_history, properties, created_at, updated_at)
       SELECT ${NEW_ID}, ?, r.contact_key, r.phone, coalesce(r.name, r.phone), coalesce(r.authorized, 0),
         CASE WHEN r.authorized THEN ? END, CASE WHEN r.authorized THEN ? END,
         coalesce(r.bypass_bot, 0), coalesce(r.priority, 5),
         CASE WHEN r.default_skillset_id IN (SELECT id FROM skillsets WHERE tenant_id = ?) THEN r.default_skillset_id END,
         r.notes, r.external_id, coalesce(r.keep_history, 1), json_patch('{}', r.properties), ?, ?
       FROM customer_import_rows r WHERE r.import_id = ? AND r.row_no > 0
       ON CONFLICT (tenant_id, contact_key) DO UPDATE SET ${sets.join(", ")}`,
    )
    .bind(record.tenant_id, adminId, now, record.tenant_id, now, now, record.id, ...setBinds);
  return [
    db
      .prepare(
        `UPDATE customer_imports SET status = 'applied', applied_at = ?, updated_at = ?
         WHERE id = ? AND tenant_id = ? AND status = 'ready'`,
      )
      .bind(now, now, record.id, record.tenant_id),
    db.prepare("INSERT INTO version_guard (ok) VALUES (changes())"),
    db.prepare("DELETE FROM version_guard"),
    ...(record.mode === "replace"
      ? [
          // Their conversations' actors are told to drop contents and files (customer-deletions.ts).
          db
            .prepare(
              `INSERT INTO customer_deletions (conversation_id, tenant_id, deleted_at)
               SELECT h.id, h.tenant_id, ? FROM conversations h JOIN customers ON customers.id = h.customer_id
               WHERE h.tenant_id = ? AND customers.tenant_id = ? AND NOT EXISTS
               (SELECT 1 FROM customer_import_rows r WHERE r.import_id = ? AND r.contact_key = customers.contact_key)
               ON CONFLICT DO NOTHING`,
            )
            .bind(now, record.tenant_id, record.tenant_id, record.id),
          db
            .prepare(
              `DELETE FROM customers WHERE tenant_id = ? AND NOT EXISTS
               (SELECT 1 FROM customer_import_rows r WHERE r.import_id = ? AND r.contact_key = customers.contact_key)`,
            )
            .bind(record.tenant_id, record.id),
        ]
      : []),
    upsert,
    db.prepare("DELETE FROM customer_import_rows WHERE import_id = ?").bind(record.id),
  ];
}
