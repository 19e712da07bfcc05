/**
 * Who has the conversation, and how it changes hands: an agent takes it
 * (offer accepted, pick-up), loses it (deactivated), types in it, leaves it
 * open at log-out; the owner transfers it (to a user, a skillset) or parks
 * it in a wait queue; a colleague is invited into a conference, joins and
 * leaves. Routing stays with the number actor: the conversation tells it
 * what it needs (a RouteRequest).
 */
import { requireConfig } from "../../platform/config";
import type { ConversationView, Participant, WaitQueueKind } from "../../shared/protocol";
import type { RouteRequest } from "../contracts";
import type { ConversationDeps } from "./deps";
import { requestArchive } from "./history";
import { noticePayload, noticeText } from "./notices";
import { type NotifyDeps, notifyView, releaseSeats } from "./notify";
import { conversationView } from "./paging";
import {
  type ActionResult,
  type AgentRef,
  type ConversationRecord,
  enter,
  settingsOf,
  type TransferRequest,
  touched,
  windowEnd,
} from "./record";
import { type AutomaticDeps, addNote, sendAutomatic } from "./sending";

export type HandoverDeps = AutomaticDeps &
  Pick<ConversationDeps, "record" | "save" | "armAlarm" | "archive" | "archiveHistory">;

/**
 * An agent takes the conversation: they accepted an offer (new or
 * transferred) or picked it up. Idempotent for the same agent.
 */
export async function assign(
  deps: HandoverDeps,
  agent: AgentRef & { skillsetId: string | null; skillsetName: string | null },
): Promise<ConversationView> {
  const record = deps.record();
  if (!record) throw new Error("assign before the conversation exists");
  if (
    record.state !== "closed" &&
    !(record.state === "assigned" && record.agent?.id === agent.id)
  ) {
    const at = deps.now();
    enter(record, "assigned", deps.now());
    record.agent = { id: agent.id, name: agent.name };
    record.skillsetId = agent.skillsetId ?? record.skillsetId;
    record.skillsetName = agent.skillsetName ?? record.skillsetName;
    record.assignedAt = at;
    record.agentTyped = false;
    touched(record, at);
    record.transfer = null;
    record.waitQueue = null;
    record.leftOpen = false;
    record.participants = (record.participants ?? []).filter((p) => p.id !== agent.id);
    deps.save(record);
    // The history row makes the customer visible to the agent's skillsets.
    await requestArchive(deps);
    await deps.armAlarm();
  }
  return conversationView(deps.db, record);
}

/**
 * The agent can no longer serve the conversation (deactivated): it waits for
 * routing again and that agent may no longer send or close. Idempotent; a
 * conversation meanwhile taken by someone else is left alone.
 */
export async function unassign(deps: HandoverDeps, agentId: string): Promise<void> {
  const record = deps.record();
  if (record?.state !== "assigned" || record.agent?.id !== agentId) return;
  enter(record, "queued", deps.now());
  record.agent = null;
  deps.save(record);
  await deps.armAlarm();
}

/** The owner typed (or wrote): a pending welcome on assignment is not sent. Idempotent. */
export async function agentTyping(deps: HandoverDeps, agentId: string): Promise<void> {
  const record = deps.record();
  if (record?.state !== "assigned" || record.agent?.id !== agentId || record.agentTyped) return;
  record.agentTyped = true;
  deps.save(record);
  await deps.armAlarm();
}

/** The owner logged out (`open`) or came back: the conversation shows as left open meanwhile. */
export function setLeftOpen(deps: HandoverDeps, agentId: string, open: boolean): void {
  const record = deps.record();
  if (record?.state !== "assigned" || record.agent?.id !== agentId) return;
  if ((record.leftOpen ?? false) === open) return;
  record.leftOpen = open;
  deps.save(record);
}

/**
 * The owner hands the conversation on: to a user (immediate or exclusive),
 * to a skillset, or to the wait queue (public or personal). It leaves the
 * owner's desktop (and the conference guests') at once; the transfer
 * message goes to the customer; routing does the rest.
 */
