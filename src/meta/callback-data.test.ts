import { describe, expect, it } from "vitest";
import { readCallbackData, writeCallbackData } from "./callback-data";

describe("callback data", () => {
  it("reads back what it writes", () => {
    const target = { conversationId: "c-1", messageId: "m-1" };
    expect(readCallbackData(writeCallbackData(target))).toEqual(target);
  });

  it("splits at the first slash: a message id may hold one", () => {
    expect(readCallbackData("c-1/auto:welcome/wamid.X")).toEqual({
      conversationId: "c-1",
      messageId: "auto:welcome/wamid.X",
    });
  });

  it("is null for data that does not name a conversation and a message", () => {
    for (const data of [null, undefined, "", "ticket-42", "/m-1", "c-1/"]) {
      expect(readCallbackData(data)).toBeNull();
    }
  });
});
