/**
 * The generic admin list: search (debounced), sortable columns, page size, pager, total,
 * an Excel download of exactly what is filtered, a New button, and rows that open their
 * record on click (and through a real link in the first cell, for the keyboard). The
 * query lives in the URL, so reload, Back/Forward and shared links show the same list.
 */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import type { Page } from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useI18n } from "../../i18n.ts";
import { type ApiBase, exportUrl, fetchPage, type ListFilters } from "./adminApi.ts";
import {
  DEFAULT_LIST_STATE,
  type ListState,
  lastPage,
  PAGE_SIZES,
  parseListState,
  toggleSort,
  withListState,
} from "./query.ts";
import { Link, navigate, useRoute } from "./router.tsx";
import { Forbidden } from "./states.tsx";

/** One column; `sort` is the API's sort name when the column is sortable. */
export interface Column<V> {
  key: string;
  label: string;
  sort?: string;
  render: (item: V) => ComponentChildren;
  /** Right-align numbers. */
  numeric?: boolean;
}

export interface ListViewProps<V> {
  /** The heading and the table's caption. */
  title: string;
  /** `h1` for a page, `h2` inside a tab. */
  headingLevel?: 1 | 2;
  base?: ApiBase;
  /** Path below `base`, e.g. "users" or "numbers/<id>/properties". */
  resource: string;
  item: z.ZodType<V>;
  columns: readonly Column<V>[];
  /** The server's default sort (its first), so the header shows it as sorted. */
  defaultSort?: string;
  /** The record's page. */
  href: (item: V) => string;
  /** The record's name, for the link's accessible name. */
  label: (item: V) => string;
  rowId?: (item: V) => string;
  /** Where New goes; omit to hide it. */
  newHref?: string;
  newLabel?: string;
  /** Extra API query (filters); they should also be in the URL for Back/reload to keep them. */
  filters?: ListFilters;
  /** Filter controls shown in the toolbar. */
  toolbar?: ComponentChildren;
  /** Keep the query in the URL (default). Off for a list embedded beside other URL state. */
  syncUrl?: boolean;
  /** Bump to refetch (e.g. after a delete elsewhere on the page). */
  reloadKey?: number;
  emptyText?: string;
}

type Load<V> =
  | { kind: "loading" }
  | { kind: "ready"; page: Page<V> }
  | { kind: "failed"; error: unknown };

const SEARCH_DEBOUNCE_MS = 300;

