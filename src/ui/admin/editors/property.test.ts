import { describe, expect, it } from "vitest";
import { CustomerPropertyFields, type CustomerPropertyView } from "../../../shared/admin.ts";
import {
  emptyProperty,
  optionsError,
  optionsFromText,
  propertyBody,
  propertyToDraft,
} from "./property.ts";

describe("customer property drafts", () => {
  it("reads choices one per line, trimmed, without blanks or repeats", () => {
    expect(optionsFromText(" Gold \n\nSilver\r\nGold\n  ")).toEqual(["Gold", "Silver"]);
    expect(optionsFromText("")).toEqual([]);
  });

  it("keeps choices only for a choice property, and the body is valid", () => {
    const draft = { ...emptyProperty(), name: "Tier", optionsText: "Gold\nSilver" };
    expect(propertyBody(draft).options).toEqual([]);
    const choice = propertyBody({ ...draft, type: "choice" });
    expect(choice.options).toEqual(["Gold", "Silver"]);
    expect(CustomerPropertyFields.safeParse(choice).success).toBe(true);
  });

  it("round-trips a stored property", () => {
    const view: CustomerPropertyView = {
      id: "p1",
      numberId: "n1",
      position: 1,
      version: 2,
      name: "Tier",
      type: "choice",
      options: ["Gold", "Silver"],
      modifiableByAgent: false,
      showInCustomerList: true,
      showInConversationList: false,
    };
    const body = propertyBody(propertyToDraft(view));
    expect(body).toEqual({
      name: "Tier",
      type: "choice",
      options: ["Gold", "Silver"],
      modifiableByAgent: false,
      showInCustomerList: true,
      showInConversationList: false,
    });
  });

  it("reports an error about one choice with its line number", () => {
    expect(optionsError({ "options.2": "too long" })).toBe("3: too long");
    expect(optionsError({ options: "too many" })).toBe("too many");
    expect(optionsError({ name: "x" })).toBeUndefined();
  });
});
