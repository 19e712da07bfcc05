/**
 * The desktop's dashboard: today's conversations, the tenant's agent statuses, the hourly distribution.
 *
 * Where each figure comes from: what is true *now* (active, awaiting transfer,
 * agents' statuses) from the number actors, which routing keeps current; what
 * happened *today* from the history in D1 (a row per conversation an agent took,
 * completed at closing) joined with the number actors' open conversations, so a
 * conversation still waiting for its first agent counts too. A conversation
 * closed without ever reaching an agent (auto-closed in the queue) leaves no
 * trace once closed and is not counted.
 *
 * Isolated agents see only their skillsets: conversations asking for one of
 * them and agents who are members of one (as the waiting list does).
 */
import { and, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { AgentLive } from "../../durable/contracts";
import type { Env } from "../../durable/env";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { activeMember, memberSkillset } from "../../platform/db/joins";
import {
  conversations,
  managedNumbers,
  skillsetMembers,
  skillsets,
  users,
} from "../../platform/db/schema";
import { DashboardView, dashboardTimeZone, HOURS } from "../../shared/dashboard";
import { readSettings } from "../../shared/number-settings";
import type { AgentStatus } from "../../shared/protocol";
import { instantOf, wallClock } from "../../shared/working-time";
import { Routes } from "../app/routes";
import { isolation } from "./lifecycle";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Today in `timeZone` at `at`: its first instant, the next day's first instant, and "YYYY-MM-DD". */
export function dayBounds(
  at: number,
  timeZone: string,
): { start: number; end: number; day: string } {
  const dayIndex = Math.floor(wallClock(at, timeZone) / DAY_MS);
  return {
    start: instantOf(dayIndex * DAY_MS, timeZone),
    end: instantOf((dayIndex + 1) * DAY_MS, timeZone),
    day: new Date(dayIndex * DAY_MS).toISOString().slice(0, 10),
  };
}

/** The wall-clock hour (0–23) of `instant` in `timeZone`. Pure. */
export function hourOf(instant: number, timeZone: string): number {
  const hour = Math.floor((wallClock(instant, timeZone) % DAY_MS) / HOUR_MS);
  return Math.min(HOURS - 1, Math.max(0, hour));
}

/** Whether a conversation asking for `skillsetId` is within `limit` (null = no limit). */
const within = (limit: Set<string> | null, skillsetId: string | null) =>
  !limit || (skillsetId !== null && limit.has(skillsetId));

/**
 * The tenant's agents (active users with the agent role, or members of a
 * skillset), within the caller's isolation, and the numbers each one serves.
 */
async function tenantAgents(
  env: Env,
  tenantId: string,
  limit: Set<string> | null,
): Promise<Map<string, Set<string>>> {
  const db = d1(env.DB);
  const [people, members] = await db.batch([
    db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.tenantId, tenantId),
          eq(users.active, true),
          inArray(users.role, ["agent", "admin"]),
        ),
      ),
    db
      .select({
        userId: skillsetMembers.userId,
        skillsetId: skillsetMembers.skillsetId,
        numberId: skillsets.numberId,
      })
      .from(skillsetMembers)
      .innerJoin(skillsets, memberSkillset)
      .innerJoin(users, activeMember)
      .where(eq(skillsetMembers.tenantId, tenantId)),
  ]);
  const numbersOf = new Map<string, Set<string>>();
  for (const m of members) {
    if (!within(limit, m.skillsetId)) continue;
    const set = numbersOf.get(m.userId) ?? new Set<string>();
    set.add(m.numberId);
    numbersOf.set(m.userId, set);
  }
  if (!limit) {
    // Agents outside every skillset are still the tenant's agents (shown as they are);
    // administrators count only when they serve a skillset.
    const agentRoles = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.active, true), eq(users.role, "agent")));
    for (const u of agentRoles) if (!numbersOf.has(u.id)) numbersOf.set(u.id, new Set());
  }
  const active = new Set(people.map((u) => u.id));
  for (const id of numbersOf.keys()) if (!active.has(id)) numbersOf.delete(id);
  return numbersOf;
}

