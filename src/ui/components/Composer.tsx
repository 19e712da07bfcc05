/** The reply box: Enter sends, Shift+Enter breaks the line, 4096 characters at most. */
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_TEXT_LENGTH } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";

/** Unsent drafts per conversation, kept while the page lives so switching loses nothing. */
const drafts = new Map<string, string>();

/** Forgets every draft (on logout: the next person at this browser must not see them). */
export function clearDrafts(): void {
  drafts.clear();
}

interface ComposerProps {
  conversationId: string;
  onSend: (text: string) => void;
}

/** Mount with `key={conversationId}`: each conversation has its own draft. */
export function Composer({ conversationId, onSend }: ComposerProps) {
  const { t } = useI18n();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const textareaRef = useRef<HTMLTextAreaElement>(null);

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
    if (!trimmed) return;
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
      <textarea
        id="composer"
        ref={textareaRef}
        rows={3}
        maxLength={MAX_TEXT_LENGTH}
        placeholder={t("composer.placeholder")}
        value={text}
        aria-describedby="composer-count"
        onInput={(e) => update(e.currentTarget.value)}
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
          disabled={text.trim().length === 0}
        >
          {t("composer.send")}
        </button>
      </div>
    </form>
  );
}
