/** My history: the conversations I closed in the last four weeks, filtered by date. */
import { useI18n } from "../../i18n.ts";

export function MyHistoryView() {
  const { t } = useI18n();
  return <p class="empty-state pane-empty">{t("app.loading")}</p>;
}
