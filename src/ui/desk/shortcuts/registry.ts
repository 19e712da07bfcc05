/**
 * Every keyboard shortcut of the desk in one list: what it does, the keys shown in the
 * help dialog, and how a key press is matched. Pure, so the help and the handler cannot
 * drift apart and tests can press keys without a browser.
 *
 * Rules: Alt/Ctrl combinations work anywhere, also while typing (they type nothing);
 * plain keys (`?`) only outside text fields. `code` is matched rather than `key` for
 * letters and digits, because on macOS Alt+A types "å".
 */
import type { MessageKey } from "../../i18n.ts";

/** What a shortcut does; the desk maps each to an action. */
export type ShortcutAction =
  | "next"
  | "previous"
  | "nth"
  | "accept"
  | "close"
  | "reply"
  | "waiting"
  | "help";

/** The parts of a key press the registry looks at (a KeyboardEvent has them all). */
export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** One line of the help dialog; `action` null: documented here, handled by its own field. */
export interface Shortcut {
  id: string;
  /** Key caps, e.g. ["Alt", "↓"]. */
  keys: readonly string[];
  label: MessageKey;
  action: ShortcutAction | null;
}

/** The help dialog's lines, in order. */
export const SHORTCUTS: readonly Shortcut[] = [
  { id: "next", keys: ["Alt", "↓"], label: "shortcuts.next", action: "next" },
  { id: "previous", keys: ["Alt", "↑"], label: "shortcuts.previous", action: "previous" },
  { id: "nth", keys: ["Alt", "1…9"], label: "shortcuts.nth", action: "nth" },
  { id: "accept", keys: ["Alt", "A"], label: "shortcuts.accept", action: "accept" },
  { id: "reply", keys: ["Alt", "R"], label: "shortcuts.reply", action: "reply" },
  // The composer owns these two: Enter sends (Ctrl+Enter too), Shift+Enter breaks the line.
  { id: "send", keys: ["Enter"], label: "shortcuts.send", action: null },
  { id: "newline", keys: ["Shift", "Enter"], label: "shortcuts.newline", action: null },
  { id: "close", keys: ["Alt", "C"], label: "shortcuts.close_", action: "close" },
  { id: "waiting", keys: ["Alt", "W"], label: "shortcuts.waiting", action: "waiting" },
  { id: "help", keys: ["?"], label: "shortcuts.help", action: "help" },
];

const ALT_LETTERS: Readonly<Record<string, ShortcutAction>> = {
  KeyA: "accept",
  KeyC: "close",
  KeyR: "reply",
  KeyW: "waiting",
};

/** A matched press: the action, and for `nth` which conversation (1-based). */
export type Match = { action: ShortcutAction; index?: number };

/**
 * The shortcut a key press stands for, or null. `typing`: focus is in a text field,
 * where only Alt combinations count; `inSelect`: Alt+↑/↓ belongs to the select there.
 */
export function matchShortcut(press: KeyPress, typing: boolean, inSelect = false): Match | null {
  if (press.metaKey) return null;
  if (press.altKey && !press.ctrlKey && !press.shiftKey) {
    if (press.key === "ArrowDown") return inSelect ? null : { action: "next" };
    if (press.key === "ArrowUp") return inSelect ? null : { action: "previous" };
    const digit = /^(?:Digit|Numpad)([1-9])$/.exec(press.code);
    if (digit) return { action: "nth", index: Number(digit[1]) };
    const action = ALT_LETTERS[press.code];
    return action ? { action } : null;
  }
  if (!press.altKey && !press.ctrlKey && press.key === "?" && !typing) return { action: "help" };
  return null;
}

/**
 * The conversation `step` places after `currentId` in `ids`, wrapping around at both
 * ends; from nothing selected, the first (forward) or the last (backward). Null: none.
 */
export function stepConversation(
  ids: readonly string[],
  currentId: string | null,
  step: 1 | -1,
): string | null {
  if (ids.length === 0) return null;
  const index = currentId === null ? -1 : ids.indexOf(currentId);
  if (index === -1) return step === 1 ? ids[0]! : ids[ids.length - 1]!;
  return ids[(index + step + ids.length) % ids.length]!;
}

/** Whether focus is somewhere keys type text (so plain-key shortcuts stay away). */
export function isTextField(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLElement && element.isContentEditable) return true;
  return (
    element instanceof HTMLInputElement &&
    !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(
      element.type,
    )
  );
}
