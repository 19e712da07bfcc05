import { describe, expect, it } from "vitest";
import { landingPath, passwordProblem, tokenFromSearch } from "./welcome.ts";

describe("welcome page rules", () => {
  it("asks for at least 10 characters, typed twice the same", () => {
    expect(passwordProblem("short", "short")).toBe("tooShort");
    expect(passwordProblem("long enough!", "long enough?")).toBe("mismatch");
    expect(passwordProblem("long enough!", "long enough!")).toBeNull();
  });

  it("reads a plausible token from the address", () => {
    const token = "a".repeat(43);
    expect(tokenFromSearch(`?token=${token}`)).toBe(token);
    expect(tokenFromSearch("?token=abc")).toBeNull();
    expect(tokenFromSearch("")).toBeNull();
  });

  it("lands admins in the administration and agents at the desk", () => {
    expect(landingPath("admin")).toBe("/admin");
    expect(landingPath("agent")).toBe("/");
    expect(landingPath("operator")).toBe("/platform/tenants");
  });
});
