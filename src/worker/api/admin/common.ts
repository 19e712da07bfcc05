/**
 * What every administration endpoint shares: the list convention (paging,
 * search, sorting and an .xlsx download of exactly the filtered rows), and
 * saves with optimistic concurrency that are all-or-nothing.
 */
import { and, asc, count, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { SelectedFields, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Context } from "hono";
import writeXlsxFile from "write-excel-file/node";
import type { z } from "zod";
import { inOneBatch } from "../../../platform/db/batch";
import { type D1Db, type D1Statement, d1, failUnlessChanged } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { ListQuery, Page } from "../../../shared/admin";
import type { Access } from "../../app/access";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import type { Routes } from "../../app/routes";
import { notFound, type TenantTable } from "../../security/probe";

// ---- lists -----------------------------------------------------------------------

type Cell = string | number | boolean | Date | null;

/** One column of an admin list's Excel download. */
export interface ExportColumn<V> {
  header: string;
  value: (view: V) => Cell;
  width?: number;
}

/**
 * An admin list over one table. `where` must restrict to the tenant; `search`
 * and `sorts` are SQL expressions written here, never taken from the request.
 * One table (joins come as subqueries in `fields`), so `rowid` breaks ties.
 */
export interface ListSpec<F extends SelectedFields, V> {
  /** e.g. "users" — the API path below /api/admin, and the download's file name. */
  name: string;
  tag: string;
  summary: string;
  /** Who may read it (the area of its path, or stricter). */
  access: Access;
  /** The view schema, for the OpenAPI document. */
  view: z.ZodType;
  /** The table listed. */
  table: SQLiteTable;
  /** The columns (and subqueries) of a row. */
  fields: F;
  /** The caller's tenant's rows; extra query parameters (e.g. a numberId filter) are read from `c.req.query()`. */
  where: (c: Context<AppEnv>) => SQL | undefined;
  /** Expressions matched case-insensitively against `q`. */
  search: (SQLiteColumn | SQL)[];
  /**
   * Replaces the match on `search` when given: the WHERE condition for `q`
   * (e.g. a masked agent's search, which matches only what they see).
   */
  searchClause?: (c: Context<AppEnv>, q: string) => Promise<SQL>;
  /** Sort name → SQL expression. The first is the default. */
  sorts: Record<string, SQLiteColumn | SQL>;
  toView: (row: SelectResultFields<F>) => V;
  /** The download's columns; a function when they depend on the request (e.g. the tenant's custom fields). */
  columns: ExportColumn<V>[] | ((c: Context<AppEnv>) => Promise<ExportColumn<V>[]>);
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** `expr LIKE '%q%'` with `q`'s wildcards taken literally. */
function contains(expr: SQLiteColumn | SQL, q: string): SQL {
  return sql`${expr} LIKE ${likePattern(q)} ESCAPE '\\'`;
}

async function filtered<F extends SelectedFields, V>(
  spec: ListSpec<F, V>,
  c: Context<AppEnv>,
  q: ListQuery,
) {
  let where = spec.where(c);
  if (q.q && spec.searchClause) {
    where = and(where, await spec.searchClause(c, q.q));
  } else if (q.q) {
    const text = q.q;
    where = and(where, or(...spec.search.map((e) => contains(e, text))));
  }
  const sortNames = Object.keys(spec.sorts);
  const sortName = q.sort ?? sortNames[0];
  const sortExpr = sortName ? spec.sorts[sortName] : undefined;
  if (!sortExpr) {
    apiError(400, "invalid_request", `Invalid query: sort: one of ${sortNames.join(", ")}`, [
      { path: "sort", message: `one of ${sortNames.join(", ")}` },
    ]);
  }
  const order: SQL[] = [q.dir === "desc" ? desc(sortExpr) : asc(sortExpr), asc(sql`rowid`)];
  return { where, order };
}

/** The list's rows matching `where`, in `order`. */
function rowsOf<F extends SelectedFields>(
  db: D1Db,
  spec: { fields: F; table: SQLiteTable },
  where: SQL | undefined,
  order: SQL[],
) {
  return db
    .select(spec.fields as SelectedFields)
    .from(spec.table)
    .where(where)
    .orderBy(...order)
    .$dynamic();
}

/** Reads one page of a list. */
export async function listPage<F extends SelectedFields, V>(
  c: Context<AppEnv>,
  spec: ListSpec<F, V>,
  q: ListQuery,
): Promise<Page<V>> {
  const { where, order } = await filtered(spec, c, q);
  const db = d1(c.env.DB);
  const [counted, rows] = await db.batch([
    db.select({ n: count() }).from(spec.table).where(where),
    rowsOf(db, spec, where, order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
  ]);
  return {
    items: (rows as SelectResultFields<F>[]).map(spec.toView),
    total: counted[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Every filtered row, in list order (at most `limit`). */
export async function listAll<F extends SelectedFields, V>(
  c: Context<AppEnv>,
  spec: ListSpec<F, V>,
  q: ListQuery,
  limit = 100_000,
): Promise<V[]> {
  const { where, order } = await filtered(spec, c, q);
  const rows = await rowsOf(d1(c.env.DB), spec, where, order).limit(limit);
  return (rows as SelectResultFields<F>[]).map(spec.toView);
}

/**
 * A spreadsheet never runs what we export: text that a spreadsheet would read
 * as a formula (= + - @, or a leading tab/CR) gets a leading apostrophe. A sign
 * followed only by digits and spaces (a phone such as "+39 333 1234567") is left
 * as it is: read as a formula it is just that number, and phones stay readable.
 */
export function neutralise(value: Cell): Cell {
  if (typeof value !== "string" || !/^[=+\-@\t\r]/.test(value)) return value;
  return /^[+-][\d ]+$/.test(value) ? value : `'${value}`;
}

/** Builds an .xlsx response with a header row and one row per view. */
export async function xlsxResponse<V>(
  fileName: string,
  columns: ExportColumn<V>[],
  rows: V[],
): Promise<Response> {
  const header = columns.map((col) => ({ value: col.header, fontWeight: "bold" as const }));
  const data = rows.map((row) =>
    columns.map((col) => {
      const value = neutralise(col.value(row));
      return value === null ? null : { value };
    }),
  );
  const buffer = await writeXlsxFile([header, ...data], {
    columns: columns.map((col) => ({ width: col.width ?? 20 })),
    // Date cells need a format; times are shown in UTC, like the API returns them.
    dateFormat: "yyyy-mm-dd hh:mm",
  }).toBuffer();
  return new Response(new Uint8Array(buffer), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}.xlsx"`,
      "Cache-Control": "no-store",
    },
  });
}

/**
 * Declares `GET <base>/<name>` (a page) and `GET <base>/<name>/export.xlsx`
 * (every filtered row) on `router`. The query is read loosely: a list's own
 * filters (e.g. numberId) are read by its `where`.
 */
export function mountList<F extends SelectedFields, V>(
  router: Routes,
  spec: ListSpec<F, V>,
  base = "/api/admin",
) {
  router.endpoint(
    {
      method: "get",
      path: `${base}/${spec.name}`,
      summary: spec.summary,
      tag: spec.tag,
      access: spec.access,
      query: ListQuery.loose(),
      response: Page(spec.view),
    },
    async (c) => c.json(await listPage(c, spec, c.req.valid("query") as ListQuery)),
  );
  router.endpoint(
    {
      method: "get",
      path: `${base}/${spec.name}/export.xlsx`,
      summary: `${spec.summary} (Excel download of the filtered rows)`,
      tag: spec.tag,
      access: spec.access,
      query: ListQuery.loose(),
      // The paging is accepted (and checked) like the list's, but a download has every row.
      documentedQuery: ListQuery.omit({ page: true, pageSize: true }),
    },
    async (c) => {
      const rows = await listAll(c, spec, c.req.valid("query") as ListQuery);
      const columns = typeof spec.columns === "function" ? await spec.columns(c) : spec.columns;
      return xlsxResponse(spec.name, columns, rows);
    },
  );
}

// ---- saves ----------------------------------------------------------------------

/** A tenant's table whose rows carry an optimistic-concurrency `version`. */
export type VersionedTable = TenantTable & { version: SQLiteColumn };

/** A row to update under optimistic concurrency. */
export interface VersionedTarget<T extends VersionedTable> {
  table: T;
  id: string;
  tenantId: string;
  /** The version the editor read. */
  version: number;
  /** What the 404/409 messages call it, e.g. "skillset". */
  noun: string;
}

/**
 * Updates `set` on the target row and bumps its version, together with `also`
 * statements, in one atomic D1 batch. A stale version rolls everything back and
 * answers 409; a row of another tenant (or none) answers 404.
 */
export async function saveVersioned<T extends VersionedTable>(
  binding: D1Database,
  target: VersionedTarget<T>,
  set: Partial<T["$inferInsert"]>,
  also: D1Statement[] = [],
): Promise<void> {
  const db = d1(binding);
  const { table } = target;
  // As before drizzle: a field given as undefined is written as NULL, not skipped.
  const values = Object.fromEntries(
    Object.entries(set).map(([key, value]) => [key, value ?? null]),
  );
  const update = db
    .update(table as SQLiteTable)
    .set({ ...values, version: sql`${table.version} + 1` })
    .where(
      and(
        eq(table.id, target.id),
        eq(table.tenantId, target.tenantId),
        eq(table.version, target.version),
      ),
    );
  try {
    await db.batch([update, ...failUnlessChanged(db), ...also]);
  } catch (err) {
    if (!failedConstraint(err, "CHECK")) throw err;
    const row = await db
      .select({ version: table.version })
      .from(table as SQLiteTable)
      .where(and(eq(table.id, target.id), eq(table.tenantId, target.tenantId)))
      .get();
    if (!row) {
      return notFound(binding, table, target.id, target.tenantId, `No such ${target.noun}`);
    }
    apiError(
      409,
      "conflict",
      `This ${target.noun} was changed by someone else since you opened it (you have version ${target.version}, it is now ${row.version}). Reload to see their changes, then save again.`,
    );
  }
}

/** Deletes a tenant's row (and `also`, atomically after it); 404 when it is not the tenant's. */
export async function deleteOwned(
  binding: D1Database,
  table: TenantTable,
  id: string,
  tenantId: string,
  noun: string,
  also: D1Statement[] = [],
): Promise<void> {
  const db = d1(binding);
  const mine = and(eq(table.id, id), eq(table.tenantId, tenantId));
  const exists = await db.select({ x: sql`1` }).from(table).where(mine).get();
  if (!exists) await notFound(binding, table, id, tenantId, `No such ${noun}`);
  await inOneBatch(db, [...also, db.delete(table).where(mine)]);
}

/** Reads a tenant's row or answers 404. */
export async function ownedRow<T extends TenantTable>(
  binding: D1Database,
  table: T,
  id: string,
  tenantId: string,
  noun: string,
): Promise<T["$inferSelect"]> {
  const row = await d1(binding)
    .select()
    .from(table as SQLiteTable)
    .where(and(eq(table.id, id), eq(table.tenantId, tenantId)))
    .get();
  if (!row) return notFound(binding, table, id, tenantId, `No such ${noun}`);
  return row as T["$inferSelect"];
}
