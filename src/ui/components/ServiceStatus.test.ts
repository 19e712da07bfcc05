import { describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../shared/protocol.ts";
import { translator } from "../i18n.ts";
import { formatChange, numberLines, refreshDelayMs } from "./ServiceStatus.tsx";

// Tests run in UTC: "today" and weekdays are UTC days here.
const WED_10 = Date.parse("2026-06-10T10:00:00Z");
const HOUR = 60 * 60 * 1000;

const status = (numbers: ServiceStatus["numbers"]): ServiceStatus => ({
  status: "mixed",
  numbers,
});

describe("service status refresh", () => {
  it("asks every minute, or just after the earliest change when sooner", () => {
    expect(refreshDelayMs(status([]), WED_10)).toBe(60_000);
    const soon = status([
      { id: "a", name: "A", open: true, nextChangeAt: WED_10 + 8 * HOUR },
      { id: "b", name: "B", open: false, nextChangeAt: WED_10 + 20_000 },
      { id: "c", name: "C", open: true, nextChangeAt: null },
    ]);
    expect(refreshDelayMs(soon, WED_10)).toBe(21_000);
    // A change already due (a late answer) is asked about again shortly, not at once in a loop.
    expect(refreshDelayMs(soon, WED_10 + 60_000)).toBe(1_000);
  });
});

describe("service status wording", () => {
  it("says today, tomorrow, a weekday within the week, else a date", () => {
    expect(formatChange("en", WED_10 + 8 * HOUR, WED_10)).toMatch(/^today 6:00\sPM$/);
    expect(formatChange("it", WED_10 + 23 * HOUR, WED_10)).toBe("domani 09:00");
    expect(formatChange("en", Date.parse("2026-06-15T09:00:00Z"), WED_10)).toMatch(/^Mon 9:00/);
    expect(formatChange("it", Date.parse("2026-06-24T09:00:00Z"), WED_10)).toBe("24/06/26 09:00");
  });

  it("lists each number with its next change, in the user's language", () => {
    const lines = numberLines(
      translator("it"),
      "it",
      status([
        { id: "a", name: "Vendite", open: true, nextChangeAt: WED_10 + 8 * HOUR },
        { id: "b", name: "Assistenza", open: false, nextChangeAt: WED_10 + 23 * HOUR },
        { id: "c", name: "Sempre", open: true, nextChangeAt: null },
      ]),
      WED_10,
    );
    expect(lines).toEqual([
      { key: "a", text: "Vendite: aperto, chiude oggi 18:00" },
      { key: "b", text: "Assistenza: chiuso, apre domani 09:00" },
      { key: "c", text: "Sempre: aperto" },
    ]);
    expect(numberLines(translator("en"), "en", status([]), WED_10)).toEqual([
      { key: "none", text: "No numbers yet" },
    ]);
  });
});
