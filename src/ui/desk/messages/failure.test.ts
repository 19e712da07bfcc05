import { describe, expect, it } from "vitest";
import { NOT_PREPARED_ERROR } from "../../../shared/protocol.ts";
import { messagesEn, messagesIt } from "../i18n/messages.ts";
import { failureText } from "./failure.ts";

describe("failureText", () => {
  it("explains Meta's codes in words, quoting the code for support", () => {
    expect(failureText({ code: 131047, title: "Re-engagement message" })).toEqual({
      key: "messages.failed.window",
      code: 131047,
    });
    expect(failureText({ code: 130429, title: "Rate limit hit" }).key).toBe(
      "messages.failed.rateLimit",
    );
    expect(failureText({ code: 131026, title: "Message undeliverable" }).key).toBe(
      "messages.failed.undeliverable",
    );
  });

  it("never shows a raw title: unknown codes and our own get a written explanation", () => {
    expect(failureText({ code: 999999, title: "Some developer text" })).toEqual({
      key: "messages.failed.generic",
      code: 999999,
    });
    expect(failureText({ code: NOT_PREPARED_ERROR, title: "x" })).toEqual({
      key: "messages.failed.notPrepared",
      code: null,
    });
    expect(failureText(null)).toEqual({ key: "messages.failed.generic", code: null });
  });

  it("has every explanation in English and Italian", () => {
    for (const code of [0, 2, 4, 190, 131047, 131026, 131049, 131050, 132015, NOT_PREPARED_ERROR]) {
      const { key } = failureText({ code, title: "" });
      expect(messagesEn[key]).toBeTruthy();
      expect(messagesIt[key]).toBeTruthy();
      expect(messagesIt[key]).not.toBe(messagesEn[key]);
    }
  });
});
