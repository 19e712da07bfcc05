/**
 * Admin changes reach the running actors at once: real webhooks through the
 * Worker, real number and agent actors, configuration changed only through the
 * admin API. Each test proves the next routing decision follows the change.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "../../src/platform/clock";
import type { NumberView, WorkingTime } from "../../src/shared/admin";
import { openState } from "../../src/shared/working-time";
import { createNumber, createSkillset, updateNumber } from "../kit/admin";
import { offerFor, offersOf } from "../kit/conversation";
import { phone } from "../kit/ids";
import { postWebhook } from "../kit/meta";
import { textWebhook } from "../kit/meta-payloads";
import { adminSession, callJson, createUser, type Session } from "../kit/session";
import { eventually } from "../kit/wait";

/** A customer writes; resolves with the conversation id once the number actor has queued or offered it. */
async function newConversationOn(number: NumberView): Promise<string> {
  const before = new Set((await env.NUMBER.getByName(number.id).conversations()).map((c) => c.id));
  const res = await postWebhook(
    textWebhook(number.phoneNumberId, [{ from: phone(), text: "Buongiorno" }]),
  );
  expect(res.status).toBe(200);
  return eventually(async () => {
    const all = await env.NUMBER.getByName(number.id).conversations();
    return all.find((c) => !before.has(c.id) && c.state !== "new")?.id;
  });
}

/** Who was offered `conversationId`. */
async function offeredTo(number: NumberView, conversationId: string): Promise<string> {
  return eventually(async () => {
    const c = (await env.NUMBER.getByName(number.id).conversations()).find(
      (x) => x.id === conversationId,
    );
    return c?.state === "offered" ? c.offeredTo : null;
  });
}

async function openNumber(admin: Session): Promise<NumberView> {
  const n = await createNumber(admin);
  return updateNumber(admin, n.id, {
    workingTime: { ...n.settings.workingTime, alwaysOpen: true },
  });
}

async function readyAgent(tenantId: string, name: string) {
  const agent = await createUser(tenantId, { name, maxConversations: 5 });
  await env.AGENT.getByName(agent.id).setStatus(tenantId, "ready");
  return agent.id;
}

const closedWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

afterEach(() => resetClock());

