import { describe, expect, it } from "vitest";
import { duplicateRows, toMemberships } from "./membership.ts";

describe("membership rows", () => {
  const rows = [
    { ref: "s1", agentPriority: 9 },
    { ref: "", agentPriority: 5 },
    { ref: "s1", agentPriority: 3 },
    { ref: "s2", agentPriority: 1 },
  ];

  it("flags the later of two rows naming the same skillset or user", () => {
    expect([...duplicateRows(rows)]).toEqual([2]);
  });

  it("sends chosen rows under the contract's key, dropping unchosen ones", () => {
    expect(toMemberships(rows, "skillsetId")).toEqual([
      { skillsetId: "s1", agentPriority: 9 },
      { skillsetId: "s1", agentPriority: 3 },
      { skillsetId: "s2", agentPriority: 1 },
    ]);
    expect(toMemberships([{ ref: "u1", agentPriority: 7 }], "userId")).toEqual([
      { userId: "u1", agentPriority: 7 },
    ]);
  });
});
