/**
 * The timers of a conversation, as a pure function of its state, its number's
 * settings and the clock. The conversation actor keeps no timer list: after
 * every change it asks `nextTimer` for the earliest deadline and arms its one
 * alarm there; when the alarm rings it asks `dueTimers` what is due now and
 * applies each effect, guarded by the state, so a repeated or early alarm
 * never repeats a visible effect.
 *
 * Deadlines are computed from facts that do not move with the clock (when the
 * state began, the last activity, the customer's last message), never from
 * "now": an alarm that rings late still finds its timer due. A timer never
 * counts from before its settings reached the conversation (`settingsSince`),
 * so turning a rule on does not close old conversations at once.
 *
 * Which timer applies to which state (PRODUCT.md "Auto-close", issue 5):
 * - assigned: welcome on assignment (after its delay, unless the agent typed
 *   first), to the wait queue after `waitQueueAfterMinutes` without activity,
 *   closed after `activeInactivityMinutes` without activity;
 * - wait_queue: closed after `queuedInactivityMinutes` without activity (the
 *   admin's "conversations waiting in queue");
 * - transfer: closed after `transferInactivityMinutes` awaiting it;
 * - bot: the softbot's timeout sends it to the default skillset;
 * - outbound (a template the customer has not answered): closed 24 h after
 *   the agent's latest template (`close_no_reply`), and by nothing else — the
 *   customer's window and the working day are about conversations the
 *   customer started;
 * - every other open state: closed 24 h after the customer's last message, and at
 *   the end of the working day when "close after working hours" is on or the
 *   state's end-of-day switch is (bot = waiting for a category, queued =
 *   awaiting assignment, transfer, wait_queue).
 */
import type { StoredSettings } from "../../shared/number-settings";
import { type ConversationState, CUSTOMER_WINDOW_MS } from "../../shared/protocol";
import { openState } from "../../shared/working-time";

/**
 * The states the conversation itself records: the protocol's, but `offered`,
 * which only routing knows (an offer out for a queued conversation).
 */
export type LifecycleState = Exclude<ConversationState, "offered">;

/** What the timers read of a conversation. Times are ms since the epoch. */
export interface TimerFacts {
  state: LifecycleState;
  /** When the current state began. */
  stateSince: number;
  /** The latest message, in either direction (or the state's start when later). */
  lastActivityAt: number;
  lastCustomerMessageAt: number | null;
  /** When the current agent took it; null when not assigned. */
  assignedAt: number | null;
  /** The assigned agent typed or wrote after `assignedAt`. */
  agentTyped: boolean;
  /** The welcome on assignment went out for this assignment. */
  welcomedOnAssignment: boolean;
  /** When these settings reached the conversation. */
  settingsSince: number;
}

export type TimerKind =
  | "welcome_on_assignment"
  | "to_wait_queue"
  | "close_inactive"
  | "close_wait_queue"
  | "close_transfer"
  | "close_24h"
  | "close_end_of_day"
  | "close_no_reply"
  | "bot_timeout";

export interface Timer {
  kind: TimerKind;
  at: number;
}

/** Why the system closed a conversation, as its history shows it. */
export const SYSTEM_CLOSE_REASON: Record<TimerKind | "unauthorized", string> = {
  welcome_on_assignment: "",
  to_wait_queue: "",
  bot_timeout: "",
  close_inactive: "Closed automatically: no activity",
  close_wait_queue: "Closed automatically: no activity in the wait queue",
  close_transfer: "Closed automatically: the transfer was not taken",
  close_24h: "Closed automatically: 24 hours after the customer's last message",
  close_end_of_day: "Closed automatically: end of the working day",
  close_no_reply: "No reply to the template",
  unauthorized: "Closed automatically: unauthorized number",
};

const MINUTE = 60_000;

