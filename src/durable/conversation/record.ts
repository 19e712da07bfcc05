/**
 * The conversation's record (the `kv` row "conversation", its number's
 * configuration kept apart in "config"), the outcomes of the actor's RPC
 * methods, and the small rules every module reads the record by: its
 * configuration, its state changes, who is seated, the customer's window.
 */
import {
  type ConversationView,
  CUSTOMER_WINDOW_MS,
  type MessageView,
  type Participant,
  type TransferMode,
  type WaitQueueKind,
} from "../../shared/protocol";
import { type ConversationInit, defaultNumberConfig, type NumberConfig } from "../contracts";
import { StoredJson } from "../sql";
import type { LifecycleState } from "./lifecycle";

/** The `kv` keys of the record and of its number's configuration. */
export const RECORD_KEY = "conversation";
export const CONFIG_KEY = "config";

/** An agent as the record names them. */
export interface AgentRef {
  id: string;
  name: string;
}

/** The conversation's own record (the `kv` row "conversation"). */
export interface ConversationRecord extends Omit<ConversationInit, "config"> {
  /** Absent in records written before issue 5: the defaults apply. */
  config?: NumberConfig;
  state: LifecycleState;
  /** The owner: the agent who has it (assigned) or had it last. */
  agent: AgentRef | null;
  skillsetName: string | null;
  lastCustomerMessageAt: number | null;
  closedAt: number | null;
  closeReason: string | null;
  closedBy: string | null;
  closedByName?: string | null;
  closeNotes?: string | null;
  /**
   * The customer does not keep message history: texts and payloads were
   * removed at closing (and any message still sending loses its text once sent).
   */
  contentsRemoved?: boolean;
  /** Seq of the newest inbound message reported read to Meta. */
  readSeq?: number;
  /** When the current state began. */
  stateSince?: number;
  /** The latest message either way, for the inactivity timers. */
  lastActivityAt?: number;
  assignedAt?: number | null;
  /** The owner typed or wrote since `assignedAt` (cancels the welcome on assignment). */
  agentTyped?: boolean;
  /** The welcome on assignment was sent or cancelled (once per conversation). */
  welcomedOnAssignment?: boolean;
  /** When the current settings reached the conversation; timers never count from before. */
  settingsSince?: number;
  /** Conference guests. */
  participants?: Participant[];
  waitQueue?: ConversationView["waitQueue"];
  transfer?: ConversationView["transfer"];
  leftOpen?: boolean;
  /** How many times the softbot's menu was sent (the first included). */
  botAsked?: number;
  /** The automatic e-mail on close, until the mail server accepts it. */
  closeMail?: { to: string; attempts: number; dueAt: number } | null;
}

/** The record as the `kv` row stores it (read for a copy the caller may change). */
export const recordJson = new StoredJson<ConversationRecord>();

/**
 * A conversation the customer's first message opens: queued, nobody's yet.
 * One an agent starts (outbound-template.ts) sets its state and agent over it.
 */
export function newRecord(init: ConversationInit, at: number): ConversationRecord {
  return {
    ...init,
    state: "queued",
    agent: null,
    skillsetName: null,
    lastCustomerMessageAt: null,
    closedAt: null,
    closeReason: null,
    closedBy: null,
    stateSince: at,
    lastActivityAt: at,
    settingsSince: at,
  };
}

/** The number's configuration as the conversation last heard it (the defaults before any). */
export function configOf(record: ConversationRecord): NumberConfig {
  return record.config ?? defaultNumberConfig();
}

export function settingsOf(record: ConversationRecord) {
  return configOf(record).settings;
}

/** Moves to a state, noting since when (the timers count from there). */
export function enter(record: ConversationRecord, state: LifecycleState, at: number): void {
  record.state = state;
  record.stateSince = at;
}

/** The end of the customer's 24-hour window (`at` when they never wrote). */
export function windowEnd(record: ConversationRecord, at: number): number {
  return (record.lastCustomerMessageAt ?? at) + CUSTOMER_WINDOW_MS;
}

/** A message went out or came in at `at`: the inactivity timers count from there. */
export function touched(record: ConversationRecord, at: number): void {
  record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, at);
}

/** The agents who have the conversation on their desk: the owner and the guests, while assigned. */
export function seatedIds(record: ConversationRecord): string[] {
  if (record.state !== "assigned") return [];
  return [
    ...(record.agent ? [record.agent.id] : []),
    ...(record.participants ?? []).map((p) => p.id),
  ];
}

/**
 * Whether `agentId` may write into the conversation: a seated agent, or for a
 * template awaiting its answer, the agent who sent it.
 */
export function mayWrite(record: ConversationRecord, agentId: string): boolean {
  return record.state === "outbound"
    ? record.agent?.id === agentId
    : seatedIds(record).includes(agentId);
}

/** The transfer or wait-queue move an agent asks for, with names resolved by the Worker. */
export type TransferRequest =
  | { to: "agent"; agentId: string; agentName: string; mode: TransferMode }
  | { to: "skillset"; skillsetId: string; skillsetName: string }
  | { to: "wait_queue"; kind: WaitQueueKind };

export type SendResult =
  | { ok: true; message: MessageView }
  | {
      ok: false;
      code: "not_found" | "not_assigned" | "closed" | "window_closed" | "upload_gone";
    };
/** `not_resendable`: the message is not ours, or its sending is not in doubt (nor failed). */
export type ResendResult =
  | { ok: true; message: MessageView }
  | {
      ok: false;
      code: "not_found" | "not_assigned" | "closed" | "window_closed" | "not_resendable";
    };
export type CloseResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "not_found" | "not_assigned" };
export type ActionResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "not_found" | "not_assigned" | "not_possible" };
