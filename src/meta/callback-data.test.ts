import { describe, expect, it } from "vitest";
import { readCallbackData, writeCallbackData } from "./callback-data";

const C = "0b6f8a52-7c1e-4d2a-9f3b-2a1c5e6d7f80";

describe("callback data", () => {
  it("reads back what it writes", () => {
    const target = { conversationId: C, messageId: "m-1" };
    expect(readCallbackData(writeCallbackData(target))).toEqual(target);
  });

  it("splits at the first slash: a message id may hold one", () => {
    expect(readCallbackData(`${C}/auto:welcome/wamid.X`)).toEqual({
      conversationId: C,
      messageId: "auto:welcome/wamid.X",
    });
  });

  it("is null for data that does not name a conversation (a UUID) and a message", () => {
    for (const data of [null, undefined, "", "ticket-42", "/m-1", `${C}/`, "c-1/m-1"]) {
      expect(readCallbackData(data)).toBeNull();
    }
  });
});
