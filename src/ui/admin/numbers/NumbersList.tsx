/** The tenant's managed numbers. */
import { NumberView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { formatDate } from "../format.ts";
import { type Column, ListView, pathOf } from "../kit/index.ts";

export function NumbersList() {
  const { t, language } = useI18n();
  const columns: Column<NumberView>[] = [
    { key: "name", label: t("number.name"), sort: "name", render: (n) => n.name },
    {
      key: "displayPhone",
      label: t("number.displayPhone"),
      sort: "displayPhone",
      render: (n) => n.displayPhone,
    },
    { key: "phoneNumberId", label: t("number.phoneNumberId"), render: (n) => n.phoneNumberId },
    {
      key: "credentials",
      label: t("credentials.accessToken"),
      render: (n) => (n.hasAccessToken ? t("credentials.set") : t("credentials.notSet")),
    },
    {
      key: "createdAt",
      label: t("admin.createdAt"),
      sort: "createdAt",
      render: (n) => formatDate(language, n.createdAt),
    },
  ];
  return (
    <ListView
      title={t("nav.numbers")}
      resource="numbers"
      item={NumberView}
      columns={columns}
      defaultSort="name"
      href={(n) => pathOf("admin", "numbers", n.id, "details")}
      label={(n) => n.name}
      newHref="/admin/numbers/new"
      newLabel={t("number.new")}
      emptyText={t("number.empty")}
    />
  );
}
