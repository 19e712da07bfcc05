/**
 * Customer imports in D1: the import record, its staged rows, the preview
 * counts, and the single batch that applies it. Every statement filters by
 * tenant or by an import id the caller already proved is the tenant's. Column
 * names come from this file only (the stored `columns` list is mapped through
 * `FIELDS`, never pasted into SQL).
 */
import {
  and,
  count,
  eq,
  gt,
  isNotNull,
  isNull,
  lt,
  lte,
  not,
  notExists,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { alias, type SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { batchOf } from "../../platform/db/batch";
import { type D1Db, qb } from "../../platform/db/d1";
import {
  conversations,
  customerDeletions,
  customerImportRows,
  customerImports,
  customers,
  skillsets,
  versionGuard,
} from "../../platform/db/schema";
import type { ImportPreviewRow, ImportView } from "../../shared/customer-import";
import type { FixedField } from "./columns";
import { type KeptRow, type StagedRow, userIdOf } from "./validate";

/** A `receiving` import with no progress for this long was cut short (its Worker died). */
export const INTERRUPTED_AFTER_MS = 2 * 60 * 1000;
/** Imports older than this are deleted, rows and all, at the tenant's next upload. */
export const IMPORT_TTL_MS = 24 * 60 * 60 * 1000;
/** At most this many rejections are kept for the preview (`rejected_rows` counts them all). */
export const MAX_REJECTIONS = 1_000;

// D1: at most 100 bound parameters per statement and ~1 MB per value. Each
// staging statement binds the import id, a JSON path per column and a JSON
// array of at most this size.
const CHUNK_JSON_BYTES = 128 * 1024;
const STATEMENTS_PER_BATCH = 4;

/** A `customer_imports` row. */
export type ImportRecord = typeof customerImports.$inferSelect;

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
    (row.status === "receiving" && now - row.updatedAt > INTERRUPTED_AFTER_MS) ||
    (row.status === "ready" && row.previewedAt === null);
  return {
    id: row.id,
    fileName: row.fileName,
    mode: row.mode,
    status: interrupted ? "interrupted" : row.status,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    validRows: row.validRows,
    rejectedRows: row.rejectedRows,
    rejections,
    inserts: row.inserts,
    updates: row.updates,
    unchanged: row.unchanged,
    deletes: row.deletes,
    keptRows: row.keptRows,
    error: row.error,
    createdAt: row.createdAt,
    appliedAt: row.appliedAt,
  };
}

/** The tenant's import, or null (another tenant's reads as none). */
export async function findImport(
  db: D1Db,
  id: string,
  tenantId: string,
): Promise<ImportRecord | null> {
  const row = await db
    .select()
    .from(customerImports)
    .where(and(eq(customerImports.id, id), eq(customerImports.tenantId, tenantId)))
    .get();
  return row ?? null;
}

/** Deletes the tenant's imports older than `IMPORT_TTL_MS` (their staged rows cascade). */
export async function deleteOldImports(db: D1Db, tenantId: string, now: number) {
  await db
    .delete(customerImports)
    .where(
      and(
        eq(customerImports.tenantId, tenantId),
        lt(customerImports.createdAt, now - IMPORT_TTL_MS),
      ),
    );
}

/** Records a new import as `receiving`; false when the id is already taken. */
export async function createImport(
  db: D1Db,
  record: Pick<ImportRecord, "id" | "tenantId" | "createdBy" | "fileName" | "mode">,
  now: number,
): Promise<boolean> {
  const { meta } = await db
    .insert(customerImports)
    .values({
      id: record.id,
      tenantId: record.tenantId,
      createdBy: record.createdBy,
      fileName: record.fileName,
      mode: record.mode,
      status: "receiving",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: customerImports.id })
    .run();
  return meta.changes === 1;
}

/** Marks an import `failed` with the reason shown to the admin, dropping any staged rows. */
export async function failImport(db: D1Db, id: string, message: string) {
  await db.batch([
    db
      .update(customerImports)
      .set({ status: "failed", error: message, updatedAt: Date.now() })
      .where(and(eq(customerImports.id, id), eq(customerImports.status, "receiving"))),
    db.delete(customerImportRows).where(eq(customerImportRows.importId, id)),
  ]);
}

/** Records the file's size in rows once parsed, before staging starts. */
export async function startStaging(db: D1Db, id: string, totalRows: number, columns: string[]) {
  await db
    .update(customerImports)
    .set({ totalRows, processedRows: 0, columns: JSON.stringify(columns), updatedAt: Date.now() })
    .where(eq(customerImports.id, id));
}

/**
 * The insert of one chunk of staged rows: `json` is an array of rows, each a
 * compact array of the values below in this order (see `stagedJson`). An
 * INSERT … SELECT over json_each: one JSON array bound for many rows, where
 * drizzle's `values()` would bind a parameter per value (D1 takes 100 at most).
 */
function stageChunk(db: D1Db, id: string, json: string) {
  // Each column is named for what it fills (drizzle needs a name on an expression it selects).
  const at = (i: number, column: string) => sql`json_extract(value, ${`$[${i}]`})`.as(column);
  return db.insert(customerImportRows).select(
    qb
      .select({
        importId: sql`${id}`.as("import_id"),
        rowNo: at(0, "row_no"),
        customerId: at(1, "customer_id"),
        matchedBy: at(2, "matched_by"),
        contactKey: at(3, "contact_key"),
        phone: at(4, "phone"),
        name: at(5, "name"),
        authorized: at(6, "authorized"),
        bypassBot: at(7, "bypass_bot"),
        priority: at(8, "priority"),
        defaultSkillsetId: at(9, "default_skillset_id"),
        notes: at(10, "notes"),
        externalId: at(11, "external_id"),
        keepHistory: at(12, "keep_history"),
        properties: at(13, "properties"),
      })
      .from(sql`json_each(${json})`),
  );
}

/** A staged row as `stageChunk` reads it. */
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
  db: D1Db,
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
    await db.batch(
      batchOf<BatchItem<"sqlite">>([
        ...batch.map((part) => stageChunk(db, id, part.json)),
        db
          .update(customerImports)
          .set({ processedRows: processed, updatedAt: Date.now() })
          .where(eq(customerImports.id, id)),
      ]),
    );
  }
}