/** GET /api/dashboard. */
export const dashboard = new Routes().endpoint(
  {
    method: "get",
    path: "/api/dashboard",
    summary:
      "Today's conversations of the tenant (total opened, closed, active and awaiting transfer now), its agents' statuses now, and conversations opened and closed per hour today, in the tenant's time zone (its numbers' working-time zone, else Europe/Rome). Isolated agents see their skillsets only.",
    tag: "desktop",
    access: "tenant",
    response: DashboardView,
  },
  async (c) => {
    const user = c.var.user;
    const env = c.env;
    const db = d1(env.DB);
    const [limit, numbers] = await Promise.all([
      isolation(env, user),
      db
        .select({ id: managedNumbers.id, settings: managedNumbers.settings })
        .from(managedNumbers)
        .where(eq(managedNumbers.tenantId, user.tenantId))
        .orderBy(sql`${managedNumbers.name} COLLATE NOCASE`, managedNumbers.id),
    ]);
    const timeZone = dashboardTimeZone(
      numbers.map((n) => readSettings(n.settings).workingTime.timeZone),
    );
    const at = now();
    const { start, end, day } = dayBounds(at, timeZone);

    const [history, live, agentsOf] = await Promise.all([
      db
        .select({
          id: conversations.id,
          skillsetId: conversations.skillsetId,
          openedAt: conversations.openedAt,
          closedAt: conversations.closedAt,
        })
        .from(conversations)
        .where(
          and(
            eq(conversations.tenantId, user.tenantId),
            or(
              and(gte(conversations.openedAt, start), lt(conversations.openedAt, end)),
              and(gte(conversations.closedAt, start), lt(conversations.closedAt, end)),
            ),
          ),
        ),
      Promise.all(
        numbers.map(async (n) => {
          const stub = env.NUMBER.getByName(n.id);
          const [conversations, agents] = await Promise.all([
            stub.dashboardLive(),
            stub.agentsLive(),
          ]);
          return { numberId: n.id, conversations, agents };
        }),
      ),
      tenantAgents(env, user.tenantId, limit),
    ]);

    const opened = new Map<string, number>();
    const hourlyOpened = new Array<number>(HOURS).fill(0);
    const hourlyClosed = new Array<number>(HOURS).fill(0);
    let closed = 0;
    for (const row of history) {
      if (!within(limit, row.skillsetId)) continue;
      if (row.openedAt >= start && row.openedAt < end) opened.set(row.id, row.openedAt);
      if (row.closedAt !== null && row.closedAt >= start && row.closedAt < end) {
        closed += 1;
        hourlyClosed[hourOf(row.closedAt, timeZone)]! += 1;
      }
    }
    let active = 0;
    let awaitingTransfer = 0;
    for (const n of live) {
      for (const conversation of n.conversations) {
        if (!within(limit, conversation.skillsetId)) continue;
        if (conversation.arrivedAt >= start && conversation.arrivedAt < end) {
          opened.set(conversation.id, conversation.arrivedAt);
        }
        if (conversation.state === "assigned") active += 1;
        else if (
          conversation.kind === "transfer" &&
          (conversation.state === "queued" || conversation.state === "offered")
        ) {
          awaitingTransfer += 1;
        }
      }
    }
    for (const openedAt of opened.values()) hourlyOpened[hourOf(openedAt, timeZone)]! += 1;

    // Each agent's state as the numbers they serve know it (routing keeps it current);
    // agents no number knows are asked directly.
    const liveByNumber = new Map(live.map((n) => [n.numberId, n.agents]));
    const statuses: Record<AgentStatus, number> = {
      ready: 0,
      back_office: 0,
      break: 0,
      rona: 0,
      offline: 0,
    };
    const unknown: string[] = [];
    for (const [agentId, numberIds] of agentsOf) {
      let state: AgentLive | undefined;
      for (const numberId of numberIds) {
        state = liveByNumber.get(numberId)?.find((a) => a.id === agentId);
        if (state) break;
      }
      if (state) statuses[state.status] += 1;
      else unknown.push(agentId);
    }
    const asked = await Promise.all(
      unknown.map((id) => env.AGENT.getByName(id).state(user.tenantId)),
    );
    for (const state of asked) statuses[state?.status ?? "offline"] += 1;

    return c.json({
      timeZone,
      day,
      generatedAt: at,
      conversations: { total: opened.size, closed, active, awaitingTransfer },
      agents: statuses,
      hourly: { opened: hourlyOpened, closed: hourlyClosed },
    } satisfies DashboardView);
  },
);
