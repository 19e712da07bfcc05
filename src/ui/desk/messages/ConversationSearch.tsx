/**
 * Search inside the open conversation (header of the pane): the server finds
 * the messages containing the words, newest first; choosing one scrolls the
 * message area to it. Ctrl+F inside the pane focuses the box; Escape closes
 * the results and gives focus back to the box.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { MessageView } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { messagesApi } from "./api.ts";

type Results =
  | { kind: "idle" }
  | { kind: "searching"; q: string }
  | { kind: "done"; q: string; messages: MessageView[] }
  | { kind: "failed"; q: string; message: string };

interface Props {
  conversationId: string;
  onChoose: (message: MessageView) => void;
  /** Why the chosen message could not be shown, if so. */
  chooseError: string | null;
}

export function ConversationSearch({ conversationId, onChoose, chooseError }: Props) {
  const { t, language } = useI18n();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<Results>({ kind: "idle" });
  const inputRef = useRef<HTMLInputElement>(null);
  const searchId = useRef(0);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "f") return;
      const pane = inputRef.current?.closest(".conversation-pane");
      if (!pane || !(document.activeElement && pane.contains(document.activeElement))) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  const search = async () => {
    const text = q.trim();
    if (!text) return;
    const id = ++searchId.current;
    setResults({ kind: "searching", q: text });
    try {
      const { messages } = await messagesApi.search(conversationId, text);
      if (id === searchId.current) setResults({ kind: "done", q: text, messages });
    } catch (error) {
      if (id !== searchId.current) return;
      setResults({
        kind: "failed",
        q: text,
        message: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
      });
    }
  };

  const close = () => {
    searchId.current++;
    setResults({ kind: "idle" });
    inputRef.current?.focus();
  };

  return (
    <search>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape" && results.kind !== "idle") {
            event.preventDefault();
            close();
          }
        }}
        class="conversation-search"
      >
        <label class="visually-hidden" for="conversation-search">
          {t("messages.search.label")}
        </label>
        <input
          id="conversation-search"
          ref={inputRef}
          type="search"
          maxLength={200}
          placeholder={t("messages.search.placeholder")}
          value={q}
          onInput={(event) => setQ(event.currentTarget.value)}
          aria-controls="conversation-search-results"
        />
        <button type="submit" class="button" id="conversation-search-submit">
          {t("messages.search.submit")}
        </button>
        {results.kind !== "idle" && (
          <div id="conversation-search-results" class="search-results" aria-live="polite">
            <button type="button" class="link-button search-close" onClick={close}>
              {t("messages.search.close")}
            </button>
            {results.kind === "searching" && (
              <p class="search-status">{t("messages.search.searching")}</p>
            )}
            {results.kind === "failed" && (
              <p class="message-error" role="alert">
                {t("messages.search.failed", { message: results.message })}
              </p>
            )}
            {results.kind === "done" && results.messages.length === 0 && (
              <p class="search-status">{t("messages.search.empty", { q: results.q })}</p>
            )}
            {results.kind === "done" && results.messages.length > 0 && (
              <>
                <p class="search-status">
                  {t("messages.search.count", { count: results.messages.length })}
                </p>
                <ol>
                  {results.messages.map((message) => (
                    <li key={message.id}>
                      <button
                        type="button"
                        class="search-hit"
                        data-message-id={message.id}
                        onClick={() => onChoose(message)}
                      >
                        <span class="search-hit-text">{highlight(message.text, results.q)}</span>
                        <span class="search-hit-meta">
                          {formatTime(language, message.createdAt)}
                        </span>
                      </button>
                    </li>
                  ))}
                </ol>
              </>
            )}
            {chooseError && (
              <p class="message-error" role="alert">
                {chooseError}
              </p>
            )}
          </div>
        )}
      </form>
    </search>
  );
}

/** The text around the first match, with the match marked. */
function highlight(text: string, q: string) {
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  if (at === -1) return text.slice(0, 140);
  const start = Math.max(0, at - 50);
  return (
    <>
      {start > 0 && "…"}
      {text.slice(start, at)}
      <mark>{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length, at + q.length + 80)}
    </>
  );
}
