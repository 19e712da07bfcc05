/**
 * Unread customer messages as the chrome needs them: since when a conversation has been
 * waiting for the agent (the list's timer), how many things ask for attention (the tab
 * title), and which customer messages are new since the last look (notifications). Pure.
 */
import type { MessageView } from "../../../shared/protocol.ts";

/**
 * When the newest customer message the agent has not read arrived (epoch ms), or null
 * when every customer message up to `readSeq` has been seen. Only messages we hold count:
 * the desk fetches the missing ones of every conversation as soon as it learns of them.
 */
export function lastUnreadAt(messages: readonly MessageView[], readSeq: number): number | null {
  let latest: number | null = null;
  for (const message of messages) {
    if (message.direction !== "in" || message.seq <= readSeq) continue;
    if (latest === null || message.createdAt > latest) latest = message.createdAt;
  }
  return latest;
}

/** "(3) Parley — Agent desktop" while `count` things wait, the plain title otherwise. */
export function titleWithCount(title: string, count: number): string {
  return count > 0 ? `(${count}) ${title}` : title;
}

/**
 * The customer messages of `messages` with a seq above `seenSeq` and above `readSeq`:
 * what arrived since we last looked and is still unread. Oldest first.
 */
export function freshCustomerMessages(
  messages: readonly MessageView[],
  seenSeq: number,
  readSeq: number,
): MessageView[] {
  const floor = Math.max(seenSeq, readSeq);
  return messages.filter((m) => m.direction === "in" && m.seq > floor);
}
