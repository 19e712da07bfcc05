/**
 * The desktop's dashboard through the real Worker, actors, D1 and the Meta
 * simulator: today's counts follow a conversation as it is offered, accepted,
 * transferred and closed; the statuses pie follows the agents; another
 * tenant's work is never counted; isolated agents see their skillsets; the
 * hours are the tenant's wall-clock hours at the actors' clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../src/platform/clock";
import type { DashboardView } from "../src/shared/dashboard";
import { instantOf, wallClock } from "../src/shared/working-time";
import {
  closeConversation,
  deskAgent,
  offerFor,
  setReady,
  takeConversation,
} from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerWrites } from "./kit/meta";
import { call, callJson, type Session, signIn } from "./kit/session";
import { openTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

afterEach(() => resetClock());

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

function dashboard(session: Session): Promise<DashboardView> {
  return callJson<DashboardView>(session, "GET", "/api/dashboard", undefined, 200);
}

/** Moves the actors' clock forward to `hour`:`minute` of tomorrow in Rome (never backwards). */
function clockToTomorrowAt(hour: number, minute = 30): void {
  const today = Math.floor(wallClock(now(), "Europe/Rome") / DAY);
  const target = instantOf((today + 1) * DAY + hour * HOUR + minute * 60_000, "Europe/Rome");
  advanceClock(target - now());
}

describe("today's conversations", () => {
  it("moves as a conversation is offered, accepted, transferred and closed", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });

    expect((await dashboard(anna)).conversations).toEqual({
      total: 0,
      closed: 0,
      active: 0,
      awaitingTransfer: 0,
    });

    await customerWrites(t.phoneNumberId, phone(), "Buongiorno");
    const offer = await offerFor(anna.userId, anna.tenantId);
    // Offered, not yet taken: it counts today, it is not active.
    expect((await dashboard(anna)).conversations).toEqual({
      total: 1,
      closed: 0,
      active: 0,
      awaitingTransfer: 0,
    });

    await callJson(anna, "POST", `/api/offers/${offer.conversationId}/accept`, undefined, 200);
    expect((await dashboard(anna)).conversations).toMatchObject({ total: 1, active: 1 });

    // Bruno is not Ready: the transfer waits for him.
    await callJson(
      anna,
      "POST",
      `/api/conversations/${offer.conversationId}/transfer`,
      { to: "agent", agentId: bruno.userId },
      200,
    );
    expect((await dashboard(bruno)).conversations).toEqual({
      total: 1,
      closed: 0,
      active: 0,
      awaitingTransfer: 1,
    });

    await setReady(bruno);
    const transferred = await offerFor(bruno.userId, bruno.tenantId);
    // Offered to him as a transfer: still awaiting it.
    expect((await dashboard(bruno)).conversations.awaitingTransfer).toBe(1);
    await callJson(
      bruno,
      "POST",
      `/api/offers/${transferred.conversationId}/accept`,
      undefined,
      200,
    );
    expect((await dashboard(bruno)).conversations).toEqual({
      total: 1,
      closed: 0,
      active: 1,
      awaitingTransfer: 0,
    });

    await closeConversation(bruno, transferred.conversationId, "resolved");
    const after = await eventually(async () => {
      const d = await dashboard(anna);
      return d.conversations.closed === 1 ? d : null;
    });
    expect(after.conversations).toEqual({ total: 1, closed: 1, active: 0, awaitingTransfer: 0 });
    expect(after.hourly.opened.reduce((a, b) => a + b, 0)).toBe(1);
    expect(after.hourly.closed.reduce((a, b) => a + b, 0)).toBe(1);
    expect(after.timeZone).toBe("Europe/Rome");
  });

  it("never counts another tenant's conversations or agents", async () => {
    const mine = await openTenant();
    const theirs = await openTenant();
    const anna = await deskAgent(mine, "Anna", ["care"]);
    const zoe = await deskAgent(theirs, "Zoe", ["care"]);
    await takeConversation(theirs, zoe, phone(), "Salve");
    await takeConversation(theirs, zoe, phone(), "Ciao");

    const d = await dashboard(anna);
    expect(d.conversations).toEqual({ total: 0, closed: 0, active: 0, awaitingTransfer: 0 });
    expect(d.agents).toEqual({ ready: 1, back_office: 0, break: 0, rona: 0, offline: 0 });
    expect((await dashboard(zoe)).conversations).toMatchObject({ total: 2, active: 2 });
  });

  it("shows an isolated agent only their skillsets' conversations and colleagues", async () => {
    const t = await openTenant({ care: 5, sales: 5 });
    const iris = await deskAgent(t, "Iris", ["care"], { isolated: true });
    const sam = await deskAgent(t, "Sam", ["sales"]);
    // Sam takes a conversation that asks for any skillset: routing gives it to him alone.
    await callJson(iris, "POST", "/api/me/status", { status: "break" }, 200);
    const id = await takeConversation(t, sam, phone(), "Vendite");
    expect(id).toBeTruthy();

    const isolated = await dashboard(iris);
    expect(isolated.conversations.total).toBe(0);
    expect(isolated.agents).toEqual({ ready: 0, back_office: 0, break: 1, rona: 0, offline: 0 });
    const everyone = await dashboard(t.admin);
    expect(everyone.conversations).toMatchObject({ total: 1, active: 1 });
  });
});

