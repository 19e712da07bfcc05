/**
 * Throttles "the agent is typing" notices: at most one per conversation every
 * `intervalMs`, however fast the agent types. Pure apart from the clock it is given.
 */

/** How often a conversation's typing notice may repeat. */
export const TYPING_INTERVAL_MS = 3000;

/** Decides, per keystroke, whether to tell the server that the agent is typing. */
export interface TypingThrottle {
  /** True when a notice for `conversationId` is due at `now` (and records it as sent). */
  shouldSend(conversationId: string, now: number): boolean;
}

/** A throttle that lets one notice through per conversation per `intervalMs`. */
export function createTypingThrottle(intervalMs = TYPING_INTERVAL_MS): TypingThrottle {
  const lastSent = new Map<string, number>();
  return {
    shouldSend(conversationId, now) {
      const last = lastSent.get(conversationId);
      if (last !== undefined && now - last < intervalMs && now >= last) return false;
      lastSent.set(conversationId, now);
      return true;
    },
  };
}
