/** The tenant's skillsets, across numbers; filter by number. */
import { SkillsetView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  type Column,
  ListView,
  navigate,
  pathOf,
  useOptions,
  useRoute,
  withFilter,
} from "../kit/index.ts";
import { numberOptions } from "./api.ts";

export function SkillsetsList() {
  const { t } = useI18n();
  const route = useRoute();
  const numberId = new URLSearchParams(route.search).get("numberId") ?? "";
  const numbers = useOptions("numbers", numberOptions);
  const columns: Column<SkillsetView>[] = [
    { key: "name", label: t("skillset.name"), sort: "name", render: (s) => s.name },
    {
      key: "numberName",
      label: t("skillset.number"),
      sort: "numberName",
      render: (s) => s.numberName,
    },
    {
      key: "priority",
      label: t("skillset.priority"),
      sort: "priority",
      numeric: true,
      render: (s) => s.priority,
    },
    {
      key: "isDefault",
      label: t("skillset.isDefault"),
      render: (s) => (s.isDefault ? t("admin.yes") : t("admin.no")),
    },
    {
      key: "members",
      label: t("skillset.members"),
      numeric: true,
      render: (s) => s.members.length,
    },
  ];
  const filter = (
    <div class="toolbar-field">
      <label for="list-number">{t("skillset.number")}</label>
      <select
        id="list-number"
        value={numberId}
        onChange={(e) => {
          const search = withFilter(route.search, "numberId", e.currentTarget.value);
          navigate(`${route.path}${search ? `?${search}` : ""}`);
        }}
      >
        <option value="">{t("skillset.allNumbers")}</option>
        {numbers.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <ListView
      title={t("nav.skillsets")}
      resource="skillsets"
      item={SkillsetView}
      columns={columns}
      defaultSort="name"
      filters={{ numberId: numberId || undefined }}
      toolbar={filter}
      href={(s) => pathOf("admin", "skillsets", s.id)}
      label={(s) => s.name}
      newHref={
        numberId
          ? `/admin/skillsets/new?numberId=${encodeURIComponent(numberId)}`
          : "/admin/skillsets/new"
      }
      newLabel={t("skillset.new")}
      emptyText={t("skillset.empty")}
    />
  );
}
