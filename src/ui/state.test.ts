import { describe, expect, it } from "vitest";
import type {
  AgentView,
  ConversationView,
  DesktopSnapshot,
  MessageView,
  OfferView,
  ServerEvent,
} from "../shared/protocol.ts";
import {
  applyEvent,
  type DesktopState,
  forwardTick,
  hasMissingMessages,
  highestMessageSeq,
  initialState,
  isGuest,
  type OutboxEntry,
  offerHeading,
  reduce,
  unreadCount,
} from "./state.ts";

const agent: AgentView = { id: "a1", name: "Ada", status: "ready", load: 1, maxConversations: 3 };

function conversation(id: string, patch: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    numberId: "n1",
    numberName: "Support",
    displayPhone: "+39 02 0000",
    customer: { id: `cu-${id}`, name: `Customer ${id}`, phone: "+393330000000" },
    skillsetId: "s1",
    skillsetName: "General",
    state: "assigned",
    agentId: "a1",
    createdAt: 1000,
    lastCustomerMessageAt: 1000,
    lastSeq: 0,
    closedAt: null,
    closeReason: null,
    participants: [],
    waitQueue: null,
    transfer: null,
    leftOpen: false,
    assignedAt: null,
    ...patch,
  };
}

function message(id: string, seq: number, patch: Partial<MessageView> = {}): MessageView {
  return {
    id,
    conversationId: "c1",
    seq,
    direction: "out",
    kind: "text",
    text: `text ${id}`,
    status: "pending",
    error: null,
    sender: { type: "agent", id: "a1", name: "Ada" },
    createdAt: 2000 + seq,
    content: null,
    replyTo: null,
    statusTimes: {},
    resentAs: null,
    ...patch,
  };
}

function offer(conversationId: string, offeredAt = 5000): OfferView {
  return {
    conversationId,
    customerName: "Carla",
    customerPhone: "+393331111111",
    numberName: "Support",
    displayPhone: "+39 02 0000",
    skillsetName: "General",
    arrivedAt: offeredAt - 100,
    offeredAt,
    expiresAt: offeredAt + 30_000,
    kind: "new",
    fromAgentName: null,
  };
}

function snapshot(patch: Partial<DesktopSnapshot> = {}): DesktopSnapshot {
  return { seq: 10, agent, offers: [], conversations: [conversation("c1")], ...patch };
}

function loaded(patch: Partial<DesktopSnapshot> = {}): DesktopState {
  return applyEvent(initialState(), { type: "snapshot", snapshot: snapshot(patch) });
}

function applyAll(state: DesktopState, events: readonly ServerEvent[]): DesktopState {
  return events.reduce(applyEvent, state);
}

const msgEvent = (seq: number, m: MessageView): ServerEvent => ({
  type: "message",
  seq,
  conversationId: m.conversationId,
  message: m,
});

describe("applyEvent: sequencing", () => {
  it("applies events after the snapshot and tracks the highest seq", () => {
    const state = applyAll(loaded(), [
      { type: "agent", seq: 11, agent: { ...agent, status: "break" } },
      { type: "offer", seq: 12, offer: offer("c2") },
    ]);
    expect(state.seq).toBe(12);
    expect(state.agent?.status).toBe("break");
    expect(state.offers.map((o) => o.conversationId)).toEqual(["c2"]);
  });

  it("ignores events at or below the last applied seq (replays, duplicates)", () => {
    const start = loaded();
    const stale = applyEvent(start, {
      type: "agent",
      seq: 10,
      agent: { ...agent, status: "break" },
    });
    expect(stale).toBe(start);

    const once = applyEvent(start, { type: "offer", seq: 11, offer: offer("c2") });
    const twice = applyEvent(once, { type: "offer", seq: 11, offer: offer("c2", 9999) });
    expect(twice).toBe(once);
    expect(twice.offers).toHaveLength(1);
  });

  it("applying the same message event twice leaves one copy", () => {
    const event = msgEvent(11, message("m1", 1));
    const state = applyAll(loaded(), [event, event]);
    expect(state.messages.c1).toHaveLength(1);
  });

  it("ignores pong and error frames", () => {
    const start = loaded();
    expect(applyEvent(start, { type: "pong" })).toBe(start);
    expect(applyEvent(start, { type: "error", code: "x", message: "y" })).toBe(start);
  });
});