/** Staged rows `r` (of the import, and of the customers they name, as below). */
const r = alias(customerImportRows, "r");
/** Customers a `replace` import may delete (see `deletable`). */
const d = alias(customers, "d");

/**
 * Valid staged rows `r` of the import in scope (`customer_imports`), with the
 * customer they name when it still exists (`customers`), counted.
 */
function countMatched(also?: SQL) {
  return qb
    .select({ n: count() })
    .from(r)
    .innerJoin(
      customers,
      and(eq(customers.id, r.customerId), eq(customers.tenantId, customerImports.tenantId)),
    )
    .where(and(eq(r.importId, customerImports.id), gt(r.rowNo, 0), also));
}

/**
 * Computes the preview counts and makes the import `ready`, in one batch:
 * rows that add a customer, rows that change one, rows whose customer already
 * has the file's values (`unchanged`: applying them changes nothing, not even
 * the version), and for `replace` the customers that existed at this moment
 * and that no row names — valid or refused — which the apply will delete.
 */
export async function finishImport(
  db: D1Db,
  record: { id: string; tenantId: string; mode: ImportRecord["mode"]; columns: PresentColumn[] },
  summary: {
    totalRows: number;
    validRows: number;
    rejectedRows: number;
    keptRows: number;
    rejections: unknown[];
  },
) {
  const changed = differs(record.columns);
  const receiving = and(eq(customerImports.id, record.id), eq(customerImports.status, "receiving"));
  await db.batch([
    db
      .update(customerImports)
      // D1's clock, in ms, like the customers' `created_at` it is compared with.
      .set({ previewedAt: sql`unixepoch('subsec') * 1000` })
      .where(receiving),
    db
      .update(customerImports)
      .set({
        status: "ready",
        processedRows: summary.totalRows,
        totalRows: summary.totalRows,
        validRows: summary.validRows,
        rejectedRows: summary.rejectedRows,
        keptRows: summary.keptRows,
        rejections: JSON.stringify(summary.rejections.slice(0, MAX_REJECTIONS)),
        inserts: sql`${summary.validRows} - ${countMatched()}`,
        updates: sql`${countMatched(changed)}`,
        unchanged: sql`${countMatched(not(changed))}`,
        deletes: sql`CASE WHEN ${customerImports.mode} = 'replace'
          THEN ${qb.select({ n: count() }).from(d).where(deletable)} ELSE 0 END`,
        updatedAt: Date.now(),
      })
      .where(receiving),
  ]);
}

/**
 * Customers `d` a `replace` import deletes (evaluated with `customer_imports`
 * in scope): the tenant's customers that existed when the preview was counted
 * and that no row of the file names, by its match or by the key a new row
 * would take.
 */
const deletable = and(
  eq(d.tenantId, customerImports.tenantId),
  lte(d.createdAt, customerImports.previewedAt),
  notExists(
    qb
      .select({ one: sql`1` })
      .from(r)
      .where(and(eq(r.importId, customerImports.id), eq(r.customerId, d.id))),
  ),
  notExists(
    qb
      .select({ one: sql`1` })
      .from(r)
      .where(
        and(
          eq(r.importId, customerImports.id),
          gt(r.rowNo, 0),
          isNull(r.customerId),
          eq(r.contactKey, d.contactKey),
        ),
      ),
  ),
);

