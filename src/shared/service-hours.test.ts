import { describe, expect, it } from "vitest";
import type { WorkingTime } from "./admin";
import { numberHours } from "./service-hours";

const office = () => [
  { open: "14:00", close: "18:00" },
  { open: "09:00", close: "13:00" },
];
const ROME: WorkingTime = {
  timeZone: "Europe/Rome",
  alwaysOpen: false,
  week: {
    mon: office(),
    tue: office(),
    wed: office(),
    thu: office(),
    fri: office(),
    sat: [],
    sun: [],
  },
  closedDates: [
    { date: "2026-06-09", name: "Yesterday" },
    { date: "2026-08-15", name: "Ferragosto" },
    { date: "2026-06-11", name: "" },
    { date: "2026-07-20", name: "Too far" },
  ],
};
const number = { id: "n1", name: "Sales" };

describe("a number's hours for the service status dialog", () => {
  it("gives today's ranges in the number's zone, sorted, and the holidays of the coming month", () => {
    // 23:30 UTC on Tuesday is already Wednesday in Rome.
    const hours = numberHours(number, ROME, Date.parse("2026-06-09T23:30:00Z"));
    expect(hours).toEqual({
      id: "n1",
      name: "Sales",
      timeZone: "Europe/Rome",
      alwaysOpen: false,
      today: "2026-06-10",
      todayRanges: [
        { open: "09:00", close: "13:00" },
        { open: "14:00", close: "18:00" },
      ],
      holidays: [{ date: "2026-06-11", name: "" }],
    });
  });

  it("has no ranges on a holiday, a closed weekday or when always open", () => {
    expect(numberHours(number, ROME, Date.parse("2026-06-11T10:00:00Z")).todayRanges).toEqual([]);
    expect(numberHours(number, ROME, Date.parse("2026-06-13T10:00:00Z")).todayRanges).toEqual([]);
    const always = numberHours(
      number,
      { ...ROME, alwaysOpen: true },
      Date.parse("2026-06-10T10:00:00Z"),
    );
    expect(always.todayRanges).toEqual([]);
    expect(always.holidays).toEqual([]);
  });
});