/** The end-of-day switch that covers a state, if any. */
function endOfDaySwitch(state: LifecycleState, s: StoredSettings): boolean {
  const e = s.autoClose.endOfDay;
  switch (state) {
    case "bot":
      return e.categoryWaiting;
    case "queued":
      return e.awaitingAssignment;
    case "transfer":
      return e.awaitingTransfer;
    case "wait_queue":
      return e.waitQueue;
    default:
      return false;
  }
}

/**
 * The first end of a working period after `since`: the closing time of the
 * period open at `since`, or of the next one. Null when the number is always
 * open or nothing closes within the horizon.
 */
export function endOfWorkingPeriodAfter(s: StoredSettings, since: number): number | null {
  const wt = s.workingTime;
  if (wt.alwaysOpen) return null;
  const first = openState(wt, since);
  if (first.nextChangeAt === null) return null;
  if (first.open) return first.nextChangeAt;
  const reopened = openState(wt, first.nextChangeAt);
  return reopened.open ? reopened.nextChangeAt : null;
}

/** Every timer that applies to the conversation now, with its deadline (past ones included). */
export function timers(f: TimerFacts, s: StoredSettings): Timer[] {
  if (f.state === "closed") return [];
  const out: Timer[] = [];
  const from = (t: number) => Math.max(t, f.settingsSince);
  const activity = from(Math.max(f.lastActivityAt, f.stateSince));
  if (f.state === "outbound") {
    return [{ kind: "close_no_reply", at: activity + CUSTOMER_WINDOW_MS }];
  }
  if (f.state === "assigned") {
    const delay = s.messages.welcomeOnAssignmentDelaySeconds * 1000;
    if (
      s.messages.welcomeOnAssignment &&
      f.assignedAt !== null &&
      !f.agentTyped &&
      !f.welcomedOnAssignment
    ) {
      out.push({ kind: "welcome_on_assignment", at: f.assignedAt + delay });
    }
    const park = s.details.waitQueueAfterMinutes;
    if (park) out.push({ kind: "to_wait_queue", at: activity + park * MINUTE });
    const close = s.autoClose.activeInactivityMinutes;
    if (close) out.push({ kind: "close_inactive", at: activity + close * MINUTE });
  }
  if (f.state === "wait_queue" && s.autoClose.queuedInactivityMinutes) {
    out.push({
      kind: "close_wait_queue",
      at: activity + s.autoClose.queuedInactivityMinutes * MINUTE,
    });
  }
  if (f.state === "transfer" && s.autoClose.transferInactivityMinutes) {
    out.push({
      kind: "close_transfer",
      at: from(f.stateSince) + s.autoClose.transferInactivityMinutes * MINUTE,
    });
  }
  if (f.state === "bot") {
    out.push({ kind: "bot_timeout", at: from(f.stateSince) + s.bot.timeoutSeconds * 1000 });
  }
  if (s.autoClose.after24hFromCustomer && f.lastCustomerMessageAt !== null) {
    out.push({
      kind: "close_24h",
      at: Math.max(f.lastCustomerMessageAt + CUSTOMER_WINDOW_MS, f.settingsSince),
    });
  }
  if (s.autoClose.afterWorkingHours || endOfDaySwitch(f.state, s)) {
    const end = endOfWorkingPeriodAfter(s, from(f.stateSince));
    if (end !== null) out.push({ kind: "close_end_of_day", at: end });
  }
  return out;
}

/** The timers due at `now`, earliest first. */
export function dueTimers(f: TimerFacts, s: StoredSettings, now: number): Timer[] {
  return timers(f, s)
    .filter((t) => t.at <= now)
    .sort((a, b) => a.at - b.at);
}

/** The earliest deadline still ahead of `now`, or null. */
export function nextTimer(f: TimerFacts, s: StoredSettings, now: number): number | null {
  const ahead = timers(f, s)
    .map((t) => t.at)
    .filter((at) => at > now);
  return ahead.length > 0 ? Math.min(...ahead) : null;
}
