import { describe, expect, it } from "vitest";
import { firstMatch, isUnder, matchPath, pathOf } from "./route.ts";

describe("matchPath", () => {
  it("captures named segments, decoded", () => {
    expect(matchPath("/admin/numbers/:id/:tab", "/admin/numbers/n%2F1/details")).toEqual({
      id: "n/1",
      tab: "details",
    });
  });

  it("ignores a trailing slash and requires the same number of segments", () => {
    expect(matchPath("/admin/users", "/admin/users/")).toEqual({});
    expect(matchPath("/admin/users/:id", "/admin/users")).toBeNull();
    expect(matchPath("/admin/users", "/admin/users/x")).toBeNull();
  });

  it("refuses a different literal and malformed escapes", () => {
    expect(matchPath("/admin/users/:id", "/admin/numbers/1")).toBeNull();
    expect(matchPath("/admin/users/:id", "/admin/users/%E0%A4%A")).toBeNull();
  });
});

describe("firstMatch", () => {
  const routes = [
    ["new", "/admin/users/new"],
    ["edit", "/admin/users/:id"],
  ] as const;

  it("takes the first pattern that matches, so literals win when listed first", () => {
    expect(firstMatch(routes, "/admin/users/new")).toEqual({ key: "new", params: {} });
    expect(firstMatch(routes, "/admin/users/u1")).toEqual({ key: "edit", params: { id: "u1" } });
    expect(firstMatch(routes, "/elsewhere")).toBeNull();
  });
});

describe("pathOf / isUnder", () => {
  it("encodes each segment", () => {
    expect(pathOf("admin", "users", "a b/c")).toBe("/admin/users/a%20b%2Fc");
  });

  it("matches a prefix only at a segment boundary", () => {
    expect(isUnder("/admin", "/admin")).toBe(true);
    expect(isUnder("/admin/users", "/admin")).toBe(true);
    expect(isUnder("/administer", "/admin")).toBe(false);
    expect(isUnder("/", "/admin")).toBe(false);
  });
});
