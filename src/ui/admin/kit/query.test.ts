import { describe, expect, it } from "vitest";
import {
  DEFAULT_LIST_STATE,
  lastPage,
  listApiQuery,
  listStateToSearch,
  parseListState,
  toggleSort,
  withFilter,
  withListState,
} from "./query.ts";

const SORTS = ["name", "email", "createdAt"];

describe("parseListState", () => {
  it("reads every part of the list from the query string", () => {
    expect(parseListState("?page=3&pageSize=50&q=anna&sort=email&dir=desc", SORTS)).toEqual({
      page: 3,
      pageSize: 50,
      q: "anna",
      sort: "email",
      dir: "desc",
    });
  });

  it("falls back to defaults for what a person may mistype, rather than a 400", () => {
    expect(parseListState("?page=0&pageSize=7&sort=password&dir=up", SORTS)).toEqual(
      DEFAULT_LIST_STATE,
    );
    expect(parseListState("?page=abc&pageSize=1e3", SORTS)).toEqual(DEFAULT_LIST_STATE);
    expect(parseListState("", SORTS)).toEqual(DEFAULT_LIST_STATE);
  });

  it("round-trips through the URL, leaving defaults out", () => {
    const state = { page: 2, pageSize: 100, q: "x & y", sort: "name", dir: "desc" as const };
    expect(parseListState(`?${listStateToSearch(state)}`, SORTS)).toEqual(state);
    expect(listStateToSearch(DEFAULT_LIST_STATE)).toBe("");
  });
});

describe("withListState / withFilter", () => {
  it("replaces the list's keys and keeps a page's own filters", () => {
    const search = "?numberId=n1&page=4&q=old";
    const next = withListState(search, { ...DEFAULT_LIST_STATE, q: "new" });
    expect(new URLSearchParams(next).get("numberId")).toBe("n1");
    expect(new URLSearchParams(next).get("q")).toBe("new");
    expect(new URLSearchParams(next).has("page")).toBe(false);
  });

  it("changing a filter goes back to page 1; an empty value removes it", () => {
    expect(withFilter("?page=3&q=a", "numberId", "n2")).toBe("q=a&numberId=n2");
    expect(withFilter("?numberId=n2&q=a", "numberId", "")).toBe("q=a");
  });
});

describe("listApiQuery", () => {
  const state = { page: 2, pageSize: 10, q: " anna ", sort: "email", dir: "asc" as const };

  it("is explicit for a page, with the filters", () => {
    expect(listApiQuery(state, { numberId: "n1", status: undefined })).toBe(
      "page=2&pageSize=10&q=anna&sort=email&dir=asc&numberId=n1",
    );
  });

  it("has no paging for the Excel download, so every filtered row comes", () => {
    expect(listApiQuery(state, {}, true)).toBe("q=anna&sort=email&dir=asc");
  });
});

describe("toggleSort / lastPage", () => {
  it("a new column sorts ascending, the same column flips, and the page resets", () => {
    const onPage3 = { ...DEFAULT_LIST_STATE, page: 3 };
    expect(toggleSort(onPage3, "email", "name")).toMatchObject({
      sort: "email",
      dir: "asc",
      page: 1,
    });
    // The default sort counts as the current one even when the URL does not name it.
    expect(toggleSort(onPage3, "name", "name")).toMatchObject({ sort: "name", dir: "desc" });
    expect(toggleSort({ ...onPage3, sort: "name", dir: "desc" }, "name", "name")).toMatchObject({
      dir: "asc",
    });
  });

  it("has at least one page", () => {
    expect(lastPage(0, 25)).toBe(1);
    expect(lastPage(25, 25)).toBe(1);
    expect(lastPage(26, 25)).toBe(2);
  });
});
