/**
 * "My conversations": one button per conversation labelled with the customer's name (or
 * phone), the managed number, its unread count and, while the customer waits unread, a
 * live "time since the last unread customer message". On narrow screens the list is a
 * drawer (`drawerOpen`) over the conversation; Escape inside it closes it.
 */
import type { ConversationView } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";
import { Elapsed } from "./Timers.tsx";

interface ConversationListProps {
  conversations: readonly ConversationView[];
  selectedId: string | null;
  unread: (conversationId: string) => number;
  /** When the newest unread customer message arrived, or null when all is read. */
  unreadSince?: (conversationId: string) => number | null;
  onSelect: (conversationId: string) => void;
  /** Narrow screens only: whether the drawer is pulled out, and how to push it back. */
  drawerOpen?: boolean;
  onCloseDrawer?: () => void;
}

/** What to call the customer: their name, else their phone. */
export function customerLabel(conversation: ConversationView, fallback: string): string {
  return conversation.customer.name.trim() || conversation.customer.phone || fallback;
}

export function ConversationList({
  conversations,
  selectedId,
  unread,
  unreadSince = () => null,
  onSelect,
  drawerOpen = false,
  onCloseDrawer,
}: ConversationListProps) {
  const { t } = useI18n();
  return (
    <nav
      id="conversation-list"
      class={drawerOpen ? "conversation-list is-open" : "conversation-list"}
      aria-labelledby="conversations-heading"
      onKeyDown={(e) => {
        if (e.key === "Escape" && drawerOpen && onCloseDrawer) {
          e.stopPropagation();
          onCloseDrawer();
        }
      }}
    >
      <h2 id="conversations-heading" tabIndex={-1}>
        {t("list.title")}
      </h2>
      {conversations.length === 0 ? (
        <p class="empty-state">{t("list.empty")}</p>
      ) : (
        <ul>
          {conversations.map((conversation, index) => {
            const count = unread(conversation.id);
            const since = count > 0 ? unreadSince(conversation.id) : null;
            const selected = conversation.id === selectedId;
            return (
              <li key={conversation.id}>
                <button
                  type="button"
                  class={selected ? "conversation-item is-selected" : "conversation-item"}
                  data-conversation-id={conversation.id}
                  aria-current={selected ? "true" : undefined}
                  aria-keyshortcuts={index < 9 ? `Alt+${index + 1}` : undefined}
                  onClick={() => onSelect(conversation.id)}
                >
                  <span class="conversation-name">
                    {customerLabel(conversation, t("app.none"))}
                  </span>
                  {count > 0 && (
                    <span class="badge">
                      <span aria-hidden="true">{count}</span>
                      <span class="visually-hidden">{t("list.unread", { n: count })}</span>
                    </span>
                  )}
                  <span class="conversation-number">{conversation.numberName}</span>
                  <span class="conversation-meta">
                    <span class={`state state-${conversation.state}`}>
                      {t(`state.${conversation.state}`)}
                    </span>
                    {since !== null && (
                      <span class="since-unread" data-since={since}>
                        <span class="visually-hidden">{t("convList.sinceUnread")} </span>
                        <Elapsed since={since} label={t("convList.sinceUnread")} />
                      </span>
                    )}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
