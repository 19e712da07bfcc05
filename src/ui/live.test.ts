import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerEvent } from "../shared/protocol.ts";
import { ApiError } from "./api.ts";
import { act, backoffDelayMs, type ConnectionState, LiveConnection } from "./live.ts";

/** Just enough of a browser WebSocket to drive LiveConnection by hand. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = FakeSocket.CLOSED;
  }
  // Test helpers
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code: 1006, reason: "" });
  }
}

const agentEvent = (seq: number): ServerEvent => ({
  type: "agent",
  seq,
  agent: { id: "a1", name: "Ada", status: "ready", load: 0, maxConversations: 3 },
});

function setup(initialSeq: number | null = 5) {
  let lastSeq = initialSeq;
  const events: ServerEvent[] = [];
  const states: ConnectionState[] = [];
  const live = new LiveConnection({
    url: "ws://test/api/ws",
    getLastSeq: () => lastSeq,
    onEvent: (event) => {
      events.push(event);
      if (event.type === "snapshot") lastSeq = event.snapshot.seq;
      else if ("seq" in event) lastSeq = event.seq;
    },
    onStateChange: (state) => states.push(state),
  });
  live.start();
  const socket = () => FakeSocket.instances[FakeSocket.instances.length - 1]!;
  return { live, events, states, socket };
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("backoffDelayMs", () => {
  it("doubles from 0.5 s up to 10 s, jittered within the upper half", () => {
    expect(backoffDelayMs(0, () => 0)).toBe(250);
    expect(backoffDelayMs(0, () => 1)).toBe(500);
    expect(backoffDelayMs(3, () => 1)).toBe(4000);
    expect(backoffDelayMs(10, () => 1)).toBe(10_000);
    expect(backoffDelayMs(10, () => 0)).toBe(5000);
  });
});

describe("LiveConnection", () => {
  it("resumes from the last applied seq on open and reports live", () => {
    const { live, socket, states } = setup(5);
    socket().open();
    expect(socket().sent).toEqual([{ type: "resume", lastSeq: 5 }]);
    expect(states).toEqual(["connecting", "live"]);
    live.stop();
  });

  it("passes valid in-order events, drops duplicates and malformed frames", () => {
    const { live, socket, events } = setup(5);
    socket().open();
    socket().receive("not json");
    socket().receive({ type: "agent", seq: 6 }); // missing agent
    socket().receive(agentEvent(5)); // duplicate of what we have
    socket().receive(agentEvent(6));
    socket().receive(agentEvent(6));
    socket().receive({ type: "pong" });
    expect(events.map((e) => e.type)).toEqual(["agent"]);
    live.stop();
  });

  it("on a gap, drops the socket and resumes from what it has", () => {
    const { live, socket, events } = setup(5);
    const first = socket();
    first.open();
    first.receive(agentEvent(8));
    expect(events).toEqual([]);
    expect(first.readyState).toBe(FakeSocket.CLOSED);
    vi.advanceTimersByTime(500);
    const second = socket();
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent).toEqual([{ type: "resume", lastSeq: 5 }]);
    live.stop();
  });

  it("reconnects with growing delays after drops, and pings every 25 s", () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const { live, socket, states } = setup(5);
    socket().open();
    vi.advanceTimersByTime(25_000);
    expect(socket().sent).toContainEqual({ type: "ping" });

    socket().drop();
    expect(states.at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(499);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);

    socket().drop(); // never opened: next delay doubles
    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(3);
    live.stop();
  });

  it("stops for good on stop()", () => {
    const { live, socket } = setup(5);
    socket().open();
    live.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

describe("actions over the live connection", () => {
  const SEND = {
    type: "send",
    conversationId: "c5d7a1b2-0000-4000-8000-000000000001",
    clientId: "c5d7a1b2-0000-4000-8000-000000000002",
    text: "hello",
  } as const;
  const message = {
    id: SEND.clientId,
    conversationId: SEND.conversationId,
    seq: 2,
    direction: "out",
    kind: "text",
    text: "hello",
    status: "pending",
    error: null,
    sender: { type: "agent", id: "a1", name: "Ada" },
    createdAt: 1,
  };

  it("resolves with the result of its ref, and does not touch the event seq", async () => {
    const { live, socket, events } = setup();
    socket().open();
    const http = vi.fn(async () => "over http");
    const sent = act(live, SEND, (r) => r.message?.text ?? "no message", http);
    const frame = socket().sent.at(-1) as { ref: string; type: string };
    expect(frame).toMatchObject({ ...SEND, ref: expect.any(String) });
    socket().receive({ type: "result", ref: "someone-else", message });
    socket().receive({ type: "result", ref: frame.ref, message });
    await expect(sent).resolves.toBe("hello");
    expect(http).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it("rejects with the refusal's ApiError, without trying HTTP", async () => {
    const { live, socket } = setup();
    socket().open();
    const http = vi.fn(async () => "over http");
    const sent = act(live, SEND, (r) => r.message?.text ?? "no message", http);
    const { ref } = socket().sent.at(-1) as { ref: string };
    socket().receive({
      type: "result",
      ref,
      error: { status: 409, code: "closed", message: "The conversation is closed" },
    });
    const error = await sent.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "closed" });
    expect(http).not.toHaveBeenCalled();
  });

  it("goes over HTTP when the socket is not open, closes before the answer, or the server could not run it", async () => {
    const { live, socket } = setup();
    const http = vi.fn(async () => "over http");
    await expect(act(live, SEND, () => "socket", http)).resolves.toBe("over http");

    socket().open();
    const dropped = act(live, SEND, () => "socket", http);
    socket().drop();
    await expect(dropped).resolves.toBe("over http");

    vi.advanceTimersByTime(60_000);
    socket().open();
    const busy = act(live, SEND, () => "socket", http);
    const { ref } = socket().sent.at(-1) as { ref: string };
    socket().receive({
      type: "result",
      ref,
      error: { status: 503, code: "unavailable", message: "try again" },
    });
    await expect(busy).resolves.toBe("over http");

    // A frame the server could not read: its error names the ref, HTTP answers at once.
    const unread = act(live, SEND, () => "socket", http);
    const sent = socket().sent.at(-1) as { ref: string };
    socket().receive({ type: "error", code: "bad_frame", message: "fields: text", ref: sent.ref });
    await expect(unread).resolves.toBe("over http");
    expect(http).toHaveBeenCalledTimes(4);
  });
});
