/**
 * What every administration endpoint shares: the list convention (paging,
 * search, sorting and an .xlsx download of exactly the filtered rows), and
 * saves with optimistic concurrency that are all-or-nothing.
 */
import type { Context } from "hono";
import writeXlsxFile from "write-excel-file/node";
import type { z } from "zod";
import { ListQuery, Page } from "../../../shared/admin";
import type { Access } from "../../app/access";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import type { Routes } from "../../app/routes";
import { notFound } from "../../security/probe";

// ---- lists -----------------------------------------------------------------------

type Cell = string | number | boolean | Date | null;

/** One column of an admin list's Excel download. */
export interface ExportColumn<V> {
  header: string;
  value: (view: V) => Cell;
  width?: number;
}

/**
 * An admin list over one SQL source. `from` must restrict to the tenant (its
 * first placeholders are bound from `where(c)`); `search` and `sorts` are SQL
 * expressions written here, never taken from the request.
 */
export interface ListSpec<R, V> {
  /** e.g. "users" — the API path below /api/admin, and the download's file name. */
  name: string;
  tag: string;
  summary: string;
  /** Who may read it (the area of its path, or stricter). */
  access: Access;
  /** The view schema, for the OpenAPI document. */
  view: z.ZodType;
  /** SELECT list, e.g. "u.*". */
  select: string;
  /** FROM … WHERE …, with `?` placeholders for `where(c)`. */
  from: string;
  where: (c: Context<AppEnv>) => unknown[];
  /** Expressions matched case-insensitively against `q`. */
  search: string[];
  /**
   * Replaces the match on `search` when given: the WHERE fragment for `q`
   * (e.g. a masked agent's search, which matches only what they see).
   */
  searchClause?: (c: Context<AppEnv>, q: string) => Promise<{ sql: string; binds: unknown[] }>;
  /** Sort name → SQL expression. The first is the default. */
  sorts: Record<string, string>;
  /** Extra query parameters (e.g. a numberId filter) are read by `where` from `c.req.query()`. */
  toView: (row: R) => V;
  /** The download's columns; a function when they depend on the request (e.g. the tenant's custom fields). */
  columns: ExportColumn<V>[] | ((c: Context<AppEnv>) => Promise<ExportColumn<V>[]>);
  /** Makes the order total when sort keys tie; qualify it when `from` joins ("u.rowid"). */
  tiebreak?: string;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

async function filtered<R, V>(spec: ListSpec<R, V>, c: Context<AppEnv>, q: ListQuery) {
  const binds = spec.where(c);
  let sql = `${spec.from}`;
  if (q.q && spec.searchClause) {
    const clause = await spec.searchClause(c, q.q);
    sql += ` AND ${clause.sql}`;
    binds.push(...clause.binds);
  } else if (q.q) {
    sql += ` AND (${spec.search.map((e) => `${e} LIKE ? ESCAPE '\\'`).join(" OR ")})`;
    for (const _ of spec.search) binds.push(likePattern(q.q));
  }
  const sortNames = Object.keys(spec.sorts);
  const sortName = q.sort ?? sortNames[0];
  const sortExpr = sortName ? spec.sorts[sortName] : undefined;
  if (!sortExpr) {
    apiError(400, "invalid_request", `Invalid query: sort: one of ${sortNames.join(", ")}`, [
      { path: "sort", message: `one of ${sortNames.join(", ")}` },
    ]);
  }
  const order = ` ORDER BY ${sortExpr} ${q.dir === "desc" ? "DESC" : "ASC"}, ${spec.tiebreak ?? "rowid"} ASC`;
  return { sql, binds, order };
}

/** Reads one page of a list. */
export async function listPage<R, V>(
  c: Context<AppEnv>,
  spec: ListSpec<R, V>,
  q: ListQuery,
): Promise<Page<V>> {
  const { sql, binds, order } = await filtered(spec, c, q);
  const [count, rows] = await c.env.DB.batch([
    c.env.DB.prepare(`SELECT count(*) AS n ${sql}`).bind(...binds),
    c.env.DB.prepare(`SELECT ${spec.select} ${sql}${order} LIMIT ? OFFSET ?`).bind(
      ...binds,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    ),
  ]);
  return {
    items: (rows!.results as R[]).map(spec.toView),
    total: (count!.results[0] as { n: number }).n,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Every filtered row, in list order (at most `limit`). */
export async function listAll<R, V>(
  c: Context<AppEnv>,
  spec: ListSpec<R, V>,
  q: ListQuery,
  limit = 100_000,
): Promise<V[]> {
  const { sql, binds, order } = await filtered(spec, c, q);
  const { results } = await c.env.DB.prepare(`SELECT ${spec.select} ${sql}${order} LIMIT ?`)
    .bind(...binds, limit)
    .all<R>();
  return results.map(spec.toView);
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
export function mountList<R, V>(router: Routes, spec: ListSpec<R, V>, base = "/api/admin") {
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

/** A row to update under optimistic concurrency. `table` and columns come from code, never input. */
export interface VersionedTarget {
  table: string;
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
export async function saveVersioned(
  db: D1Database,
  target: VersionedTarget,
  set: Record<string, unknown>,
  also: D1PreparedStatement[] = [],
): Promise<void> {
  const cols = Object.keys(set);
  const assignments = [...cols.map((col) => `${col} = ?`), "version = version + 1"].join(", ");
  const update = db
    .prepare(
      `UPDATE ${target.table} SET ${assignments} WHERE id = ? AND tenant_id = ? AND version = ?`,
    )
    .bind(...cols.map((col) => set[col] ?? null), target.id, target.tenantId, target.version);
  try {
    await db.batch([
      update,
      db.prepare("INSERT INTO version_guard (ok) VALUES (changes())"),
      db.prepare("DELETE FROM version_guard"),
      ...also,
    ]);
  } catch (err) {
    if (!String(err).includes("CHECK constraint failed")) throw err;
    const row = await db
      .prepare(`SELECT version FROM ${target.table} WHERE id = ? AND tenant_id = ?`)
      .bind(target.id, target.tenantId)
      .first<{ version: number }>();
    if (!row) {
      return notFound(db, target.table, target.id, target.tenantId, `No such ${target.noun}`);
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
  db: D1Database,
  table: string,
  id: string,
  tenantId: string,
  noun: string,
  also: D1PreparedStatement[] = [],
): Promise<void> {
  const exists = await db
    .prepare(`SELECT 1 AS x FROM ${table} WHERE id = ? AND tenant_id = ?`)
    .bind(id, tenantId)
    .first();
  if (!exists) await notFound(db, table, id, tenantId, `No such ${noun}`);
  await db.batch([
    ...also,
    db.prepare(`DELETE FROM ${table} WHERE id = ? AND tenant_id = ?`).bind(id, tenantId),
  ]);
}

/** Reads a tenant's row or answers 404. */
export async function ownedRow<R>(
  db: D1Database,
  table: string,
  id: string,
  tenantId: string,
  noun: string,
): Promise<R> {
  const row = await db
    .prepare(`SELECT * FROM ${table} WHERE id = ? AND tenant_id = ?`)
    .bind(id, tenantId)
    .first<R>();
  if (!row) return notFound(db, table, id, tenantId, `No such ${noun}`);
  return row;
}
