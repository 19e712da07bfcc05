/**
 * The message area: customer on the left, us on the right, each message drawn by its
 * content (src/ui/desk/messages), reactions as badges on what they react to, ticks with
 * their times. Scrolling to the top loads earlier messages (a button does the same from
 * the keyboard) without moving what the agent is reading.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from "preact/hooks";
import type { MessageView } from "../../shared/protocol.ts";
import { MessageBody } from "../desk/messages/MessageBody.tsx";
import { MessageMeta, Ticks } from "../desk/messages/MessageMeta.tsx";
import { indexReactions } from "../desk/messages/reactions.ts";
import { SendProblem } from "../desk/messages/SendProblem.tsx";
import "../desk/messages/messages.css";
import { formatTime, useI18n } from "../i18n.ts";
import type { OutboxEntry } from "../state.ts";

/** Earlier messages: whether some remain, and how loading them goes. */
export interface OlderMessages {
  hasOlder: boolean;
  loading: boolean;
  error: string | null;
  load: () => void;
}

interface MessageListProps {
  conversationId: string;
  customerName: string;
  agentName: string;
  messages: readonly MessageView[];
  outbox: readonly OutboxEntry[];
  onRetry: (clientId: string) => void;
  /** Sends one of our "not confirmed" or failed messages again, as a new message. */
  onResend?: (messageId: string) => Promise<void>;
  older?: OlderMessages;
  /** A message to scroll to and mark (a search hit, a quoted message). */
  highlightId?: string | null;
  /** The agent asked to see a quoted message. */
  onShowQuoted?: (messageId: string) => void;
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
  onResend,
  older,
  highlightId = null,
  onShowQuoted,
}: MessageListProps) {
  const { t, language } = useI18n();
  const listRef = useRef<HTMLDivElement>(null);
  const itemsRef = useRef<HTMLOListElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const lastConversation = useRef(conversationId);
  const lastFirstSeq = useRef<number | null>(null);
  const lastHeight = useRef(0);
  const firstSeq = messages[0]?.seq ?? null;

  // Follow new messages while the agent is at the bottom; never yank them away from
  // something older they scrolled up to read. A newly opened conversation starts at the
  // end; earlier messages added above keep what is on screen where it was.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (lastConversation.current !== conversationId) {
      lastConversation.current = conversationId;
      stickToBottom.current = true;
    } else if (
      firstSeq !== null &&
      lastFirstSeq.current !== null &&
      firstSeq < lastFirstSeq.current &&
      !stickToBottom.current
    ) {
      list.scrollTop += list.scrollHeight - lastHeight.current;
    }
    if (stickToBottom.current) list.scrollTop = list.scrollHeight;
    lastFirstSeq.current = firstSeq;
    lastHeight.current = list.scrollHeight;
  }, [conversationId, messages, outbox, firstSeq]);

  // Pictures and players take their height once loaded: stay at the bottom meanwhile.
  useEffect(() => {
    const list = listRef.current;
    const items = itemsRef.current;
    if (!list || !items || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) list.scrollTop = list.scrollHeight;
      lastHeight.current = list.scrollHeight;
    });
    observer.observe(items);
    return () => observer.disconnect();
  }, []);

  // Reaching the top loads the previous page (observed afresh after each page, so a
  // short page that leaves the top in view loads the next one too).
  const canLoad = older?.hasOlder === true && !older.loading && older.error === null;
  const load = older?.load;
  useEffect(() => {
    const list = listRef.current;
    const sentinel = sentinelRef.current;
    if (!canLoad || !load || !list || !sentinel || typeof IntersectionObserver === "undefined") {
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && list.scrollHeight > list.clientHeight) load();
      },
      { root: list, rootMargin: "200px 0px 0px 0px" },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [canLoad, load, firstSeq]);

  // Scroll to a highlighted message once, as soon as it is drawn (it may arrive with a page).
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!highlightId || scrolledTo.current === highlightId) return;
    const element = listRef.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(highlightId)}"]`,
    );
    if (!element) return;
    scrolledTo.current = highlightId;
    stickToBottom.current = false;
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
  }, [highlightId, messages]);

  const reactions = useMemo(() => indexReactions(messages), [messages]);
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
      {older && messages.length > 0 && (
        <div class="messages-older" ref={sentinelRef}>
          {older.hasOlder ? (
            <>
              <button
                id="load-earlier"
                type="button"
                class="link-button"
                disabled={older.loading}
                onClick={older.load}
              >
                {older.loading ? t("messages.loadingEarlier") : t("messages.loadEarlier")}
              </button>
              {older.error && (
                <p class="message-error" role="alert">
                  {t("messages.earlierFailed", { message: older.error })}
                </p>
              )}
            </>
          ) : (
            <p class="messages-start">{t("messages.start")}</p>
          )}
        </div>
      )}
      {messages.length === 0 && outbox.length === 0 && (
        <p class="empty-state">{t("conversation.empty")}</p>
      )}
      <ol class="message-items" ref={itemsRef}>
        {messages.map((message) => {
          if (reactions.hidden.has(message.id)) return null;
          const reaction = reactions.byTarget.get(message.id);
          const sender = senderLabel(message);
          return (
            <li
              key={message.id}
              class={`message message-${message.direction}${message.kind === "text" ? "" : " message-media"}${message.kind === "note" ? " message-note" : ""}${message.id === highlightId ? " is-hit" : ""}${reaction ? " has-reaction" : ""}`}
              data-direction={message.direction}
              data-status={message.status ?? ""}
              data-message-id={message.id}
              data-kind={message.content?.type === "media" ? message.content.kind : message.kind}
              tabIndex={-1}
            >
              <span class="message-sender">
                {message.kind === "note" ? t("messages.noteLabel") : sender}
              </span>
              {message.replyTo && (
                <button
                  type="button"
                  class={`message-quote message-quote-${message.replyTo.direction}`}
                  aria-label={t("messages.quote.label", { text: message.replyTo.excerpt })}
                  onClick={() => onShowQuoted?.(message.replyTo!.id)}
                >
                  <span class="quote-author">
                    {message.replyTo.direction === "in" ? customerName : t("messages.quote.us")}
                  </span>
                  <span class="quote-text">{message.replyTo.excerpt}</span>
                </button>
              )}
              <MessageBody message={message} />
              {message.direction === "out" &&
                message.kind !== "note" &&
                (message.status === "failed" || message.status === "unconfirmed") && (
                  <SendProblem message={message} onResend={onResend} />
                )}
              <MessageMeta message={message} senderName={sender} />
              {reaction && (
                <span
                  class="reaction-badge"
                  role="img"
                  aria-label={t("messages.reaction.badge", { emoji: reaction })}
                >
                  {reaction}
                </span>
              )}
            </li>
          );
        })}
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