describe("applyEvent: snapshot", () => {
  it("replaces agent, offers, conversations and seq, even with a lower seq", () => {
    const before = applyAll(loaded(), [
      { type: "offer", seq: 11, offer: offer("c9") },
      { type: "conversation", seq: 12, conversation: conversation("c2", { createdAt: 2000 }) },
    ]);
    const after = applyEvent(before, {
      type: "snapshot",
      snapshot: snapshot({
        seq: 3,
        agent: { ...agent, status: "rona" },
        conversations: [conversation("c3")],
      }),
    });
    expect(after.seq).toBe(3);
    expect(after.agent?.status).toBe("rona");
    expect(after.offers).toEqual([]);
    expect(after.conversations.map((c) => c.id)).toEqual(["c3"]);
    expect(after.snapshotEpoch).toBe(before.snapshotEpoch + 1);
  });

  it("keeps held messages only for conversations that are still mine", () => {
    const before = applyAll(loaded({ conversations: [conversation("c1"), conversation("c2")] }), [
      msgEvent(11, message("m1", 1)),
      msgEvent(12, message("m2", 1, { conversationId: "c2" })),
    ]);
    const after = applyEvent(before, {
      type: "snapshot",
      snapshot: snapshot({ seq: 20, conversations: [conversation("c1")] }),
    });
    expect(after.messages.c1?.map((m) => m.id)).toEqual(["m1"]);
    expect(after.messages.c2).toBeUndefined();
  });
});

