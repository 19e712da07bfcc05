/**
 * My history's screen: my conversations closed in the last four weeks, newest first,
 * filtered by closing day (my days: the browser's time zone is sent along), paged; each
 * row (`tr[data-conversation]`) expands to its messages and mails its transcript.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Page } from "../../../shared/admin.ts";
import type { MyHistoryDetail, MyHistoryItem } from "../../../shared/my-history.ts";
import { Pager } from "../../components/Pager.tsx";
import "../../admin/admin.css";
import { formatDateTime } from "../../admin/format.ts";
import { lastPage } from "../../admin/kit/query.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { EmailDialog } from "../../customers/history/EmailDialog.tsx";
import { HistoryMessages } from "../../customers/history/HistoryItem.tsx";
import { browserTimeZone } from "../../customers/history/query.ts";
import "../../customers/customers.css";
import { useI18n } from "../../i18n.ts";
import { myHistoryApi } from "./api.ts";
import "./history.css";
import { type DayRange, earliestDay, localDay, myHistorySearch } from "./query.ts";

type Load =
  | { kind: "loading" }
  | { kind: "ready"; page: Page<MyHistoryItem> }
  | { kind: "failed"; error: unknown };

type Detail =
  | { kind: "loading" }
  | { kind: "ready"; detail: MyHistoryDetail }
  | { kind: "failed"; error: unknown };

const NO_RANGE: DayRange = { from: "", to: "" };

export default function MyHistoryScreen() {
  const { t, language } = useI18n();
  const [range, setRange] = useState<DayRange>(NO_RANGE);
  const [page, setPage] = useState(1);
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Record<string, Detail>>({});
  const [mailing, setMailing] = useState<MyHistoryItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const requestNo = useRef(0);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const today = localDay(Date.now());

  useEffect(() => titleRef.current?.focus(), []);

  // The latest request wins; the previous rows stay visible meanwhile.
  const fetchPage = useCallback(async () => {
    const mine = ++requestNo.current;
    setBusy(true);
    try {
      const result = await myHistoryApi.list(myHistorySearch(range, page, browserTimeZone()));
      if (mine === requestNo.current) setLoad({ kind: "ready", page: result });
    } catch (error) {
      if (mine === requestNo.current) setLoad({ kind: "failed", error });
    } finally {
      if (mine === requestNo.current) setBusy(false);
    }
  }, [range, page]);

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  const toggle = (id: string) => {
    if (open[id]) {
      setOpen(({ [id]: _, ...rest }) => rest);
      return;
    }
    setOpen((o) => ({ ...o, [id]: { kind: "loading" } }));
    myHistoryApi.detail(id).then(
      (detail) => setOpen((o) => (o[id] ? { ...o, [id]: { kind: "ready", detail } } : o)),
      (error: unknown) => setOpen((o) => (o[id] ? { ...o, [id]: { kind: "failed", error } } : o)),
    );
  };

  const setDay = (bound: keyof DayRange, value: string) => {
    setRange((r) => ({ ...r, [bound]: value }));
    setPage(1);
  };

  const describe = (error: unknown) =>
    errorMessage(error, t("app.networkError"), t("app.unexpectedError"));
  const result = load.kind === "ready" ? load.page : null;
  const pages = result ? lastPage(result.total, result.pageSize) : 1;
  const reversed = range.from !== "" && range.to !== "" && range.from > range.to;
  const none = t("app.none");
  const nameOf = (item: MyHistoryItem) => item.customer.name || item.customer.phone || none;

  return (
    <section
      class="waiting-view my-history"
      id="my-history-view"
      aria-labelledby="my-history-title"
    >
      <header class="waiting-header">
        <div>
          <h2 id="my-history-title" ref={titleRef} tabIndex={-1}>
            {t("myHistory.title")}
          </h2>
          <p class="muted">{t("myHistory.intro")}</p>
        </div>
      </header>
      <div class="list-toolbar history-filters">
        <div class="toolbar-field">
          <label for="my-history-from">{t("myHistory.from")}</label>
          <input
            id="my-history-from"
            name="from"
            type="date"
            value={range.from}
            min={earliestDay(Date.now())}
            max={range.to || today}
            onChange={(e) => setDay("from", e.currentTarget.value)}
          />
        </div>
        <div class="toolbar-field">
          <label for="my-history-to">{t("myHistory.to")}</label>
          <input
            id="my-history-to"
            name="to"
            type="date"
            value={range.to}
            min={range.from || earliestDay(Date.now())}
            max={today}
            onChange={(e) => setDay("to", e.currentTarget.value)}
          />
        </div>
        {(range.from !== "" || range.to !== "") && (
          <button
            id="my-history-clear"
            type="button"
            class="button"
            onClick={() => {
              setRange(NO_RANGE);
              setPage(1);
            }}
          >
            {t("myHistory.clear")}
          </button>
        )}
      </div>
      {reversed && <p class="field-warning">{t("myHistory.reversed")}</p>}
      {notice && (
        <p class="notice" role="status" id="my-history-notice">
          {notice}
        </p>
      )}

      {load.kind === "loading" && <Loading />}
      {load.kind === "failed" && (
        <LoadError
          message={t("myHistory.loadFailed", { message: describe(load.error) })}
          onRetry={() => void fetchPage()}
        />
      )}
      {result && (
        <div aria-busy={busy} class="my-history-results">
          <p id="my-history-total" role="status" class="muted">
            {t("myHistory.total", { total: result.total })}
          </p>
          {result.items.length === 0 ? (
            <p class="empty-state" id="my-history-empty">
              {t("myHistory.empty")}
            </p>
          ) : (
            <div class="waiting-table-wrap">
              <table class="waiting-table my-history-table">
                <thead>
                  <tr>
                    <th scope="col">{t("myHistory.closedAt")}</th>
                    <th scope="col">{t("myHistory.customer")}</th>
                    <th scope="col">{t("myHistory.where")}</th>
                    <th scope="col">{t("myHistory.reason")}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t("myHistory.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.flatMap((item) => {
                    const detail = open[item.id];
                    const panelId = `my-history-messages-${item.id}`;
                    const name = nameOf(item);
                    const rows = [
                      <tr key={item.id} data-conversation={item.id}>
                        <td class="my-history-closed">
                          {item.closedAt !== null && (
                            <time dateTime={new Date(item.closedAt).toISOString()}>
                              {formatDateTime(language, item.closedAt)}
                            </time>
                          )}
                        </td>
                        <td>
                          <span class="waiting-customer">{name}</span>
                          {item.customer.phone && item.customer.phone !== name && (
                            <span class="muted waiting-phone">{item.customer.phone}</span>
                          )}
                        </td>
                        <td>
                          {[item.numberName, item.skillsetName].filter(Boolean).join(" · ") || none}
                        </td>
                        <td class="my-history-reason">
                          {item.closeReason ?? none}
                          {item.closeNotes && (
                            <span class="muted waiting-phone">{item.closeNotes}</span>
                          )}
                        </td>
                        <td class="my-history-actions">
                          <button
                            type="button"
                            class="button my-history-expand"
                            aria-expanded={detail !== undefined}
                            aria-controls={panelId}
                            aria-label={t("myHistory.showLabel", { name })}
                            onClick={() => toggle(item.id)}
                          >
                            {t("myHistory.show")}
                          </button>
                          <button
                            type="button"
                            class="button my-history-email"
                            aria-haspopup="dialog"
                            aria-label={t("myHistory.emailLabel", { name })}
                            onClick={() => {
                              setNotice(null);
                              setMailing(item);
                            }}
                          >
                            {t("myHistory.email")}
                          </button>
                        </td>
                      </tr>,
                    ];
                    if (detail) {
                      rows.push(
                        <tr key={`${item.id}-messages`} class="my-history-detail">
                          <td colSpan={5}>
                            <section
                              id={panelId}
                              class="history-messages"
                              aria-label={t("myHistory.messagesOf", { name })}
                            >
                              {detail.kind === "loading" && <Loading />}
                              {detail.kind === "failed" && (
                                <LoadError
                                  message={t("history.messagesFailed", {
                                    message: describe(detail.error),
                                  })}
                                  onRetry={() => {
                                    setOpen(({ [item.id]: _, ...rest }) => rest);
                                    toggle(item.id);
                                  }}
                                />
                              )}
                              {detail.kind === "ready" && (
                                <HistoryMessages detail={detail.detail} />
                              )}
                            </section>
                          </td>
                        </tr>,
                      );
                    }
                    return rows;
                  })}
                </tbody>
              </table>
            </div>
          )}
          {pages > 1 && <Pager idPrefix="my-history" page={page} pages={pages} onPage={setPage} />}
        </div>
      )}

      {mailing && (
        <EmailDialog
          customerId={mailing.customer.id}
          conversationId={mailing.id}
          send={(body) => myHistoryApi.email(mailing.id, body)}
          onClose={() => setMailing(null)}
          onSent={() => {
            setMailing(null);
            setNotice(t("history.emailSent"));
          }}
        />
      )}
    </section>
  );
}
