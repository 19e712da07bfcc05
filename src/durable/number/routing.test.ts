import { describe, expect, it } from "vitest";
import type { AgentLive } from "../contracts";
import { type Membership, planRouting, type WaitingConversation } from "./routing";

const NOW = 1_000_000;

function conv(id: string, over: Partial<WaitingConversation> = {}): WaitingConversation {
  return { id, customerPriority: 5, arrivedAt: 100, skillsetId: null, ...over };
}
function agent(id: string, over: Partial<AgentLive> = {}): AgentLive {
  return { id, status: "ready", load: 0, maxConversations: 3, lastAssignedAt: 500, ...over };
}
function member(agentId: string, skillsetId = "s1", agentPriority = 5): Membership {
  return { agentId, skillsetId, agentPriority };
}
const oneSkillset = [{ id: "s1", priority: 5 }];

describe("planRouting — each rule alone decides", () => {
  it("1. customer priority: the higher-priority customer gets the only free seat", () => {
    const offers = planRouting(
      [
        conv("low", { customerPriority: 3, arrivedAt: 1 }),
        conv("high", { customerPriority: 8, arrivedAt: 2 }),
      ],
      oneSkillset,
      [member("a")],
      [agent("a", { maxConversations: 1 })],
      NOW,
    );
    expect(offers).toEqual([{ conversationId: "high", agentId: "a", skillsetId: "s1" }]);
  });

  it("2. arrival time: with equal priority the older conversation goes first", () => {
    const offers = planRouting(
      [conv("newer", { arrivedAt: 200 }), conv("older", { arrivedAt: 100 })],
      oneSkillset,
      [member("a")],
      [agent("a", { maxConversations: 1 })],
      NOW,
    );
    expect(offers.map((o) => o.conversationId)).toEqual(["older"]);
  });

  it("3. skillset priority: the higher skillset receives first", () => {
    const offers = planRouting(
      [conv("c")],
      [
        { id: "low", priority: 2 },
        { id: "high", priority: 8 },
      ],
      [member("in-low", "low"), member("in-high", "high")],
      [agent("in-low"), agent("in-high")],
      NOW,
    );
    expect(offers).toEqual([{ conversationId: "c", agentId: "in-high", skillsetId: "high" }]);
  });

  it("3. overflow: when the higher skillset is saturated the next one receives", () => {
    const offers = planRouting(
      [conv("c1", { arrivedAt: 1 }), conv("c2", { arrivedAt: 2 }), conv("c3", { arrivedAt: 3 })],
      [
        { id: "low", priority: 2 },
        { id: "mid", priority: 5 },
        { id: "high", priority: 8 },
      ],
      [member("h", "high"), member("m", "mid"), member("l", "low")],
      [
        agent("h", { maxConversations: 1 }),
        agent("m", { maxConversations: 1 }),
        agent("l", { maxConversations: 1 }),
      ],
      NOW,
    );
    expect(offers.map((o) => [o.conversationId, o.skillsetId])).toEqual([
      ["c1", "high"],
      ["c2", "mid"],
      ["c3", "low"],
    ]);
  });

  it("3. a conversation for a specific skillset does not overflow elsewhere", () => {
    const offers = planRouting(
      [conv("c", { skillsetId: "sales" })],
      [
        { id: "sales", priority: 5 },
        { id: "care", priority: 9 },
      ],
      [member("s", "sales"), member("k", "care")],
      [agent("s", { status: "break" }), agent("k")],
      NOW,
    );
    expect(offers).toEqual([]);
  });

  it("4. agent priority in the skillset: the higher-priority agent receives", () => {
    const offers = planRouting(
      [conv("c")],
      oneSkillset,
      [member("junior", "s1", 2), member("senior", "s1", 9)],
      // The junior would win on every later rule.
      [
        agent("junior", { load: 0, lastAssignedAt: null }),
        agent("senior", { load: 2, lastAssignedAt: 900 }),
      ],
      NOW,
    );
    expect(offers[0]!.agentId).toBe("senior");
  });

  it("5. fewest current conversations wins among equal-priority agents", () => {
    const offers = planRouting(
      [conv("c")],
      oneSkillset,
      [member("busy"), member("free")],
      [
        agent("busy", { load: 2, lastAssignedAt: 1 }),
        agent("free", { load: 1, lastAssignedAt: 999 }),
      ],
      NOW,
    );
    expect(offers[0]!.agentId).toBe("free");
  });

  it("6. longest idle wins when everything else is equal", () => {
    const offers = planRouting(
      [conv("c")],
      oneSkillset,
      [member("recent"), member("idle")],
      [agent("recent", { lastAssignedAt: 900 }), agent("idle", { lastAssignedAt: 100 })],
      NOW,
    );
    expect(offers[0]!.agentId).toBe("idle");
  });

  it("an agent who never had a conversation counts as the longest idle", () => {
    const offers = planRouting(
      [conv("c")],
      oneSkillset,
      [member("old"), member("never")],
      [agent("old", { lastAssignedAt: 1 }), agent("never", { lastAssignedAt: null })],
      NOW,
    );
    expect(offers[0]!.agentId).toBe("never");
  });
});

describe("planRouting — eligibility and capacity", () => {
  it("offers only to Ready agents under their limit", () => {
    const offers = planRouting(
      [conv("c")],
      oneSkillset,
      ["break", "back_office", "rona", "offline", "full"].map((id) => member(id)),
      [
        agent("break", { status: "break" }),
        agent("back_office", { status: "back_office" }),
        agent("rona", { status: "rona" }),
        agent("offline", { status: "offline" }),
        agent("full", { load: 3 }),
      ],
      NOW,
    );
    expect(offers).toEqual([]);
  });

  it("never plans an agent above their limit and spreads a burst", () => {
    const waiting = Array.from({ length: 10 }, (_, i) => conv(`c${i}`, { arrivedAt: i }));
    const offers = planRouting(
      waiting,
      oneSkillset,
      [member("a"), member("b")],
      [agent("a", { maxConversations: 2 }), agent("b", { maxConversations: 3, load: 1 })],
      NOW,
    );
    const perAgent: Record<string, number> = {};
    for (const o of offers) perAgent[o.agentId] = (perAgent[o.agentId] ?? 0) + 1;
    expect(perAgent).toEqual({ a: 2, b: 2 });
    expect(offers.map((o) => o.conversationId)).toEqual(["c0", "c1", "c2", "c3"]);
  });

  it("does not modify its inputs", () => {
    const agents = [agent("a")];
    planRouting([conv("c")], oneSkillset, [member("a")], agents, NOW);
    expect(agents[0]!.load).toBe(0);
  });
});
