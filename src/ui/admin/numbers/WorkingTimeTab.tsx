/**
 * The working-time tab: time zone, weekly opening ranges, 24/7 and closed dates of a
 * number. Saves `workingTime` alone with the number's version; the number's actor
 * follows the change at once (routing and out-of-hours replies).
 */
import type { NumberView, WorkingTime } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { WorkingTimeEditor } from "../editors/WorkingTimeEditor.tsx";
import { AdminForm, useRecordForm } from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import type { NumberTabProps } from "./tabs.ts";

export function WorkingTimeTab({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, WorkingTime>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: (view) => view.settings.workingTime,
    save: (draft, view) =>
      numbersApi.update(number.id, {
        version: view?.version ?? number.version,
        workingTime: draft,
      }),
    errorPrefix: "workingTime",
  });
  return (
    <AdminForm
      form={form}
      labelledBy="tab-working-time"
      labels={{
        timeZone: t("wt.timeZone"),
        alwaysOpen: t("wt.alwaysOpen"),
        week: t("wt.week"),
        closedDates: t("wt.closedDates"),
      }}
    >
      <WorkingTimeEditor value={form.draft} onChange={form.setDraft} />
    </AdminForm>
  );
}
