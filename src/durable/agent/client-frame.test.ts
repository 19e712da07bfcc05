import { describe, expect, it } from "vitest";
import { readClientFrame } from "./client-frame";

describe("readClientFrame", () => {
  it("reads the protocol's frames, from text or bytes", () => {
    expect(readClientFrame('{"type":"ping"}')).toEqual({ ok: true, frame: { type: "ping" } });
    const bytes = new TextEncoder().encode('{"type":"resume","lastSeq":4}').buffer as ArrayBuffer;
    expect(readClientFrame(bytes)).toEqual({ ok: true, frame: { type: "resume", lastSeq: 4 } });
  });

  it("answers text that is not JSON with a fixed message, never the parser's", () => {
    expect(readClientFrame("{not json <script>")).toEqual({
      ok: false,
      message: "The frame is not JSON",
    });
  });

  it("names only the wrong fields of a frame that does not fit", () => {
    expect(readClientFrame(JSON.stringify({ type: "resume", lastSeq: "Error: boom" }))).toEqual({
      ok: false,
      message: "The frame does not fit the protocol (fields: lastSeq)",
    });
    expect(readClientFrame(JSON.stringify({ type: "typing", conversationId: 7 }))).toEqual({
      ok: false,
      message: "The frame does not fit the protocol (fields: conversationId)",
    });
  });

  it("gives back an action's ref, when it is one, so the desktop stops waiting", () => {
    const send = { type: "send", ref: "a7", conversationId: crypto.randomUUID(), text: " " };
    expect(readClientFrame(JSON.stringify({ ...send, clientId: crypto.randomUUID() }))).toEqual({
      ok: false,
      message: "The frame does not fit the protocol (fields: text)",
      ref: "a7",
    });
    expect(readClientFrame(JSON.stringify({ ...send, ref: "x".repeat(65) }))).not.toHaveProperty(
      "ref",
    );
  });
});
