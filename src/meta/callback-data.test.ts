import { describe, expect, it } from "vitest";
import { callbackData, parseCallbackData } from "./callback-data";

const conversation = "0b6f8a52-7c1e-4d2a-9f3b-2a1c5e6d7f80";
const message = "5d2c1b0a-9e8f-4a7b-8c6d-1e2f3a4b5c6d";

describe("callback data", () => {
  it("reads back what it writes", () => {
    expect(parseCallbackData(callbackData(conversation, message))).toEqual({
      conversationId: conversation,
      messageId: message,
    });
  });

  it("keeps an automatic message's id whole, slashes included", () => {
    const automatic = "welcome/wamid.HBgLMzkzMzMxMjM0NTY3FQIAEhgg";
    expect(parseCallbackData(callbackData(conversation, automatic))?.messageId).toBe(automatic);
  });

  it("is not ours without a conversation UUID and a message id", () => {
    for (const data of [
      null,
      undefined,
      "",
      "campaign-42",
      `${conversation}/`,
      "x/y",
      `/${message}`,
    ]) {
      expect(parseCallbackData(data)).toBeNull();
    }
  });
});
