/**
 * Typed calls to the administration API on top of the desktop's client (same cookie,
 * same JSON rules, same ApiError/NetworkError). Every response is validated with the
 * shared contract's zod schema, so a drifting server fails here, loudly.
 */
import { z } from "zod";
import { Page } from "../../../shared/admin.ts";
import { request } from "../../api.ts";
import { type ListState, listApiQuery } from "./query.ts";

/** Where a resource lives: the tenant admin's API, the platform operator's, or the shared one (customers). */
export type ApiBase = "/api/admin" | "/api/platform" | "/api";

/** Extra list filters sent along with the list query, e.g. `{ numberId }`. */
export type ListFilters = Readonly<Record<string, string | undefined>>;

/** A resource path below its base, e.g. "users" or "numbers/123/properties"; segments are encoded by the caller. */
export function resourceUrl(base: ApiBase, resource: string, ...rest: readonly string[]): string {
  const tail = rest.map((segment) => `/${encodeURIComponent(segment)}`).join("");
  return `${base}/${resource}${tail}`;
}

/** One page of a list, validated item by item. */
export function fetchPage<V>(
  base: ApiBase,
  resource: string,
  item: z.ZodType<V>,
  state: ListState,
  filters: ListFilters = {},
) {
  return request(`${base}/${resource}?${listApiQuery(state, filters)}`, Page(item)) as Promise<
    Page<V>
  >;
}

/** The link that downloads the list's filtered rows as .xlsx (no paging). */
export function exportUrl(
  base: ApiBase,
  resource: string,
  state: ListState,
  filters: ListFilters = {},
): string {
  return `${base}/${resource}/export.xlsx?${listApiQuery(state, filters, true)}`;
}

/** GET a record or any JSON document. */
export function getJson<V>(url: string, schema: z.ZodType<V>): Promise<V> {
  return request(url, schema);
}

/** POST (create → 201 + view, or an action). */
export function postJson<V>(url: string, schema: z.ZodType<V>, body: unknown = {}): Promise<V> {
  return request(url, schema, { method: "POST", body });
}

/** PATCH with the version the editor read; a stale version rejects with ApiError 409. */
export function patchJson<V>(url: string, schema: z.ZodType<V>, body: unknown): Promise<V> {
  return request(url, schema, { method: "PATCH", body });
}

/** PUT (credentials, reorder). `schema` null when the answer has no body. */
export function putJson<V>(url: string, schema: z.ZodType<V> | null, body: unknown): Promise<V> {
  return request(url, schema, { method: "PUT", body });
}

/** DELETE → 204. */
export function deleteRecord(url: string): Promise<void> {
  return request<void>(url, null, { method: "DELETE" });
}

/** Any JSON at all: for answers whose shape the caller does not use. */
export const AnyJson = z.unknown();

/**
 * CRUD helpers of one resource whose records have an `id`: list page, export link,
 * get, create, update (with version), delete.
 */
export function resource<V>(base: ApiBase, name: string, view: z.ZodType<V>) {
  return {
    base,
    name,
    view,
    page: (state: ListState, filters?: ListFilters) => fetchPage(base, name, view, state, filters),
    exportUrl: (state: ListState, filters?: ListFilters) => exportUrl(base, name, state, filters),
    get: (id: string) => getJson(resourceUrl(base, name, id), view),
    create: (body: unknown) => postJson(resourceUrl(base, name), view, body),
    update: (id: string, body: { version: number } & Record<string, unknown>) =>
      patchJson(resourceUrl(base, name, id), view, body),
    remove: (id: string) => deleteRecord(resourceUrl(base, name, id)),
  };
}

/** The helpers `resource()` returns. */
export type Resource<V> = ReturnType<typeof resource<V>>;

/** The most rows `fetchAll` reads (20 pages of 100): enough for any select of skillsets or users. */
const FETCH_ALL_PAGES = 20;

/**
 * Every row of a list (sorted by `sort`), page by page: for the choices of a select
 * (the numbers of a skillset, the skillsets of a user).
 */
export async function fetchAll<V>(
  base: ApiBase,
  name: string,
  item: z.ZodType<V>,
  sort?: string,
  filters: ListFilters = {},
): Promise<V[]> {
  const rows: V[] = [];
  for (let page = 1; page <= FETCH_ALL_PAGES; page++) {
    const result = await fetchPage(
      base,
      name,
      item,
      { page, pageSize: 100, q: "", sort, dir: "asc" },
      filters,
    );
    rows.push(...result.items);
    if (rows.length >= result.total || result.items.length === 0) break;
  }
  return rows;
}
