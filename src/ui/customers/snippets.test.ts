import { describe, expect, it } from "vitest";
import { splitSnippet } from "./snippets.ts";

describe("splitSnippet", () => {
  it("marks every «match» and keeps the text around it", () => {
    expect(splitSnippet("…vorrei un «preventivo» per il «rinnovo»")).toEqual([
      { text: "…vorrei un ", match: false },
      { text: "preventivo", match: true },
      { text: " per il ", match: false },
      { text: "rinnovo", match: true },
    ]);
  });

  it("leaves lone or empty markers as literal text", () => {
    expect(splitSnippet("disse «ciao e poi")).toEqual([
      { text: "disse «ciao e poi", match: false },
    ]);
    expect(splitSnippet("a «» b")).toEqual([{ text: "a «» b", match: false }]);
    expect(splitSnippet("")).toEqual([]);
  });

  it("never turns markup into anything but text", () => {
    const parts = splitSnippet("«<img src=x onerror=alert(1)>»");
    expect(parts).toEqual([{ text: "<img src=x onerror=alert(1)>", match: true }]);
  });
});
