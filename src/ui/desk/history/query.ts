/** My history's filter and its API query. Pure; unit-tested. */
import { MY_HISTORY_DAYS } from "../../../shared/my-history.ts";
import { isDay } from "../../customers/format.ts";

/** Conversations per page of my history. */
export const MY_HISTORY_PAGE_SIZE = 10;

/** The days typed in the filter; "" means no bound. */
export interface DayRange {
  from: string;
  to: string;
}

/** The query of GET /api/my-history: only real days, `tz` with any day. */
export function myHistorySearch(range: DayRange, page: number, timeZone: string): string {
  const params = new URLSearchParams();
  const from = isDay(range.from) ? range.from : "";
  const to = isDay(range.to) ? range.to : "";
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (from || to) params.set("tz", timeZone);
  params.set("page", String(page));
  params.set("pageSize", String(MY_HISTORY_PAGE_SIZE));
  return params.toString();
}

/** "YYYY-MM-DD" of the local day of `ms`, `plusDays` away (the date inputs' bounds). */
export function localDay(ms: number, plusDays = 0): string {
  const d = new Date(ms);
  d.setDate(d.getDate() + plusDays);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The earliest day the date inputs offer: the window's first day. */
export function earliestDay(nowMs: number): string {
  return localDay(nowMs, -MY_HISTORY_DAYS);
}