describe("admin changes reach routing at once", () => {
  it("a skillset's priority changed through PATCH changes who receives the next conversation", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const anna = await readyAgent(admin.tenantId, "Anna");
    const bruno = await readyAgent(admin.tenantId, "Bruno");
    await createSkillset(admin, n.id, {
      name: "First line",
      priority: 8,
      members: [{ userId: anna, agentPriority: 5 }],
    });
    const second = await createSkillset(admin, n.id, {
      name: "Second line",
      priority: 3,
      members: [{ userId: bruno, agentPriority: 5 }],
    });

    expect(await offeredTo(n, await newConversationOn(n))).toBe(anna);
    // Anna still has room, so only the priority can send the next one to Bruno.
    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${second.id}`,
      { version: 1, priority: 9 },
      200,
    );
    const next = await newConversationOn(n);
    expect(await offeredTo(n, next)).toBe(bruno);
    expect((await offersOf(bruno, admin.tenantId))[0]).toMatchObject({
      conversationId: next,
      skillsetName: "Second line",
    });
  });

  it("an agent priority changed through PATCH /skillsets/:id members changes who receives the next", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const anna = await readyAgent(admin.tenantId, "Anna");
    const bruno = await readyAgent(admin.tenantId, "Bruno");
    const team = await createSkillset(admin, n.id, {
      name: "Team",
      members: [
        { userId: anna, agentPriority: 7 },
        { userId: bruno, agentPriority: 3 },
      ],
    });
    // Agent priority outranks load: Anna gets both even though Bruno is idle.
    expect(await offeredTo(n, await newConversationOn(n))).toBe(anna);
    expect(await offeredTo(n, await newConversationOn(n))).toBe(anna);
    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${team.id}`,
      {
        version: 1,
        members: [
          { userId: anna, agentPriority: 2 },
          { userId: bruno, agentPriority: 8 },
        ],
      },
      200,
    );
    expect(await offeredTo(n, await newConversationOn(n))).toBe(bruno);
  });

  it("adding a Ready agent to a skillset offers the waiting conversation at once", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const team = await createSkillset(admin, n.id, { name: "Team" });
    const carla = await readyAgent(admin.tenantId, "Carla");
    const waiting = await newConversationOn(n);
    await new Promise((r) => setTimeout(r, 200));
    expect((await env.NUMBER.getByName(n.id).conversations())[0]).toMatchObject({
      id: waiting,
      state: "queued",
    });
    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${team.id}`,
      { version: 1, members: [{ userId: carla, agentPriority: 5 }] },
      200,
    );
    expect(await offeredTo(n, waiting)).toBe(carla);
  });

  it("a closed number keeps new conversations waiting; opening it through PATCH routes them at once", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const anna = await readyAgent(admin.tenantId, "Anna");
    await createSkillset(admin, n.id, { members: [{ userId: anna, agentPriority: 5 }] });
    const path = `/api/admin/numbers/${n.id}`;
    const closed = await callJson<NumberView>(
      admin,
      "PATCH",
      path,
      {
        version: n.version,
        workingTime: { ...n.settings.workingTime, alwaysOpen: false, week: closedWeek },
      },
      200,
    );

    const waiting = await newConversationOn(n);
    await new Promise((r) => setTimeout(r, 300));
    expect((await env.NUMBER.getByName(n.id).conversations())[0]).toMatchObject({
      id: waiting,
      state: "queued",
    });
    expect(await offersOf(anna, admin.tenantId)).toEqual([]);
    // Never opening again: no alarm waits for it (once the routing pass and its watchdog are over).
    await eventually(async () => {
      const at = await runInDurableObject(env.NUMBER.getByName(n.id), (_o, state) =>
        state.storage.getAlarm(),
      );
      return at === null;
    });

    await callJson(
      admin,
      "PATCH",
      path,
      {
        version: closed.version,
        workingTime: { ...closed.settings.workingTime, alwaysOpen: true },
      },
      200,
    );
    expect(await offeredTo(n, waiting)).toBe(anna);
  });

  it("while closed, the actor's alarm waits for the opening and routing runs when it fires", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const anna = await readyAgent(admin.tenantId, "Anna");
    await createSkillset(admin, n.id, { members: [{ userId: anna, agentPriority: 5 }] });
    // Open every day around the clock, except today (a holiday in UTC): it opens at midnight.
    const allDay = [{ open: "00:00", close: "24:00" }];
    const today = new Date().toISOString().slice(0, 10);
    const holiday: WorkingTime = {
      timeZone: "UTC",
      alwaysOpen: false,
      week: {
        mon: allDay,
        tue: allDay,
        wed: allDay,
        thu: allDay,
        fri: allDay,
        sat: allDay,
        sun: allDay,
      },
      closedDates: [{ date: today, name: "Holiday" }],
    };
    await callJson(
      admin,
      "PATCH",
      `/api/admin/numbers/${n.id}`,
      { version: n.version, workingTime: holiday },
      200,
    );
    const opensAt = openState(holiday, Date.now()).nextChangeAt;
    expect(opensAt).toBe(Date.parse(`${today}T00:00:00Z`) + 24 * 3600_000);

    const waiting = await newConversationOn(n);
    const stub = env.NUMBER.getByName(n.id);
    const alarm = await eventually(async () => {
      const at = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
      return at === opensAt ? at : null;
    });
    expect(alarm).toBe(opensAt);
    expect(await offersOf(anna, admin.tenantId)).toEqual([]);

    // Midnight comes (on the actors' clock), and the alarm routes.
    advanceClock(opensAt! - Date.now() + 1000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await offeredTo(n, waiting)).toBe(anna);
  });

  it("renaming a number reaches the actor: a waiting conversation is offered under the new name", async () => {
    const admin = await adminSession();
    const n = await openNumber(admin);
    const anna = await createUser(admin.tenantId, { name: "Anna" });
    await createSkillset(admin, n.id, { members: [{ userId: anna.id, agentPriority: 5 }] });
    // The actor learns the name with the first message; nobody is Ready yet.
    const waiting = await newConversationOn(n);
    await callJson(
      admin,
      "PATCH",
      `/api/admin/numbers/${n.id}`,
      { version: n.version, details: { name: "Assistenza Clienti", displayPhone: "+39 06 000" } },
      200,
    );
    await env.AGENT.getByName(anna.id).setStatus(admin.tenantId, "ready");
    const offer = await offerFor(anna.id, admin.tenantId);
    expect(offer).toMatchObject({
      conversationId: waiting,
      numberName: "Assistenza Clienti",
      displayPhone: "+39 06 000",
    });
  });
});
