/**
 * Working-time maths of a managed number, pure: is the number open at an
 * instant, and when does that next change.
 *
 * Rules (PRODUCT.md "Working time", admin.ts `WorkingTime`):
 * - Wall-clock times are in the number's IANA time zone, read with
 *   `Intl.DateTimeFormat`, so daylight-saving changes are honoured.
 * - A range belongs to the weekday it opens on. `close` at or before `open`
 *   crosses midnight (22:00–02:00 closes at 02:00 the next day); 00:00–24:00
 *   (or 00:00–00:00) is a 24-hour day.
 * - A closed date (holiday) closes the ranges that *open* on that date. A range
 *   opened the day before keeps running past midnight into the holiday: a bar
 *   open 22:00–02:00 stays open until 02:00 on Christmas morning.
 * - Wall-clock times that do not exist (the hour skipped in spring) move forward
 *   by the gap; times that occur twice (autumn) take the first occurrence — as
 *   Temporal's "compatible" disambiguation does.
 * - Adjacent ranges merge: mon 22:00–24:00 + tue 00:00–06:00 is one opening.
 */
import type { OpeningRange, Weekday, WorkingTime } from "./admin";

/** Whether the number is open, and when that next changes (ms since epoch; null = not within the horizon). */
export interface OpenState {
  open: boolean;
  nextChangeAt: number | null;
}

/** How far ahead `openState` searches for the next change. */
export const HORIZON_DAYS = 15;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Date.UTC(…).getUTCDay() → our weekday keys. */
const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall clock of `timeZone` at `instant`, expressed as if it were UTC
 * (so date arithmetic on it is plain arithmetic). Seconds precision.
 */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour! % 24,
    parts.minute!,
    parts.second!,
  );
}

/** The zone's offset from UTC at `instant`, in ms (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

/**
 * The instant at which `timeZone` shows the wall clock `wall` (a wall clock
 * written as UTC). Skipped times move forward by the gap; repeated times take
 * the first occurrence. Assumes at most one offset change within ±1 day.
 */
export function instantOf(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const early = wall - before;
  const late = wall - after;
  const fits = (t: number) => offsetAt(t, timeZone) + t === wall;
  const candidates = [early, late].filter(fits).sort((a, b) => a - b);
  // No candidate: the time was skipped; the pre-change offset lands after the gap.
  return candidates[0] ?? early;
}

/** Minutes after midnight of "HH:MM" (24:00 = 1440). */
export function minutesOf(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return h! * 60 + m!;
}

/** A range as minutes after its opening day's midnight; close > open always (crossing midnight adds a day). */
function span(range: OpeningRange): { open: number; close: number } {
  const open = minutesOf(range.open);
  let close = minutesOf(range.close);
  if (close <= open) close += 24 * 60;
  return { open, close };
}

function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Opening intervals (UTC ms, half-open) of ranges that open on local days `fromDay`…`toDay`, merged and sorted. */
function openings(wt: WorkingTime, fromDay: number, toDay: number): [number, number][] {
  const closed = new Set(wt.closedDates.map((d) => d.date));
  const raw: [number, number][] = [];
  for (let day = fromDay; day <= toDay; day++) {
    if (closed.has(isoDate(day))) continue;
    const weekday = WEEKDAYS[new Date(day * DAY).getUTCDay()]!;
    for (const range of wt.week[weekday] ?? []) {
      const { open, close } = span(range);
      if (open >= 24 * 60) continue; // "24:00" opens nothing on this day
      const start = instantOf(day * DAY + open * MINUTE, wt.timeZone);
      const end = instantOf(day * DAY + close * MINUTE, wt.timeZone);
      if (end > start) raw.push([start, end]);
    }
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of raw) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Whether a number with working time `wt` is open at `now` (ms), and when that
 * next changes. Looks `HORIZON_DAYS` ahead: `nextChangeAt` is null when the
 * state never changes within it (always open, never open, or open throughout).
 */
export function openState(wt: WorkingTime, now: number): OpenState {
  if (wt.alwaysOpen) return { open: true, nextChangeAt: null };
  const today = Math.floor(wallClock(now, wt.timeZone) / DAY);
  // A range opened yesterday may still be running; one opened after the last
  // generated day cannot affect anything before that day's midnight.
  const lastDay = today + HORIZON_DAYS;
  const horizon = instantOf(lastDay * DAY, wt.timeZone);
  const intervals = openings(wt, today - 1, lastDay);
  const current = intervals.find(([start, end]) => start <= now && now < end);
  if (current) return { open: true, nextChangeAt: current[1] <= horizon ? current[1] : null };
  const next = intervals.find(([start]) => start > now);
  return { open: false, nextChangeAt: next && next[0] <= horizon ? next[0] : null };
}

/** A problem with one field of a working time, named by its path (e.g. `workingTime.week.mon.1`). */
export interface FieldProblem {
  path: string;
  message: string;
}

function isCalendarDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/**
 * What the schema cannot say about a working time: ranges of the same weekday
 * that overlap (the later one is named), a range opening at 24:00, dates that
 * do not exist, and holidays listed twice. Empty when valid.
 */
export function workingTimeProblems(wt: WorkingTime, prefix = "workingTime"): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const weekday of Object.keys(wt.week) as Weekday[]) {
    const ranges = wt.week[weekday] ?? [];
    ranges.forEach((range, i) => {
      const path = `${prefix}.week.${weekday}.${i}`;
      if (minutesOf(range.open) >= 24 * 60) {
        problems.push({ path, message: "a range cannot open at 24:00; use 00:00" });
        return;
      }
      const a = span(range);
      const clash = ranges.slice(0, i).findIndex((other) => {
        const b = span(other);
        return a.open < b.close && b.open < a.close;
      });
      if (clash >= 0) {
        problems.push({
          path,
          message: `${range.open}–${range.close} overlaps ${ranges[clash]!.open}–${ranges[clash]!.close}`,
        });
      }
    });
  }
  const seen = new Set<string>();
  wt.closedDates.forEach((d, i) => {
    const path = `${prefix}.closedDates.${i}.date`;
    if (!isCalendarDate(d.date)) problems.push({ path, message: "not a calendar date" });
    else if (seen.has(d.date)) problems.push({ path, message: `${d.date} is listed twice` });
    seen.add(d.date);
  });
  return problems;
}

/** Whether the runtime knows `tz` as an IANA time zone (e.g. "Europe/Rome"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
