/** The message area: customer on the left, us on the right, with delivery ticks. */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { MessageView, Tick } from "../../shared/protocol.ts";
import { formatTime, useI18n } from "../i18n.ts";
import type { OutboxEntry } from "../state.ts";

interface MessageListProps {
  conversationId: string;
  customerName: string;
  agentName: string;
  messages: readonly MessageView[];
  outbox: readonly OutboxEntry[];
  onRetry: (clientId: string) => void;
}

/** Pixels from the bottom within which we keep following new messages. */
const STICKY_PX = 80;

export function MessageList({
  conversationId,
  customerName,
  agentName,
  messages,
  outbox,
  onRetry,
}: MessageListProps) {
  const { t, language } = useI18n();
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const lastConversation = useRef(conversationId);

  // Follow new messages while the agent is at the bottom; never yank them away from
  // something older they scrolled up to read. A newly opened conversation starts at the end.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (lastConversation.current !== conversationId) {
      lastConversation.current = conversationId;
      stickToBottom.current = true;
    }
    if (stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [conversationId, messages, outbox]);

  const label = t("conversation.messages", { name: customerName });
  return (
    <div
      id="messages"
      ref={listRef}
      class="messages"
      role="log"
      aria-label={label}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
      }}
    >
      {messages.length === 0 && outbox.length === 0 && (
        <p class="empty-state">{t("conversation.empty")}</p>
      )}
      <ol class="message-items">
        {messages.map((message) => (
          <li
            key={message.id}
            class={`message message-${message.direction}${message.kind === "text" ? "" : " message-media"}`}
            data-direction={message.direction}
            data-status={message.status ?? ""}
            data-message-id={message.id}
          >
            <span class="message-sender">{senderLabel(message)}</span>
            <p class="message-text">{message.text}</p>
            {message.status === "failed" && message.error && (
              <p class="message-error">
                {message.error.code} {message.error.title}
              </p>
            )}
            <span class="message-meta">
              <time dateTime={new Date(message.createdAt).toISOString()}>
                {formatTime(language, message.createdAt)}
              </time>
              {message.direction === "out" && message.status && <Ticks status={message.status} />}
            </span>
          </li>
        ))}
        {outbox.map((entry) => (
          <li
            key={entry.clientId}
            class="message message-out message-local"
            data-direction="out"
            data-status={entry.state === "failed" ? "failed" : "pending"}
            data-client-id={entry.clientId}
          >
            <span class="message-sender">{agentName}</span>
            <p class="message-text">{entry.text}</p>
            {entry.state === "failed" && (
              <p class="message-error">
                {t("message.notSent", { message: entry.error ?? t("app.unexpectedError") })}{" "}
                <button type="button" class="link-button" onClick={() => onRetry(entry.clientId)}>
                  {t("message.retry")}
                </button>
              </p>
            )}
            <span class="message-meta">
              <time dateTime={new Date(entry.createdAt).toISOString()}>
                {formatTime(language, entry.createdAt)}
              </time>
              <Ticks status={entry.state === "failed" ? "failed" : "pending"} />
            </span>
          </li>
        ))}
      </ol>
    </div>
  );

  function senderLabel(message: MessageView): string {
    switch (message.sender.type) {
      case "agent":
        return message.sender.name;
      case "system":
        return t("message.system");
      case "customer":
        return customerName;
    }
  }
}

/** Clock while pending, ✓ sent, ✓✓ delivered, blue ✓✓ read/played, red ⚠ failed. */
function Ticks({ status }: { status: Tick }) {
  const { t } = useI18n();
  const label = t(`tick.${status}`);
  return (
    <span class={`ticks ticks-${status}`} role="img" aria-label={label} title={label}>
      {status === "pending" ? <ClockIcon /> : TICK_GLYPHS[status]}
    </span>
  );
}

const TICK_GLYPHS: Record<Exclude<Tick, "pending">, string> = {
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓",
  played: "✓✓",
  failed: "⚠",
};

function ClockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
