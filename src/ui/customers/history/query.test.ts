import { describe, expect, it } from "vitest";
import { HistoryQuery } from "../../../shared/customer-history.ts";
import { historySearch, NO_HISTORY_FILTER, rangeReversed } from "./query.ts";

describe("historySearch", () => {
  it("sends only the filters in use, with the time zone for days", () => {
    expect(historySearch(NO_HISTORY_FILTER, 1, 10, "Europe/Rome")).toBe("page=1&pageSize=10");
    const search = historySearch(
      { from: "2026-01-01", to: "2026-01-31", q: "  preventivo  " },
      2,
      10,
      "Europe/Rome",
    );
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({
      from: "2026-01-01",
      to: "2026-01-31",
      tz: "Europe/Rome",
      q: "preventivo",
      page: "2",
      pageSize: "10",
    });
    expect(HistoryQuery.safeParse(Object.fromEntries(new URLSearchParams(search))).success).toBe(
      true,
    );
  });

  it("drops half-typed days", () => {
    expect(historySearch({ from: "2026-13-01", to: "", q: "" }, 1, 10, "UTC")).toBe(
      "page=1&pageSize=10",
    );
  });

  it("notices a backwards range", () => {
    expect(rangeReversed({ from: "2026-02-01", to: "2026-01-01", q: "" })).toBe(true);
    expect(rangeReversed({ from: "2026-01-01", to: "2026-01-01", q: "" })).toBe(false);
  });
});
