/**
 * The conversation's timers, applied: what the pure `lifecycle.ts` says is
 * due (from the record's facts and the number's settings) and what each does
 * — the welcome on assignment, to the owner's wait queue, the softbot's
 * timeout, the automatic closes. Effects are guarded by the state and
 * automatic messages have fixed ids, so a repeated alarm changes nothing.
 */
import { leaveBot } from "./arrival";
import { afterFinish, type CloseDeps, finish } from "./close";
import type { ConversationDeps } from "./deps";
import { park } from "./handover";
import {
  dueTimers,
  nextTimer,
  SYSTEM_CLOSE_REASON,
  type Timer,
  type TimerFacts,
} from "./lifecycle";
import { releaseSeats } from "./notify";
import { conversationView } from "./paging";
import { type ConversationRecord, configOf, settingsOf } from "./record";
import { sendAutomatic } from "./sending";

/** What the timers read of the record. */
export function facts(record: ConversationRecord): TimerFacts {
  const since = record.stateSince ?? record.createdAt;
  return {
    state: record.state,
    stateSince: since,
    lastActivityAt: record.lastActivityAt ?? since,
    lastCustomerMessageAt: record.lastCustomerMessageAt,
    assignedAt: record.assignedAt ?? null,
    agentTyped: record.agentTyped ?? false,
    welcomedOnAssignment: record.welcomedOnAssignment ?? false,
    settingsSince: record.settingsSince ?? record.createdAt,
  };
}

/** The next timer deadline (a due one counts as `at`). */
export function nextTimerAt(record: ConversationRecord, at: number): number | null {
  const first = nextTimer(facts(record), settingsOf(record), Number.NEGATIVE_INFINITY);
  return first === null ? null : Math.max(first, at);
}

export type TimerDeps = CloseDeps & Pick<ConversationDeps, "record">;

/**
 * Applies every timer due now, one at a time: each effect changes the
 * state, so the next is recomputed from the new one (a closed conversation
 * has none left). An effect repeated by a second alarm finds its state
 * already changed, or its automatic message already there.
 */
export async function runTimers(deps: TimerDeps): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const record = deps.record();
    if (!record || record.state === "closed") return;
    const [timer] = dueTimers(facts(record), settingsOf(record), deps.now());
    if (!timer) return;
    await applyTimer(deps, record, timer);
  }
}

async function applyTimer(
  deps: TimerDeps,
  record: ConversationRecord,
  timer: Timer,
): Promise<void> {
  const { settings, defaultSkillsetId, botOptions } = configOf(record);
  switch (timer.kind) {
    case "welcome_on_assignment": {
      const agent = record.agent;
      record.welcomedOnAssignment = true;
      sendAutomatic(deps, record, {
        key: `welcome_on_assignment:${record.assignedAt}`,
        text: settings.messages.welcomeOnAssignment,
        ...(settings.messages.welcomeAsAgent && agent
          ? { sender: { type: "agent", id: agent.id, name: agent.name } }
          : {}),
      });
      deps.save(record);
      return;
    }
    case "to_wait_queue": {
      const owner = record.agent!;
      const guests = record.participants ?? [];
      record.participants = [];
      const route = park(record, "personal", owner, deps.now());
      deps.save(record);
      await deps.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
      await releaseSeats(deps, record, [owner, ...guests], conversationView(deps.db, record));
      return;
    }
    case "bot_timeout": {
      const route = leaveBot(record, defaultSkillsetId, botOptions, deps.now());
      deps.save(record);
      await deps.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
      return;
    }
    default: {
      // At the end of the day, customers still waiting get the closing-time message.
      const waiting = record.state !== "assigned";
      // A template nobody answered closes silently: the customer never wrote.
      const message =
        timer.kind === "close_no_reply"
          ? null
          : timer.kind === "close_end_of_day" && waiting && settings.messages.waitingAtClosingTime
            ? settings.messages.waitingAtClosingTime
            : settings.messages.close;
      finish(deps, record, SYSTEM_CLOSE_REASON[timer.kind], null, null, message);
      await afterFinish(deps, record);
    }
  }
}
