/**
 * The reply box: Enter sends, Shift+Enter breaks the line, 4096 characters at most.
 * Once WhatsApp's 24-hour window has closed it says so and sends nothing (only
 * templates may go out then; the server refuses free text too).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { customerWindowOpen, MAX_TEXT_LENGTH } from "../../shared/protocol.ts";
import { useNow } from "../clock.ts";
import { useI18n } from "../i18n.ts";
import { useLifecycle } from "../lifecycle/actions.ts";

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
}

/** Mount with `key={conversationId}`: each conversation has its own draft. */
export function Composer({ conversationId, lastCustomerMessageAt, onSend }: ComposerProps) {
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
        <span
          id="composer-count"
          class={length >= MAX_TEXT_LENGTH ? "char-count is-full" : "char-count"}
          aria-live="off"
          title={t("composer.countLabel", { n: length, max: MAX_TEXT_LENGTH })}
        >
          {t("composer.count", { n: length, max: MAX_TEXT_LENGTH })}
        </span>
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
