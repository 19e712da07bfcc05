/** The platform operator's list of tenants. */
import { TenantView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { formatDate } from "../format.ts";
import { type Column, ListView, pathOf } from "../kit/index.ts";

export function TenantsList() {
  const { t, language } = useI18n();
  const columns: Column<TenantView>[] = [
    { key: "name", label: t("tenant.name"), sort: "name", render: (x) => x.name },
    {
      key: "status",
      label: t("tenant.status"),
      sort: "status",
      render: (x) => (
        <span class={`badge-status state-${x.status}`} data-state={x.status}>
          {t(`tenantStatus.${x.status}`)}
        </span>
      ),
    },
    {
      key: "templateLimit",
      label: t("tenant.templateLimit"),
      sort: "templateLimit",
      numeric: true,
      render: (x) => x.templateLimit,
    },
    {
      key: "createdAt",
      label: t("admin.createdAt"),
      sort: "createdAt",
      render: (x) => formatDate(language, x.createdAt),
    },
  ];
  return (
    <ListView
      title={t("nav.tenants")}
      base="/api/platform"
      resource="tenants"
      item={TenantView}
      columns={columns}
      defaultSort="name"
      href={(x) => pathOf("platform", "tenants", x.id)}
      label={(x) => x.name}
      newHref="/platform/tenants/new"
      newLabel={t("tenant.new")}
      emptyText={t("tenant.empty")}
    />
  );
}
