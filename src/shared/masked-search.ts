/**
 * Searching as an agent who sees sensitive data masked (masking.ts).
 *
 * The rule: **a masked agent's query matches only what that agent can see.**
 * Every value is compared in the form the agent is shown — phones through
 * `maskPhone`, texts and names through `maskText` — so a character that masking
 * hides never takes part in a match. Searching an exact e-mail address, IBAN,
 * card number or phone number (or any hidden part of one: "melissa" in
 * `m******@gmail.com`, the first digits of `*********7542`) finds nothing, and
 * so confirms nothing; the visible parts (a phone's last 4 digits, an e-mail's
 * first letter and domain, a name, ordinary words) still match. Because masking
 * keeps lengths, a `*` in the query matches exactly one hidden character, as the
 * agent sees it. Admins, and agents of tenants without masking, search clear text.
 *
 * Every search applies it: the customers list and its download, the outbound
 * customer search, the search inside a conversation and the customer history's
 * full-text search (which compares words, not substrings: a query word must
 * start a visible word). The database first finds candidates on clear text, a
 * superset, and these pure functions keep those that match as seen.
 */
import { MASK, maskText } from "./masking";

/** ASCII-only lowercase, as SQLite's LIKE compares: other letters keep their case. */
function likeFold(text: string): string {
  return text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

/**
 * Whether `q` occurs in `value` as the agent sees it (`mask` gives that form),
 * compared as SQL's LIKE compares (ASCII case ignored). Pure.
 */
export function maskedContains(
  value: string | null | undefined,
  q: string,
  mask: (value: string) => string = maskText,
): boolean {
  if (!value) return false;
  return likeFold(mask(value)).includes(likeFold(q));
}

/**
 * A LIKE pattern (with `ESCAPE '\'`) that every clear value matching `q` as
 * masked also matches: `%`, `_` and `\` stand for themselves, and each `*`
 * becomes `_`, since a hidden character is one `*` in place of one character.
 */
export function candidateLike(q: string): string {
  const escaped = q.replace(/[\\%_]/g, (ch) => `\\${ch}`).replaceAll(MASK, "_");
  return `%${escaped}%`;
}

/**
 * The words of a history search, split as the full-text query splits them
 * (spaces, punctuation, controls), at most 16. Pure.
 */
export function searchWords(q: string | undefined): string[] {
  return (q ?? "")
    .normalize("NFC")
    .split(/[\p{Z}\p{P}\p{Cc}\s]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
}

// The history index's tokenizer (unicode61, remove_diacritics 2): runs of letters
// and numbers (private-use characters too), compared without case or accents.
// A `*` is a separator, so hidden characters never form part of a word.
const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;

interface Token {
  folded: string;
  start: number;
  end: number;
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function tokens(text: string): Token[] {
  return [...text.matchAll(TOKEN)]
    .map((m) => ({ folded: fold(m[0]), start: m.index, end: m.index + m[0].length }))
    .filter((t) => t.folded !== "");
}

/** Where each query word (a phrase of tokens, the last one a prefix) occurs in `text`: token ranges. */
function phraseHits(text: Token[], words: string[]): { found: boolean; hits: [number, number][] } {
  const hits: [number, number][] = [];
  let found = true;
  for (const word of words) {
    const phrase = tokens(word).map((t) => t.folded);
    if (phrase.length === 0) continue;
    let any = false;
    for (let i = 0; i + phrase.length <= text.length; i++) {
      const ok = phrase.every((p, j) => {
        const t = text[i + j]!.folded;
        return j === phrase.length - 1 ? t.startsWith(p) : t === p;
      });
      if (ok) {
        any = true;
        hits.push([i, i + phrase.length]);
      }
    }
    if (!any) found = false;
  }
  return { found, hits };
}

/**
 * Whether the full-text query `q` (every word, each a word prefix, accents and
 * case ignored) matches `text` as the agent sees it. Pure.
 */
export function maskedWordsMatch(text: string, q: string | undefined): boolean {
  const words = searchWords(q);
  if (words.length === 0) return false;
  return phraseHits(tokens(maskText(text)), words).found;
}

/** Words shown around the first match in a snippet, as the full-text index's snippets show. */
const SNIPPET_TOKENS = 12;

/**
 * A snippet of `text` as the agent sees it (masked), about 12 words from just
 * before the first match, with each matching word between `open` and `close`
 * and `…` where text is left out. Null when `q` does not match. Pure.
 */
export function maskedSnippet(
  text: string,
  q: string | undefined,
  open: string,
  close: string,
): string | null {
  const masked = maskText(text);
  const list = tokens(masked);
  const { found, hits } = phraseHits(list, searchWords(q));
  if (!found || hits.length === 0) return null;
  const marked = new Set<number>();
  for (const [from, to] of hits) for (let i = from; i < to; i++) marked.add(i);
  const first = Math.min(...hits.map(([from]) => from));
  const startToken = Math.max(0, Math.min(first - 2, list.length - SNIPPET_TOKENS));
  const endToken = Math.min(list.length, startToken + SNIPPET_TOKENS);
  const from = startToken === 0 ? 0 : list[startToken]!.start;
  const to = endToken === list.length ? masked.length : list[endToken - 1]!.end;
  let out = startToken === 0 ? "" : "…";
  let at = from;
  for (let i = startToken; i < endToken; i++) {
    const t = list[i]!;
    if (!marked.has(i)) continue;
    out += masked.slice(at, t.start) + open + masked.slice(t.start, t.end) + close;
    at = t.end;
  }
  out += masked.slice(at, to);
  return endToken === list.length ? out : `${out}…`;
}
