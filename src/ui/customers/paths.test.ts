import { describe, expect, it } from "vitest";
import { customerSegments } from "./paths.ts";

describe("customerSegments", () => {
  it("gives the decoded segments below /customers", () => {
    expect(customerSegments("/customers")).toEqual([]);
    expect(customerSegments("/customers/")).toEqual([]);
    expect(customerSegments("/customers/a%2Fb/history")).toEqual(["a/b", "history"]);
  });

  it("refuses other paths and malformed escapes", () => {
    expect(customerSegments("/customersx")).toBe(null);
    expect(customerSegments("/admin/customers")).toBe(null);
    expect(customerSegments("/customers/%E0%A4%A")).toBe(null);
  });
});
