/**
 * GET /api/service-status through the real Worker and D1: open, closed and
 * mixed tenants from each number's working time (saved through the admin API),
 * the next change at the actors' clock across a day, a weekend, a holiday and a
 * time zone, and tenant isolation.
 */

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { WorkingTime } from "../src/shared/admin";
import { ServiceStatus } from "../src/shared/protocol";
import { numberWithHours, officeWeek } from "./kit/admin";
import { adminSession, agentSession, call, callJson, login, type Session } from "./kit/session";

const OFFICE_UTC: WorkingTime = {
  timeZone: "UTC",
  alwaysOpen: false,
  week: officeWeek(),
  closedDates: [],
};
const NEVER: WorkingTime = {
  ...OFFICE_UTC,
  week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
};
const ALWAYS: WorkingTime = { ...OFFICE_UTC, alwaysOpen: true };

afterEach(() => resetClock());

/** Moves the actors' clock so that it reads `iso` now. */
function setClock(iso: string): void {
  resetClock();
  advanceClock(Date.parse(iso) - Date.now());
}

async function serviceStatus(session: Session): Promise<ServiceStatus> {
  return ServiceStatus.parse(await callJson(session, "GET", "/api/service-status", undefined, 200));
}

describe("service status: open, closed, mixed", () => {
  it("open when every number is open, for agents and admins alike", async () => {
    const admin = await adminSession();
    const a = await numberWithHours(admin, "Alpha", ALWAYS);
    const b = await numberWithHours(admin, "beta", ALWAYS);
    const agent = await agentSession(admin.tenantId);
    for (const session of [admin, agent]) {
      expect(await serviceStatus(session)).toEqual({
        status: "open",
        numbers: [
          { id: a.id, name: "Alpha", open: true, nextChangeAt: null },
          { id: b.id, name: "beta", open: true, nextChangeAt: null },
        ],
      });
    }
  });

  it("closed when no number is open (a week with no ranges), and when there is no number", async () => {
    const admin = await adminSession();
    expect(await serviceStatus(admin)).toEqual({ status: "closed", numbers: [] });
    const never = await numberWithHours(admin, "Never", NEVER);
    expect(await serviceStatus(admin)).toEqual({
      status: "closed",
      numbers: [{ id: never.id, name: "Never", open: false, nextChangeAt: null }],
    });
  });

  it("mixed when some are open", async () => {
    const admin = await adminSession();
    await numberWithHours(admin, "Always", ALWAYS);
    await numberWithHours(admin, "Never", NEVER);
    const result = await serviceStatus(admin);
    expect(result.status).toBe("mixed");
    expect(result.numbers.map((n) => [n.name, n.open])).toEqual([
      ["Always", true],
      ["Never", false],
    ]);
  });

  it("a number stored before working time existed is always open", async () => {
    const admin = await adminSession();
    await env.DB.prepare(
      "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name) VALUES (?, ?, ?, '+1', 'Old')",
    )
      .bind(
        crypto.randomUUID(),
        admin.tenantId,
        String(Date.now()) + String(Math.random()).slice(2, 5),
      )
      .run();
    expect((await serviceStatus(admin)).status).toBe("open");
  });
});

describe("service status: the next change, at the actors' clock", () => {
  it("follows office hours across a day, a weekend, a holiday and a time zone", async () => {
    const admin = await adminSession();
    const utc = await numberWithHours(admin, "A office", {
      ...OFFICE_UTC,
      closedDates: [{ date: "2026-06-15", name: "Holiday" }],
    });
    const rome = await numberWithHours(admin, "B Rome", { ...OFFICE_UTC, timeZone: "Europe/Rome" });
    const at = async (iso: string) => {
      setClock(iso);
      const result = await serviceStatus(admin);
      const byId = new Map(result.numbers.map((n) => [n.id, n]));
      return { status: result.status, utc: byId.get(utc.id)!, rome: byId.get(rome.id)! };
    };

    // Wednesday 10 June 2026, 10:00 UTC = 12:00 in Rome (summer time): both open.
    let now = await at("2026-06-10T10:00:00Z");
    expect(now.status).toBe("open");
    expect(now.utc).toMatchObject({ open: true, nextChangeAt: Date.parse("2026-06-10T18:00:00Z") });
    expect(now.rome).toMatchObject({
      open: true,
      nextChangeAt: Date.parse("2026-06-10T16:00:00Z"),
    });

    // 17:00 UTC: Rome (19:00) has closed until Thursday 09:00 Rome time.
    now = await at("2026-06-10T17:00:00Z");
    expect(now.status).toBe("mixed");
    expect(now.rome).toMatchObject({
      open: false,
      nextChangeAt: Date.parse("2026-06-11T07:00:00Z"),
    });

    // Friday evening: both closed until Monday — and Monday 15 June is a holiday for the
    // UTC number, so it opens on Tuesday.
    now = await at("2026-06-12T19:00:00Z");
    expect(now.status).toBe("closed");
    expect(now.utc.nextChangeAt).toBe(Date.parse("2026-06-16T09:00:00Z"));
    expect(now.rome.nextChangeAt).toBe(Date.parse("2026-06-15T07:00:00Z"));

    // Winter time: 09:00 in Rome is 08:00 UTC.
    now = await at("2026-01-14T07:59:00Z");
    expect(now.rome).toMatchObject({
      open: false,
      nextChangeAt: Date.parse("2026-01-14T08:00:00Z"),
    });
  });
});

describe("service status: tenancy and access", () => {
  it("lists only the caller's tenant's numbers", async () => {
    const first = await adminSession();
    const second = await adminSession();
    const mine = await numberWithHours(first, "Mine", ALWAYS);
    await numberWithHours(second, "Theirs", NEVER);
    const result = await serviceStatus(first);
    expect(result.numbers.map((n) => n.id)).toEqual([mine.id]);
    expect(result.status).toBe("open");
    expect((await serviceStatus(second)).status).toBe("closed");
  });

  it("needs a session (401) and a tenant (the platform operator gets 403)", async () => {
    const res = await call("parley_session=nope", "GET", "/api/service-status");
    expect(res.status).toBe(401);
    // The operator is created from configuration at its first sign-in.
    const operator = await login("operator@parley.test", "operator-test-password");
    expect((await call(operator, "GET", "/api/service-status")).status).toBe(403);
  });

  it("is documented in the OpenAPI document", async () => {
    const admin = await adminSession();
    const doc = await callJson<{ paths: Record<string, Record<string, unknown>> }>(
      admin,
      "GET",
      "/api/openapi.json",
      undefined,
      200,
    );
    expect(doc.paths["/api/service-status"]?.get).toBeTruthy();
  });
});
