import { describe, expect, it } from "vitest";
import { localDay, myHistorySearch } from "./query.ts";

describe("myHistorySearch", () => {
  it("sends only real days, with the time zone when a day is sent", () => {
    expect(myHistorySearch({ from: "", to: "" }, 1, "Europe/Rome")).toBe("page=1&pageSize=10");
    expect(myHistorySearch({ from: "2026-05-01", to: "2026-05-0" }, 2, "Europe/Rome")).toBe(
      "from=2026-05-01&tz=Europe%2FRome&page=2&pageSize=10",
    );
  });
});

describe("localDay", () => {
  it("moves by calendar days", () => {
    const noon = new Date(2026, 2, 1, 12).getTime();
    expect(localDay(noon)).toBe("2026-03-01");
    expect(localDay(noon, -1)).toBe("2026-02-28");
  });
});
