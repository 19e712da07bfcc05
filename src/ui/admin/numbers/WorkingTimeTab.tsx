/**
 * The working-time tab: time zone, weekly opening ranges, 24/7 and closed dates of a
 * number. Saves `workingTime` alone with the number's version; the number's actor
 * follows the change at once (routing and out-of-hours replies).
 */
import type { NumberView, Weekday, WorkingTime } from "../../../shared/admin.ts";
import { type Translate, useI18n } from "../../i18n.ts";
import { WorkingTimeEditor } from "../editors/WorkingTimeEditor.tsx";
import { WEEKDAYS, weekdayName } from "../editors/working-time.ts";
import { AdminForm, useRecordForm } from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import type { NumberTabProps } from "./tabs.ts";

export function WorkingTimeTab({ number, onNumberChange }: NumberTabProps) {
  const { t, language } = useI18n();
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
      labels={summaryLabels(form.draft, (day) => weekdayName(language, day), t)}
    >
      <WorkingTimeEditor value={form.draft} onChange={form.setDraft} />
    </AdminForm>
  );
}

/**
 * Names for the error summary, so "week.mon.1.close" reads "Monday, range 2, closes".
 * Paths are relative to `workingTime` (the form strips it).
 */
function summaryLabels(
  value: WorkingTime,
  dayName: (day: Weekday) => string,
  t: Translate,
): Record<string, string> {
  const labels: Record<string, string> = {
    timeZone: t("wt.timeZone"),
    alwaysOpen: t("wt.alwaysOpen"),
    week: t("wt.week"),
    closedDates: t("wt.closedDates"),
  };
  for (const day of WEEKDAYS) {
    labels[`week.${day}`] = dayName(day);
    (value.week[day] ?? []).forEach((_, i) => {
      const names = { day: dayName(day), n: i + 1 };
      labels[`week.${day}.${i}`] = t("wt.rangeLabel", names);
      labels[`week.${day}.${i}.open`] = t("wt.rangeOpens", names);
      labels[`week.${day}.${i}.close`] = t("wt.rangeCloses", names);
    });
  }
  value.closedDates.forEach((_, i) => {
    labels[`closedDates.${i}`] = t("wt.dateLabel", { n: i + 1 });
    labels[`closedDates.${i}.date`] = t("wt.dateLabel", { n: i + 1 });
    labels[`closedDates.${i}.name`] = t("wt.dateNameLabel", { n: i + 1 });
  });
  return labels;
}
