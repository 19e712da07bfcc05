/**
 * Reactions are messages of their own on the wire, but the desktop shows
 * them as a badge on the message reacted to. Pure.
 */
import type { MessageView } from "../../../shared/protocol.ts";

/** What the list shows: each target's current reaction, and which reaction messages to hide. */
export interface ReactionIndex {
  /** Target message id → the customer's current emoji (a removal deletes the entry). */
  byTarget: ReadonlyMap<string, string>;
  /** Reaction messages drawn as a badge (or a removal), not as bubbles. */
  hidden: ReadonlySet<string>;
}

/**
 * Folds the reactions in `messages` (ordered by seq): the latest per target
 * wins; a reaction whose target is not among `messages` stays visible as a
 * small line of its own.
 */
export function indexReactions(messages: readonly MessageView[]): ReactionIndex {
  const ids = new Set(messages.map((m) => m.id));
  const byTarget = new Map<string, string>();
  const hidden = new Set<string>();
  for (const m of messages) {
    if (m.content?.type !== "reaction") continue;
    const target = m.content.targetId;
    if (target === null || !ids.has(target)) continue;
    hidden.add(m.id);
    if (m.content.emoji) byTarget.set(target, m.content.emoji);
    else byTarget.delete(target);
  }
  return { byTarget, hidden };
}
