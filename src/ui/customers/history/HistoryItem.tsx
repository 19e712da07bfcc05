/**
 * One past conversation of a customer: its facts (opened, closed, agent, who closed it,
 * reason, notes), the search matches, and its messages on demand — or, when their texts
 * were removed at closing, a note saying so.
 */
import { useCallback, useState } from "preact/hooks";
import type { HistoryConversation, HistoryDetail } from "../../../shared/customer-history.ts";
import { fileKindToName } from "../../../shared/message-content.ts";
import { formatDateTime } from "../../admin/format.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { shortId } from "../format.ts";
import { historyApi } from "./api.ts";
import { Snippet } from "./Snippet.tsx";

type Detail =
  | { kind: "closed" }
  | { kind: "loading" }
  | { kind: "ready"; detail: HistoryDetail }
  | { kind: "failed"; error: unknown };

interface HistoryItemProps {
  customerId: string;
  conversation: HistoryConversation;
  onEmail: (conversation: HistoryConversation) => void;
}

export function HistoryItem({ customerId, conversation: c, onEmail }: HistoryItemProps) {
  const { t, language } = useI18n();
  const [detail, setDetail] = useState<Detail>({ kind: "closed" });
  const open = detail.kind !== "closed";
  const panelId = `history-messages-${c.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const none = t("app.none");

  const load = useCallback(() => {
    setDetail({ kind: "loading" });
    historyApi.detail(customerId, c.id).then(
      (loaded) => setDetail({ kind: "ready", detail: loaded }),
      (error: unknown) => setDetail({ kind: "failed", error }),
    );
  }, [customerId, c.id]);

  const when = (ms: number | null) =>
    ms === null ? (
      none
    ) : (
      <time dateTime={new Date(ms).toISOString()}>{formatDateTime(language, ms)}</time>
    );

  return (
    <li class="history-item" data-id={c.id}>
      <div class="history-head">
        <h3 class="history-title">
          {t("history.conversation")} <code title={c.id}>{shortId(c.id)}</code>
        </h3>
        <span class={`badge-status ${c.closedAt === null ? "state-pending" : "state-active"}`}>
          {c.closedAt === null ? t("history.open") : t("history.closed")}
        </span>
      </div>
      <dl class="facts history-facts">
        <dt>{t("history.openedAt")}</dt>
        <dd class="history-opened">{when(c.openedAt)}</dd>
        <dt>{t("history.closedAt")}</dt>
        <dd class="history-closed">{when(c.closedAt)}</dd>
        <dt>{t("history.where")}</dt>
        <dd>{[c.numberName, c.skillsetName].filter(Boolean).join(" · ") || none}</dd>
        <dt>{t("history.agent")}</dt>
        <dd class="history-agent">{c.agentName ?? c.agentId ?? none}</dd>
        <dt>{t("history.closedBy")}</dt>
        <dd class="history-closed-by">{c.closedByName ?? c.closedBy ?? none}</dd>
        <dt>{t("history.reason")}</dt>
        <dd class="history-reason">{c.closeReason ?? none}</dd>
        <dt>{t("history.notes")}</dt>
        <dd class="history-notes">{c.closeNotes ?? none}</dd>
        <dt>{t("history.messageCount")}</dt>
        <dd>{c.messageCount}</dd>
      </dl>
      {c.matches && c.matches.length > 0 && (
        <ul class="history-matches" aria-label={t("history.matches")}>
          {c.matches.map((match, index) => (
            // Snippets of one conversation may repeat; their order is fixed.
            <li key={index} class="history-match">
              <Snippet text={match} />
            </li>
          ))}
        </ul>
      )}
      <div class="history-actions">
        <button
          type="button"
          class="button history-expand"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => (open ? setDetail({ kind: "closed" }) : load())}
        >
          {open ? t("history.hideMessages") : t("history.showMessages")}
        </button>
        <button type="button" class="button history-email" onClick={() => onEmail(c)}>
          {t("history.email")}
        </button>
      </div>
      <div id={panelId} class="history-messages" hidden={!open}>
        {detail.kind === "loading" && <Loading />}
        {detail.kind === "failed" && (
          <LoadError
            message={t("history.messagesFailed", {
              message: errorMessage(detail.error, t("app.networkError"), t("app.unexpectedError")),
            })}
            onRetry={load}
          />
        )}
        {detail.kind === "ready" && <HistoryMessages detail={detail.detail} />}
      </div>
    </li>
  );
}

/** The messages, customer on the left and us on the right, as on the desktop (also my history's). */
export function HistoryMessages({ detail }: { detail: HistoryDetail }) {
  const { t, language } = useI18n();
  if (!detail.conversation.messagesKept) {
    return <p class="history-not-kept">{t("history.notKept")}</p>;
  }
  if (detail.messages.length === 0) return <p class="empty-state">{t("conversation.empty")}</p>;
  return (
    <ol class="message-items">
      {detail.messages.map((m) => (
        <li
          key={m.seq}
          class={`message message-${m.direction} history-message${m.kind === "text" ? "" : " message-media"}`}
          data-direction={m.direction}
        >
          <span class="message-sender">{m.senderName}</span>
          <p class="message-text">
            {/* A file says what it was, before its caption. */}
            <FileKindLabel kind={m.kind} text={m.text} />
            {m.text ?? t("history.noText", { kind: m.kind })}
          </p>
          {(m.status === "unconfirmed" || m.status === "failed") && (
            <p class="message-error" data-status={m.status}>
              {t(`history.status.${m.status}`)}
            </p>
          )}
          <span class="message-meta">
            <time dateTime={new Date(m.createdAt).toISOString()}>
              {formatDateTime(language, m.createdAt)}
            </time>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** "[Image] " before a file's caption, in the UI's language (a summary already says it). */
function FileKindLabel({ kind, text }: { kind: string; text: string | null }) {
  const { t } = useI18n();
  const file = text === null ? null : fileKindToName(kind, text);
  return file ? <span class="history-kind">[{t(`messages.media.${file}`)}] </span> : null;
}
