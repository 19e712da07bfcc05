/** "My conversations": one button per conversation, with its timer and unread count. */
import type { ConversationView } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";
import { Elapsed } from "./Timers.tsx";

interface ConversationListProps {
  conversations: readonly ConversationView[];
  selectedId: string | null;
  unread: (conversationId: string) => number;
  onSelect: (conversationId: string) => void;
}

/** What to call the customer: their name, else their phone. */
export function customerLabel(conversation: ConversationView, fallback: string): string {
  return conversation.customer.name.trim() || conversation.customer.phone || fallback;
}

export function ConversationList({
  conversations,
  selectedId,
  unread,
  onSelect,
}: ConversationListProps) {
  const { t } = useI18n();
  return (
    <nav class="conversation-list" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading" tabIndex={-1}>
        {t("list.title")}
      </h2>
      {conversations.length === 0 ? (
        <p class="empty-state">{t("list.empty")}</p>
      ) : (
        <ul>
          {conversations.map((conversation, index) => {
            const count = unread(conversation.id);
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
                    {conversation.lastCustomerMessageAt !== null && (
                      <Elapsed
                        since={conversation.lastCustomerMessageAt}
                        label={t("list.sinceLast")}
                      />
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
