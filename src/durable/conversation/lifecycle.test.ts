import { describe, expect, it } from "vitest";
import type { WorkingTime } from "../../shared/admin";
import {
  defaultNumberSettings,
  readSettings,
  type StoredSettings,
} from "../../shared/number-settings";
import {
  dueTimers,
  endOfWorkingPeriodAfter,
  nextTimer,
  type TimerFacts,
  timers,
} from "./lifecycle";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function settings(patch: (s: StoredSettings) => void = () => {}): StoredSettings {
  const s: StoredSettings = { ...defaultNumberSettings(), details: readSettings("{}").details };
  patch(s);
  return s;
}

function facts(patch: Partial<TimerFacts> = {}): TimerFacts {
  return {
    state: "assigned",
    stateSince: 0,
    lastActivityAt: 0,
    lastCustomerMessageAt: 0,
    assignedAt: 0,
    agentTyped: false,
    welcomedOnAssignment: false,
    settingsSince: 0,
    ...patch,
  };
}

/** Rome office hours, Mon–Fri 09:00–18:00 (the default), plus what `week` adds. */
function rome(week: Partial<WorkingTime["week"]> = {}, closedDates: string[] = []): WorkingTime {
  const base = defaultNumberSettings().workingTime;
  return {
    ...base,
    week: { ...base.week, ...week },
    closedDates: closedDates.map((date) => ({ date, name: "" })),
  };
}

/** An instant given as Rome's wall clock in winter (UTC+1) or summer (UTC+2). */
function romeTime(iso: string, offsetHours: number): number {
  return Date.parse(`${iso}Z`) - offsetHours * HOUR;
}

describe("end of the working period", () => {
  const s = (wt: WorkingTime) => settings((x) => (x.workingTime = wt));

  it("walks a week of office hours: the same evening, the next working day, over the weekend", () => {
    const wt = rome();
    // Monday 16 November 2026.
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-11-16T10:00:00", 1))).toBe(
      romeTime("2026-11-16T18:00:00", 1),
    );
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-11-16T07:00:00", 1))).toBe(
      romeTime("2026-11-16T18:00:00", 1),
    );
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-11-16T18:00:00", 1))).toBe(
      romeTime("2026-11-17T18:00:00", 1),
    );
    // Friday evening and Saturday: the next end is Monday's.
    for (const at of ["2026-11-20T19:00:00", "2026-11-21T12:00:00", "2026-11-22T23:59:00"]) {
      expect(endOfWorkingPeriodAfter(s(wt), romeTime(at, 1))).toBe(
        romeTime("2026-11-23T18:00:00", 1),
      );
    }
  });

  it("a range crossing midnight ends the next morning; a holiday skips its day", () => {
    const wt = rome({ sat: [{ open: "22:00", close: "02:00" }] }, ["2026-11-23"]);
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-11-21T23:00:00", 1))).toBe(
      romeTime("2026-11-22T02:00:00", 1),
    );
    // Monday the 23rd is a holiday: the next period to end is Tuesday's.
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-11-22T03:00:00", 1))).toBe(
      romeTime("2026-11-24T18:00:00", 1),
    );
  });

  it("follows Rome's clock change: a night range over the spring-forward hour ends at the wall time", () => {
    const wt = rome({ sat: [{ open: "23:00", close: "04:00" }] });
    // Saturday 28 March 2026 23:00 (UTC+1); at 02:00 the clocks jump to 03:00 (UTC+2).
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-03-28T23:30:00", 1))).toBe(
      romeTime("2026-03-29T04:00:00", 2),
    );
    // Autumn: 25 October 2026, 03:00 falls back to 02:00; 04:00 is UTC+1.
    expect(endOfWorkingPeriodAfter(s(wt), romeTime("2026-10-24T23:30:00", 2))).toBe(
      romeTime("2026-10-25T04:00:00", 1),
    );
  });

  it("never ends for a number open around the clock", () => {
    expect(endOfWorkingPeriodAfter(s({ ...rome(), alwaysOpen: true }), 0)).toBeNull();
  });
});

describe("timers", () => {
  it("nothing is due with every rule off, in any state", () => {
    const off = settings((x) => (x.workingTime = { ...x.workingTime, alwaysOpen: true }));
    for (const state of ["assigned", "queued", "transfer", "wait_queue"] as const) {
      expect(timers(facts({ state }), off)).toEqual([]);
    }
    expect(timers(facts({ state: "closed" }), settings())).toEqual([]);
  });

  it("the 24-hour close is due at the window's end to the millisecond", () => {
    const s = settings((x) => {
      x.workingTime.alwaysOpen = true;
      x.autoClose.after24hFromCustomer = true;
    });
    const f = facts({ lastCustomerMessageAt: 1_000 });
    expect(dueTimers(f, s, 1_000 + 24 * HOUR - 1)).toEqual([]);
    expect(dueTimers(f, s, 1_000 + 24 * HOUR)).toEqual([
      { kind: "close_24h", at: 1_000 + 24 * HOUR },
    ]);
    expect(nextTimer(f, s, 0)).toBe(1_000 + 24 * HOUR);
  });

  it("inactivity counts from the latest activity, and never from before the settings", () => {
    const s = settings((x) => {
      x.workingTime.alwaysOpen = true;
      x.autoClose.activeInactivityMinutes = 10;
    });
    expect(timers(facts({ lastActivityAt: 5 * MINUTE }), s)).toEqual([
      { kind: "close_inactive", at: 15 * MINUTE },
    ]);
    expect(timers(facts({ lastActivityAt: 5 * MINUTE, settingsSince: HOUR }), s)).toEqual([
      { kind: "close_inactive", at: HOUR + 10 * MINUTE },
    ]);
  });

  it("the welcome on assignment waits for its delay and is dropped once the agent typed", () => {
    const s = settings((x) => {
      x.workingTime.alwaysOpen = true;
      x.messages.welcomeOnAssignment = "Ciao";
      x.messages.welcomeOnAssignmentDelaySeconds = 20;
    });
    expect(timers(facts({ assignedAt: 1_000 }), s)).toEqual([
      { kind: "welcome_on_assignment", at: 21_000 },
    ]);
    expect(timers(facts({ assignedAt: 1_000, agentTyped: true }), s)).toEqual([]);
    expect(timers(facts({ assignedAt: 1_000, welcomedOnAssignment: true }), s)).toEqual([]);
  });

  it("end-of-day switches apply to their state only; after-hours closing to every state", () => {
    const monday10 = romeTime("2026-11-16T10:00:00", 1);
    const end = romeTime("2026-11-16T18:00:00", 1);
    const s = settings((x) => (x.autoClose.endOfDay.awaitingAssignment = true));
    expect(timers(facts({ state: "queued", stateSince: monday10 }), s)).toEqual([
      { kind: "close_end_of_day", at: end },
    ]);
    expect(timers(facts({ state: "assigned", stateSince: monday10 }), s)).toEqual([]);
    expect(timers(facts({ state: "wait_queue", stateSince: monday10 }), s)).toEqual([]);
    const all = settings((x) => (x.autoClose.afterWorkingHours = true));
    expect(timers(facts({ state: "assigned", stateSince: monday10 }), all)).toEqual([
      { kind: "close_end_of_day", at: end },
    ]);
  });

  it("the softbot's timeout counts from when it asked", () => {
    const s = settings((x) => {
      x.workingTime.alwaysOpen = true;
      x.bot.timeoutSeconds = 90;
    });
    expect(timers(facts({ state: "bot", stateSince: 10_000 }), s)).toEqual([
      { kind: "bot_timeout", at: 100_000 },
    ]);
  });
});
