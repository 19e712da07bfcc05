/**
 * Pure wording and filtering for the lifecycle views: what a waiting conversation's
 * state says, what the "Ready" column says, which colleagues match a filter.
 */

import { assertNever } from "../../shared/assert-never";
import type { TransferTargets, WaitingItem } from "../../shared/protocol.ts";
import type { MessageKey, Params } from "../i18n.ts";

/** A dictionary key with its parameters, translated by the caller. */
export interface Label {
  key: MessageKey;
  params?: Params;
}

/**
 * The state of a waiting conversation in words, naming the agent concerned when there is
 * one: who left it open, whose personal wait queue, to whom it is offered or transferred.
 */
export function waitingStateLabel(item: WaitingItem): Label {
  const agent = item.agentName?.trim();
  switch (item.state) {
    case "left_open":
      return agent ? { key: "waiting.leftOpen", params: { agent } } : { key: "state.assigned" };
    case "wait_queue":
      if (item.waitQueueKind === "personal" && agent) {
        return { key: "waiting.personalQueue", params: { agent } };
      }
      return item.waitQueueKind === "public"
        ? { key: "waiting.publicQueue" }
        : { key: "state.wait_queue" };
    case "offered":
      return agent ? { key: "waiting.offeredTo", params: { agent } } : { key: "state.offered" };
    case "transfer":
      return agent ? { key: "waiting.transferTo", params: { agent } } : { key: "state.transfer" };
    case "bot":
    case "queued":
    case "unauthorized":
      return { key: `state.${item.state}` };
    default:
      return assertNever(item.state);
  }
}

/** One colleague a conversation can go to. */
export type TargetAgent = TransferTargets["agents"][number];

/**
 * The "Ready" column: Ready when they can take it now; Busy when Ready but at their
 * limit; otherwise their status (Break, Back office, Offline…).
 */
export function readinessLabel(agent: TargetAgent): Label {
  if (agent.available) return { key: "targets.readyYes" };
  if (agent.status === "ready") return { key: "targets.busy" };
  return { key: `status.${agent.status}` };
}

/**
 * Colleagues whose name contains every word of `filter` (case- and accent-insensitive),
 * without `excluded` (myself, guests already in), the available ones first, then by name.
 */
export function filterAgents(
  agents: readonly TargetAgent[],
  filter: string,
  excluded: ReadonlySet<string> = new Set(),
): TargetAgent[] {
  const words = fold(filter).split(/\s+/).filter(Boolean);
  return agents
    .filter((agent) => !excluded.has(agent.id))
    .filter((agent) => {
      const name = fold(agent.name);
      return words.every((word) => name.includes(word));
    })
    .sort((a, b) => Number(b.available) - Number(a.available) || a.name.localeCompare(b.name));
}

const TAKE_REFUSALS: Readonly<Record<string, MessageKey>> = {
  at_capacity: "waiting.refused.at_capacity",
  not_waiting: "waiting.refused.not_waiting",
  not_an_agent: "waiting.refused.not_an_agent",
};

/**
 * The dictionary key for the server's refusal of a pick-up or an unpause (its
 * error code), or null to show the server's own message. Pure.
 */
export function takeRefusalKey(code: string): MessageKey | null {
  return TAKE_REFUSALS[code] ?? null;
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}
