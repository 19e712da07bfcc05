/**
 * Edits a number's working time: the IANA time zone (a searchable list), "open 24/7",
 * several opening ranges per weekday with 24 h / closed shortcuts and a hint when a range
 * ends the next day, "copy Monday to weekdays", and closed dates. Above it, whether the
 * number would be open right now with these settings (computed by the same module the
 * server routes with). Controlled: `value` in, `onChange` out; errors come from the
 * enclosing `AdminForm` by path under `path`.
 */
import type { ComponentChildren } from "preact";
import { useContext, useEffect, useId, useMemo, useRef } from "preact/hooks";
import { type OpeningRange, type Weekday, WorkingTime } from "../../../shared/admin.ts";
import { openState } from "../../../shared/working-time.ts";
import { useNow } from "../../clock.ts";
import { useI18n } from "../../i18n.ts";
import { FieldError, FormScopeContext } from "../kit/fields.tsx";
import { firstError, joinPath, scopedField } from "./scope.ts";
import {
  addClosedDate,
  addRange,
  closeFromInput,
  closeToInput,
  copyMondayToWeekdays,
  crossesMidnight,
  dayKind,
  duplicateClosedDates,
  formatChange,
  isKnownTimeZone,
  MAX_CLOSED_DATES,
  MAX_RANGES_PER_DAY,
  overlappingRanges,
  rangesOf,
  removeClosedDate,
  removeRange,
  setClosed,
  setClosedDate,
  setFullDay,
  setRange,
  timeZoneList,
  WEEKDAYS,
  weekdayName,
} from "./working-time.ts";

interface WorkingTimeEditorProps {
  value: WorkingTime;
  onChange: (next: WorkingTime) => void;
  /** Where the working time sits in the form's error paths ("" when the form strips it). */
  path?: string;
}

