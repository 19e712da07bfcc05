/**
 * The reply box: Enter sends, Shift+Enter breaks the line, 4096 characters at most
 * with a counter that warns near the limit. Its toolbar (desk/composer) adds
 * emoji, attachments, voice notes, locations, predefined messages, video-call
 * links and dictation. Once WhatsApp's 24-hour window has closed it says so and
 * sends nothing (only templates may go out then; the server refuses the rest too).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { customerWindowOpen, MAX_TEXT_LENGTH, type SendContent } from "../../shared/protocol.ts";
import { useNow } from "../clock.ts";
import { ComposerTools } from "../desk/composer/ComposerTools.tsx";
import { insertAt } from "../desk/composer/pickers.ts";
import "../desk/composer/composer.css";
import { useI18n } from "../i18n.ts";
import { useLifecycle } from "../lifecycle/actions.ts";

/** From here on the counter warns that the limit is near. */
const NEAR_LIMIT = MAX_TEXT_LENGTH - 200;

/** Unsent drafts per conversation, kept while the page lives so switching loses nothing. */
const drafts = new Map<string, string>();

/** Forgets every draft (on logout: the next person at this browser must not see them). */
export function clearDrafts(): void {
  drafts.clear();
}

interface ComposerProps {
  conversationId: string;
  /** When the customer last wrote (ms), for the 24-hour window. */
  lastCustomerMessageAt: number | null;
  onSend: (text: string) => void;
  /** Sends what the toolbar composed (a file, a location, a predefined message); `summary` shows while it goes. */
  onSendContent: (content: SendContent, summary: string) => void;
}

/** Mount with `key={conversationId}`: each conversation has its own draft. */
export function Composer({
  conversationId,
  lastCustomerMessageAt,
  onSend,
  onSendContent,
}: ComposerProps) {
  const { t } = useI18n();
  const windowOpen = customerWindowOpen(lastCustomerMessageAt, useNow());
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const lifecycle = useLifecycle();

  // Opening a conversation means the agent is about to answer it.
  useEffect(() => {
    textareaRef.current?.focus();
  }, []);

  function update(input: string) {
    // maxlength stops typing; this also stops a paste or a script from going over.
    const value = input.slice(0, MAX_TEXT_LENGTH);
    const textarea = textareaRef.current;
    if (textarea && textarea.value !== value) textarea.value = value;
    setText(value);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  }

  /** Puts `insert` at the caret (replacing a selection) and keeps typing there. */
  function insert(piece: string, spaced = false) {
    const textarea = textareaRef.current;
    const start = textarea?.selectionStart ?? text.length;
    const end = textarea?.selectionEnd ?? text.length;
    const next = insertAt(text, start, end, piece, MAX_TEXT_LENGTH, spaced);
    update(next.text);
    if (next.text) lifecycle?.typing(conversationId);
    if (textarea) {
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
    }
  }

  function send() {
    const trimmed = text.trim();
    if (!trimmed || !windowOpen) return;
    onSend(trimmed);
    update("");
    textareaRef.current?.focus();
  }

  const length = text.length;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="composer" class="visually-hidden">
        {t("composer.label")}
      </label>
      {!windowOpen && (
        <p id="composer-window" class="composer-window" role="status">
          {t("composer.windowClosed")}
        </p>
      )}
      <textarea
        id="composer"
        ref={textareaRef}
        rows={3}
        maxLength={MAX_TEXT_LENGTH}
        placeholder={t("composer.placeholder")}
        value={text}
        disabled={!windowOpen}
        aria-describedby={windowOpen ? "composer-count" : "composer-window composer-count"}
        onInput={(e) => {
          update(e.currentTarget.value);
          // The server cancels a pending welcome-on-assignment once the agent types.
          if (e.currentTarget.value) lifecycle?.typing(conversationId);
        }}
        onKeyDown={(e) => {
          // isComposing: Enter confirms an IME candidate, it must not send.
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="composer-actions">
        <ComposerTools
          conversationId={conversationId}
          enabled={windowOpen}
          insert={insert}
          onSendContent={onSendContent}
        />
        <span
          id="composer-count"
          class={
            length >= MAX_TEXT_LENGTH
              ? "char-count is-full"
              : length >= NEAR_LIMIT
                ? "char-count is-near"
                : "char-count"
          }
          aria-live="off"
          title={t("composer.countLabel", { n: length, max: MAX_TEXT_LENGTH })}
        >
          {t("composer.count", { n: length, max: MAX_TEXT_LENGTH })}
        </span>
        {length >= NEAR_LIMIT && length < MAX_TEXT_LENGTH && (
          <span id="composer-near-limit" class="visually-hidden" role="status">
            {t("compose.nearLimit", { left: MAX_TEXT_LENGTH - length })}
          </span>
        )}
        <button
          id="send-button"
          type="submit"
          class="button button-primary"
          disabled={!windowOpen || text.trim().length === 0}
        >
          {t("composer.send")}
        </button>
      </div>
    </form>
  );
}