export async function transfer(
  deps: HandoverDeps,
  tenantId: string,
  agentId: string,
  request: TransferRequest,
): Promise<ActionResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  if (record.state !== "assigned" || record.agent?.id !== agentId) {
    return { ok: false, code: "not_assigned" };
  }
  const from = record.agent;
  const guests = record.participants ?? [];
  record.participants = [];
  record.leftOpen = false;
  let route: RouteRequest;
  if (request.to === "wait_queue") {
    route = park(record, request.kind, from, deps.now());
  } else {
    enter(record, "transfer", deps.now());
    const at = record.stateSince!;
    record.transfer = {
      toAgentId: request.to === "agent" ? request.agentId : null,
      toAgentName: request.to === "agent" ? request.agentName : null,
      toSkillsetId: request.to === "skillset" ? request.skillsetId : null,
      toSkillsetName: request.to === "skillset" ? request.skillsetName : null,
      mode: request.to === "agent" ? request.mode : "immediate",
      fromAgentName: from.name,
      since: at,
    };
    record.agent = null;
    sendAutomatic(deps, record, {
      key: `transfer:${at}`,
      text: settingsOf(record).messages.transfer,
    });
    route =
      request.to === "agent"
        ? {
            type: "queue",
            skillsetId: record.skillsetId,
            kind: "transfer",
            targetAgentId: request.agentId,
            targetAgentName: request.agentName,
            mode: request.mode,
            fallbackAt:
              request.mode === "exclusive"
                ? windowEnd(record, deps.now())
                : at + requireConfig(deps.env).offerTimeoutMs,
            fromAgentName: from.name,
          }
        : {
            type: "queue",
            skillsetId: request.skillsetId,
            kind: "transfer",
            excludeAgentId: from.id,
            fromAgentName: from.name,
          };
    if (request.to === "skillset") {
      record.skillsetId = request.skillsetId;
      record.skillsetName = request.skillsetName;
    }
  }
  deps.save(record);
  await deps.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
  const view = conversationView(deps.db, record);
  await releaseSeats(deps, record, [from, ...guests], view);
  await deps.armAlarm();
  return { ok: true, conversation: view };
}

/** Parks the conversation in the wait queue of `owner`; returns what routing must do. */
export function park(
  record: ConversationRecord,
  kind: WaitQueueKind,
  owner: AgentRef,
  at: number,
): RouteRequest {
  enter(record, "wait_queue", at);
  record.waitQueue = { kind, agentId: owner.id, agentName: owner.name, since: at };
  record.agent = null;
  return { type: "park", kind, agentId: owner.id, agentName: owner.name };
}

/**
 * Checks that `ownerId` may invite `guestId` into the conference and returns
 * what the guest's invitation shows.
 */
export function conferenceInvitation(
  deps: Pick<ConversationDeps, "db" | "record">,
  tenantId: string,
  ownerId: string,
  guestId: string,
):
  | { ok: true; numberId: string; conversation: ConversationView; ownerName: string }
  | { ok: false; code: "not_found" | "not_assigned" | "not_possible" } {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  if (record.state !== "assigned" || record.agent?.id !== ownerId) {
    return { ok: false, code: "not_assigned" };
  }
  if (guestId === ownerId || (record.participants ?? []).some((p) => p.id === guestId)) {
    return { ok: false, code: "not_possible" };
  }
  return {
    ok: true,
    numberId: record.number.id,
    conversation: conversationView(deps.db, record),
    ownerName: record.agent.name,
  };
}

export type ConferenceDeps = NotifyDeps & Pick<ConversationDeps, "now" | "record" | "save">;

/** The guest accepted the invitation: they see and write in the conversation too. Idempotent. */
export function join(deps: ConferenceDeps, guest: Participant): ConversationView | null {
  const record = deps.record();
  if (record?.state !== "assigned") return null;
  const participants = record.participants ?? [];
  if (record.agent?.id !== guest.id && !participants.some((p) => p.id === guest.id)) {
    record.participants = [...participants, guest];
    deps.save(record);
    addNote(
      deps,
      record,
      `joined:${guest.id}:${deps.now()}`,
      noticeText("joined", "en", guest.name),
      noticePayload("joined", guest.name),
    );
    notifyView(deps, record);
  }
  return conversationView(deps.db, record);
}

/** A guest leaves the conference; the conversation goes on with its owner. */
export async function leave(
  deps: ConferenceDeps,
  tenantId: string,
  guestId: string,
): Promise<ActionResult> {
  const record = deps.record();
  if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
  const participants = record.participants ?? [];
  const guest = participants.find((p) => p.id === guestId);
  if (!guest) return { ok: false, code: "not_assigned" };
  record.participants = participants.filter((p) => p.id !== guestId);
  deps.save(record);
  addNote(
    deps,
    record,
    `left:${guestId}:${deps.now()}`,
    noticeText("left", "en", guest.name),
    noticePayload("left", guest.name),
  );
  const view = conversationView(deps.db, record);
  await releaseSeats(deps, record, [guest], view);
  notifyView(deps, record);
  return { ok: true, conversation: view };
}
