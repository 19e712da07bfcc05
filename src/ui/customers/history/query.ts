/**
 * The history's filters and their API query. Pure; unit-tested.
 */
import { isDay } from "../format.ts";

/** What the person typed in the filters; empty strings mean "no filter". */
export interface HistoryFilter {
  from: string;
  to: string;
  q: string;
}

export const NO_HISTORY_FILTER: HistoryFilter = { from: "", to: "", q: "" };

/** Conversations per history page. */
export const HISTORY_PAGE_SIZE = 10;

/** The browser's IANA time zone (the days of the filter are the user's days), else UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * The query of GET /api/customers/:id/conversations: only the filters in use, days only
 * when they are real days (a half-typed date is not sent), `tz` with any day.
 */
export function historySearch(
  filter: HistoryFilter,
  page: number,
  pageSize: number,
  timeZone: string,
): string {
  const params = new URLSearchParams();
  const from = isDay(filter.from) ? filter.from : "";
  const to = isDay(filter.to) ? filter.to : "";
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (from || to) params.set("tz", timeZone);
  const q = filter.q.trim().slice(0, 200);
  if (q) params.set("q", q);
  params.set("page", String(page));
  params.set("pageSize", String(pageSize));
  return params.toString();
}

/** True when the range is backwards (the list would be empty for no visible reason). */
export function rangeReversed(filter: HistoryFilter): boolean {
  return isDay(filter.from) && isDay(filter.to) && filter.from > filter.to;
}
