/** A template's review status as a coloured badge with its name in words (never colour alone). */
import type { TemplateStatus } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";

export function TemplateStatusBadge({ status }: { status: TemplateStatus }) {
  const { t } = useI18n();
  return (
    <span class={`status-badge status-${status}`} data-status={status}>
      {t(`templates.status.${status}`)}
    </span>
  );
}