/** A page of the valid rows, each saying whether it adds, changes or leaves alone a customer, and how it matched. */
export async function previewRows(
  db: D1Db,
  record: ImportRecord,
  page: number,
  pageSize: number,
): Promise<{ items: ImportPreviewRow[]; total: number }> {
  const valid = and(eq(r.importId, record.id), gt(r.rowNo, 0));
  const [counted, rows] = await db.batch([
    db.select({ n: count() }).from(r).where(valid),
    db
      .select({
        rowNo: r.rowNo,
        phone: r.phone,
        name: r.name,
        contactKey: r.contactKey,
        matchedBy: r.matchedBy,
        // Aliased: a batch answers rows by column name.
        action: sql<ImportPreviewRow["action"]>`CASE WHEN ${customers.id} IS NULL THEN 'insert'
          WHEN ${differs(presentColumns(record))} THEN 'update' ELSE 'unchanged' END`.as("action"),
      })
      .from(r)
      .leftJoin(
        customers,
        and(eq(customers.id, r.customerId), eq(customers.tenantId, record.tenantId)),
      )
      .where(valid)
      .orderBy(r.rowNo)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
  ]);
  const items = rows.map(
    (row): ImportPreviewRow => ({
      row: row.rowNo,
      phone: row.phone,
      whatsappUserId: userIdOf(row.contactKey),
      name: row.name,
      action: row.action,
      matchedBy: row.action === "insert" ? null : row.matchedBy,
    }),
  );
  return { items, total: counted[0]?.n ?? 0 };
}

// ---- apply ----------------------------------------------------------------------

/** A field a file may have a column for, as stored in `customer_imports.columns`. */
export type PresentColumn = FixedField | "properties";

/**
 * For each field: the `customers` column it writes and the value a staged row
 * `r` gives that customer (SQL written here, never from input). Absent columns
 * are left alone; a blank name is the phone, or stays when there is none; a
 * skillset deleted since the preview becomes none; property nulls delete.
 */
const FIELDS: Record<PresentColumn, { column: keyof typeof customers.$inferSelect; value: SQL }> = {
  phone: { column: "phone", value: sql`coalesce(${r.phone}, ${customers.phone})` },
  name: { column: "name", value: sql`coalesce(${r.name}, ${customers.name})` },
  authorized: { column: "authorized", value: sql`${r.authorized}` },
  bypassBot: { column: "bypassBot", value: sql`${r.bypassBot}` },
  priority: { column: "priority", value: sql`${r.priority}` },
  defaultSkillset: {
    column: "defaultSkillsetId",
    value: sql`${qb
      .select({ id: skillsets.id })
      .from(skillsets)
      .where(
        and(eq(skillsets.id, r.defaultSkillsetId), eq(skillsets.tenantId, customers.tenantId)),
      )}`,
  },
  notes: { column: "notes", value: sql`${r.notes}` },
  externalId: { column: "externalId", value: sql`${r.externalId}` },
  keepHistory: { column: "keepHistory", value: sql`${r.keepHistory}` },
  properties: {
    column: "properties",
    value: sql`json_patch(${customers.properties}, ${r.properties})`,
  },
};

/**
 * SQL true when staged row `r` would change its customer (`customers`): a
 * present field's value differs (properties compared as JSON, as SQLite
 * writes it), or the customer's key would (a new phone).
 */
function differs(present: PresentColumn[]): SQL {
  const checks = present.map((key) =>
    key === "properties"
      ? sql`json(${customers.properties}) IS NOT ${FIELDS.properties.value}`
      : sql`${customers[FIELDS[key].column]} IS NOT ${FIELDS[key].value}`,
  );
  return or(sql`${customers.contactKey} IS NOT ${r.contactKey}`, ...checks)!;
}

