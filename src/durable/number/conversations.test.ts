import { describe, expect, it } from "vitest";
import { claimable, type RowState } from "./conversations";

describe("claimable", () => {
  const waiting: RowState[] = ["bot", "unauthorized", "queued", "offered", "wait_queue"];

  it("lets anyone take a conversation no agent is working", () => {
    for (const state of waiting) {
      expect(claimable({ state, left_open: 0, agent_id: "a-1" }, "a-2", null)).toBe(true);
    }
    for (const state of ["new", "outbound", "assigned"] as const) {
      expect(claimable({ state, left_open: 0, agent_id: "a-1" }, "a-2", null)).toBe(false);
    }
  });

  it("lets a colleague take one its agent left open, but not that agent", () => {
    const left = { state: "assigned" as const, left_open: 1, agent_id: "a-1" };
    expect(claimable(left, "a-2", null)).toBe(true);
    expect(claimable(left, "a-1", null)).toBe(false);
  });

  it("unpauses only from the agent's own wait queue", () => {
    const parked = { state: "wait_queue" as const, left_open: 0, agent_id: "a-1" };
    expect(claimable(parked, "a-1", "a-1")).toBe(true);
    expect(claimable(parked, "a-2", "a-2")).toBe(false);
    expect(claimable({ ...parked, state: "queued" }, "a-1", "a-1")).toBe(false);
  });
});
