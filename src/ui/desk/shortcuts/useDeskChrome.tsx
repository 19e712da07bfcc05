/**
 * The desk's chrome in one hook, so the Desktop wires it with a single call: keyboard
 * shortcuts, the conversation drawer of narrow screens, the shortcuts help, and each
 * conversation's "since the last unread message". (Notifications and the tab title
 * belong to the desk session, which lives on every page: desk/session/session.tsx.)
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { offerAcceptButton } from "../../components/OfferStack.tsx";
import type { DeskView } from "../../lifecycle/DeskNav.tsx";
import { type DesktopState, unreadCount } from "../../state.ts";
import { lastUnreadAt } from "../notify/unread.ts";
import { ShortcutsDialog } from "./ShortcutsDialog.tsx";
import { useDeskShortcuts } from "./useDeskShortcuts.ts";

interface Options {
  state: DesktopState;
  selectedId: string | null;
  /** Shows one of my conversations in the pane. */
  open: (conversationId: string) => void;
  setView: (view: DeskView) => void;
}

/** What the Desktop passes on to the header and the list, and renders once. */
export interface DeskChrome {
  drawerOpen: boolean;
  /** Opens a conversation chosen in the list, pushing the drawer back. */
  select: (conversationId: string) => void;
  toggleDrawer: () => void;
  closeDrawer: () => void;
  unreadTotal: number;
  unreadSince: (conversationId: string) => number | null;
  showShortcuts: () => void;
  /** The shortcuts help while open; render it anywhere in the desk. */
  dialogs: ComponentChildren;
}

/** Wires the chrome; call once in the Desktop. */
export function useDeskChrome({ state, selectedId, open, setView }: Options): DeskChrome {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);

  // Choosing a conversation (from the drawer, a shortcut or a notification) shows it.
  useEffect(() => setDrawerOpen(false), [selectedId]);

  useDeskShortcuts({
    conversationIds: () => state.conversations.map((c) => c.id),
    selectedId: () => selectedId,
    open,
    acceptOldest: () => {
      // Through the card's own button, so it shows its busy state like a click would.
      const oldest = state.offers[0];
      const button = oldest ? offerAcceptButton(oldest.conversationId) : null;
      if (!button || button.disabled) return false;
      button.click();
      return true;
    },
    showWaiting: () => setView("waiting"),
    showHelp: () => setHelpOpen(true),
  });

  let unreadTotal = 0;
  for (const conversation of state.conversations)
    unreadTotal += unreadCount(state, conversation.id);

  return {
    drawerOpen,
    select: (conversationId) => {
      setDrawerOpen(false);
      open(conversationId);
    },
    toggleDrawer: () => {
      const opening = !drawerOpen;
      setDrawerOpen(opening);
      // Into the drawer for keyboards: the conversation on screen, else the list's title.
      if (opening) {
        requestAnimationFrame(() => {
          const list = document.getElementById("conversation-list");
          list
            ?.querySelector<HTMLElement>('[aria-current="true"], #conversations-heading')
            ?.focus();
        });
      }
    },
    closeDrawer: () => {
      setDrawerOpen(false);
      document.getElementById("conversations-toggle")?.focus();
    },
    unreadTotal,
    unreadSince: (id) => lastUnreadAt(state.messages[id] ?? [], state.readSeq[id] ?? 0),
    showShortcuts: () => setHelpOpen(true),
    dialogs: helpOpen ? <ShortcutsDialog onClose={() => setHelpOpen(false)} /> : null,
  };
}