// A version-4 UUID from SQLite's randomness, like crypto.randomUUID() in the records API.
const NEW_ID = sql`lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
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
export function applyStatements(db: D1Db, record: ImportRecord, adminId: string, now: number) {
  const present = presentColumns(record);
  const set: SQLiteUpdateSetSource<typeof customers> = { contactKey: sql`${r.contactKey}` };
  for (const key of present) {
    const { column, value } = FIELDS[key];
    set[column] = value;
    if (key === "authorized") {
      const changes = sql`${r.authorized} IS NOT ${customers.authorized}`;
      set.authorizedBy = sql`CASE WHEN ${changes} THEN ${adminId} ELSE ${customers.authorizedBy} END`;
      set.authorizedAt = sql`CASE WHEN ${changes} THEN ${now} ELSE ${customers.authorizedAt} END`;
    }
  }
  set.version = sql`${customers.version} + 1`;
  set.updatedAt = now;
  const staged = and(eq(customerImportRows.importId, record.id), gt(customerImportRows.rowNo, 0));
  return [
    db
      .update(customerImports)
      .set({ status: "applied", appliedAt: now, updatedAt: now })
      .where(
        and(
          eq(customerImports.id, record.id),
          eq(customerImports.tenantId, record.tenantId),
          eq(customerImports.status, "ready"),
        ),
      ),
    // Fails the batch unless the flip above changed a row (see `version_guard` in the schema).
    db.insert(versionGuard).values({ ok: sql`changes()` }),
    db.delete(versionGuard),
    db
      .update(customerImportRows)
      .set({ customerId: null })
      .where(
        and(
          staged,
          isNotNull(customerImportRows.customerId),
          notExists(
            qb
              .select({ one: sql`1` })
              .from(customers)
              .where(
                and(
                  eq(customers.id, customerImportRows.customerId),
                  eq(customers.tenantId, record.tenantId),
                ),
              ),
          ),
        ),
      ),
    db
      .update(customerImportRows)
      .set({
        customerId: sql`${qb
          .select({ id: customers.id })
          .from(customers)
          .where(
            and(
              eq(customers.tenantId, record.tenantId),
              eq(customers.contactKey, customerImportRows.contactKey),
            ),
          )}`,
      })
      .where(and(staged, isNull(customerImportRows.customerId))),
    ...(record.mode === "replace"
      ? [
          // Their conversations' actors are told to drop contents and files (customer-deletions.ts).
          db
            .insert(customerDeletions)
            .select(
              qb
                .select({
                  conversationId: conversations.id,
                  tenantId: conversations.tenantId,
                  deletedAt: sql<number>`${now}`.as("deleted_at"),
                })
                .from(conversations)
                .innerJoin(customers, eq(customers.id, conversations.customerId))
                .where(
                  and(
                    eq(conversations.tenantId, record.tenantId),
                    eq(customers.tenantId, record.tenantId),
                    notExists(
                      qb
                        .select({ one: sql`1` })
                        .from(r)
                        .where(
                          and(eq(r.importId, record.id), eq(r.contactKey, customers.contactKey)),
                        ),
                    ),
                  ),
                ),
            )
            .onConflictDoNothing(),
          db
            .delete(customers)
            .where(
              sql`${customers.id} IN ${qb
                .select({ id: d.id })
                .from(customerImports)
                .innerJoin(d, deletable)
                .where(eq(customerImports.id, record.id))}`,
            ),
        ]
      : []),
    db
      .update(customers)
      .set(set)
      .from(r)
      .where(
        and(
          eq(r.importId, record.id),
          gt(r.rowNo, 0),
          eq(r.customerId, customers.id),
          eq(customers.tenantId, record.tenantId),
          differs(present),
        ),
      ),
    db.insert(customers).select(
      qb
        .select({
          id: NEW_ID.as("id"),
          tenantId: sql`${record.tenantId}`.as("tenant_id"),
          contactKey: r.contactKey,
          phone: r.phone,
          name: sql`coalesce(${r.name}, ${r.phone}, 'WhatsApp user')`.as("name"),
          priority: sql`coalesce(${r.priority}, 5)`.as("priority"),
          authorized: sql`coalesce(${r.authorized}, 0)`.as("authorized"),
          defaultSkillsetId: sql`${qb
            .select({ id: skillsets.id })
            .from(skillsets)
            .where(
              and(eq(skillsets.id, r.defaultSkillsetId), eq(skillsets.tenantId, record.tenantId)),
            )}`.as("default_skillset_id"),
          bypassBot: sql`coalesce(${r.bypassBot}, 0)`.as("bypass_bot"),
          notes: r.notes,
          externalId: r.externalId,
          keepHistory: sql`coalesce(${r.keepHistory}, 1)`.as("keep_history"),
          authorizedBy: sql`CASE WHEN ${r.authorized} THEN ${adminId} END`.as("authorized_by"),
          authorizedAt: sql`CASE WHEN ${r.authorized} THEN ${now} END`.as("authorized_at"),
          properties: sql`json_patch('{}', ${r.properties})`.as("properties"),
          version: sql`1`.as("version"),
          createdAt: sql`${now}`.as("created_at"),
          updatedAt: sql`${now}`.as("updated_at"),
        })
        .from(r)
        .where(and(eq(r.importId, record.id), gt(r.rowNo, 0), isNull(r.customerId))),
    ),
    db.delete(customerImportRows).where(eq(customerImportRows.importId, record.id)),
  ];
}
