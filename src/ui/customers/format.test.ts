import { describe, expect, it } from "vitest";
import { changerName, formatPropertyValue, isDay, shortId } from "./format.ts";

const words = { yes: "Yes", no: "No", none: "—" };

describe("formatPropertyValue", () => {
  it("formats each type in the user's language", () => {
    expect(formatPropertyValue("en", { type: "number" }, 1234.5, words)).toBe("1,234.5");
    expect(formatPropertyValue("it", { type: "number" }, 12345.5, words)).toBe("12.345,5");
    expect(formatPropertyValue("en", { type: "boolean" }, true, words)).toBe("Yes");
    expect(formatPropertyValue("en", { type: "boolean" }, false, words)).toBe("No");
    expect(formatPropertyValue("en", { type: "choice" }, "Gold", words)).toBe("Gold");
    expect(formatPropertyValue("en", { type: "text" }, "hello", words)).toBe("hello");
  });

  it("reads a date as a calendar day, the same in every time zone", () => {
    expect(formatPropertyValue("en", { type: "date" }, "2024-01-31", words)).toBe("Jan 31, 2024");
    expect(formatPropertyValue("it", { type: "date" }, "2024-01-31", words)).toBe("31 gen 2024");
  });

  it("shows a dash for no value and a misfit value as stored", () => {
    expect(formatPropertyValue("en", { type: "number" }, null, words)).toBe("—");
    expect(formatPropertyValue("en", { type: "text" }, undefined, words)).toBe("—");
    expect(formatPropertyValue("en", { type: "number" }, "n/a", words)).toBe("n/a");
    expect(formatPropertyValue("en", { type: "date" }, "2024-02-30", words)).toBe("2024-02-30");
  });
});

describe("small helpers", () => {
  it("shortens ids and checks days", () => {
    expect(shortId("0f1e2d3c-4b5a-6789-8abc-0123456789ab")).toBe("0f1e2d3c…89ab");
    expect(shortId("demo-customer-1")).toBe("demo-customer-1");
    expect(shortId("demo-customer-2")).not.toBe(shortId("demo-customer-1"));
    expect(shortId("abc")).toBe("abc");
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2023-02-29")).toBe(false);
    expect(isDay("2024-2-1")).toBe(false);
  });

  it("names who changed the opt-in", () => {
    const names = new Map([["u1", "Ada Admin"]]);
    const who = { customer: "the customer", import: "an import" };
    expect(changerName("u1", names, who)).toBe("Ada Admin");
    expect(changerName("customer", names, who)).toBe("the customer");
    expect(changerName("import", names, who)).toBe("an import");
    expect(changerName("u9", names, who)).toBe("u9");
  });
});
