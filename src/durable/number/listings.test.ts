import { describe, expect, it } from "vitest";
import type { CustomerRef } from "../contracts";
import { type ConversationRow, customerJson } from "./conversations";
import {
  contactOpenOf,
  offerViewOf,
  type WaitingRow,
  waitingEntryOf,
  waitingStateOf,
} from "./listings";

const customer: CustomerRef = {
  id: "cu-1",
  name: "Lia Neri",
  phone: "+393331234567",
  contactKey: "393331234567",
  recipient: "393331234567",
  priority: 7,
};

function row(over: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: "c-1",
    contact_key: "393331234567",
    contact_json: "{}",
    state: "queued",
    arrived_at: 1_000,
    customer_json: customerJson.write(customer),
    skillset_id: "s-1",
    offered_to: null,
    offered_skillset_id: null,
    agent_id: null,
    agent_name: null,
    target_agent_id: null,
    target_agent_name: null,
    fallback_at: null,
    transfer_mode: null,
    exclude_agent_id: null,
    kind: "new",
    from_agent_name: null,
    wait_kind: null,
    left_open: 0,
    since: 2_000,
    ...over,
  };
}

const number = { id: "n-1", name: "Support" };
const skillsetName = (id: string | null) => (id === "s-1" ? "General" : null);

describe("waitingStateOf", () => {
  it("names a row's state in the waiting list's words", () => {
    expect(waitingStateOf({ state: "queued", kind: "new" })).toBe("queued");
    expect(waitingStateOf({ state: "queued", kind: "transfer" })).toBe("transfer");
    expect(waitingStateOf({ state: "offered", kind: "transfer" })).toBe("offered");
    expect(waitingStateOf({ state: "assigned", kind: "new" })).toBe("left_open");
    for (const state of ["bot", "unauthorized", "wait_queue"] as const) {
      expect(waitingStateOf({ state, kind: "new" })).toBe(state);
    }
  });
});

describe("waitingEntryOf", () => {
  it("lists a queued conversation with its customer, skillset and times", () => {
    expect(waitingEntryOf(row() as WaitingRow, number, skillsetName)).toEqual({
      conversationId: "c-1",
      numberId: "n-1",
      numberName: "Support",
      customerName: "Lia Neri",
      customerPhone: "+393331234567",
      skillsetId: "s-1",
      skillsetName: "General",
      state: "queued",
      waitQueueKind: null,
      agentId: null,
      agentName: null,
      arrivedAt: 1_000,
      since: 2_000,
    });
  });

  it("names the agent concerned: whose wait queue, who it is offered or transferred to", () => {
    const parked = row({
      state: "wait_queue",
      wait_kind: "personal",
      agent_id: "a-1",
      agent_name: "Alice",
    });
    expect(waitingEntryOf(parked as WaitingRow, number, skillsetName)).toMatchObject({
      state: "wait_queue",
      waitQueueKind: "personal",
      agentId: "a-1",
      agentName: "Alice",
    });
    const offered = row({ state: "offered", offered_to: "a-2", target_agent_name: "Bruno" });
    expect(waitingEntryOf(offered as WaitingRow, number, skillsetName)).toMatchObject({
      agentId: "a-2",
      agentName: null,
    });
    const transfer = row({ kind: "transfer", target_agent_id: "a-3", target_agent_name: "Carla" });
    expect(waitingEntryOf(transfer as WaitingRow, number, skillsetName)).toMatchObject({
      state: "transfer",
      agentId: "a-3",
      agentName: "Carla",
    });
  });

  it("falls back to the contact key before the customer is looked up, and to arrival for since", () => {
    const early = row({ state: "bot", customer_json: null, since: null, skillset_id: null });
    expect(waitingEntryOf(early as WaitingRow, number, skillsetName)).toMatchObject({
      customerName: "393331234567",
      customerPhone: null,
      skillsetName: null,
      since: 1_000,
    });
  });
});

describe("contactOpenOf", () => {
  it("says whose the customer's open conversation is, or that it waits", () => {
    expect(contactOpenOf(null)).toBeNull();
    const owned = { id: "c-1", agent_id: "a-1", agent_name: "Alice" };
    expect(contactOpenOf({ ...owned, state: "assigned" })).toEqual({
      id: "c-1",
      state: "assigned",
      agentId: "a-1",
      agentName: "Alice",
    });
    expect(contactOpenOf({ ...owned, state: "outbound" })?.state).toBe("outbound");
    expect(contactOpenOf({ ...owned, state: "wait_queue" })).toEqual({
      id: "c-1",
      state: "waiting",
      agentId: null,
      agentName: null,
    });
  });
});

describe("offerViewOf", () => {
  it("offers the conversation with its customer, number and deadline", () => {
    const transfer = row({ kind: "transfer", from_agent_name: "Alice" });
    const n = {
      id: "n-1",
      tenantId: "t-1",
      phoneNumberId: "1",
      displayPhone: "+1 555",
      name: "Support",
    };
    expect(offerViewOf(n, transfer, "General", 10_000, 30_000)).toEqual({
      conversationId: "c-1",
      customerName: "Lia Neri",
      customerPhone: "+393331234567",
      numberName: "Support",
      displayPhone: "+1 555",
      skillsetName: "General",
      arrivedAt: 1_000,
      offeredAt: 10_000,
      expiresAt: 40_000,
      kind: "transfer",
      fromAgentName: "Alice",
    });
  });
});
