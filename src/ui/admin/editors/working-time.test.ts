import { describe, expect, it } from "vitest";
import { WorkingTime } from "../../../shared/admin.ts";
import {
  addClosedDate,
  addRange,
  closeFromInput,
  closeToInput,
  copyMondayToWeekdays,
  crossesMidnight,
  dayKind,
  defaultWorkingTime,
  duplicateClosedDates,
  formatChange,
  isKnownTimeZone,
  MAX_RANGES_PER_DAY,
  overlappingRanges,
  removeClosedDate,
  removeRange,
  setClosed,
  setClosedDate,
  setFullDay,
  setRange,
  timeZoneList,
  weekdayName,
} from "./working-time.ts";

describe("working-time edits", () => {
  it("starts with weekday office hours that the contract accepts", () => {
    const value = defaultWorkingTime("Europe/Rome");
    expect(WorkingTime.safeParse(value).success).toBe(true);
    expect(value.week.mon).toEqual([{ open: "09:00", close: "18:00" }]);
    expect(value.week.sat).toEqual([]);
  });

  it("adds ranges after the last one, up to the contract's limit, without mutating", () => {
    const start = defaultWorkingTime();
    let value = addRange(start, "mon");
    expect(start.week.mon).toHaveLength(1);
    expect(value.week.mon?.[1]).toEqual({ open: "19:00", close: "23:00" });
    for (let i = 0; i < 10; i++) value = addRange(value, "mon");
    expect(value.week.mon).toHaveLength(MAX_RANGES_PER_DAY);
    expect(WorkingTime.safeParse(value).success).toBe(true);
  });

  it("adds the default range to a closed day", () => {
    expect(addRange(defaultWorkingTime(), "sun").week.sun).toEqual([
      { open: "09:00", close: "18:00" },
    ]);
  });

  it("sets, removes, 24 h and closed", () => {
    let value = setRange(defaultWorkingTime(), "tue", 0, { open: "08:30", close: "12:30" });
    expect(value.week.tue).toEqual([{ open: "08:30", close: "12:30" }]);
    expect(setRange(value, "tue", 5, { open: "01:00", close: "02:00" })).toBe(value);
    value = removeRange(value, "tue", 0);
    expect(value.week.tue).toEqual([]);
    expect(dayKind(value.week.tue ?? [])).toBe("closed");
    value = setFullDay(value, "tue");
    expect(value.week.tue).toEqual([{ open: "00:00", close: "24:00" }]);
    expect(dayKind(value.week.tue ?? [])).toBe("fullDay");
    value = setClosed(value, "mon");
    expect(value.week.mon).toEqual([]);
  });

  it("copies Monday to Tuesday–Friday only, as independent copies", () => {
    let value = setRange(defaultWorkingTime(), "mon", 0, { open: "08:00", close: "13:00" });
    value = addRange(value, "mon");
    value = setRange(value, "sat", 0, { open: "10:00", close: "12:00" });
    value = { ...value, week: { ...value.week, sat: [{ open: "10:00", close: "12:00" }] } };
    const copied = copyMondayToWeekdays(value);
    for (const day of ["tue", "wed", "thu", "fri"] as const) {
      expect(copied.week[day]).toEqual(copied.week.mon);
      expect(copied.week[day]).not.toBe(copied.week.mon);
    }
    expect(copied.week.sat).toEqual([{ open: "10:00", close: "12:00" }]);
  });

  it("knows which ranges cross midnight", () => {
    expect(crossesMidnight({ open: "22:00", close: "02:00" })).toBe(true);
    expect(crossesMidnight({ open: "09:00", close: "09:00" })).toBe(true);
    expect(crossesMidnight({ open: "09:00", close: "18:00" })).toBe(false);
    expect(crossesMidnight({ open: "18:00", close: "24:00" })).toBe(false);
    expect(crossesMidnight({ open: "00:00", close: "24:00" })).toBe(false);
  });

  it("shows a closing 24:00 as 00:00 and stores a closing 00:00 as 24:00", () => {
    expect(closeToInput("24:00")).toBe("00:00");
    expect(closeToInput("18:00")).toBe("18:00");
    expect(closeFromInput("00:00")).toBe("24:00");
    expect(closeFromInput("17:45")).toBe("17:45");
    expect(closeFromInput("")).toBe("");
  });

  it("points out overlapping ranges, not adjacent ones", () => {
    expect(
      overlappingRanges([
        { open: "09:00", close: "13:00" },
        { open: "13:00", close: "18:00" },
      ]),
    ).toEqual([]);
    expect(
      overlappingRanges([
        { open: "09:00", close: "13:00" },
        { open: "12:00", close: "18:00" },
        { open: "22:00", close: "02:00" },
        { open: "23:00", close: "23:30" },
      ]),
    ).toEqual([1, 3]);
  });

  it("edits closed dates and spots duplicates", () => {
    let value = addClosedDate(defaultWorkingTime(), "2026-12-25");
    value = addClosedDate(value, "2026-12-26");
    value = setClosedDate(value, 0, { name: "Christmas" });
    expect(value.closedDates[0]).toEqual({ date: "2026-12-25", name: "Christmas" });
    value = setClosedDate(value, 1, { date: "2026-12-25" });
    expect(duplicateClosedDates(value)).toEqual([1]);
    value = removeClosedDate(value, 0);
    expect(value.closedDates).toEqual([{ date: "2026-12-25", name: "" }]);
    expect(WorkingTime.safeParse(value).success).toBe(true);
  });

  it("lists UTC first exactly once and checks zone names", () => {
    expect(timeZoneList(["Europe/Rome", "UTC", "America/New_York"])).toEqual([
      "UTC",
      "Europe/Rome",
      "America/New_York",
    ]);
    expect(isKnownTimeZone("Europe/Rome")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
    expect(isKnownTimeZone("")).toBe(false);
  });
});

describe("working-time labels", () => {
  it("names weekdays in the user's language", () => {
    expect(weekdayName("en", "mon")).toBe("Monday");
    expect(weekdayName("it", "sun").toLowerCase()).toBe("domenica");
    expect(weekdayName("en", "fri", "short")).toBe("Fri");
  });

  it("formats the next change on the number's clock", () => {
    // 2026-03-02T17:00Z is Monday 18:00 in Rome.
    expect(formatChange("en", Date.UTC(2026, 2, 2, 17), "Europe/Rome")).toBe("Mon 18:00");
  });
});
