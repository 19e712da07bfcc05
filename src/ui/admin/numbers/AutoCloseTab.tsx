/** The auto-close tab: inactivity timers and the rules that close conversations by themselves. */
import type { AutoCloseSettings, NumberView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { AdminForm, FieldGroup, NumberField, Toggle, useRecordForm } from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import type { NumberTabProps } from "./tabs.ts";

const MAX_MINUTES = 7 * 24 * 60;
type EndOfDayKey = keyof AutoCloseSettings["endOfDay"];
const END_OF_DAY: readonly EndOfDayKey[] = [
  "categoryWaiting",
  "awaitingAssignment",
  "awaitingTransfer",
  "waitQueue",
];
const TIMERS = [
  "activeInactivityMinutes",
  "queuedInactivityMinutes",
  "transferInactivityMinutes",
] as const;
const RULES = ["afterWorkingHours", "after24hFromCustomer", "unauthorizedNumbers"] as const;

export function AutoCloseTab({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, AutoCloseSettings>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: (view) => view.settings.autoClose,
    save: (draft, view) =>
      numbersApi.update(number.id, { version: view?.version ?? number.version, autoClose: draft }),
    errorPrefix: "autoClose",
  });
  const { draft, set } = form;
  return (
    <AdminForm form={form} labelledBy="tab-auto-close">
      <FieldGroup legend={t("autoClose.timers")} hint={t("autoClose.timersHint")}>
        {TIMERS.map((key) => (
          <NumberField
            key={key}
            name={key}
            label={t(`autoClose.${key}`)}
            required={false}
            min={1}
            max={MAX_MINUTES}
            unit={t("form.minutes")}
            value={draft[key]}
            onInput={(v) => set(key, v)}
          />
        ))}
      </FieldGroup>
      <FieldGroup legend={t("autoClose.rules")}>
        {RULES.map((key) => (
          <Toggle
            key={key}
            name={key}
            label={t(`autoClose.${key}`)}
            checked={draft[key]}
            onChange={(v) => set(key, v)}
          />
        ))}
      </FieldGroup>
      <FieldGroup legend={t("autoClose.endOfDay")} hint={t("autoClose.endOfDayHint")}>
        {END_OF_DAY.map((key) => (
          <Toggle
            key={key}
            name={key}
            path={`endOfDay.${key}`}
            label={t(`autoClose.endOfDay.${key}`)}
            checked={draft.endOfDay[key]}
            onChange={(v) => set("endOfDay", { ...draft.endOfDay, [key]: v })}
          />
        ))}
      </FieldGroup>
    </AdminForm>
  );
}
