import { describe, expect, it } from "vitest";
import { formatSize, linkify, mapLink, safeHref } from "./linkify.ts";

describe("linkify", () => {
  it("links http(s), mailto and tel, leaving sentence punctuation out", () => {
    expect(
      linkify("See https://example.com/a?b=1. Or mail mailto:a@b.it, call tel:+39333"),
    ).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: ". Or mail " },
      { kind: "link", text: "mailto:a@b.it", href: "mailto:a@b.it" },
      { kind: "text", text: ", call " },
      { kind: "link", text: "tel:+39333", href: "tel:+39333" },
    ]);
  });

  it("never links other schemes", () => {
    expect(linkify("javascript:alert(1) data:text/html,x")).toEqual([
      { kind: "text", text: "javascript:alert(1) data:text/html,x" },
    ]);
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("http://")).toBeNull();
  });

  it("keeps a parenthesis that belongs to the URL", () => {
    const parts = linkify("(https://en.wikipedia.org/wiki/Rome_(city))");
    expect(parts[1]).toMatchObject({ text: "https://en.wikipedia.org/wiki/Rome_(city)" });
  });

  it("builds map links and sizes", () => {
    expect(mapLink(45.4642, 9.19)).toBe(
      "https://www.openstreetmap.org/?mlat=45.464200&mlon=9.190000#map=16/45.464200/9.190000",
    );
    expect(formatSize("en", 820)).toBe("820 B");
    expect(formatSize("en", 1536)).toBe("1.5 kB");
    // One way of writing sizes in each language: "596 B", never "596 byte".
    expect(formatSize("it", 596)).toBe("596 B");
    expect(formatSize("it", 1536)).toBe("1,5 kB");
  });
});
