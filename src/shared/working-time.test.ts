import { describe, expect, it } from "vitest";
import { type OpeningRange, type Weekday, WorkingTime } from "./admin";
import { defaultWorkingTime, readSettings } from "./number-settings";
import { instantOf, openState, workingTimeProblems } from "./working-time";

const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

function hours(
  week: Partial<Record<Weekday, OpeningRange[]>>,
  extra: Partial<WorkingTime> = {},
): WorkingTime {
  return WorkingTime.parse({
    timeZone: "Europe/Rome",
    alwaysOpen: false,
    week: { ...empty, ...week },
    closedDates: [],
    ...extra,
  });
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function state(wt: WorkingTime, when: string) {
  const s = openState(wt, at(when));
  return { open: s.open, next: iso(s.nextChangeAt) };
}

describe("openState", () => {
  it("office hours in Rome: open inside, closed outside, next change at the right instant", () => {
    const wt = defaultWorkingTime();
    // Monday 16 Nov 2026, 10:00 in Rome (UTC+1).
    expect(state(wt, "2026-11-16T09:00:00Z")).toEqual({
      open: true,
      next: "2026-11-16T17:00:00.000Z",
    });
    // Just before opening, and at the closing instant (half-open ranges).
    expect(state(wt, "2026-11-16T07:59:59Z")).toEqual({
      open: false,
      next: "2026-11-16T08:00:00.000Z",
    });
    expect(state(wt, "2026-11-16T17:00:00Z").open).toBe(false);
    // Friday evening: closed until Monday 09:00.
    expect(state(wt, "2026-11-20T18:30:00Z")).toEqual({
      open: false,
      next: "2026-11-23T08:00:00.000Z",
    });
  });

  it("always open, never open, and open throughout the horizon", () => {
    expect(state({ ...defaultWorkingTime(), alwaysOpen: true }, "2026-11-21T03:00:00Z")).toEqual({
      open: true,
      next: null,
    });
    expect(state(hours({}), "2026-11-21T03:00:00Z")).toEqual({ open: false, next: null });
    const allDay = [{ open: "00:00", close: "24:00" }];
    const everyDay = hours({
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    });
    expect(state(everyDay, "2026-11-21T03:00:00Z")).toEqual({ open: true, next: null });
  });

  it("a range crossing midnight belongs to the day it opens on", () => {
    const wt = hours({ mon: [{ open: "22:00", close: "02:00" }] });
    expect(state(wt, "2026-11-16T20:00:00Z")).toEqual({
      open: false,
      next: "2026-11-16T21:00:00.000Z",
    });
    // Tuesday 01:00 in Rome: still Monday's range.
    expect(state(wt, "2026-11-17T00:00:00Z")).toEqual({
      open: true,
      next: "2026-11-17T01:00:00.000Z",
    });
    // Tuesday 23:00: Tuesday has no range of its own.
    expect(state(wt, "2026-11-17T22:00:00Z")).toEqual({
      open: false,
      next: "2026-11-23T21:00:00.000Z",
    });
  });

  it("24-hour days and adjacent ranges merge into one opening", () => {
    const wt = hours({
      fri: [{ open: "22:00", close: "24:00" }],
      sat: [{ open: "00:00", close: "24:00" }],
      sun: [{ open: "00:00", close: "00:00" }],
      mon: [{ open: "00:00", close: "06:00" }],
    });
    // Friday 23:00 Rome → open until Monday 06:00 without a break.
    expect(state(wt, "2026-11-20T22:00:00Z")).toEqual({
      open: true,
      next: "2026-11-23T05:00:00.000Z",
    });
  });

  it("several ranges a day: the lunch break closes", () => {
    const wt = hours({
      wed: [
        { open: "14:00", close: "18:00" },
        { open: "08:30", close: "12:30" },
      ],
    });
    expect(state(wt, "2026-11-18T12:00:00Z")).toEqual({
      open: false,
      next: "2026-11-18T13:00:00.000Z",
    });
    expect(state(wt, "2026-11-18T08:00:00Z")).toEqual({
      open: true,
      next: "2026-11-18T11:30:00.000Z",
    });
  });

  it("a holiday closes ranges opening on it; the range opened the evening before runs past midnight", () => {
    const night = [{ open: "22:00", close: "02:00" }];
    const wt = hours(
      { thu: night, fri: night, sat: night },
      { closedDates: [{ date: "2026-12-25", name: "Christmas" }] },
    );
    // Friday 25 Dec, 01:00 Rome: Thursday's range is still open.
    expect(state(wt, "2026-12-25T00:00:00Z")).toEqual({
      open: true,
      next: "2026-12-25T01:00:00.000Z",
    });
    // Christmas 22:30: Friday's range is cancelled; Saturday's opens as usual.
    expect(state(wt, "2026-12-25T21:30:00Z")).toEqual({
      open: false,
      next: "2026-12-26T21:00:00.000Z",
    });
  });

  it("honours Rome's spring-forward night (29 March 2026)", () => {
    const wt = hours({
      sat: [{ open: "18:00", close: "24:00" }],
      sun: [{ open: "01:00", close: "05:00" }],
    });
    // Saturday 23:00 CET → open until Sunday 05:00 CEST (03:00Z): 23:00–24:00 and 01:00–05:00 do not touch.
    expect(state(wt, "2026-03-28T22:00:00Z")).toEqual({
      open: true,
      next: "2026-03-28T23:00:00.000Z",
    });
    expect(state(wt, "2026-03-29T00:30:00Z")).toEqual({
      open: true,
      next: "2026-03-29T03:00:00.000Z",
    });
    // The office week around the change: Friday 18:00 CET → Monday 09:00 CEST.
    expect(state(defaultWorkingTime(), "2026-03-27T17:30:00Z")).toEqual({
      open: false,
      next: "2026-03-30T07:00:00.000Z",
    });
    // 02:30 does not exist that night: it moves forward by the gap, to 03:30 CEST.
    expect(instantOf(Date.UTC(2026, 2, 29, 2, 30), "Europe/Rome")).toBe(at("2026-03-29T01:30:00Z"));
    // A 24-hour Sunday lasts 23 hours.
    const sunday = hours({ sun: [{ open: "00:00", close: "24:00" }] });
    expect(state(sunday, "2026-03-29T12:00:00Z").next).toBe("2026-03-29T22:00:00.000Z");
  });

  it("honours Rome's fall-back night (25 October 2026)", () => {
    const wt = hours({ sun: [{ open: "01:00", close: "05:00" }] });
    // 01:00 CEST = 23:00Z the day before; 05:00 CET = 04:00Z: five real hours.
    expect(state(wt, "2026-10-24T22:59:00Z")).toEqual({
      open: false,
      next: "2026-10-24T23:00:00.000Z",
    });
    expect(state(wt, "2026-10-25T01:30:00Z")).toEqual({
      open: true,
      next: "2026-10-25T04:00:00.000Z",
    });
    // 02:30 happens twice: the first one counts.
    expect(instantOf(Date.UTC(2026, 9, 25, 2, 30), "Europe/Rome")).toBe(at("2026-10-25T00:30:00Z"));
    // Monday office hours are back to UTC+1.
    expect(state(defaultWorkingTime(), "2026-10-26T07:30:00Z")).toEqual({
      open: false,
      next: "2026-10-26T08:00:00.000Z",
    });
  });

  it("works in other zones", () => {
    const wt = hours(
      { mon: [{ open: "09:00", close: "17:00" }] },
      { timeZone: "America/New_York" },
    );
    // Monday 16 Nov 2026, 09:00 EST = 14:00Z.
    expect(state(wt, "2026-11-16T13:59:00Z")).toEqual({
      open: false,
      next: "2026-11-16T14:00:00.000Z",
    });
  });
});

describe("workingTimeProblems", () => {
  it("names the later of two overlapping ranges of a weekday", () => {
    const wt = hours({
      mon: [
        { open: "09:00", close: "12:00" },
        { open: "11:00", close: "13:00" },
      ],
      tue: [
        { open: "09:00", close: "12:00" },
        { open: "12:00", close: "18:00" },
      ],
      wed: [
        { open: "22:00", close: "02:00" },
        { open: "23:00", close: "23:30" },
      ],
    });
    expect(workingTimeProblems(wt).map((p) => p.path)).toEqual([
      "workingTime.week.mon.1",
      "workingTime.week.wed.1",
    ]);
  });

  it("refuses a range opening at 24:00, impossible dates and a holiday listed twice", () => {
    const wt = hours(
      { fri: [{ open: "24:00", close: "02:00" }] },
      {
        closedDates: [
          { date: "2026-02-30", name: "" },
          { date: "2026-12-25", name: "" },
          { date: "2026-12-25", name: "again" },
        ],
      },
    );
    expect(workingTimeProblems(wt, "w").map((p) => p.path)).toEqual([
      "w.week.fri.0",
      "w.closedDates.0.date",
      "w.closedDates.2.date",
    ]);
    expect(workingTimeProblems(defaultWorkingTime())).toEqual([]);
  });

  it("the schema itself refuses 25:00 and unknown zones", () => {
    const bad = WorkingTime.safeParse({
      ...defaultWorkingTime(),
      timeZone: "Mars/Olympus",
      week: { ...empty, mon: [{ open: "25:00", close: "26:00" }] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("timeZone");
    expect(paths).toContain("week.mon.0.open");
  });
});

describe("readSettings", () => {
  it("fills defaults for an old row; a row without working time is always open", () => {
    const s = readSettings("{}");
    expect(s.workingTime.alwaysOpen).toBe(true);
    expect(s.details.acceptAttachments).toBe(true);
    expect(s.autoClose.endOfDay.waitQueue).toBe(false);
    expect(s.messages.welcome).toBeNull();
    expect(s.profiling.requiredOnClose).toBe(false);
  });

  it("keeps what is stored and repairs what no longer validates", () => {
    const s = readSettings(
      JSON.stringify({
        details: { externalId: "CRM-1", waitQueueAfterMinutes: "soon" },
        autoClose: { afterWorkingHours: true, endOfDay: { waitQueue: true } },
        workingTime: defaultWorkingTime(),
      }),
    );
    expect(s.details.externalId).toBeNull(); // the details block is invalid as a whole
    expect(s.autoClose.afterWorkingHours).toBe(true);
    expect(s.autoClose.endOfDay).toMatchObject({ waitQueue: true, awaitingTransfer: false });
    expect(s.workingTime.alwaysOpen).toBe(false);
    expect(readSettings("not json").workingTime.alwaysOpen).toBe(true);
  });
});
