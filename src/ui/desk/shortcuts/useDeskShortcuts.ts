/**
 * The desk's keyboard handler: one window listener that matches presses against the
 * registry and runs the desk's actions. Nothing fires while a modal dialog is open
 * (its own keys rule there), and plain keys never fire while typing.
 */
import { useEffect, useRef } from "preact/hooks";
import { isTextField, type Match, matchShortcut, stepConversation } from "./registry.ts";

/** What the shortcuts can do on the desk. */
export interface ShortcutHandlers {
  /** My conversations' ids in list order, and the one on screen. */
  conversationIds: () => readonly string[];
  selectedId: () => string | null;
  open: (conversationId: string) => void;
  /** Accepts the oldest pending offer (false when there is none). */
  acceptOldest: () => boolean;
  showWaiting: () => void;
  showHelp: () => void;
}

/** Registers the listener for as long as the desk is mounted. */
export function useDeskShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (document.querySelector("dialog[open]")) return;
      const focused = document.activeElement;
      const match = matchShortcut(
        event,
        isTextField(focused),
        focused instanceof HTMLSelectElement,
      );
      if (match && run(match, latest.current)) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}

/** Runs one matched shortcut; false when it had nothing to act on (the key then passes). */
function run(match: Match, h: ShortcutHandlers): boolean {
  switch (match.action) {
    case "next":
    case "previous": {
      const ids = h.conversationIds();
      const target = stepConversation(ids, h.selectedId(), match.action === "next" ? 1 : -1);
      if (target === null) return false;
      h.open(target);
      return true;
    }
    case "nth": {
      const target = h.conversationIds()[(match.index ?? 0) - 1];
      if (!target) return false;
      h.open(target);
      return true;
    }
    case "accept":
      return h.acceptOldest();
    case "close":
      return clickIfThere("close-conversation");
    case "reply":
      return focusIfThere("composer");
    case "waiting":
      h.showWaiting();
      return true;
    case "help":
      h.showHelp();
      return true;
    default:
      return false;
  }
}

function clickIfThere(id: string): boolean {
  const element = document.getElementById(id);
  if (!(element instanceof HTMLButtonElement) || element.disabled) return false;
  element.click();
  return true;
}

function focusIfThere(id: string): boolean {
  const element = document.getElementById(id);
  if (!(element instanceof HTMLElement)) return false;
  element.focus();
  return true;
}
