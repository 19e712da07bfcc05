/**
 * Customer imports in D1: the import record, its staged rows, the preview
 * counts, and the single batch that applies it. Every statement filters by
 * tenant or by an import id the caller already proved is the tenant's. Column
 * names come from this file only (the stored `columns` list is mapped through
 * `FIELDS`, never pasted into SQL).
 */
import type { ImportMode, ImportPreviewRow, ImportView } from "../../shared/customer-import";
import type { FixedField } from "./columns";
import { type KeptRow, type MatchedBy, type StagedRow, userIdOf } from "./validate";

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
  unchanged: number;
  deletes: number;
  kept_rows: number;
  previewed_at: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  applied_at: number | null;
}

/**
 * The API view; a `receiving` import without progress for two minutes reads
 * `interrupted`, and so does a `ready` one without a preview time (checked
 * before rows were matched to customers: its staged rows cannot be applied).
 */
export function importView(row: ImportRecord, now = Date.now()): ImportView {
  let rejections: ImportView["rejections"] = [];
  try {
    rejections = JSON.parse(row.rejections) as ImportView["rejections"];
  } catch {
    // unreadable: shown as none, the count still says how many
  }
  const interrupted =
    (row.status === "receiving" && now - row.updated_at > INTERRUPTED_AFTER_MS) ||
    (row.status === "ready" && row.previewed_at === null);
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
    unchanged: row.unchanged,
    deletes: row.deletes,
    keptRows: row.kept_rows,
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
const STAGE_COLUMNS = [
  "row_no",
  "customer_id",
  "matched_by",
  "contact_key",
  "phone",
  "name",
  "authorized",
  "bypass_bot",
  "priority",
  "default_skillset_id",
  "notes",
  "external_id",
  "keep_history",
  "properties",
] as const;
const STAGE_SQL = `INSERT INTO customer_import_rows (import_id, ${STAGE_COLUMNS.join(", ")})
  SELECT ?, ${STAGE_COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")}
  FROM json_each(?)`;

function stagedJson(row: StagedRow): string {
  return JSON.stringify([
    row.rowNo,
    row.customerId,
    row.matchedBy,
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
 * A refused row that names an existing customer is staged with a negative row
 * number: it is never applied, and it keeps that customer out of a `replace` deletion.
 */
function keptJson(row: KeptRow): string {
  return JSON.stringify([
    -row.rowNo,
    row.customerId,
    null,
    row.contactKey,
    null,
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
 * Computes the preview counts and makes the import `ready`, in one batch:
 * rows that add a customer, rows that change one, rows whose customer already
 * has the file's values (`unchanged`: applying them changes nothing, not even
 * the version), and for `replace` the customers that existed at this moment
 * and that no row names — valid or refused — which the apply will delete.
 */
export async function finishImport(
  db: D1Database,
  record: { id: string; tenantId: string; mode: ImportMode; columns: PresentColumn[] },
  summary: {
    totalRows: number;
    validRows: number;
    rejectedRows: number;
    keptRows: number;
    rejections: unknown[];
  },
) {
  const changed = differs(record.columns);
  // Valid rows, with the customer they name when it still exists.
  const matched = `customer_import_rows r JOIN customers c ON c.id = r.customer_id
    AND c.tenant_id = customer_imports.tenant_id WHERE r.import_id = customer_imports.id AND r.row_no > 0`;
  await db.batch([
    db
      .prepare(
        "UPDATE customer_imports SET previewed_at = unixepoch('subsec') * 1000 WHERE id = ? AND status = 'receiving'",
      )
      .bind(record.id),
    db
      .prepare(
        `UPDATE customer_imports SET status = 'ready', processed_rows = ?, total_rows = ?, valid_rows = ?,
           rejected_rows = ?, kept_rows = ?, rejections = ?,
           inserts = ? - (SELECT count(*) FROM ${matched}),
           updates = (SELECT count(*) FROM ${matched} AND ${changed}),
           unchanged = (SELECT count(*) FROM ${matched} AND NOT ${changed}),
           deletes = CASE WHEN mode = 'replace' THEN (SELECT count(*) FROM customers d WHERE ${DELETABLE}) ELSE 0 END,
           updated_at = ?
         WHERE id = ? AND status = 'receiving'`,
      )
      .bind(
        summary.totalRows,
        summary.totalRows,
        summary.validRows,
        summary.rejectedRows,
        summary.keptRows,
        JSON.stringify(summary.rejections.slice(0, MAX_REJECTIONS)),
        summary.validRows,
        Date.now(),
        record.id,
      ),
  ]);
}

/**
 * Customers `d` a `replace` import deletes (evaluated with `customer_imports`
 * in scope): the tenant's customers that existed when the preview was counted
 * and that no row of the file names, by its match or by the key a new row
 * would take.
 */
const DELETABLE = `d.tenant_id = customer_imports.tenant_id AND d.created_at <= customer_imports.previewed_at
  AND NOT EXISTS (SELECT 1 FROM customer_import_rows r WHERE r.import_id = customer_imports.id AND r.customer_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM customer_import_rows r WHERE r.import_id = customer_imports.id AND r.row_no > 0
    AND r.customer_id IS NULL AND r.contact_key = d.contact_key)`;

/** A page of the valid rows, each saying whether it adds, changes or leaves alone a customer, and how it matched. */
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
        `SELECT r.row_no, r.phone, r.name, r.contact_key, r.matched_by,
           CASE WHEN c.id IS NULL THEN 'insert' WHEN ${differs(presentColumns(record))} THEN 'update'
             ELSE 'unchanged' END AS action
         FROM customer_import_rows r LEFT JOIN customers c ON c.id = r.customer_id AND c.tenant_id = ?
         WHERE r.import_id = ? AND r.row_no > 0
         ORDER BY r.row_no LIMIT ? OFFSET ?`,
      )
      .bind(record.tenant_id, record.id, pageSize, (page - 1) * pageSize),
  ]);
  const items = (
    rows!.results as {
      row_no: number;
      phone: string | null;
      name: string | null;
      contact_key: string;
      matched_by: MatchedBy | null;
      action: ImportPreviewRow["action"];
    }[]
  ).map(
    (r): ImportPreviewRow => ({
      row: r.row_no,
      phone: r.phone,
      whatsappUserId: userIdOf(r.contact_key),
      name: r.name,
      action: r.action,
      matchedBy: r.action === "insert" ? null : r.matched_by,
    }),
  );
  return { items, total: (count!.results[0] as { n: number }).n };
}

// ---- apply ----------------------------------------------------------------------

/** A field a file may have a column for, as stored in `customer_imports.columns`. */
export type PresentColumn = FixedField | "properties";

/**
 * For each field: the customers column it writes and the value a staged row
 * `r` gives customer `c` (SQL written here, never from input). Absent columns
 * are left alone; a blank name is the phone, or stays when there is none; a
 * skillset deleted since the preview becomes none; property nulls delete.
 */
const FIELDS: Record<PresentColumn, { column: string; value: string }> = {
  phone: { column: "phone", value: "coalesce(r.phone, c.phone)" },
  name: { column: "name", value: "coalesce(r.name, c.name)" },
  authorized: { column: "authorized", value: "r.authorized" },
  bypassBot: { column: "bypass_bot", value: "r.bypass_bot" },
  priority: { column: "priority", value: "r.priority" },
  defaultSkillset: {
    column: "default_skillset_id",
    value:
      "(SELECT s.id FROM skillsets s WHERE s.id = r.default_skillset_id AND s.tenant_id = c.tenant_id)",
  },
  notes: { column: "notes", value: "r.notes" },
  externalId: { column: "external_id", value: "r.external_id" },
  keepHistory: { column: "keep_history", value: "r.keep_history" },
  properties: { column: "properties", value: "json_patch(c.properties, r.properties)" },
};

/**
 * SQL true when staged row `r` would change customer `c`: a present field's
 * value differs (properties compared as JSON, as SQLite writes it), or the
 * customer's key would (a new phone).
 */
function differs(present: PresentColumn[]): string {
  const checks = present.map((key) =>
    key === "properties"
      ? `json(c.properties) IS NOT ${FIELDS.properties.value}`
      : `c.${FIELDS[key].column} IS NOT ${FIELDS[key].value}`,
  );
  return `(${["c.contact_key IS NOT r.contact_key", ...checks].join(" OR ")})`;
}

// A version-4 UUID from SQLite's randomness, like crypto.randomUUID() in the records API.
const NEW_ID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
  || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/** Which fields an import's file had columns for, as stored in `customer_imports.columns`. */
export function presentColumns(record: ImportRecord): PresentColumn[] {
  let stored: unknown = [];
  try {
    stored = JSON.parse(record.columns);
  } catch {
    // treated as only the phone
  }
  const names = Array.isArray(stored) ? stored : [];
  return (Object.keys(FIELDS) as PresentColumn[]).filter(
    (key) => key === "phone" || names.includes(key),
  );
}

/**
 * The statements of an apply, for ONE D1 batch (all or nothing):
 *
 * 1. the status flip `ready` → `applied`, guarded by `version_guard` (the batch
 *    aborts when the import is no longer `ready`);
 * 2. rows re-resolved against customers as they are now: a matched customer
 *    deleted since the preview is added again, and a row that adds a customer
 *    whose phone has since arrived (a webhook) updates that one instead;
 * 3. `replace`: the deletion of the customers the preview counted — those that
 *    existed then and that no row names (refused rows included);
 * 4. the update of every matched customer the file changes — only the file's
 *    columns; `authorized` changes record the admin and the time; a customer
 *    whose values are already the file's keeps its version and last update;
 * 5. the insert of the new customers, and the removal of the staged rows.
 */
export function applyStatements(
  db: D1Database,
  record: ImportRecord,
  adminId: string,
  now: number,
): D1PreparedStatement[] {
  const present = presentColumns(record);
  const sets: string[] = ["contact_key = r.contact_key"];
  const setBinds: unknown[] = [];
  for (const key of present) {
    const { column, value } = FIELDS[key];
    sets.push(`${column} = ${value}`);
    if (key === "authorized") {
      sets.push(
        "authorized_by = CASE WHEN r.authorized IS NOT c.authorized THEN ? ELSE c.authorized_by END",
        "authorized_at = CASE WHEN r.authorized IS NOT c.authorized THEN ? ELSE c.authorized_at END",
      );
      setBinds.push(adminId, now);
    }
  }
  sets.push("version = c.version + 1", "updated_at = ?");
  return [
    db
      .prepare(
        `UPDATE customer_imports SET status = 'applied', applied_at = ?, updated_at = ?
         WHERE id = ? AND tenant_id = ? AND status = 'ready'`,
      )
      .bind(now, now, record.id, record.tenant_id),
    db.prepare("INSERT INTO version_guard (ok) VALUES (changes())"),
    db.prepare("DELETE FROM version_guard"),
    db
      .prepare(
        `UPDATE customer_import_rows SET customer_id = NULL
         WHERE import_id = ? AND row_no > 0 AND customer_id IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM customers c WHERE c.id = customer_import_rows.customer_id AND c.tenant_id = ?)`,
      )
      .bind(record.id, record.tenant_id),
    db
      .prepare(
        `UPDATE customer_import_rows SET customer_id =
           (SELECT c.id FROM customers c WHERE c.tenant_id = ? AND c.contact_key = customer_import_rows.contact_key)
         WHERE import_id = ? AND row_no > 0 AND customer_id IS NULL`,
      )
      .bind(record.tenant_id, record.id),
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
              `DELETE FROM customers WHERE id IN (SELECT d.id FROM customer_imports JOIN customers d
                 WHERE customer_imports.id = ? AND ${DELETABLE})`,
            )
            .bind(record.id),
        ]
      : []),
    db
      .prepare(
        `UPDATE customers AS c SET ${sets.join(", ")}
         FROM customer_import_rows r
         WHERE r.import_id = ? AND r.row_no > 0 AND r.customer_id = c.id AND c.tenant_id = ?
           AND ${differs(present)}`,
      )
      .bind(...setBinds, now, record.id, record.tenant_id),
    db
      .prepare(
        `INSERT INTO customers (id, tenant_id, contact_key, phone, name, authorized, authorized_by, authorized_at,
           bypass_bot, priority, default_skillset_id, notes, external_id, keep_history, properties, created_at, updated_at)
         SELECT ${NEW_ID}, ?, r.contact_key, r.phone, coalesce(r.name, r.phone, 'WhatsApp user'),
           coalesce(r.authorized, 0), CASE WHEN r.authorized THEN ? END, CASE WHEN r.authorized THEN ? END,
           coalesce(r.bypass_bot, 0), coalesce(r.priority, 5),
           (SELECT s.id FROM skillsets s WHERE s.id = r.default_skillset_id AND s.tenant_id = ?),
           r.notes, r.external_id, coalesce(r.keep_history, 1), json_patch('{}', r.properties), ?, ?
         FROM customer_import_rows r WHERE r.import_id = ? AND r.row_no > 0 AND r.customer_id IS NULL`,
      )
      .bind(record.tenant_id, adminId, now, record.tenant_id, now, now, record.id),
    db.prepare("DELETE FROM customer_import_rows WHERE import_id = ?").bind(record.id),
  ];
}
