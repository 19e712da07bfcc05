/** The selected conversation: who it is with, its messages, the composer and Close. */
import { useState } from "preact/hooks";
import type {
  CloseBody,
  ConversationView,
  MessageView,
  SendContent,
} from "../../shared/protocol.ts";
import { DetailsPane, DetailsToggle, useDetailsOpen } from "../desk/details/DetailsPane.tsx";
import { ConversationSearch } from "../desk/messages/ConversationSearch.tsx";
import { usePaging } from "../desk/messages/usePaging.ts";
import { useI18n } from "../i18n.ts";
import { ConversationTools, Participants, useIsGuest } from "../lifecycle/ConversationTools.tsx";
import type { OutboxEntry } from "../state.ts";
import { CloseDialog } from "./CloseDialog.tsx";
import { Composer } from "./Composer.tsx";
import { customerLabel } from "./ConversationList.tsx";
import { LoadError, Loading } from "./Feedback.tsx";
import { MessageList } from "./MessageList.tsx";

/** Whether the full history of a conversation has been fetched. */
export type HistoryStatus =
  | { kind: "loading" }
  | { kind: "loaded" }
  | { kind: "failed"; message: string };

interface ConversationPaneProps {
  conversation: ConversationView;
  history: HistoryStatus | undefined;
  messages: readonly MessageView[];
  outbox: readonly OutboxEntry[];
  agentName: string;
  onRetryLoad: () => void;
  onSend: (text: string) => void;
  onSendContent: (content: SendContent, summary: string) => void;
  onRetrySend: (clientId: string) => void;
  /** Resends a "not confirmed" or failed message as a new one (rejects with the API's error). */
  onResend: (messageId: string) => Promise<void>;
  onClose: (body: CloseBody) => Promise<void>;
  /** Earlier messages fetched by the message area (scrolling back, search): merge them. */
  onMessages: (messages: readonly MessageView[]) => void;
}

export function ConversationPane({
  conversation,
  history,
  messages,
  outbox,
  agentName,
  onRetryLoad,
  onSend,
  onSendContent,
  onRetrySend,
  onResend,
  onClose,
  onMessages,
}: ConversationPaneProps) {
  const { t } = useI18n();
  const [closing, setClosing] = useState(false);
  const name = customerLabel(conversation, t("app.none"));
  // The owner closes; a conference guest can only leave.
  const guest = useIsGuest(conversation);
  const details = useDetailsOpen();
  const paging = usePaging(conversation.id, messages, onMessages);

  return (
    <section class="conversation-pane" aria-labelledby="conversation-title">
      <header class="conversation-header">
        <div>
          <h2 id="conversation-title">{name}</h2>
          <dl class="conversation-facts">
            <div>
              <dt>{t("conversation.phone")}</dt>
              <dd>{conversation.customer.phone ?? t("app.none")}</dd>
            </div>
            <div>
              <dt>{t("conversation.number")}</dt>
              <dd>{conversation.numberName}</dd>
            </div>
            <div>
              <dt>{t("conversation.skillset")}</dt>
              <dd>{conversation.skillsetName ?? t("app.none")}</dd>
            </div>
          </dl>
          <Participants conversation={conversation} />
        </div>
        <ConversationSearch
          conversationId={conversation.id}
          onChoose={(message) => void paging.show(message.id, message.seq)}
          chooseError={paging.showError}
        />
        <DetailsToggle open={details.open} onToggle={details.toggle} />
        <ConversationTools conversation={conversation} customerName={name} />
        {!guest && (
          <button
            id="close-conversation"
            type="button"
            class="button button-danger-outline"
            aria-haspopup="dialog"
            onClick={() => setClosing(true)}
          >
            {t("close.button")}
          </button>
        )}
      </header>

      {history?.kind === "failed" ? (
        <div class="messages-placeholder">
          <LoadError
            message={t("conversation.loadFailed", { message: history.message })}
            onRetry={onRetryLoad}
          />
        </div>
      ) : history?.kind === "loading" && messages.length === 0 ? (
        <div class="messages-placeholder">
          <Loading />
        </div>
      ) : (
        <MessageList
          conversationId={conversation.id}
          customerName={name}
          agentName={agentName}
          messages={messages}
          outbox={outbox}
          onRetry={onRetrySend}
          onResend={onResend}
          older={history?.kind === "loaded" ? paging.older : undefined}
          highlightId={paging.highlightId}
          onShowQuoted={(id) => void paging.show(id)}
        />
      )}

      <Composer
        key={conversation.id}
        conversationId={conversation.id}
        lastCustomerMessageAt={conversation.lastCustomerMessageAt}
        onSend={onSend}
        onSendContent={onSendContent}
      />

      <DetailsPane conversation={conversation} open={details.open} onClose={details.close} />

      {closing && (
        <CloseDialog
          conversationId={conversation.id}
          customerName={name}
          onCancel={() => setClosing(false)}
          onConfirm={async (body) => {
            await onClose(body);
            setClosing(false);
          }}
        />
      )}
    </section>
  );
}
