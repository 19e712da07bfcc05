/**
 * The customer list: ID, phone, name, authorized, last update and a column per property
 * shown in the list; search, sort, page size, the Excel download of what is filtered,
 * New (when the caller may edit) and Import (admins).
 */
import { useMemo } from "preact/hooks";
import type { CustomerFields } from "../../shared/customer-import.ts";
import { CustomerView } from "../../shared/customer-view.ts";
import { formatDateTime } from "../admin/format.ts";
import { type Column, Link, ListView, pathOf } from "../admin/kit/index.ts";
import { useI18n } from "../i18n.ts";
import { formatPropertyValue, shortId } from "./format.ts";

export function CustomersList({ fields }: { fields: CustomerFields }) {
  const { t, language } = useI18n();
  const columns = useMemo<Column<CustomerView>[]>(() => {
    const words = { yes: t("admin.yes"), no: t("admin.no"), none: t("app.none") };
    const base: Column<CustomerView>[] = [
      {
        key: "id",
        label: t("customers.id"),
        render: (c) => (
          <code class="short-id" title={c.id}>
            {shortId(c.id)}
          </code>
        ),
      },
      {
        key: "phone",
        label: t("customers.phone"),
        sort: "phone",
        render: (c) => c.phone ?? t("app.none"),
      },
      { key: "name", label: t("customers.name"), sort: "name", render: (c) => c.name },
      {
        key: "authorized",
        label: t("customers.authorized"),
        render: (c) => (
          <span class={`badge-status ${c.authorized ? "state-active" : "state-suspended"}`}>
            {c.authorized ? t("admin.yes") : t("admin.no")}
          </span>
        ),
      },
      {
        key: "updatedAt",
        label: t("customers.updatedAt"),
        sort: "updatedAt",
        render: (c) => formatDateTime(language, c.updatedAt),
      },
    ];
    const shown = fields.properties.filter((p) => p.showInCustomerList);
    return [
      ...base,
      ...shown.map(
        (p): Column<CustomerView> => ({
          key: `property-${p.id}`,
          label: p.column,
          numeric: p.type === "number",
          render: (c) => formatPropertyValue(language, p, c.properties[p.id], words),
        }),
      ),
    ];
  }, [fields, t, language]);

  return (
    <ListView
      title={t("nav.customers")}
      base="/api"
      resource="customers"
      item={CustomerView}
      columns={columns}
      defaultSort="name"
      href={(c) => pathOf("customers", c.id)}
      label={(c) => c.name}
      newHref={fields.mayEdit ? "/customers/new" : undefined}
      newLabel={t("customers.new")}
      emptyText={t("customers.empty")}
      toolbar={
        fields.mayImport && (
          <Link id="customers-import" class="button" href="/customers/import">
            {t("customers.import")}
          </Link>
        )
      }
    />
  );
}
