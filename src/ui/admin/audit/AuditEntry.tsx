/** One change of the audit trail: who, when, what, and each field before and after. */
import { useCallback } from "preact/hooks";
import { AuditEventView } from "../../../shared/audit.ts";
import { useI18n } from "../../i18n.ts";
import { formatDateTime } from "../format.ts";
import { getJson, Link, RecordGate, useLoadedRecord } from "../kit/index.ts";
import { actionName, entityName, fieldName, valueText } from "./audit.ts";

export function AuditEntry({
  base,
  root,
  id,
}: {
  base: "/api/admin" | "/api/platform";
  root: string;
  id: string;
}) {
  const { t, language } = useI18n();
  const fetchEntry = useCallback(
    () => getJson(`${base}/audit/${encodeURIComponent(id)}`, AuditEventView),
    [base, id],
  );
  const { record: entry, status, loadError, retry } = useLoadedRecord(fetchEntry);
  if (status !== "ready" || !entry) {
    return <RecordGate status={status} loadError={loadError} onRetry={retry} backTo={root} />;
  }
  const when = formatDateTime(language, entry.at);
  return (
    <section class="admin-page" aria-labelledby="audit-entry-heading">
      <p>
        <Link href={root}>{t("admin.backToList")}</Link>
      </p>
      <h1 id="audit-entry-heading">{t("audit.entryTitle", { when })}</h1>
      <dl class="facts">
        <dt>{t("audit.who")}</dt>
        <dd>
          {entry.actorName} {entry.actorEmail && `(${entry.actorEmail})`}
        </dd>
        <dt>{t("audit.action")}</dt>
        <dd>{actionName(t, entry.action)}</dd>
        <dt>{t("audit.what")}</dt>
        <dd>
          {entityName(t, entry.entity)}
          {entry.entityLabel && `: ${entry.entityLabel}`}
        </dd>
        {entry.entityId && (
          <>
            <dt>{t("audit.id")}</dt>
            <dd>
              <code>{entry.entityId}</code>
            </dd>
          </>
        )}
        {entry.requestId && (
          <>
            <dt>{t("audit.request")}</dt>
            <dd>
              <code>{entry.requestId}</code>
            </dd>
          </>
        )}
      </dl>
      {entry.changes.length === 0 ? (
        <p>{t("audit.noFields")}</p>
      ) : (
        <table class="admin-list audit-changes">
          <caption>{t("audit.changes")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.field")}</th>
              <th scope="col">{t("audit.before")}</th>
              <th scope="col">{t("audit.after")}</th>
            </tr>
          </thead>
          <tbody>
            {entry.changes.map((change) => (
              <tr key={change.field} data-field={change.field}>
                <th scope="row">{fieldName(t, change.field)}</th>
                {change.secret ? (
                  <td colSpan={2}>{t("audit.secretChanged")}</td>
                ) : (
                  <>
                    <td>{"before" in change ? valueText(t, change.before) : t("audit.nothing")}</td>
                    <td>{"after" in change ? valueText(t, change.after) : t("audit.nothing")}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