describe("agent statuses", () => {
  it("follows the agents' status changes, counting agents who never signed in as offline", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    // An agent outside every skillset, and one who never opened the desktop.
    await deskAgent(t, "Carla", [], { ready: false });
    expect((await dashboard(anna)).agents).toEqual({
      ready: 1,
      back_office: 0,
      break: 0,
      rona: 0,
      offline: 2,
    });

    await callJson(bruno, "POST", "/api/me/status", { status: "break" }, 200);
    await callJson(anna, "POST", "/api/me/status", { status: "back_office" }, 200);
    expect((await dashboard(anna)).agents).toEqual({
      ready: 0,
      back_office: 1,
      break: 1,
      rona: 0,
      offline: 1,
    });
  });
});

describe("hourly distribution", () => {
  it("buckets openings and closings by the tenant's wall-clock hour at the actors' clock", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"], { ready: false });
    clockToTomorrowAt(10);
    await setReady(anna);
    const first = await takeConversation(t, anna, phone(), "Alle dieci");

    advanceClock(2 * HOUR);
    const second = await takeConversation(t, anna, phone(), "A mezzogiorno");
    await closeConversation(anna, first, "resolved");

    const d = await eventually(async () => {
      const view = await dashboard(anna);
      return view.conversations.closed === 1 ? view : null;
    });
    expect(second).not.toBe(first);
    expect(d.conversations).toMatchObject({ total: 2, closed: 1, active: 1 });
    const expectedOpened = new Array(24).fill(0);
    expectedOpened[10] = 1;
    expectedOpened[12] = 1;
    expect(d.hourly.opened).toEqual(expectedOpened);
    const expectedClosed = new Array(24).fill(0);
    expectedClosed[12] = 1;
    expect(d.hourly.closed).toEqual(expectedClosed);

    // The next day in Rome starts from zero; what is still open is still active.
    advanceClock(14 * HOUR);
    const tomorrow = await dashboard(anna);
    expect(tomorrow.conversations).toEqual({
      total: 0,
      closed: 0,
      active: 1,
      awaitingTransfer: 0,
    });
    expect(tomorrow.hourly.opened.every((n) => n === 0)).toBe(true);
  });

  it("answers 401 to anyone signed out and 403 to the platform operator", async () => {
    expect((await call("parley_session=nope", "GET", "/api/dashboard")).status).toBe(401);
    const operator = await signIn("operator");
    expect((await call(operator, "GET", "/api/dashboard")).status).toBe(403);
  });
});
