/**
 * The tenant's templates with their review status (and Meta's reason when rejected,
 * paused or disabled), filtered by status and number (in the URL), and the tenant's
 * template limit.
 */
import { TemplateStatus, TemplateView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { formatDateTime } from "../format.ts";
import {
  type Column,
  ListView,
  navigate,
  pathOf,
  useOptions,
  useRoute,
  withFilter,
} from "../kit/index.ts";
import { numberFilterOptions } from "./api.ts";
import { TemplateLimit, useTemplateLimit } from "./TemplateLimit.tsx";
import { TemplateStatusBadge } from "./TemplateStatusBadge.tsx";

export function TemplatesList() {
  const { t, language } = useI18n();
  const route = useRoute();
  const params = new URLSearchParams(route.search);
  const status = TemplateStatus.safeParse(params.get("status")).data;
  const numberId = params.get("numberId") ?? "";
  const numbers = useOptions("template-numbers", numberFilterOptions);
  const usage = useTemplateLimit();
  const full = usage !== null && usage.count >= usage.limit;

  const setFilter = (key: string, value: string) => {
    const search = withFilter(route.search, key, value);
    navigate(`${route.path}${search ? `?${search}` : ""}`);
  };

  const columns: Column<TemplateView>[] = [
    { key: "name", label: t("template.name"), sort: "name", render: (v) => v.name },
    {
      key: "language",
      label: t("template.language"),
      sort: "language",
      render: (v) => v.language,
    },
    {
      key: "category",
      label: t("template.category"),
      sort: "category",
      render: (v) => t(`template.category.${v.category}`),
    },
    {
      key: "status",
      label: t("templates.statusColumn"),
      sort: "status",
      render: (v) => (
        <span class="status-cell">
          <TemplateStatusBadge status={v.status} />
          {v.statusReason && <span class="status-reason">{v.statusReason}</span>}
        </span>
      ),
    },
    { key: "numberName", label: t("template.number"), render: (v) => v.numberName },
    {
      key: "updatedAt",
      label: t("predefined.updatedAt"),
      sort: "updatedAt",
      render: (v) => formatDateTime(language, v.updatedAt),
    },
  ];

  const toolbar = (
    <>
      <TemplateLimit usage={usage} />
      <div class="toolbar-field">
        <label for="list-status">{t("templates.statusColumn")}</label>
        <select
          id="list-status"
          value={status ?? ""}
          onChange={(e) => setFilter("status", e.currentTarget.value)}
        >
          <option value="">{t("templates.allStatuses")}</option>
          {TemplateStatus.options.map((s) => (
            <option key={s} value={s}>
              {t(`templates.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="toolbar-field">
        <label for="list-number">{t("template.number")}</label>
        <select
          id="list-number"
          value={numberId}
          onChange={(e) => setFilter("numberId", e.currentTarget.value)}
        >
          <option value="">{t("skillset.allNumbers")}</option>
          {numbers.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </>
  );

  return (
    <div class="templates-page">
      <ListView
        title={t("nav.templates")}
        resource="templates"
        item={TemplateView}
        columns={columns}
        defaultSort="name"
        filters={{ status, numberId: numberId || undefined }}
        toolbar={toolbar}
        href={(v) => pathOf("admin", "templates", v.id)}
        label={(v) => `${v.name} (${v.language})`}
        newHref={
          full
            ? undefined
            : numberId
              ? `/admin/templates/new?numberId=${encodeURIComponent(numberId)}`
              : "/admin/templates/new"
        }
        newLabel={t("templates.new")}
        emptyText={t("templates.empty")}
      />
    </div>
  );
}
