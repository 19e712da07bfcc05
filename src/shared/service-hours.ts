/**
 * What the service status dialog shows besides "open now": each number's opening
 * ranges for its own today and its coming holidays. Pure; the schema is shared by the
 * Worker (GET /api/service-status/hours) and the desktop.
 */
import { z } from "zod";
import type { Weekday, WorkingTime } from "./admin";
import { wallClock } from "./working-time";

/** How far ahead holidays are listed. */
export const HOLIDAYS_AHEAD_DAYS = 31;

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export const NumberHours = z.object({
  id: z.string(),
  name: z.string(),
  /** The number's IANA time zone: the ranges and dates below are its wall clock. */
  timeZone: z.string(),
  alwaysOpen: z.boolean(),
  /** Today's date in the number's zone, YYYY-MM-DD. */
  today: z.string(),
  /** Today's opening ranges ("HH:MM"), empty when closed all day or a holiday. */
  todayRanges: z.array(z.object({ open: z.string(), close: z.string() })),
  /** Holidays from today on, within `HOLIDAYS_AHEAD_DAYS`, by date. */
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
});
export type NumberHours = z.infer<typeof NumberHours>;

export const ServiceHours = z.object({ numbers: z.array(NumberHours) });
export type ServiceHours = z.infer<typeof ServiceHours>;

/**
 * A number's hours as seen at `nowMs`: its today (in its own zone), today's ranges
 * (none on a holiday) and its holidays of the next `HOLIDAYS_AHEAD_DAYS` days.
 */
export function numberHours(
  number: { id: string; name: string },
  wt: WorkingTime,
  nowMs: number,
): NumberHours {
  const todayDay = Math.floor(wallClock(nowMs, wt.timeZone) / DAY_MS);
  const today = isoDate(todayDay);
  const last = isoDate(todayDay + HOLIDAYS_AHEAD_DAYS);
  const holidays = wt.alwaysOpen
    ? []
    : wt.closedDates
        .filter(({ date }) => date >= today && date <= last)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
        .map(({ date, name }) => ({ date, name }));
  const holidayToday = holidays.some((h) => h.date === today);
  const weekday = WEEKDAYS[new Date(todayDay * DAY_MS).getUTCDay()]!;
  const todayRanges =
    wt.alwaysOpen || holidayToday
      ? []
      : [...(wt.week[weekday] ?? [])]
          .sort((a, b) => (a.open < b.open ? -1 : a.open > b.open ? 1 : 0))
          .map(({ open, close }) => ({ open, close }));
  return {
    ...number,
    timeZone: wt.timeZone,
    alwaysOpen: wt.alwaysOpen,
    today,
    todayRanges,
    holidays,
  };
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
