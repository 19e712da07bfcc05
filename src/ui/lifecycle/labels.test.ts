import { describe, expect, it } from "vitest";
import type { WaitingItem } from "../../shared/protocol.ts";
import { translator } from "../i18n.ts";
import {
  filterAgents,
  readinessLabel,
  type TargetAgent,
  takeRefusalKey,
  waitingStateLabel,
} from "./labels.ts";

function item(patch: Partial<WaitingItem>): WaitingItem {
  return {
    conversationId: "c1",
    numberId: "n1",
    numberName: "Support",
    customerName: "Carla",
    customerPhone: "+393331111111",
    skillsetName: "General",
    state: "queued",
    waitQueueKind: null,
    agentId: null,
    agentName: null,
    arrivedAt: 1000,
    since: 2000,
    ...patch,
  };
}

function agent(id: string, name: string, patch: Partial<TargetAgent> = {}): TargetAgent {
  return {
    id,
    name,
    status: "ready",
    load: 0,
    maxConversations: 3,
    available: true,
    skillsetIds: [],
    ...patch,
  };
}

const say = (language: "en" | "it", label: ReturnType<typeof waitingStateLabel>) =>
  translator(language)(label.key, label.params);

describe("waitingStateLabel", () => {
  it("names who left a conversation open and whose personal queue holds it", () => {
    const alice = { agentId: "a1", agentName: "Alice" };
    expect(say("en", waitingStateLabel(item({ state: "left_open", ...alice })))).toBe(
      "Left open by Alice",
    );
    expect(
      say(
        "en",
        waitingStateLabel(item({ state: "wait_queue", waitQueueKind: "personal", ...alice })),
      ),
    ).toBe("Personal wait queue of Alice");
    expect(
      say(
        "it",
        waitingStateLabel(item({ state: "wait_queue", waitQueueKind: "personal", ...alice })),
      ),
    ).toBe("Coda di attesa personale di Alice");
    expect(
      say(
        "en",
        waitingStateLabel(item({ state: "wait_queue", waitQueueKind: "public", ...alice })),
      ),
    ).toBe("Public wait queue");
  });

  it("names the agent of an offer or a transfer, and falls back to the plain state", () => {
    expect(say("en", waitingStateLabel(item({ state: "transfer", agentName: "Bruno" })))).toBe(
      "Transfer to Bruno",
    );
    expect(say("en", waitingStateLabel(item({ state: "transfer" })))).toBe("Awaiting transfer");
    expect(say("en", waitingStateLabel(item({ state: "offered", agentName: "Bruno" })))).toBe(
      "Offered to Bruno",
    );
    expect(say("en", waitingStateLabel(item({ state: "offered", agentName: " " })))).toBe(
      "Offered",
    );
    expect(say("it", waitingStateLabel(item({ state: "bot" })))).toBe("Sceglie un argomento");
    expect(say("en", waitingStateLabel(item({ state: "unauthorized" })))).toBe(
      "Unauthorized number",
    );
  });
});

describe("readinessLabel", () => {
  it("says Ready only when they can take it now, Busy at their limit, else their status", () => {
    const en = translator("en");
    const label = (a: TargetAgent) => {
      const { key, params } = readinessLabel(a);
      return en(key, params);
    };
    expect(label(agent("a", "A"))).toBe("Ready");
    expect(label(agent("a", "A", { available: false, load: 3 }))).toBe("Busy");
    expect(label(agent("a", "A", { available: false, status: "break" }))).toBe("Break");
    expect(label(agent("a", "A", { available: false, status: "offline" }))).toBe("Offline");
  });
});

describe("filterAgents", () => {
  const agents = [
    agent("z", "Zoe Zanetti", { available: false, status: "break" }),
    agent("b", "Bruno Agent"),
    agent("n", "Nicolò Rossi"),
    agent("a", "Alice Agent"),
  ];

  it("lists the available first, then by name, without the excluded", () => {
    expect(filterAgents(agents, "", new Set(["a"])).map((a) => a.id)).toEqual(["b", "n", "z"]);
  });

  it("matches every word, ignoring case and accents", () => {
    expect(filterAgents(agents, "agent").map((a) => a.id)).toEqual(["a", "b"]);
    expect(filterAgents(agents, "NICOLO").map((a) => a.id)).toEqual(["n"]);
    expect(filterAgents(agents, "bruno agent").map((a) => a.id)).toEqual(["b"]);
    expect(filterAgents(agents, "nobody")).toEqual([]);
  });
});

describe("takeRefusalKey", () => {
  it("words the server's pick-up refusals for people, in English and Italian", () => {
    const en = translator("en");
    const it_ = translator("it");
    const key = takeRefusalKey("at_capacity");
    expect(key).not.toBeNull();
    expect(en(key!)).toMatch(/limit of conversations/);
    expect(it_(key!)).toMatch(/limite di conversazioni/);
    for (const code of ["not_waiting", "not_an_agent"]) {
      const k = takeRefusalKey(code)!;
      expect(en(k)).not.toBe(k);
      expect(it_(k)).not.toBe(en(k));
    }
    expect(takeRefusalKey("something_else")).toBeNull();
  });
});
