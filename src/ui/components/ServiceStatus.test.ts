import { describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../shared/protocol.ts";
import type { NumberHours } from "../../shared/service-hours.ts";
import { translator } from "../i18n.ts";
import {
  formatChange,
  holidayTexts,
  numberLines,
  refreshDelayMs,
  todayHoursText,
} from "./ServiceStatus.tsx";

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

describe("service status dialog", () => {
  const hours = (patch: Partial<NumberHours>): NumberHours => ({
    id: "a",
    name: "Vendite",
    timeZone: "Europe/Rome",
    alwaysOpen: false,
    today: "2026-06-10",
    todayRanges: [],
    holidays: [],
    ...patch,
  });

  it("says when each number next opens or closes", () => {
    const en = translator("en");
    const lines = numberLines(
      en,
      "en",
      status([
        { id: "a", name: "Sales", open: false, nextChangeAt: WED_10 + 4 * HOUR },
        { id: "b", name: "Care", open: true, nextChangeAt: WED_10 + 8 * HOUR },
      ]),
      WED_10,
    );
    expect(lines[0]!.text).toMatch(/^Sales: closed, opens today 2:00\sPM$/);
    expect(lines[1]!.text).toMatch(/^Care: open, closes today 6:00\sPM$/);
  });

  it("shows today's ranges, with the number's zone when it is not the browser's", () => {
    const it = translator("it");
    const ranges = [
      { open: "09:00", close: "13:00" },
      { open: "14:00", close: "18:00" },
    ];
    expect(todayHoursText(it, hours({ todayRanges: ranges }), "Europe/Rome")).toBe(
      "Oggi 09:00–13:00, 14:00–18:00",
    );
    expect(todayHoursText(translator("en"), hours({ todayRanges: ranges }), "UTC")).toBe(
      "Today 09:00–13:00, 14:00–18:00 (Europe/Rome)",
    );
    expect(todayHoursText(it, hours({}), "UTC")).toBe("Chiuso tutto il giorno oggi");
    expect(todayHoursText(it, hours({ alwaysOpen: true }), "UTC")).toBe(
      "Aperto 24 ore su 24, tutti i giorni",
    );
  });

  it("names today's holiday and lists the coming ones by date", () => {
    const en = translator("en");
    const withHolidays = hours({
      todayRanges: [],
      holidays: [
        { date: "2026-06-10", name: "Patron saint" },
        { date: "2026-06-24", name: "" },
        { date: "2026-07-01", name: "Summer" },
      ],
    });
    expect(todayHoursText(en, withHolidays, "UTC")).toBe("Closed today: Patron saint");
    expect(holidayTexts("en", withHolidays)).toEqual(["Jun 24, 2026", "Jul 1, 2026 — Summer"]);
    expect(holidayTexts("it", withHolidays)).toEqual(["24 giu 2026", "1 lug 2026 — Summer"]);
  });
});
