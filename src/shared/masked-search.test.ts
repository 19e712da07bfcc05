import { describe, expect, it } from "vitest";
import {
  candidateLike,
  maskedContains,
  maskedSnippet,
  maskedWordsMatch,
  searchWords,
} from "./masked-search";
import { maskPhone } from "./masking";

const TEXT = "Card 4111 1111 1111 1111, IBAN IT60X0542811101000000123456, mail melissa@gmail.com";

describe("maskedContains", () => {
  it("never matches what masking hides", () => {
    for (const q of ["melissa", "melissa@gmail.com", "4111 1111", "IT60X054", "0542811101"]) {
      expect(maskedContains(TEXT, q), q).toBe(false);
    }
    expect(maskedContains("+447966197542", "+447966197542", maskPhone)).toBe(false);
    expect(maskedContains("+447966197542", "79661", maskPhone)).toBe(false);
  });

  it("matches what the agent sees, ASCII case ignored", () => {
    for (const q of ["card", "@GMAIL.com", "m******@", "1111,", "3456", "IBAN *"]) {
      expect(maskedContains(TEXT, q), q).toBe(true);
    }
    expect(maskedContains("+447966197542", "7542", maskPhone)).toBe(true);
    expect(maskedContains("+447966197542", "*7542", maskPhone)).toBe(true);
    expect(maskedContains("Mario Rossi", "rossi")).toBe(true);
    expect(maskedContains(null, "x")).toBe(false);
  });
});

describe("candidateLike", () => {
  it("escapes LIKE's wildcards and lets each * stand for one character", () => {
    expect(candidateLike("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect(candidateLike("****7542")).toBe("%____7542%");
  });
});

describe("maskedWordsMatch", () => {
  it("matches visible words by prefix, ignoring case and accents, and never hidden ones", () => {
    expect(maskedWordsMatch(TEXT, "gmail")).toBe(true);
    expect(maskedWordsMatch(TEXT, "GMA card")).toBe(true);
    expect(maskedWordsMatch("Il perché è già chiaro", "perche gia")).toBe(true);
    expect(maskedWordsMatch(TEXT, "melissa")).toBe(false);
    expect(maskedWordsMatch(TEXT, "gmail melissa")).toBe(false);
    expect(maskedWordsMatch(TEXT, "4111")).toBe(false);
    expect(maskedWordsMatch(TEXT, "IT60X0542811101000000123456")).toBe(false);
    expect(maskedWordsMatch("call +447966197542", "447966197542")).toBe(false);
    expect(maskedWordsMatch(TEXT, "")).toBe(false);
  });

  it("matches a word split by the tokenizer as a phrase", () => {
    expect(maskedWordsMatch("the a+b plan", "a+b")).toBe(true);
    expect(maskedWordsMatch("the a c b plan", "a+b")).toBe(false);
  });
});

describe("maskedSnippet", () => {
  it("marks visible matches in the masked text and leaves out far text", () => {
    expect(maskedSnippet("write to melissa@gmail.com, melissa", "melissa", "[", "]")).toBe(
      "write to m******@gmail.com, [melissa]",
    );
    expect(maskedSnippet(TEXT, "gmail", "[", "]")).toBe(
      "Card **** **** **** 1111, IBAN ***********************3456, mail m******@[gmail].com",
    );
    const long = `${"parola ".repeat(20)}ordine arrivato ${"fine ".repeat(20)}`.trim();
    expect(maskedSnippet(long, "ordine", "[", "]")).toBe(
      `…parola parola [ordine] arrivato fine fine fine fine fine fine fine fine…`,
    );
    expect(maskedSnippet(TEXT, "melissa", "[", "]")).toBeNull();
  });
});

describe("searchWords", () => {
  it("splits at spaces and punctuation, at most 16 words", () => {
    expect(searchWords(" ciao, mondo! ")).toEqual(["ciao", "mondo"]);
    expect(searchWords("a ".repeat(20))).toHaveLength(16);
    expect(searchWords(undefined)).toEqual([]);
  });
});
