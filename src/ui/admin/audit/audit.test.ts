import { describe, expect, it } from "vitest";
import { translator } from "../../i18n.ts";
import { changeLine, entityName, fieldName, periodFilters, valueText } from "./audit.ts";

const en = translator("en");
const it_ = translator("it");

describe("periodFilters", () => {
  it("starts at the first day's local midnight and ends at the start of the day after the last", () => {
    const { from, to } = periodFilters("2026-03-28", "2026-03-29");
    expect(new Date(from!).getTime()).toBe(new Date(2026, 2, 28).getTime());
    expect(new Date(to!).getTime()).toBe(new Date(2026, 2, 30).getTime());
  });

  it("leaves out what is empty or not a date", () => {
    expect(periodFilters("", "")).toEqual({});
    expect(periodFilters("yesterday", "2026-13-45x")).toEqual({});
  });
});

describe("names and values", () => {
  it("speaks the reader's language and falls back to the recorded word", () => {
    expect(entityName(en, "user")).toBe("User");
    expect(entityName(it_, "customer_import")).toBe("Importazione clienti");
    expect(entityName(en, "gadget")).toBe("gadget");
    expect(fieldName(it_, "maxConversations")).toBe("Conversazioni contemporanee");
    expect(fieldName(en, "somethingNew")).toBe("somethingNew");
  });

  it("writes values for people", () => {
    expect(valueText(en, true)).toBe("Yes");
    expect(valueText(it_, false)).toBe("No");
    expect(valueText(en, null)).toBe("—");
    expect(valueText(en, ["Lia (5)", "Bruno (3)"])).toBe("Lia (5), Bruno (3)");
    expect(valueText(en, { a: 1 })).toBe('{"a":1}');
  });

  it("shows a secret only as changed", () => {
    expect(changeLine(en, { field: "accessToken", secret: true })).toBe(
      "Access token: changed (not shown)",
    );
    expect(changeLine(it_, { field: "maxConversations", before: 3, after: 5 })).toBe(
      "Conversazioni contemporanee: 3 → 5",
    );
    expect(changeLine(en, { field: "name", after: "Shop" })).toBe("Name: Shop");
  });
});