export function ListView<V>(props: ListViewProps<V>) {
  const { t } = useI18n();
  const route = useRoute();
  const base = props.base ?? "/api/admin";
  const syncUrl = props.syncUrl ?? true;
  const sorts = useMemo(
    () => props.columns.flatMap((column) => (column.sort ? [column.sort] : [])),
    [props.columns],
  );

  // The list state: from the URL, or local when not synced.
  const [localState, setLocalState] = useState<ListState>(DEFAULT_LIST_STATE);
  const urlState = useMemo(() => parseListState(route.search, sorts), [route.search, sorts]);
  const state = syncUrl ? urlState : localState;
  const setState = useCallback(
    (next: ListState, replace = false) => {
      if (!syncUrl) {
        setLocalState(next);
        return;
      }
      const search = withListState(window.location.search, next);
      navigate(`${window.location.pathname}${search ? `?${search}` : ""}`, { replace });
    },
    [syncUrl],
  );

  // Search is typed into a local value and applied after a pause.
  const [qInput, setQInput] = useState(state.q);
  const lastApplied = useRef(state.q);
  useEffect(() => {
    // Back/Forward or a link changed q: show it.
    if (state.q !== lastApplied.current) {
      lastApplied.current = state.q;
      setQInput(state.q);
    }
  }, [state.q]);
  useEffect(() => {
    if (qInput.trim() === state.q.trim()) return;
    const timer = setTimeout(() => {
      lastApplied.current = qInput.trim();
      setState({ ...state, q: qInput.trim(), page: 1 }, true);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [qInput, state, setState]);

  // Fetching: the latest request wins; the previous rows stay visible meanwhile.
  const [load, setLoad] = useState<Load<V>>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const requestNo = useRef(0);
  const filtersKey = JSON.stringify(props.filters ?? {});
  const fetchList = useCallback(async () => {
    const mine = ++requestNo.current;
    setBusy(true);
    try {
      const page = await fetchPage(base, props.resource, props.item, state, props.filters);
      if (mine !== requestNo.current) return;
      setLoad({ kind: "ready", page });
    } catch (error) {
      if (mine !== requestNo.current) return;
      setLoad({ kind: "failed", error });
    } finally {
      if (mine === requestNo.current) setBusy(false);
    }
    // filtersKey stands for props.filters, whose identity changes on every render.
  }, [base, props.resource, props.item, state, filtersKey]);

  useEffect(() => {
    void fetchList();
  }, [fetchList, props.reloadKey]);

  // A page past the end (rows deleted meanwhile, or a stale link): go to the last one.
  useEffect(() => {
    if (load.kind !== "ready") return;
    const last = lastPage(load.page.total, load.page.pageSize);
    if (state.page > last) setState({ ...state, page: last }, true);
  }, [load, state, setState]);

  const headingId = `${props.resource.replace(/[^A-Za-z0-9]/g, "-")}-heading`;
  const Heading = props.headingLevel === 2 ? "h2" : "h1";
  const rowId = props.rowId ?? ((item: V) => (item as { id: string }).id);
  const page = load.kind === "ready" ? load.page : null;
  const pages = page ? lastPage(page.total, page.pageSize) : 1;
  const activeSort = state.sort ?? props.defaultSort;

  return (
    <section class="admin-list-view" aria-labelledby={headingId}>
      <div class="list-header">
        <Heading id={headingId}>{props.title}</Heading>
        {props.newHref && (
          <button
            id="list-new"
            type="button"
            class="button button-primary"
            onClick={() => navigate(props.newHref as string)}
          >
            {props.newLabel ?? t("adminList.new")}
          </button>
        )}
      </div>

      <div class="list-toolbar">
        <div class="toolbar-field">
          <label for="list-search">{t("adminList.search")}</label>
          <input
            id="list-search"
            type="search"
            value={qInput}
            maxLength={200}
            placeholder={t("adminList.searchPlaceholder")}
            onInput={(e) => setQInput(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter searches at once instead of waiting for the pause.
              if (e.key === "Enter" && qInput.trim() !== state.q) {
                e.preventDefault();
                lastApplied.current = qInput.trim();
                setState({ ...state, q: qInput.trim(), page: 1 }, true);
              }
            }}
          />
        </div>
        {props.toolbar}
        <div class="toolbar-field">
          <label for="list-page-size">{t("adminList.pageSize")}</label>
          <select
            id="list-page-size"
            value={String(state.pageSize)}
            onChange={(e) =>
              setState({ ...state, pageSize: Number(e.currentTarget.value), page: 1 })
            }
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={String(size)}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <a
          id="list-export"
          class="button"
          href={exportUrl(base, props.resource, state, props.filters)}
          download
        >
          {t("adminList.export")}
        </a>
      </div>

      {load.kind === "loading" && <Loading />}
      {load.kind === "failed" &&
        (load.error instanceof ApiError && load.error.status === 403 ? (
          <Forbidden />
        ) : (
          <LoadError
            message={t("adminList.loadFailed", {
              message: errorMessage(load.error, t("app.networkError"), t("app.unexpectedError")),
            })}
            onRetry={() => void fetchList()}
          />
        ))}

      {page && (
        <div class="table-wrap" aria-busy={busy}>
          <table class="admin-list">
            <caption class="visually-hidden">
              {t("adminList.caption", { title: props.title, total: page.total })}
            </caption>
            <thead>
              <tr>
                {props.columns.map((column) => {
                  const sorted = column.sort !== undefined && column.sort === activeSort;
                  return (
                    <th
                      key={column.key}
                      scope="col"
                      class={column.numeric ? "numeric" : undefined}
                      aria-sort={
                        sorted ? (state.dir === "desc" ? "descending" : "ascending") : undefined
                      }
                    >
                      {column.sort ? (
                        <button
                          type="button"
                          class="sort-button"
                          data-sort={column.sort}
                          onClick={() =>
                            setState(toggleSort(state, column.sort as string, props.defaultSort))
                          }
                        >
                          {column.label}
                          <span class="sort-mark" aria-hidden="true">
                            {sorted ? (state.dir === "desc" ? "▼" : "▲") : "↕"}
                          </span>
                        </button>
                      ) : (
                        column.label
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => {
                const href = props.href(item);
                return (
                  <tr
                    key={rowId(item)}
                    data-id={rowId(item)}
                    onClick={(e) => {
                      // Clicks on the row's own controls (the link) do their own thing.
                      if ((e.target as HTMLElement).closest("a, button, input, select")) return;
                      navigate(href);
                    }}
                  >
                    {props.columns.map((column, index) => (
                      <td key={column.key} class={column.numeric ? "numeric" : undefined}>
                        {index === 0 ? (
                          <Link
                            href={href}
                            aria-label={t("adminList.open", { name: props.label(item) })}
                          >
                            {column.render(item)}
                          </Link>
                        ) : (
                          column.render(item)
                        )}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {page.items.length === 0 && (
            <p class="empty-state">
              {state.q
                ? t("adminList.emptySearch", { q: state.q })
                : (props.emptyText ?? t("adminList.emptyAll"))}
            </p>
          )}
        </div>
      )}

      {page && (
        <Pager
          idPrefix="list"
          page={state.page}
          pages={pages}
          onPage={(next) => setState({ ...state, page: next })}
        >
          <span id="list-total" role="status">
            {t("adminList.total", { total: page.total })}
          </span>
        </Pager>
      )}
    </section>
  );
}
