/** A search snippet with its matches in <mark>, built from text nodes only (never HTML). */
import { splitSnippet } from "../snippets.ts";

export function Snippet({ text }: { text: string }) {
  return (
    <>
      {splitSnippet(text).map((part, index) =>
        // Parts never reorder, so their position is a stable key.
        part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </>
  );
}