export function WorkingTimeEditor({ value, onChange, path = "" }: WorkingTimeEditorProps) {
  const { t, language } = useI18n();
  const scope = useContext(FormScopeContext);
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const zones = useMemo(() => timeZoneList(), []);
  const field = (...parts: (string | number)[]) =>
    scopedField(scope.formId, scope.errors, joinPath(path, ...parts));

  // Focus follows structural edits (a new range, a removed one) after the re-render.
  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    pendingFocus.current = null;
    document.getElementById(id)?.focus();
  });

  const tz = field("timeZone");
  const zoneKnown = isKnownTimeZone(value.timeZone);
  const alwaysOpen = field("alwaysOpen");
  const disabled = scope.disabled;
  const duplicates = new Set(duplicateClosedDates(value));

  return (
    <div class="wt-editor">
      <OpenStatus value={value} />

      <div class={`field${tz.error ? " has-error" : ""}`}>
        <label for={tz.id}>{t("wt.timeZone")}</label>
        <input
          id={tz.id}
          name={tz.path}
          list={`${uid}-zones`}
          value={value.timeZone}
          autoComplete="off"
          spellcheck={false}
          disabled={disabled}
          aria-invalid={tz.invalid ?? (zoneKnown ? undefined : true)}
          aria-describedby={`${uid}-tz-hint${tz.describedBy ? ` ${tz.describedBy}` : ""}`}
          onInput={(e) => onChange({ ...value, timeZone: e.currentTarget.value.trim() })}
        />
        <datalist id={`${uid}-zones`}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <p id={`${uid}-tz-hint`} class="field-help">
          {zoneKnown || !value.timeZone ? t("wt.timeZoneHint") : t("wt.timeZoneUnknown")}
        </p>
        <FieldError id={tz.errId} path={tz.path} message={tz.error} />
      </div>

      <div class="field field-toggle">
        <input
          id={alwaysOpen.id}
          name={alwaysOpen.path}
          type="checkbox"
          checked={value.alwaysOpen}
          disabled={disabled}
          aria-describedby={`${uid}-always-hint`}
          onChange={(e) => onChange({ ...value, alwaysOpen: e.currentTarget.checked })}
        />
        <label for={alwaysOpen.id}>{t("wt.alwaysOpen")}</label>
        <p id={`${uid}-always-hint`} class="field-help">
          {t("wt.alwaysOpenHint")}
        </p>
      </div>

      <fieldset class="field-group wt-week" disabled={disabled || value.alwaysOpen}>
        <legend>{t("wt.week")}</legend>
        <p class="field-help">{value.alwaysOpen ? t("wt.ignored") : t("wt.weekHint")}</p>
        <FieldError path={joinPath(path, "week")} message={scope.errors[joinPath(path, "week")]} />
        {WEEKDAYS.map((day) => (
          <DayEditor
            key={day}
            day={day}
            dayName={weekdayName(language, day)}
            ranges={rangesOf(value, day)}
            field={field}
            onChange={(next) => onChange(next(value))}
            focus={(id) => {
              pendingFocus.current = id;
            }}
            extra={
              day === "mon" ? (
                <button
                  type="button"
                  class="button wt-copy"
                  onClick={() => onChange(copyMondayToWeekdays(value))}
                >
                  {t("wt.copyMonday")}
                </button>
              ) : null
            }
          />
        ))}
      </fieldset>

      <fieldset class="field-group wt-dates" disabled={disabled || value.alwaysOpen}>
        <legend>{t("wt.closedDates")}</legend>
        <p class="field-help">{value.alwaysOpen ? t("wt.ignored") : t("wt.closedDatesHint")}</p>
        <FieldError
          path={joinPath(path, "closedDates")}
          message={scope.errors[joinPath(path, "closedDates")]}
        />
        {value.closedDates.length === 0 ? (
          <p class="muted">{t("wt.noDates")}</p>
        ) : (
          <ul class="wt-date-rows">
            {value.closedDates.map((entry, index) => {
              const date = field("closedDates", index, "date");
              const name = field("closedDates", index, "name");
              const dateError =
                date.error ??
                scope.errors[joinPath(path, "closedDates", index)] ??
                (duplicates.has(index) ? t("wt.duplicateDate") : undefined);
              const n = index + 1;
              return (
                <li key={index} class="wt-date-row">
                  <div class="field">
                    <label for={date.id}>{t("wt.date")}</label>
                    <input
                      id={date.id}
                      name={date.path}
                      type="date"
                      value={entry.date}
                      aria-label={t("wt.dateLabel", { n })}
                      aria-invalid={dateError ? true : undefined}
                      aria-describedby={dateError ? date.errId : undefined}
                      onInput={(e) =>
                        onChange(setClosedDate(value, index, { date: e.currentTarget.value }))
                      }
                    />
                    <FieldError id={date.errId} path={date.path} message={dateError} />
                  </div>
                  <div class="field">
                    <label for={name.id}>{t("wt.dateName")}</label>
                    <input
                      id={name.id}
                      name={name.path}
                      value={entry.name}
                      maxLength={100}
                      placeholder={t("wt.dateNamePlaceholder")}
                      aria-label={t("wt.dateNameLabel", { n })}
                      aria-invalid={name.invalid}
                      aria-describedby={name.describedBy}
                      onInput={(e) =>
                        onChange(setClosedDate(value, index, { name: e.currentTarget.value }))
                      }
                    />
                    <FieldError id={name.errId} path={name.path} message={name.error} />
                  </div>
                  <button
                    type="button"
                    class="button wt-date-remove"
                    aria-label={
                      entry.date
                        ? t("wt.removeDate", { n, date: entry.date })
                        : t("wt.removeDateBlank", { n })
                    }
                    onClick={() => {
                      onChange(removeClosedDate(value, index));
                      pendingFocus.current =
                        index < value.closedDates.length - 1
                          ? field("closedDates", index, "date").id
                          : `${uid}-add-date`;
                    }}
                  >
                    {t("wt.remove")}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <button
          id={`${uid}-add-date`}
          type="button"
          class="button wt-add-date"
          disabled={value.closedDates.length >= MAX_CLOSED_DATES}
          onClick={() => {
            // Empty: the admin types the date (today pre-filled was saved by mistake).
            onChange(addClosedDate(value, ""));
            pendingFocus.current = field("closedDates", value.closedDates.length, "date").id;
          }}
        >
          {t("wt.addDate")}
        </button>
      </fieldset>
    </div>
  );
}

type FieldOf = (...parts: (string | number)[]) => ReturnType<typeof scopedField>;

/** One weekday: its ranges and the day's shortcuts. */
function DayEditor({
  day,
  dayName,
  ranges,
  field,
  onChange,
  focus,
  extra,
}: {
  day: Weekday;
  dayName: string;
  ranges: readonly OpeningRange[];
  field: FieldOf;
  /** Applies an edit to the whole working time (so the day never holds a stale copy). */
  onChange: (edit: (value: WorkingTime) => WorkingTime) => void;
  focus: (id: string) => void;
  extra: ComponentChildren;
}) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const kind = dayKind(ranges);
  const overlaps = new Set(overlappingRanges(ranges));
  const dayPath = field("week", day).path;
  const addId = `${field("week", day).id}-add`;

  return (
    <fieldset class="wt-day" data-day={day}>
      <legend class="wt-day-name">
        {dayName}
        {kind !== "ranges" && (
          <span class={`wt-day-kind wt-day-${kind}`}>
            {kind === "closed" ? t("wt.closed") : t("wt.fullDay")}
          </span>
        )}
      </legend>
      <FieldError path={dayPath} message={scope.errors[dayPath]} />
      {ranges.length > 0 && (
        <ul class="wt-ranges">
          {ranges.map((range, index) => {
            const row = field("week", day, index);
            const open = field("week", day, index, "open");
            const close = field("week", day, index, "close");
            const error = firstError(scope.errors, [row.path, open.path, close.path]);
            const n = index + 1;
            const nextDay = crossesMidnight(range);
            const hintId = `${row.id}-hint`;
            const describedBy =
              [nextDay || overlaps.has(index) ? hintId : "", error ? row.errId : ""]
                .filter(Boolean)
                .join(" ") || undefined;
            return (
              <li key={index} id={row.id} tabIndex={-1} class="wt-range">
                <input
                  id={open.id}
                  name={open.path}
                  type="time"
                  value={range.open}
                  required
                  aria-label={t("wt.rangeOpens", { day: dayName, n })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy}
                  onInput={(e) => {
                    const openValue = e.currentTarget.value;
                    onChange((v) => setRange(v, day, index, { ...range, open: openValue }));
                  }}
                />
                <span aria-hidden="true">–</span>
                <input
                  id={close.id}
                  name={close.path}
                  type="time"
                  value={closeToInput(range.close)}
                  required
                  aria-label={t("wt.rangeCloses", { day: dayName, n })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy}
                  onInput={(e) => {
                    const closeValue = closeFromInput(e.currentTarget.value);
                    onChange((v) => setRange(v, day, index, { ...range, close: closeValue }));
                  }}
                />
                <button
                  type="button"
                  class="icon-button wt-range-remove"
                  aria-label={t("wt.removeRange", { day: dayName, n })}
                  onClick={() => {
                    onChange((v) => removeRange(v, day, index));
                    focus(index < ranges.length - 1 ? field("week", day, index, "open").id : addId);
                  }}
                >
                  ×
                </button>
                {(nextDay || overlaps.has(index)) && (
                  <span id={hintId} class="wt-range-hint">
                    {nextDay && t("wt.nextDay", { time: range.close })}
                    {nextDay && overlaps.has(index) && " · "}
                    {overlaps.has(index) && t("wt.overlap")}
                  </span>
                )}
                <FieldError id={row.errId} path={row.path} message={error} />
              </li>
            );
          })}
        </ul>
      )}
      <div class="wt-day-actions">
        <button
          id={addId}
          type="button"
          class="button"
          disabled={ranges.length >= MAX_RANGES_PER_DAY}
          aria-label={t("wt.addRangeTo", { day: dayName })}
          onClick={() => {
            onChange((v) => addRange(v, day));
            focus(field("week", day, ranges.length, "open").id);
          }}
        >
          {t("wt.addRange")}
        </button>
        <button
          type="button"
          class="button"
          aria-pressed={kind === "fullDay"}
          aria-label={t("wt.fullDayOf", { day: dayName })}
          onClick={() => onChange((v) => setFullDay(v, day))}
        >
          {t("wt.fullDay")}
        </button>
        <button
          type="button"
          class="button"
          aria-pressed={kind === "closed"}
          aria-label={t("wt.closedOf", { day: dayName })}
          onClick={() => {
            onChange((v) => setClosed(v, day));
            focus(addId);
          }}
        >
          {t("wt.closed")}
        </button>
        {extra}
      </div>
    </fieldset>
  );
}

/**
 * "Open now · until Tue 18:00", computed from the value being edited, so an admin sees
 * the effect before saving. Nothing is shown while the value is incomplete.
 */
function OpenStatus({ value }: { value: WorkingTime }) {
  const { t, language } = useI18n();
  const now = useNow();
  // Recomputed once a minute at most: the state only changes on minute boundaries.
  const minute = Math.floor(now / 60_000);
  const state = useMemo(() => {
    if (!WorkingTime.safeParse(value).success) return null;
    try {
      return openState(value, minute * 60_000);
    } catch {
      return null;
    }
  }, [value, minute]);
  if (!state) return null;
  const when =
    state.nextChangeAt === null ? null : formatChange(language, state.nextChangeAt, value.timeZone);
  let text: string;
  if (value.alwaysOpen) text = t("wt.statusAlways");
  else if (state.open) text = when ? t("wt.statusOpenUntil", { when }) : t("wt.statusOpen");
  else text = when ? t("wt.statusClosedUntil", { when }) : t("wt.statusClosed");
  return (
    <p class={`wt-status ${state.open ? "is-open" : "is-closed"}`} role="status">
      <span class="wt-status-dot" aria-hidden="true" />
      <span>
        {t("wt.statusPrefix")} <strong>{text}</strong>
      </span>
    </p>
  );
}
