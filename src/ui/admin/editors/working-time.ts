/**
 * Pure edits of a number's working time, for the working-time editor. Every function
 * returns a new value and never mutates its input, so the editor can hand the result
 * straight to `onChange`.
 *
 * `<input type="time">` cannot show "24:00", so the editor displays a closing time of
 * 24:00 as 00:00 and stores a closing 00:00 back as 24:00: both mean "midnight at the end
 * of the day", and storing 24:00 keeps such a range from looking like it crosses midnight.
 */
import type { OpeningRange, Weekday, WorkingTime } from "../../../shared/admin.ts";

/** The weekdays in the order the editor shows them (Monday first, as our users expect). */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Ranges per weekday the contract accepts. */
export const MAX_RANGES_PER_DAY = 6;

/** Closed dates the contract accepts. */
export const MAX_CLOSED_DATES = 366;

/** A whole day open: the "24 h" shortcut. */
export const FULL_DAY: OpeningRange = { open: "00:00", close: "24:00" };

/** The range a new day or a new range starts with. */
export const DEFAULT_RANGE: OpeningRange = { open: "09:00", close: "18:00" };

/** A working time for a new number: Europe/Rome-like office hours, Monday to Friday. */
export function defaultWorkingTime(timeZone = "UTC"): WorkingTime {
  const week = {} as Record<Weekday, OpeningRange[]>;
  for (const day of WEEKDAYS) week[day] = isWeekend(day) ? [] : [{ ...DEFAULT_RANGE }];
  return { timeZone, alwaysOpen: false, week, closedDates: [] };
}

function isWeekend(day: Weekday): boolean {
  return day === "sat" || day === "sun";
}

/** The ranges of a day; a missing day (an older stored value) is a closed day. */
export function rangesOf(value: WorkingTime, day: Weekday): readonly OpeningRange[] {
  return value.week[day] ?? [];
}

function withDay(value: WorkingTime, day: Weekday, ranges: OpeningRange[]): WorkingTime {
  return { ...value, week: { ...value.week, [day]: ranges } };
}

/** Replaces one range of a day. An index past the end changes nothing. */
export function setRange(
  value: WorkingTime,
  day: Weekday,
  index: number,
  range: OpeningRange,
): WorkingTime {
  const ranges = [...rangesOf(value, day)];
  if (index < 0 || index >= ranges.length) return value;
  ranges[index] = range;
  return withDay(value, day, ranges);
}

/**
 * Adds a range after the day's last one: it starts where the last one closes (an hour
 * later, for a lunch break) so it rarely overlaps. At the limit, nothing changes.
 */
export function addRange(value: WorkingTime, day: Weekday): WorkingTime {
  const ranges = rangesOf(value, day);
  if (ranges.length >= MAX_RANGES_PER_DAY) return value;
  const last = ranges[ranges.length - 1];
  let next = DEFAULT_RANGE;
  if (last) {
    const start = Math.min(toMinutes(last.close) + 60, 23 * 60);
    next = { open: fromMinutes(start), close: fromMinutes(Math.min(start + 4 * 60, 24 * 60)) };
  }
  return withDay(value, day, [...ranges, next]);
}

/** Removes one range; removing the last one makes the day closed. */
export function removeRange(value: WorkingTime, day: Weekday, index: number): WorkingTime {
  return withDay(
    value,
    day,
    rangesOf(value, day).filter((_, i) => i !== index),
  );
}

/** The "24 h" shortcut: one range covering the whole day. */
export function setFullDay(value: WorkingTime, day: Weekday): WorkingTime {
  return withDay(value, day, [{ ...FULL_DAY }]);
}

/** The "closed" shortcut: no ranges. */
export function setClosed(value: WorkingTime, day: Weekday): WorkingTime {
  return withDay(value, day, []);
}

/** Copies Monday's ranges to Tuesday–Friday (weekends are left alone). */
export function copyMondayToWeekdays(value: WorkingTime): WorkingTime {
  const monday = rangesOf(value, "mon");
  const week = { ...value.week };
  for (const day of ["tue", "wed", "thu", "fri"] as const)
    week[day] = monday.map((r) => ({ ...r }));
  return { ...value, week };
}

/** How a day reads at a glance. */
export type DayKind = "closed" | "fullDay" | "ranges";

