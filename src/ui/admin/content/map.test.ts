import { describe, expect, it } from "vitest";
import { mapUrl } from "./map.ts";

describe("content helpers", () => {
  it("links coordinates to the map with a marker", () => {
    expect(mapUrl(45.4642, 9.19)).toBe(
      "https://www.openstreetmap.org/?mlat=45.464200&mlon=9.190000#map=17/45.464200/9.190000",
    );
    expect(mapUrl(-33.8688, 151.2093)).toContain("mlat=-33.868800&mlon=151.209300");
  });
});
