/**
 * The state of an admin list (page, page size, search, sort) and its two-way mapping to
 * URL query strings, so a list's view survives reload, back/forward and a shared link.
 * Pure; unit-tested.
 */

/** The page sizes a list offers; the API accepts 10–100. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** What a list shows. `sort` undefined = the resource's default order. */
export interface ListState {
  page: number;
  pageSize: number;
  q: string;
  sort: string | undefined;
  dir: "asc" | "desc";
}

export const DEFAULT_LIST_STATE: ListState = {
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  q: "",
  sort: undefined,
  dir: "asc",
};

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

/**
 * Reads a list state from a query string, tolerating anything a person may type in the
 * address bar: unknown page sizes and sorts fall back to the defaults rather than
 * making the server answer 400.
 */
export function parseListState(search: string, sorts: readonly string[]): ListState {
  const params = new URLSearchParams(search);
  const pageSize = positiveInt(params.get("pageSize"));
  const sort = params.get("sort");
  return {
    page: positiveInt(params.get("page")) ?? 1,
    pageSize: PAGE_SIZES.some((size) => size === pageSize)
      ? (pageSize as number)
      : DEFAULT_PAGE_SIZE,
    q: (params.get("q") ?? "").slice(0, 200),
    sort: sort !== null && sorts.includes(sort) ? sort : undefined,
    dir: params.get("dir") === "desc" ? "desc" : "asc",
  };
}

/**
 * The query string for a list state, leaving out defaults so URLs stay short.
 * `extra` (e.g. a numberId filter) is kept; empty values are dropped. No leading "?".
 */
export function listStateToSearch(
  state: ListState,
  extra: Readonly<Record<string, string | undefined>> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  if (state.page !== 1) params.set("page", String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(state.pageSize));
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.sort) params.set("sort", state.sort);
  if (state.dir === "desc") params.set("dir", "desc");
  return params.toString();
}

/**
 * The API query for a page (always explicit, so the server never guesses) or, with
 * `forExport`, for the Excel download of every filtered row (no paging).
 */
export function listApiQuery(
  state: ListState,
  extra: Readonly<Record<string, string | undefined>> = {},
  forExport = false,
): string {
  const params = new URLSearchParams();
  if (!forExport) {
    params.set("page", String(state.page));
    params.set("pageSize", String(state.pageSize));
  }
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.sort) params.set("sort", state.sort);
  params.set("dir", state.dir);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

/**
 * Clicking a column header: a new column sorts ascending; the same column flips the
 * direction. Either way the list goes back to page 1.
 */
export function toggleSort(state: ListState, sort: string, defaultSort: string | undefined) {
  const current = state.sort ?? defaultSort;
  const dir: ListState["dir"] = current === sort && state.dir === "asc" ? "desc" : "asc";
  return { ...state, sort, dir, page: 1 };
}

/** The last page that has rows (at least 1). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

const LIST_KEYS = ["page", "pageSize", "q", "sort", "dir"] as const;

/**
 * `search` with the list's own keys replaced by `state` (defaults left out) and every
 * other parameter (a page's filters such as `numberId`) kept as it was. No leading "?".
 */
export function withListState(search: string, state: ListState): string {
  const params = new URLSearchParams(search);
  for (const key of LIST_KEYS) params.delete(key);
  const own = new URLSearchParams(listStateToSearch(state));
  for (const [key, value] of own) params.set(key, value);
  return params.toString();
}

/**
 * `search` with one filter set (or removed when empty) and the page reset to 1, because
 * page 3 of the old filter means nothing under the new one. No leading "?".
 */
export function withFilter(search: string, key: string, value: string | undefined): string {
  const params = new URLSearchParams(search);
  if (value) params.set(key, value);
  else params.delete(key);
  params.delete("page");
  return params.toString();
}
