import { describe, expect, it } from "vitest";
import { MATCH_END, MATCH_START } from "../../shared/customer-history.ts";
import { splitSnippet } from "./snippets.ts";

/** Writes a snippet as the server does, with [ and ] standing for the marks. */
const marked = (s: string) => s.replaceAll("[", MATCH_START).replaceAll("]", MATCH_END);

describe("splitSnippet", () => {
  it("marks every «match» and keeps the text around it", () => {
    expect(splitSnippet(marked("…vorrei un [preventivo] per il [rinnovo]"))).toEqual([
      { text: "…vorrei un ", match: false },
      { text: "preventivo", match: true },
      { text: " per il ", match: false },
      { text: "rinnovo", match: true },
    ]);
  });

  it("leaves quotation marks, lone and empty markers as literal text", () => {
    expect(splitSnippet(marked("disse «[ciao]» e poi"))).toEqual([
      { text: "disse «", match: false },
      { text: "ciao", match: true },
      { text: "» e poi", match: false },
    ]);
    expect(splitSnippet(marked("disse [ciao e poi"))).toEqual([
      { text: marked("disse [ciao e poi"), match: false },
    ]);
    expect(splitSnippet(marked("a [] b"))).toEqual([{ text: marked("a [] b"), match: false }]);
    expect(splitSnippet("")).toEqual([]);
  });

  it("never turns markup into anything but text", () => {
    const parts = splitSnippet(marked("[<img src=x onerror=alert(1)>]"));
    expect(parts).toEqual([{ text: "<img src=x onerror=alert(1)>", match: true }]);
  });
});