describe("applyEvent: ticks", () => {
  it("moves ticks forward and never back", () => {
    const sequence: ServerEvent[] = [
      msgEvent(11, message("m1", 1, { status: "pending" })),
      msgEvent(12, message("m1", 1, { status: "delivered" })),
      msgEvent(13, message("m1", 1, { status: "sent" })), // late "sent" after "delivered"
      msgEvent(14, message("m1", 1, { status: "read" })),
      msgEvent(15, message("m1", 1, { status: "delivered" })),
      msgEvent(16, message("m1", 1, { status: "played" })),
    ];
    let state = loaded();
    const seen: (string | null | undefined)[] = [];
    for (const event of sequence) {
      state = applyEvent(state, event);
      seen.push(state.messages.c1?.[0]?.status);
    }
    expect(seen).toEqual(["pending", "delivered", "delivered", "read", "read", "read"]);
    expect(state.seq).toBe(16);
  });

  it("treats failed as terminal and keeps its error", () => {
    const error = { code: 131047, title: "Re-engagement message" };
    const state = applyAll(loaded(), [
      msgEvent(11, message("m1", 1, { status: "sent" })),
      msgEvent(12, message("m1", 1, { status: "failed", error })),
      msgEvent(13, message("m1", 1, { status: "delivered", error: null })),
    ]);
    expect(state.messages.c1?.[0]?.status).toBe("failed");
    expect(state.messages.c1?.[0]?.error).toEqual(error);
  });

  it("forwardTick orders pending < sent < delivered < read = played", () => {
    expect(forwardTick("sent", "pending")).toBe("sent");
    expect(forwardTick("read", "played")).toBe("read");
    expect(forwardTick("played", "read")).toBe("played");
    expect(forwardTick("delivered", "failed")).toBe("failed");
    expect(forwardTick("failed", "read")).toBe("failed");
    expect(forwardTick(null, "sent")).toBe("sent");
    expect(forwardTick("sent", null)).toBe("sent");
  });

  it("shows a send in doubt as not confirmed until Meta's status moves it on, and its resent mark", () => {
    expect(forwardTick("pending", "unconfirmed")).toBe("unconfirmed");
    expect(forwardTick("unconfirmed", "sent")).toBe("sent");
    expect(forwardTick("unconfirmed", "failed")).toBe("failed");
    expect(forwardTick("sent", "unconfirmed")).toBe("sent");
    const state = applyAll(loaded(), [
      msgEvent(11, message("m1", 1, { status: "unconfirmed" })),
      msgEvent(12, message("m1", 1, { status: "unconfirmed", resentAs: "m2" })),
    ]);
    expect(state.messages.c1?.[0]).toMatchObject({ status: "unconfirmed", resentAs: "m2" });
  });

  it("replaces a message whose file finished downloading, and ignores an identical copy", () => {
    const media = (mediaId: string | null) =>
      message("m1", 1, {
        direction: "in",
        status: null,
        kind: "image",
        content: {
          type: "media",
          kind: "image",
          mediaId,
          mime: "image/png",
          filename: null,
          caption: null,
          size: mediaId ? 10 : null,
          failed: false,
        },
      });
    const pending = applyAll(loaded(), [msgEvent(11, media(null))]);
    const stored = applyAll(pending, [msgEvent(12, media("ours"))]);
    expect(stored.messages.c1?.[0]?.content).toMatchObject({ mediaId: "ours", size: 10 });
    const again = applyEvent(stored, msgEvent(13, media("ours")));
    expect(again.messages).toBe(stored.messages);
  });

  it("keeps messages ordered by their seq whatever the arrival order", () => {
    const state = applyAll(loaded(), [
      msgEvent(11, message("m3", 3)),
      msgEvent(12, message("m1", 1)),
      msgEvent(13, message("m2", 2)),
    ]);
    expect(state.messages.c1?.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(highestMessageSeq(state, "c1")).toBe(3);
  });
});

describe("applyEvent: conversations and offers", () => {
  it("removes a conversation from my list when it closes", () => {
    const state = applyAll(loaded({ conversations: [conversation("c1"), conversation("c2")] }), [
      msgEvent(11, message("m1", 1)),
      {
        type: "conversation",
        seq: 12,
        conversation: conversation("c1", { state: "closed", closedAt: 9000, closeReason: "done" }),
      },
    ]);
    expect(state.conversations.map((c) => c.id)).toEqual(["c2"]);
    expect(state.messages.c1).toBeUndefined();
  });

  it("does not add a closed or someone else's conversation", () => {
    const start = loaded();
    const state = applyAll(start, [
      { type: "conversation", seq: 11, conversation: conversation("c5", { state: "closed" }) },
      { type: "conversation", seq: 12, conversation: conversation("c6", { agentId: "other" }) },
    ]);
    expect(state.conversations.map((c) => c.id)).toEqual(["c1"]);
    expect(state.seq).toBe(12);
  });

  it("upserts a conversation in place and adds new ones in creation order", () => {
    const state = applyAll(loaded(), [
      { type: "conversation", seq: 11, conversation: conversation("c0", { createdAt: 500 }) },
      {
        type: "conversation",
        seq: 12,
        conversation: conversation("c1", { numberName: "Sales" }),
      },
    ]);
    expect(state.conversations.map((c) => [c.id, c.numberName])).toEqual([
      ["c0", "Support"],
      ["c1", "Sales"],
    ]);
  });

  it("removes a withdrawn offer, and an accepted one when its conversation arrives", () => {
    const withOffers = applyAll(loaded(), [
      { type: "offer", seq: 11, offer: offer("c2", 6000) },
      { type: "offer", seq: 12, offer: offer("c3", 5000) },
    ]);
    expect(withOffers.offers.map((o) => o.conversationId)).toEqual(["c3", "c2"]);
    const withdrawn = applyEvent(withOffers, {
      type: "offer_withdrawn",
      seq: 13,
      conversationId: "c3",
      reason: "expired",
    });
    expect(withdrawn.offers.map((o) => o.conversationId)).toEqual(["c2"]);
    const accepted = reduce(withdrawn, {
      type: "conversation",
      conversation: conversation("c2", { createdAt: 6000 }),
    });
    expect(accepted.offers).toEqual([]);
    expect(accepted.conversations.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(accepted.seq).toBe(13); // HTTP results never move the event seq
  });
});

describe("unread and missing messages", () => {
  it("counts customer messages after what was read, and updates the customer timer", () => {
    const inbound = (id: string, seq: number) =>
      message(id, seq, { direction: "in", status: null, sender: { type: "customer" } });
    let state = applyAll(loaded(), [
      msgEvent(11, inbound("m1", 1)),
      msgEvent(12, message("m2", 2)),
      msgEvent(13, inbound("m3", 3)),
    ]);
    expect(unreadCount(state, "c1")).toBe(2);
    expect(state.conversations[0]?.lastCustomerMessageAt).toBe(2003);
    expect(state.conversations[0]?.lastSeq).toBe(3);
    state = reduce(state, { type: "read", conversationId: "c1", seq: 2 });
    expect(unreadCount(state, "c1")).toBe(1);
    state = reduce(state, { type: "read", conversationId: "c1", seq: 1 }); // never backwards
    expect(state.readSeq.c1).toBe(2);
  });

  it("knows when the server has messages we do not hold", () => {
    const state = loaded({ conversations: [conversation("c1", { lastSeq: 4 })] });
    const c1 = state.conversations[0]!;
    expect(hasMissingMessages(state, c1)).toBe(true);
    const fetched = reduce(state, {
      type: "messages",
      conversationId: "c1",
      messages: [1, 2, 3, 4].map((seq) => message(`m${seq}`, seq)),
    });
    expect(hasMissingMessages(fetched, fetched.conversations[0]!)).toBe(false);
  });
});

describe("outbox", () => {
  const entry = (clientId: string, text: string): OutboxEntry => ({
    clientId,
    conversationId: "c1",
    text,
    createdAt: 3000,
    state: "sending",
    error: null,
    errorKind: null,
  });

  it("replaces the optimistic entry when the server's message arrives first by event", () => {
    let state = reduce(loaded(), { type: "outbox_add", entry: entry("k1", "hello") });
    state = applyEvent(state, msgEvent(11, message("m1", 1, { text: "hello" })));
    expect(state.outbox).toEqual([]);
    expect(state.messages.c1?.map((m) => m.id)).toEqual(["m1"]);
    // The HTTP answer for the same message then changes nothing visible.
    state = reduce(state, {
      type: "messages",
      conversationId: "c1",
      messages: [message("m1", 1, { text: "hello" })],
    });
    state = reduce(state, { type: "outbox_remove", clientId: "k1" });
    expect(state.messages.c1).toHaveLength(1);
  });

  it("does not let a confirmed message claim a send the server refused", () => {
    let state = reduce(loaded(), { type: "outbox_add", entry: entry("k1", "hi") });
    state = reduce(state, {
      type: "outbox_update",
      clientId: "k1",
      patch: { state: "failed", error: "Outside the 24 h window", errorKind: "rejected" },
    });
    state = applyEvent(state, msgEvent(11, message("m1", 1, { text: "hi" })));
    expect(state.outbox.map((e) => e.clientId)).toEqual(["k1"]);
  });
});

describe("conferences, transfers and wait queues", () => {
  const guestOf = (owner: string) =>
    conversation("c7", {
      agentId: owner,
      participants: [
        { id: "a1", name: "Ada" },
        { id: "a9", name: "Zoe" },
      ],
    });

  it("lists a conversation I was invited into, and drops it when I leave", () => {
    let state = applyEvent(loaded(), {
      type: "conversation",
      seq: 11,
      conversation: guestOf("b2"),
    });
    expect(state.conversations.map((c) => c.id)).toEqual(["c1", "c7"]);
    expect(isGuest(state.conversations[1]!, "a1")).toBe(true);
    expect(isGuest(state.conversations[0]!, "a1")).toBe(false);
    state = applyEvent(state, {
      type: "conversation",
      seq: 12,
      conversation: { ...guestOf("b2"), participants: [{ id: "a9", name: "Zoe" }] },
    });
    expect(state.conversations.map((c) => c.id)).toEqual(["c1"]);
  });

  it("does not list someone else's conference I am not part of", () => {
    const state = applyEvent(loaded(), {
      type: "conversation",
      seq: 11,
      conversation: conversation("c7", {
        agentId: "b2",
        participants: [{ id: "a9", name: "Zoe" }],
      }),
    });
    expect(state.conversations.map((c) => c.id)).toEqual(["c1"]);
  });

  it("drops a conversation transferred away or parked, with its messages", () => {
    const start = applyAll(loaded({ conversations: [conversation("c1"), conversation("c2")] }), [
      msgEvent(11, message("m1", 1)),
    ]);
    const transferred = applyEvent(start, {
      type: "conversation",
      seq: 12,
      conversation: conversation("c1", {
        state: "transfer",
        transfer: {
          toAgentId: "b2",
          toAgentName: "Bruno",
          toSkillsetId: null,
          toSkillsetName: null,
          mode: "immediate",
          fromAgentName: "Ada",
          since: 9000,
        },
      }),
    });
    expect(transferred.conversations.map((c) => c.id)).toEqual(["c2"]);
    expect(transferred.messages.c1).toBeUndefined();
    const parked = reduce(transferred, {
      type: "conversation",
      conversation: conversation("c2", {
        state: "wait_queue",
        waitQueue: { kind: "personal", agentId: "a1", agentName: "Ada", since: 9500 },
      }),
    });
    expect(parked.conversations).toEqual([]);
  });

  it("takes back a conversation unpaused or picked up (assigned to me again)", () => {
    const state = reduce(loaded({ conversations: [] }), {
      type: "conversation",
      conversation: conversation("c3", { createdAt: 100 }),
    });
    expect(state.conversations.map((c) => c.id)).toEqual(["c3"]);
  });

  it("titles offers by their kind", () => {
    const base = offer("c2");
    expect(offerHeading(base)).toEqual({ key: "offer.heading" });
    expect(offerHeading({ ...base, kind: "transfer", fromAgentName: "Alice" })).toEqual({
      key: "offer.transferFrom",
      name: "Alice",
    });
    expect(offerHeading({ ...base, kind: "conference", fromAgentName: "Alice" })).toEqual({
      key: "offer.conferenceFrom",
      name: "Alice",
    });
    expect(offerHeading({ ...base, kind: "transfer", fromAgentName: "  " })).toEqual({
      key: "offer.transfer",
    });
    expect(offerHeading({ ...base, kind: "conference", fromAgentName: null })).toEqual({
      key: "offer.conference",
    });
  });
});
