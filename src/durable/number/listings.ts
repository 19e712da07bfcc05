/**
 * What the number tells about its open conversations, read-only: an offer to
 * an agent, the waiting list, the dashboard's live counts, a customer's open
 * conversation (for an agent starting one), an agent's unanswered templates,
 * the diagnostics view. The mappings from a row are pure functions, tested on
 * their own.
 */
import type { OfferView, WaitingItem } from "../../shared/protocol";
import type { ContactState, NumberInfo, WaitingEntry } from "../contracts";
import { type ActorDb, sql } from "../sql";
import { type ConversationRow, customerOf, type RowState, WAITING_STATES } from "./conversations";

/** The offer of a conversation made at `at`, lapsing `timeoutMs` later. Pure. */
export function offerViewOf(
  number: NumberInfo,
  row: ConversationRow,
  skillsetName: string | null,
  at: number,
  timeoutMs: number,
): OfferView {
  const customer = customerOf(row);
  return {
    conversationId: row.id,
    customerName: customer?.name ?? row.contact_key,
    customerPhone: customer?.phone ?? null,
    numberName: number.name,
    displayPhone: number.displayPhone,
    skillsetName,
    arrivedAt: row.arrived_at,
    offeredAt: at,
    expiresAt: at + timeoutMs,
    kind: row.kind ?? "new",
    fromAgentName: row.from_agent_name,
  };
}

/** A row of the waiting list: waiting for someone, or left open by its agent. */
export type WaitingRow = ConversationRow & {
  state: (typeof WAITING_STATES)[number] | "assigned";
};

/** How the waiting list names a row's state (a transfer, left open). Pure. */
export function waitingStateOf(row: Pick<WaitingRow, "state" | "kind">): WaitingItem["state"] {
  switch (row.state) {
    case "assigned":
      return "left_open";
    case "queued":
      return row.kind === "transfer" ? "transfer" : "queued";
    default:
      return row.state;
  }
}

/** One entry of the waiting list. Pure. */
export function waitingEntryOf(
  row: WaitingRow,
  number: { id: string; name: string },
  skillsetName: (id: string | null) => string | null,
): WaitingEntry {
  const customer = customerOf(row);
  return {
    conversationId: row.id,
    numberId: number.id,
    numberName: number.name,
    customerName: customer?.name ?? row.contact_key,
    customerPhone: customer?.phone ?? null,
    skillsetId: row.skillset_id,
    skillsetName: skillsetName(row.skillset_id),
    state: waitingStateOf(row),
    waitQueueKind: row.state === "wait_queue" ? row.wait_kind : null,
    agentId: row.state === "offered" ? row.offered_to : (row.target_agent_id ?? row.agent_id),
    agentName: row.state === "offered" ? null : (row.target_agent_name ?? row.agent_name),
    arrivedAt: row.arrived_at,
    since: row.since ?? row.arrived_at,
  };
}

/** The conversations no agent is working now, oldest first. */
export function waitingEntries(
  db: ActorDb,
  number: { id: string; name: string },
  skillsetName: (id: string | null) => string | null,
): WaitingEntry[] {
  return db
    .all<WaitingRow>(
      sql`SELECT * FROM conversations WHERE state IN (${WAITING_STATES})
            OR (state = 'assigned' AND left_open = 1) ORDER BY arrived_at`,
    )
    .map((row) => waitingEntryOf(row, number, skillsetName));
}

/** An open conversation as the dashboard counts it. */
export interface DashboardRow {
  id: string;
  state: RowState;
  kind: "new" | "transfer";
  leftOpen: boolean;
  arrivedAt: number;
  skillsetId: string | null;
}

/** Every open conversation, as the dashboard counts it. */
export function dashboardRows(db: ActorDb): DashboardRow[] {
  return db.all<ConversationRow>(sql`SELECT * FROM conversations`).map((r) => ({
    id: r.id,
    state: r.state,
    kind: r.kind,
    leftOpen: r.left_open === 1,
    arrivedAt: r.arrived_at,
    skillsetId: r.skillset_id,
  }));
}

/**
 * The customer's open conversation as an agent starting one sees it: theirs
 * or a colleague's (`assigned`, `outbound`), or waiting for routing. Pure.
 */
export function contactOpenOf(
  row: Pick<ConversationRow, "id" | "state" | "agent_id" | "agent_name"> | null,
): ContactState["open"] {
  if (!row) return null;
  const owned = row.state === "assigned" || row.state === "outbound";
  return {
    id: row.id,
    state: row.state === "assigned" || row.state === "outbound" ? row.state : "waiting",
    agentId: owned ? row.agent_id : null,
    agentName: owned ? row.agent_name : null,
  };
}

/** The conversations `agentId` started with a template that the customer has not answered. */
export function outboundOf(db: ActorDb, agentId: string): string[] {
  return db
    .all<{ id: string }>(
      sql`SELECT id FROM conversations WHERE state = 'outbound' AND agent_id = ${agentId}
          ORDER BY arrived_at`,
    )
    .map((r) => r.id);
}

/** The test and diagnostics view of the queue, oldest first. */
export function queueView(db: ActorDb): {
  id: string;
  state: string;
  offeredTo: string | null;
  agentId: string | null;
  targetAgentId: string | null;
  skillsetId: string | null;
}[] {
  return db.all<ConversationRow>(sql`SELECT * FROM conversations ORDER BY arrived_at`).map((r) => ({
    id: r.id,
    state: r.state,
    offeredTo: r.offered_to,
    agentId: r.agent_id,
    targetAgentId: r.target_agent_id,
    skillsetId: r.skillset_id,
  }));
}
