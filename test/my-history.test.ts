/**
 * My history through the real Worker, actors, D1 and the simulator: the
 * conversations I handled that closed in the last four weeks, newest first,
 * filtered by days in my time zone, tenant-scoped, with their messages and a
 * transcript mailed to the real SMTP sink.
 */
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../src/platform/clock";
import type { Page } from "../src/shared/admin";
import type { MyHistoryDetail, MyHistoryItem } from "../src/shared/my-history";
import { wallClock } from "../src/shared/working-time";
import { deskAgent } from "./kit/conversation";
import { wholeConversation } from "./kit/history";
import { phone } from "./kit/ids";
import { mailsArrived } from "./kit/mail";
import { badFields, call, callJson, type Session } from "./kit/session";
import { openTenant } from "./kit/tenant";

afterEach(() => resetClock());

const DAY = 24 * 60 * 60 * 1000;

function mine(session: Session, query = ""): Promise<Page<MyHistoryItem>> {
  return callJson<Page<MyHistoryItem>>(session, "GET", `/api/my-history${query}`, undefined, 200);
}

async function myHistoryIds(session: Session, query = ""): Promise<string[]> {
  return (await mine(session, query)).items.map((i) => i.id);
}

/** "YYYY-MM-DD" of the actors' clock in Rome, `plusDays` away. */
function romeDay(plusDays = 0): string {
  return new Date(wallClock(now(), "Europe/Rome") + plusDays * DAY).toISOString().slice(0, 10);
}

describe("my history", () => {
  it("lists only the conversations I handled, newest first, with customer, number, skillset and reason", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const first = await wholeConversation(t, anna, phone(), ["Prima"], ["Ok"], {
      reason: "resolved",
    });
    const second = await wholeConversation(t, anna, phone(), ["Seconda"], [], {
      reason: "spam",
    });
    // Bruno's own conversation is not Anna's.
    await callJson(anna, "POST", "/api/me/status", { status: "break" }, 200);
    const bruno = await deskAgent(t, "Bruno", ["care"]);
    const his = await wholeConversation(t, bruno, phone(), ["Di Bruno"], []);

    const page = await mine(anna);
    expect(page.items.map((i) => i.id)).toEqual([second, first]);
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({
      customer: { name: "Mario Rossi" },
      numberName: "Support",
      skillsetName: "care",
      closeReason: "spam",
      closedBy: anna.userId,
    });
    expect(await myHistoryIds(bruno)).toEqual([his]);
  });

  it("reaches back four weeks (at the actors' clock) and no further", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await wholeConversation(t, anna, phone(), ["Vecchia"], []);
    advanceClock(27 * DAY);
    expect(await myHistoryIds(anna)).toEqual([id]);
    advanceClock(2 * DAY);
    expect(await myHistoryIds(anna)).toEqual([]);
    // A "from" older than the window does not widen it.
    expect(await myHistoryIds(anna, `?from=${romeDay(-60)}&tz=Europe/Rome`)).toEqual([]);
  });

  it("filters by closing day in the caller's time zone, both ends inclusive", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await wholeConversation(t, anna, phone(), ["Oggi"], []);
    const today = romeDay();
    const tz = "&tz=Europe/Rome";
    expect(await myHistoryIds(anna, `?from=${today}&to=${today}${tz}`)).toEqual([id]);
    expect(await myHistoryIds(anna, `?from=${romeDay(1)}${tz}`)).toEqual([]);
    expect(await myHistoryIds(anna, `?to=${romeDay(-1)}${tz}`)).toEqual([]);
    expect(await myHistoryIds(anna, `?from=${romeDay(-3)}&to=${romeDay(1)}${tz}`)).toEqual([id]);
  });

  it("pages", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const made: string[] = [];
    for (let i = 0; i < 11; i++)
      made.push(await wholeConversation(t, anna, phone(), [`N${i}`], []));
    const first = await mine(anna, "?pageSize=10");
    const second = await mine(anna, "?pageSize=10&page=2");
    expect(first.total).toBe(11);
    expect(first.items).toHaveLength(10);
    expect(second.items.map((i) => i.id)).toEqual([made[0]]);
  });

  it("answers 400 naming from, to, tz and pageSize when invalid", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"], { ready: false });
    expect(await badFields(await call(anna, "GET", "/api/my-history?from=yesterday"))).toEqual([
      "from",
    ]);
    expect(
      await badFields(await call(anna, "GET", "/api/my-history?from=2026-05-10&to=2026-05-01")),
    ).toEqual(["to"]);
    expect(await badFields(await call(anna, "GET", "/api/my-history?tz=Mars/Olympus"))).toEqual([
      "tz",
    ]);
    expect(await badFields(await call(anna, "GET", "/api/my-history?pageSize=1000"))).toEqual([
      "pageSize",
    ]);
  });

  it("opens and mails only my conversations of my tenant (404 for the rest)", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await wholeConversation(t, anna, phone(), ["Vorrei un rimborso"], ["Certo"]);

    const detail = await callJson<MyHistoryDetail>(
      anna,
      "GET",
      `/api/my-history/${id}`,
      undefined,
      200,
    );
    expect(detail.messages.map((m) => m.text)).toEqual(
      expect.arrayContaining(["Vorrei un rimborso", "Certo"]),
    );

    const to = `anna-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const sent = await call(anna, "POST", `/api/my-history/${id}/email`, { to });
    expect(sent.status).toBe(202);
    const mails = await mailsArrived(to);
    expect(mails[0]!.text).toContain("Vorrei un rimborso");

    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    expect((await call(bruno, "GET", `/api/my-history/${id}`)).status).toBe(404);
    expect((await call(bruno, "POST", `/api/my-history/${id}/email`, { to })).status).toBe(404);
    const other = await openTenant();
    expect((await call(other.admin, "GET", `/api/my-history/${id}`)).status).toBe(404);
    expect(await myHistoryIds(other.admin)).toEqual([]);
    expect(
      await badFields(await call(anna, "POST", `/api/my-history/${id}/email`, { to: "nope" })),
    ).toEqual(["to"]);
  });
});
