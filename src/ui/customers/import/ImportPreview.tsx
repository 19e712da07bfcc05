/**
 * The preview of a checked file: the counts, every rejection with its row, column and
 * reason, and the valid rows page by page — before anything is applied.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Page } from "../../../shared/admin.ts";
import type { ImportPreviewRow, ImportView } from "../../../shared/customer-import.ts";
import { lastPage } from "../../admin/kit/query.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useI18n } from "../../i18n.ts";
import { importApi } from "./api.ts";

const ROWS_PAGE_SIZE = 25;

/** The counts of an import: valid, rejected, and what applying it would do. */
export function ImportSummary({ view }: { view: ImportView }) {
  const { t, language } = useI18n();
  const n = (value: number) => new Intl.NumberFormat(language).format(value);
  const counts = [
    ["valid", t("import.valid"), view.validRows],
    ["rejected", t("import.rejected"), view.rejectedRows],
    ["inserts", t("import.inserts"), view.inserts],
    ["updates", t("import.updates"), view.updates],
    ["unchanged", t("import.unchanged"), view.unchanged],
    ["deletes", t("import.deletes"), view.deletes],
  ] as const;
  return (
    <>
      <dl id="import-summary" class="import-summary">
        {counts.map(([key, label, value]) => (
          <div key={key} data-count={key} class={`import-count count-${key}`}>
            <dt>{label}</dt>
            <dd>{n(value)}</dd>
          </div>
        ))}
      </dl>
      {view.keptRows > 0 && (
        <p id="import-kept" class="field-help">
          {t("import.keptNote", { kept: n(view.keptRows) })}
        </p>
      )}
    </>
  );
}

const ACTION_LABEL = {
  insert: "import.actionInsert",
  update: "import.actionUpdate",
  unchanged: "import.actionUnchanged",
} as const;

/** Rejected rows: row number (the header is row 1), column header, reason. */
export function Rejections({ view }: { view: ImportView }) {
  const { t, language } = useI18n();
  if (view.rejectedRows === 0) return <p class="empty-state">{t("import.noRejections")}</p>;
  const n = (value: number) => new Intl.NumberFormat(language).format(value);
  return (
    <>
      {view.rejections.length < view.rejectedRows && (
        <p class="field-help">
          {t("import.rejectionsTruncated", {
            shown: n(view.rejections.length),
            total: n(view.rejectedRows),
          })}
        </p>
      )}
      <div class="table-wrap">
        <table class="admin-list import-rejections">
          <caption class="visually-hidden">{t("import.rejectionsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                {t("import.row")}
              </th>
              <th scope="col">{t("import.column")}</th>
              <th scope="col">{t("import.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {view.rejections.map((r, index) => (
              // A row may be refused for several columns: the position keeps keys unique.
              <tr key={`${r.row}-${index}`} data-row={r.row}>
                <td class="numeric">{r.row}</td>
                <td>{r.column ?? t("import.wholeRow")}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type RowsLoad =
  | { kind: "loading" }
  | { kind: "ready"; page: Page<ImportPreviewRow> }
  | { kind: "failed"; error: unknown };

/** The valid rows, page by page, each marked as new, an update or unchanged, with how it was matched. */
export function ValidRows({ view }: { view: ImportView }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [load, setLoad] = useState<RowsLoad>({ kind: "loading" });

  const fetchRows = useCallback(() => {
    let live = true;
    importApi.rows(view.id, page, ROWS_PAGE_SIZE).then(
      (result) => live && setLoad({ kind: "ready", page: result }),
      (error: unknown) => live && setLoad({ kind: "failed", error }),
    );
    return () => {
      live = false;
    };
  }, [view.id, page]);
  useEffect(fetchRows, [fetchRows]);

  if (view.validRows === 0) return <p class="empty-state">{t("import.noValid")}</p>;
  if (load.kind === "loading") return <Loading />;
  if (load.kind === "failed") {
    return (
      <LoadError
        message={t("import.rowsFailed", {
          message: errorMessage(load.error, t("app.networkError"), t("app.unexpectedError")),
        })}
        onRetry={() => {
          setLoad({ kind: "loading" });
          fetchRows();
        }}
      />
    );
  }
  const pages = lastPage(load.page.total, load.page.pageSize);
  return (
    <>
      <div class="table-wrap">
        <table class="admin-list import-valid">
          <caption class="visually-hidden">{t("import.validTitle")}</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                {t("import.row")}
              </th>
              <th scope="col">{t("customers.phone")}</th>
              <th scope="col">{t("customers.name")}</th>
              <th scope="col">{t("import.action")}</th>
              <th scope="col">{t("import.matchedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {load.page.items.map((r) => (
              <tr
                key={r.row}
                data-row={r.row}
                data-action={r.action}
                data-matched-by={r.matchedBy ?? undefined}
              >
                <td class="numeric">{r.row}</td>
                <td>
                  {r.phone ??
                    (r.whatsappUserId
                      ? t("import.whatsappUser", { id: r.whatsappUserId })
                      : t("app.none"))}
                </td>
                <td>{r.name ?? t("app.none")}</td>
                <td>{t(ACTION_LABEL[r.action])}</td>
                <td>{r.matchedBy ? t(`import.matchedBy.${r.matchedBy}`) : t("app.none")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && <Pager idPrefix="import-rows" page={page} pages={pages} onPage={setPage} />}
    </>
  );
}
