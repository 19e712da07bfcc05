/**
 * How the send client classifies Meta's answers. The simulator answers sends properly
 * (or holds/drops them, see test/send-confirmation.test.ts); the malformed answers
 * below are what it never produces, so they come from fake fetches.
 */
import { describe, expect, it } from "vitest";
import { sendText } from "./graph";

const msg = {
  phoneNumberId: "100000000000001",
  accessToken: "tok",
  to: "+393331234567",
  text: "Ciao",
  callbackData: "c/m",
};
const api = (fetcher: typeof fetch, timeoutMs = 5_000) => ({
  base: "https://graph.test/v23.0",
  timeoutMs,
  fetcher,
});

describe("sendText", () => {
  it("a 200 whose body is cut off or unreadable is an unknown outcome, never a failure", async () => {
    const cut: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"messages":[{"id":"wam'));
            controller.error(new Error("connection reset"));
          },
        }),
        { status: 200 },
      );
    expect(await sendText(api(cut), msg)).toMatchObject({ ok: false, outcome: "unknown" });
    const odd: typeof fetch = async () => Response.json({ accepted: true });
    expect(await sendText(api(odd), msg)).toMatchObject({ ok: false, outcome: "unknown" });
  });

  it("Meta's error answers are not sent: 5xx and throughput codes retryable, others final", async () => {
    const answer = (status: number, code: number): typeof fetch => {
      return async () => Response.json({ error: { code, message: "x" } }, { status });
    };
    expect(await sendText(api(answer(500, 131000)), msg)).toMatchObject({
      outcome: "not_sent",
      retryable: true,
    });
    expect(await sendText(api(answer(400, 130429)), msg)).toMatchObject({
      outcome: "not_sent",
      retryable: true,
    });
    expect(await sendText(api(answer(400, 131026)), msg)).toMatchObject({
      outcome: "not_sent",
      retryable: false,
      error: { code: 131026, httpStatus: 400 },
    });
  });

  it("no answer within the deadline is an unknown outcome", async () => {
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
      });
    expect(await sendText(api(silent, 50), msg)).toMatchObject({
      ok: false,
      outcome: "unknown",
      error: { code: 0, title: "No answer within 50 ms", httpStatus: null },
    });
  });
});
