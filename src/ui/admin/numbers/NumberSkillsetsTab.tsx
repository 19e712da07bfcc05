/**
 * The skillsets tab of a number: its skillsets (search, sort, page size, Excel), each
 * opening the skillset form, and "New skillset" preset to this number.
 */
import { SkillsetView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { type Column, ListView, pathOf } from "../kit/index.ts";
import type { NumberTabProps } from "./tabs.ts";

export function NumberSkillsetsTab({ number }: NumberTabProps) {
  const { t } = useI18n();
  const columns: Column<SkillsetView>[] = [
    { key: "name", label: t("skillset.name"), sort: "name", render: (s) => s.name },
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
      key: "botLabel",
      label: t("skillset.botLabel"),
      render: (s) => s.botLabel ?? t("app.none"),
    },
    {
      key: "members",
      label: t("skillset.members"),
      numeric: true,
      render: (s) => s.members.length,
    },
  ];
  return (
    <div class="tab-body">
      <ListView
        title={t("numberSkillsets.title", { name: number.name })}
        headingLevel={2}
        resource="skillsets"
        item={SkillsetView}
        columns={columns}
        defaultSort="name"
        filters={{ numberId: number.id }}
        href={(s) => pathOf("admin", "skillsets", s.id)}
        label={(s) => s.name}
        newHref={`/admin/skillsets/new?numberId=${encodeURIComponent(number.id)}`}
        newLabel={t("skillset.new")}
        emptyText={t("numberSkillsets.empty")}
      />
    </div>
  );
}
