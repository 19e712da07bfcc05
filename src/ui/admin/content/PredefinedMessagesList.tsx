/** The tenant's predefined messages, filtered by category (in the URL, so Back keeps it). */
import { PredefinedMessageView } from "../../../shared/admin.ts";
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
import { predefinedApi } from "./api.ts";

export function PredefinedMessagesList() {
  const { t, language } = useI18n();
  const route = useRoute();
  const category = new URLSearchParams(route.search).get("category") ?? "";
  const categories = useOptions("predefined-categories", async () =>
    (await predefinedApi.categories()).map((c) => ({ value: c, label: c })),
  );
  const columns: Column<PredefinedMessageView>[] = [
    { key: "title", label: t("predefined.title"), sort: "title", render: (m) => m.title },
    {
      key: "category",
      label: t("predefined.category"),
      sort: "category",
      render: (m) => m.category,
    },
    {
      key: "text",
      label: t("predefined.text"),
      render: (m) => <span class="cell-clip">{m.text}</span>,
    },
    {
      key: "interactive",
      label: t("interactive.legend"),
      render: (m) =>
        m.interactive === null
          ? t("app.none")
          : m.interactive.type === "buttons"
            ? t("predefined.buttonsSummary", { n: m.interactive.buttons.length })
            : t("predefined.listSummary", {
                n: m.interactive.sections.reduce((n, s) => n + s.rows.length, 0),
              }),
    },
    {
      key: "updatedAt",
      label: t("predefined.updatedAt"),
      sort: "updatedAt",
      render: (m) => formatDateTime(language, m.updatedAt),
    },
  ];
  const filter = (
    <div class="toolbar-field">
      <label for="list-category">{t("predefined.category")}</label>
      <select
        id="list-category"
        value={category}
        onChange={(e) => {
          const search = withFilter(route.search, "category", e.currentTarget.value);
          navigate(`${route.path}${search ? `?${search}` : ""}`);
        }}
      >
        <option value="">{t("predefined.allCategories")}</option>
        {categories.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {category && !categories.options.some((o) => o.value === category) && (
          <option value={category}>{category}</option>
        )}
      </select>
    </div>
  );
  return (
    <ListView
      title={t("nav.predefined-messages")}
      resource="predefined-messages"
      item={PredefinedMessageView}
      columns={columns}
      defaultSort="category"
      filters={{ category: category || undefined }}
      toolbar={filter}
      href={(m) => pathOf("admin", "predefined-messages", m.id)}
      label={(m) => m.title}
      newHref={
        category
          ? `/admin/predefined-messages/new?category=${encodeURIComponent(category)}`
          : "/admin/predefined-messages/new"
      }
      newLabel={t("predefined.new")}
      emptyText={t("predefined.empty")}
    />
  );
}
