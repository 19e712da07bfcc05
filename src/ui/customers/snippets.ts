/**
 * Search snippets of the conversation history: the server marks each match between
 * `MATCH_START` and `MATCH_END`. Splitting them into parts lets the UI wrap matches in <mark> as text nodes,
 * never as HTML, so a message can never inject markup. Pure; unit-tested.
 */
import { MATCH_END, MATCH_START } from "../../shared/customer-history.ts";

/** A run of snippet text; `match` is true for a marked match. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

// A complete pair with no marker inside; a lone marker stays literal text.
const MARKED = new RegExp(`${MATCH_START}([^${MATCH_START}${MATCH_END}]+)${MATCH_END}`, "gu");

/** Splits a snippet into plain and matched parts, in order; empty parts are dropped. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let last = 0;
  for (const found of snippet.matchAll(MARKED)) {
    const start = found.index;
    if (start > last) parts.push({ text: snippet.slice(last, start), match: false });
    parts.push({ text: found[1] as string, match: true });
    last = start + found[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), match: false });
  return parts;
}
