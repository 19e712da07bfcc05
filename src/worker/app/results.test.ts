import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { REFUSALS, refusal, refuse, refuseResult } from "./results";

async function answerOf(fn: () => never): Promise<{ status: number; body: unknown }> {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof HTTPException)) throw err;
    const res = err.getResponse();
    return { status: res.status, body: await res.json() };
  }
  throw new Error("nothing was answered");
}

describe("the refusals table", () => {
  it("writes each message once: no two refusals answer the same words", () => {
    const messages = Object.entries(REFUSALS)
      .filter(([, entry]) => typeof entry !== "function")
      .map(([, entry]) => (entry as { message: string }).message);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it("answers a refusal by name with its status and ApiError body", async () => {
    expect(await answerOf(() => refuse("conversationNotYours"))).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "No such conversation among yours" } },
    });
  });

  it("puts the argument of a refusal that takes one into its message or fields", async () => {
    expect(refusal("alreadyIn", "Ann")).toEqual({
      status: 409,
      code: "already_in",
      message: "Ann is already in this conversation",
    });
    expect(refusal("alreadyOpen", null).message).toBe(
      "Another agent already has a conversation open with this customer on this number",
    );
    expect(await answerOf(() => refuse("emailTaken", "adminEmail"))).toEqual({
      status: 409,
      body: {
        error: {
          code: "conflict",
          message: "This e-mail address already has an account",
          fields: [{ path: "adminEmail", message: "already has an account" }],
        },
      },
    });
  });

  it("answers an actor's result code with the refusal the route maps it to", async () => {
    const code = "window_closed" as "closed" | "window_closed";
    expect(
      await answerOf(() =>
        refuseResult(code, { closed: "conversationClosed", window_closed: "replyWindowClosed" }),
      ),
    ).toEqual({
      status: 409,
      body: {
        error: {
          code: "window_closed",
          message:
            "More than 24 hours have passed since the customer's last message: only a template can be sent",
        },
      },
    });
  });
});
