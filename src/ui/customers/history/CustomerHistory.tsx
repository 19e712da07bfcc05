/**
 * A customer's past conversations, newest first: filtered by a date range (the user's
 * days, sent with the browser's time zone) and by words in the messages (full-text,
 * debounced), paged, each expandable to its messages and mailable as a transcript.
 * Self-contained (it needs only the customer's id and a way to show a notice), so the
 * desktop's details pane can embed it too.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Page } from "../../../shared/admin.ts";
import type { HistoryConversation } from "../../../shared/customer-history.ts";
import type { ShowToast } from "../../admin/kit/context.ts";
import { lastPage } from "../../admin/kit/query.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useI18n } from "../../i18n.ts";
import "../customers.css";
import { historyApi } from "./api.ts";
import { EmailDialog } from "./EmailDialog.tsx";
import { HistoryItem } from "./HistoryItem.tsx";
import {
  browserTimeZone,
  HISTORY_PAGE_SIZE,
  type HistoryFilter,
  historySearch,
  NO_HISTORY_FILTER,
  rangeReversed,
} from "./query.ts";

type Load =
  | { kind: "loading" }
  | { kind: "ready"; page: Page<HistoryConversation> }
  | { kind: "failed"; error: unknown };

const SEARCH_DEBOUNCE_MS = 300;

interface CustomerHistoryProps {
  customerId: string;
  /** Where "Transcript sent" is announced (the page's toasts). */
  onToast: ShowToast;
}

export function CustomerHistory({ customerId, onToast }: CustomerHistoryProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<HistoryFilter>(NO_HISTORY_FILTER);
  const [qInput, setQInput] = useState("");
  const [page, setPage] = useState(1);
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const [mailing, setMailing] = useState<HistoryConversation | null>(null);
  const requestNo = useRef(0);

  const applyFilter = useCallback((next: Partial<HistoryFilter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setPage(1);
  }, []);

  // The keyword is applied after a pause in typing (Enter applies it at once).
  useEffect(() => {
    if (qInput.trim() === filter.q) return;
    const timer = setTimeout(() => applyFilter({ q: qInput.trim() }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [qInput, filter.q, applyFilter]);

  // The latest request wins; the previous rows stay visible meanwhile.
  const fetchPage = useCallback(async () => {
    const mine = ++requestNo.current;
    setBusy(true);
    try {
      const search = historySearch(filter, page, HISTORY_PAGE_SIZE, browserTimeZone());
      const result = await historyApi.list(customerId, search);
      if (mine === requestNo.current) setLoad({ kind: "ready", page: result });
    } catch (error) {
      if (mine === requestNo.current) setLoad({ kind: "failed", error });
    } finally {
      if (mine === requestNo.current) setBusy(false);
    }
  }, [customerId, filter, page]);

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  const result = load.kind === "ready" ? load.page : null;
  const pages = result ? lastPage(result.total, result.pageSize) : 1;
  const filtered = filter.from !== "" || filter.to !== "" || filter.q !== "";

  return (
    <section class="customer-history" aria-labelledby="history-heading">
      <h2 id="history-heading">{t("history.title")}</h2>
      <div class="list-toolbar history-filters">
        <div class="toolbar-field">
          <label for="history-from">{t("history.from")}</label>
          <input
            id="history-from"
            type="date"
            value={filter.from}
            max={filter.to || undefined}
            onChange={(e) => applyFilter({ from: e.currentTarget.value })}
          />
        </div>
        <div class="toolbar-field">
          <label for="history-to">{t("history.to")}</label>
          <input
            id="history-to"
            type="date"
            value={filter.to}
            min={filter.from || undefined}
            onChange={(e) => applyFilter({ to: e.currentTarget.value })}
          />
        </div>
        <div class="toolbar-field">
          <label for="history-q">{t("history.search")}</label>
          <input
            id="history-q"
            type="search"
            maxLength={200}
            value={qInput}
            placeholder={t("history.searchPlaceholder")}
            onInput={(e) => setQInput(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                applyFilter({ q: qInput.trim() });
              }
            }}
          />
        </div>
        {filtered && (
          <button
            id="history-clear"
            type="button"
            class="button"
            onClick={() => {
              setQInput("");
              setFilter(NO_HISTORY_FILTER);
              setPage(1);
            }}
          >
            {t("history.clear")}
          </button>
        )}
      </div>
      {rangeReversed(filter) && <p class="field-warning">{t("history.reversed")}</p>}

      {load.kind === "loading" && <Loading />}
      {load.kind === "failed" && (
        <LoadError
          message={
            load.error instanceof ApiError && load.error.status === 403
              ? t("admin.forbidden")
              : t("history.loadFailed", {
                  message: errorMessage(
                    load.error,
                    t("app.networkError"),
                    t("app.unexpectedError"),
                  ),
                })
          }
          onRetry={() => void fetchPage()}
        />
      )}
      {result && (
        <div aria-busy={busy} class="history-results">
          <p id="history-total" role="status" class="muted">
            {t("history.total", { total: result.total })}
          </p>
          {result.items.length === 0 ? (
            <p class="empty-state history-empty">
              {filtered ? t("history.emptyFiltered") : t("history.empty")}
            </p>
          ) : (
            <ol class="history-list">
              {result.items.map((conversation) => (
                <HistoryItem
                  key={conversation.id}
                  customerId={customerId}
                  conversation={conversation}
                  onEmail={setMailing}
                />
              ))}
            </ol>
          )}
          {pages > 1 && <Pager idPrefix="history" page={page} pages={pages} onPage={setPage} />}
        </div>
      )}

      {mailing && (
        <EmailDialog
          customerId={customerId}
          conversationId={mailing.id}
          onClose={() => setMailing(null)}
          onSent={() => {
            setMailing(null);
            onToast(t("history.emailSent"));
          }}
        />
      )}
    </section>
  );
}