/** Closed (no ranges), a single 24-hour range, or opening ranges. */
export function dayKind(ranges: readonly OpeningRange[]): DayKind {
  if (ranges.length === 0) return "closed";
  if (ranges.some(isFullDay)) return "fullDay";
  return "ranges";
}

function isFullDay(range: OpeningRange): boolean {
  return range.open === "00:00" && (range.close === "24:00" || range.close === "00:00");
}

/**
 * True when the range ends on the next day: the contract reads a closing time at or
 * before the opening time that way (22:00–02:00). A 24-hour day does not cross.
 */
export function crossesMidnight(range: OpeningRange): boolean {
  if (isFullDay(range) || range.close === "24:00") return false;
  return toMinutes(range.close) <= toMinutes(range.open);
}

/**
 * Indexes of the day's ranges that overlap an earlier one, counting ranges that cross
 * midnight only up to 24:00 (their tail belongs to the next day). Overlaps are legal but
 * almost always a typo, so the editor points them out.
 */
export function overlappingRanges(ranges: readonly OpeningRange[]): number[] {
  const spans = ranges.map((r) => {
    const start = toMinutes(r.open);
    const end = crossesMidnight(r) || isFullDay(r) ? 24 * 60 : toMinutes(r.close);
    return { start, end };
  });
  const result: number[] = [];
  spans.forEach((span, i) => {
    const clash = spans
      .slice(0, i)
      .some((other) => span.start < other.end && other.start < span.end);
    if (clash) result.push(i);
  });
  return result;
}

/** "HH:MM" (00:00–24:00) to minutes since midnight; anything else is NaN. */
export function toMinutes(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return Number.NaN;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since midnight (0–1440) to "HH:MM". */
export function fromMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** The value a time input shows for a stored closing time (24:00 → 00:00). */
export function closeToInput(close: string): string {
  return close === "24:00" ? "00:00" : close;
}

/**
 * The closing time to store for what the time input holds: 00:00 means the end of
 * the day (24:00). An empty input (the user cleared it) stays empty so the server
 * names the field.
 */
export function closeFromInput(input: string): string {
  return input === "00:00" ? "24:00" : input;
}

/** Adds a closed date (today by default, in the browser's calendar) at the end of the list. */
export function addClosedDate(value: WorkingTime, date: string): WorkingTime {
  if (value.closedDates.length >= MAX_CLOSED_DATES) return value;
  return { ...value, closedDates: [...value.closedDates, { date, name: "" }] };
}

/** Changes one closed date's date or name. */
export function setClosedDate(
  value: WorkingTime,
  index: number,
  patch: Partial<WorkingTime["closedDates"][number]>,
): WorkingTime {
  const closedDates = value.closedDates.map((entry, i) =>
    i === index ? { ...entry, ...patch } : entry,
  );
  return { ...value, closedDates };
}

/** Removes one closed date. */
export function removeClosedDate(value: WorkingTime, index: number): WorkingTime {
  return { ...value, closedDates: value.closedDates.filter((_, i) => i !== index) };
}

/** Indexes of closed dates that repeat an earlier one (harmless, but a sign of a typo). */
export function duplicateClosedDates(value: WorkingTime): number[] {
  const seen = new Set<string>();
  const result: number[] = [];
  value.closedDates.forEach((entry, i) => {
    if (entry.date && seen.has(entry.date)) result.push(i);
    seen.add(entry.date);
  });
  return result;
}

/**
 * The IANA time zones the browser knows, with UTC first (some engines leave it out of
 * `supportedValuesOf`). `known` is injectable for tests.
 */
export function timeZoneList(known: readonly string[] = supportedTimeZones()): string[] {
  const rest = known.filter((tz) => tz !== "UTC");
  return ["UTC", ...rest];
}

function supportedTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

/** True when `tz` names a time zone this engine can use. */
export function isKnownTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A weekday's name in `language` ("Monday", "lunedì"), from `Intl` rather than a dictionary. */
export function weekdayName(
  language: string,
  day: Weekday,
  style: "long" | "short" = "long",
): string {
  // 2024-01-01 was a Monday; noon UTC keeps every time zone on the same date.
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day), 12));
  return new Intl.DateTimeFormat(language, { weekday: style, timeZone: "UTC" }).format(date);
}

/** When the open state next changes, as the number's clock shows it ("Tue 18:00"). */
export function formatChange(language: string, epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(epochMs));
}
