/**
 * Earlier messages of the open conversation, a page at a time, and showing a
 * given message (a search hit, a quoted message): what is not loaded yet is
 * fetched first, contiguously with what is, so the list never has holes.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { MessageView } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import type { OlderMessages } from "../../components/MessageList.tsx";
import { useI18n } from "../../i18n.ts";
import { MAX_JUMP, messagesApi, PAGE_SIZE } from "./api.ts";

/** Pages fetched looking for a quoted message whose position we do not know. */
const QUOTE_PAGES = 5;

export interface Paging {
  older: OlderMessages;
  highlightId: string | null;
  /** Scrolls to the message, loading what lies between; `seq` when known. */
  show: (id: string, seq?: number) => Promise<void>;
  clearHighlight: () => void;
  /** Why the last `show` could not show its message (null: it did). */
  showError: string | null;
}

export function usePaging(
  conversationId: string,
  messages: readonly MessageView[],
  onMessages: (messages: readonly MessageView[]) => void,
): Paging {
  const { t } = useI18n();
  const [exhausted, setExhausted] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const [showError, setShowError] = useState<string | null>(null);
  const latest = useRef(messages);
  latest.current = messages;

  useEffect(() => {
    setExhausted(false);
    setError(null);
    setHighlightId(null);
  }, [conversationId]);

  const describe = useCallback(
    (e: unknown) => errorMessage(e, t("app.networkError"), t("app.unexpectedError")),
    [t],
  );
  const firstSeq = messages[0]?.seq ?? null;
  // Seqs start at 1; a first page that reaches further back than what we hold says the rest.
  const hasOlder = firstSeq !== null && firstSeq > 1 && !exhausted;

  /** One page before what we hold (or between `afterSeq` and it). */
  const fetchBefore = useCallback(
    async (limit: number, afterSeq = 0) => {
      const first = latest.current[0]?.seq;
      if (first === undefined) return null;
      const page = await messagesApi.before(conversationId, first, limit, afterSeq);
      onMessages(page.messages);
      if (!page.hasMore && afterSeq === 0) setExhausted(true);
      return page;
    },
    [conversationId, onMessages],
  );

  const load = useCallback(() => {
    if (loading) return;
    setLoading(true);
    setError(null);
    fetchBefore(PAGE_SIZE)
      .catch((e: unknown) => setError(describe(e)))
      .finally(() => setLoading(false));
  }, [loading, fetchBefore, describe]);

  const show = useCallback(
    async (id: string, seq?: number) => {
      setShowError(null);
      try {
        const held = () => latest.current.some((m) => m.id === id);
        const first = latest.current[0]?.seq;
        if (!held() && first !== undefined && seq !== undefined && seq < first) {
          if (first - seq > MAX_JUMP) {
            setShowError(t("messages.search.tooFar"));
            return;
          }
          // A few before the hit too, so it is not the very first line.
          const after = Math.max(0, seq - 6);
          await fetchBefore(Math.min(MAX_JUMP, first - after), after);
        }
        for (let i = 0; !held() && seq === undefined && i < QUOTE_PAGES; i++) {
          const page = await fetchBefore(200);
          if (!page?.hasMore) break;
        }
        if (held()) setHighlightId(id);
        else setShowError(t("messages.search.tooFar"));
      } catch (e) {
        setShowError(t("messages.search.jumpFailed", { message: describe(e) }));
      }
    },
    [fetchBefore, describe, t],
  );

  return {
    older: { hasOlder, loading, error, load },
    highlightId,
    show,
    clearHighlight: () => setHighlightId(null),
    showError,
  };
}
