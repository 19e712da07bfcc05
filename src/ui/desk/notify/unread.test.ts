import { describe, expect, it } from "vitest";
import type { MessageView } from "../../../shared/protocol.ts";
import { freshCustomerMessages, lastUnreadAt, titleWithCount } from "./unread.ts";

const message = (seq: number, direction: "in" | "out", createdAt: number): MessageView => ({
  id: `m${seq}`,
  conversationId: "c1",
  seq,
  direction,
  kind: "text",
  text: `text ${seq}`,
  status: null,
  error: null,
  sender: direction === "in" ? { type: "customer" } : { type: "system" },
  createdAt,
  content: null,
  replyTo: null,
  statusTimes: {},
  resentAs: null,
});

const history = [
  message(1, "in", 1_000),
  message(2, "out", 2_000),
  message(3, "in", 3_000),
  message(4, "in", 4_000),
  message(5, "out", 5_000),
];

describe("time since the last unread customer message", () => {
  it("is the newest unread customer message, ignoring ours", () => {
    expect(lastUnreadAt(history, 0)).toBe(4_000);
    expect(lastUnreadAt(history, 3)).toBe(4_000);
  });

  it("is null once everything the customer wrote was read, or with no messages", () => {
    expect(lastUnreadAt(history, 4)).toBeNull();
    expect(lastUnreadAt(history, 5)).toBeNull();
    expect(lastUnreadAt([], 0)).toBeNull();
    expect(lastUnreadAt([message(1, "out", 1)], 0)).toBeNull();
  });
});

describe("what asks for attention", () => {
  it("counts in the title only when something waits", () => {
    expect(titleWithCount("Parley — Agent desktop", 2)).toBe("(2) Parley — Agent desktop");
    expect(titleWithCount("Parley — Agent desktop", 0)).toBe("Parley — Agent desktop");
  });

  it("new customer messages are those above both what we saw and what was read", () => {
    expect(freshCustomerMessages(history, 1, 0).map((m) => m.seq)).toEqual([3, 4]);
    expect(freshCustomerMessages(history, 1, 3).map((m) => m.seq)).toEqual([4]);
    expect(freshCustomerMessages(history, 5, 0)).toEqual([]);
  });
});
