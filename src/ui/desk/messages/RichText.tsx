/** Message text with its http(s), mailto and tel links clickable; never raw HTML. */
import { linkify } from "./linkify.ts";

export function RichText({
  text,
  class: className = "message-text",
}: {
  text: string;
  class?: string;
}) {
  return (
    <p class={className}>
      {linkify(text).map((part, i) =>
        part.kind === "link" ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
