/**
 * The audit trail: who changed what and when, newest first, with search, a period
 * (days in the reader's time zone), a kind filter, paging and the Excel download of
 * exactly what is filtered. The filters live in the URL, so Back and reload keep them.
 */
import { AuditEntity, AuditEventView } from "../../../shared/audit.ts";
import { useI18n } from "../../i18n.ts";
import { formatDateTime } from "../format.ts";
import { type Column, ListView, navigate, useRoute, withFilter } from "../kit/index.ts";
import { actionName, changeLine, entityName, periodFilters } from "./audit.ts";

/** Changes shown in a row before "+n more". */
const ROW_CHANGES = 3;

export function AuditList({ base, root }: { base: "/api/admin" | "/api/platform"; root: string }) {
  const { t, language } = useI18n();
  const route = useRoute();
  const query = new URLSearchParams(route.search);
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  const entity = AuditEntity.safeParse(query.get("entity")).data ?? "";
  const setFilter = (key: string, value: string) => {
    const search = withFilter(route.search, key, value);
    navigate(`${route.path}${search ? `?${search}` : ""}`);
  };

  const columns: Column<AuditEventView>[] = [
    {
      key: "when",
      label: t("audit.when"),
      sort: "recent",
      render: (e) => formatDateTime(language, e.at),
    },
    {
      key: "who",
      label: t("audit.who"),
      sort: "actor",
      render: (e) => <span title={e.actorEmail}>{e.actorName}</span>,
    },
    {
      key: "action",
      label: t("audit.action"),
      sort: "action",
      render: (e) => actionName(t, e.action),
    },
    {
      key: "what",
      label: t("audit.what"),
      sort: "entity",
      render: (e) => `${entityName(t, e.entity)}${e.entityLabel ? `: ${e.entityLabel}` : ""}`,
    },
    {
      key: "changes",
      label: t("audit.changes"),
      render: (e) => (
        <span class="cell-clip">
          {e.changes
            .slice(0, ROW_CHANGES)
            .map((change) => changeLine(t, change))
            .join("; ")}
          {e.changes.length > ROW_CHANGES &&
            ` ${t("audit.more", { n: e.changes.length - ROW_CHANGES })}`}
        </span>
      ),
    },
  ];

  const toolbar = (
    <>
      <DateFilter
        id="audit-from"
        label={t("audit.from")}
        value={from}
        max={to}
        onChange={(v) => setFilter("from", v)}
      />
      <DateFilter
        id="audit-to"
        label={t("audit.to")}
        value={to}
        min={from}
        onChange={(v) => setFilter("to", v)}
      />
      <div class="toolbar-field">
        <label for="audit-kind">{t("audit.kind")}</label>
        <select
          id="audit-kind"
          value={entity}
          onChange={(e) => setFilter("entity", e.currentTarget.value)}
        >
          <option value="">{t("audit.allKinds")}</option>
          {AuditEntity.options.map((kind) => (
            <option key={kind} value={kind}>
              {entityName(t, kind)}
            </option>
          ))}
        </select>
      </div>
    </>
  );

  return (
    <ListView
      title={t("nav.audit")}
      base={base}
      resource="audit"
      item={AuditEventView}
      columns={columns}
      defaultSort="recent"
      filters={{ ...periodFilters(from, to), entity: entity || undefined }}
      toolbar={toolbar}
      href={(e) => `${root}/${encodeURIComponent(e.id)}`}
      label={(e) => formatDateTime(language, e.at)}
      emptyText={t("audit.empty")}
    />
  );
}

/** One end of the period: a day in the reader's calendar, bounded by the other end. */
function DateFilter(props: {
  id: string;
  label: string;
  value: string;
  min?: string;
  max?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div class="toolbar-field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="date"
        value={props.value}
        min={props.min || undefined}
        max={props.max || undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      />
    </div>
  );
}
