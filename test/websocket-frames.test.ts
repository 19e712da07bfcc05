/**
 * The desktop's WebSocket through the real Worker and agent actor: a frame
 * that is not JSON, or not one of the protocol's frames, gets a `bad_frame`
 * answer with a fixed text (at most the names of the wrong fields), never the
 * exception's message; the socket stays usable.
 */
import { describe, expect, it } from "vitest";
import type { ServerEvent } from "../src/shared/protocol";
import { openSocket, signIn } from "./kit/session";
import { eventually } from "./kit/wait";

type ErrorEvent = Extract<ServerEvent, { type: "error" }>;

describe("bad_frame", () => {
  it("answers a malformed frame without exception text, and the socket keeps working", async () => {
    const agent = await signIn("agent");
    const { ws, events } = await openSocket(agent.cookie);
    const errors = () => events.filter((e): e is ErrorEvent => e.type === "error");

    // Not JSON: JSON.parse's own message ("Unexpected token …") quoted the input.
    ws.send("{not json <script>");
    await eventually(async () => errors().length === 1);
    expect(errors()[0]).toEqual({
      type: "error",
      code: "bad_frame",
      message: "The frame is not JSON",
    });

    // JSON, but not a frame of the protocol: the wrong field is named, nothing else.
    ws.send(JSON.stringify({ type: "resume", lastSeq: "Error: boom at x.ts:1" }));
    await eventually(async () => errors().length === 2);
    expect(errors()[1]).toEqual({
      type: "error",
      code: "bad_frame",
      message: "The frame does not fit the protocol (fields: lastSeq)",
    });

    ws.send(JSON.stringify({ type: "shout" }));
    await eventually(async () => errors().length === 3);
    expect(errors()[2]?.message).toBe("The frame does not fit the protocol (fields: type)");
    for (const e of errors()) {
      expect(e.message).not.toMatch(/Error|token|script|boom|at |expected|Invalid/);
    }

    ws.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => events.some((e) => e.type === "pong"));
    ws.close();
  });
});
