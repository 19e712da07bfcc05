/**
 * GET /api/service-status/hours through the real Worker and D1: each number's today and
 * holidays at the actors' clock, only the caller's tenant, a session required, documented.
 */

import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { WorkingTime } from "../src/shared/admin";
import { ServiceHours } from "../src/shared/service-hours";
import { numberWithHours, officeWeek } from "./kit/admin";
import { adminSession, agentSession, call, callJson, type Session } from "./kit/session";

const OFFICE_UTC: WorkingTime = {
  timeZone: "UTC",
  alwaysOpen: false,
  week: officeWeek(),
  closedDates: [
    { date: "2026-06-10", name: "Local feast" },
    { date: "2026-06-12", name: "" },
  ],
};

afterEach(() => resetClock());

async function hours(session: Session): Promise<ServiceHours> {
  return ServiceHours.parse(
    await callJson(session, "GET", "/api/service-status/hours", undefined, 200),
  );
}

describe("service hours", () => {
  it("gives each of my tenant's numbers its today, today's ranges and coming holidays", async () => {
    const admin = await adminSession();
    const other = await adminSession();
    const mine = await numberWithHours(admin, "Office", OFFICE_UTC);
    await numberWithHours(other, "Theirs", OFFICE_UTC);
    const agent = await agentSession(admin.tenantId);

    resetClock();
    advanceClock(Date.parse("2026-06-09T10:00:00Z") - Date.now()); // a Tuesday
    const tuesday = await hours(agent);
    expect(tuesday.numbers).toEqual([
      {
        id: mine.id,
        name: "Office",
        timeZone: "UTC",
        alwaysOpen: false,
        today: "2026-06-09",
        todayRanges: [{ open: "09:00", close: "18:00" }],
        holidays: [
          { date: "2026-06-10", name: "Local feast" },
          { date: "2026-06-12", name: "" },
        ],
      },
    ]);

    advanceClock(24 * 60 * 60 * 1000); // the feast: no ranges today
    const feast = (await hours(agent)).numbers[0]!;
    expect(feast.today).toBe("2026-06-10");
    expect(feast.todayRanges).toEqual([]);
  });

  it("needs a session and is documented", async () => {
    expect((await call("parley_session=nope", "GET", "/api/service-status/hours")).status).toBe(
      401,
    );
    const admin = await adminSession();
    const doc = await callJson<{ paths: Record<string, Record<string, unknown>> }>(
      admin,
      "GET",
      "/api/openapi.json",
      undefined,
      200,
    );
    expect(doc.paths["/api/service-status/hours"]?.get).toBeTruthy();
  });
});
