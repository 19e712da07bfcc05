/**
 * Sent templates: the templates I sent that the customer has not answered yet
 * (`tr[data-conversation]`: customer, number, template, when, its tick), refreshed every
 * few seconds and whenever my desk changes (an answer moves a row to my conversations),
 * and Start a conversation (`#outbound-start`), which opens the start dialog.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { PendingOutbound } from "../../../shared/outbound.ts";
import type { ConversationView } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { usePolled } from "../../components/usePolled.ts";
import { Ticks } from "../../desk/messages/MessageMeta.tsx";
import { useI18n } from "../../i18n.ts";
import { outboundApi } from "./api.ts";
import "./outbound.css";
import type { OutboundViewProps } from "./OutboundView.tsx";
import { StartDialog } from "./StartDialog.tsx";

/** How often the shown list refreshes itself. */
const POLL_MS = 5000;

export default function OutboundScreen({ myId, liveSignal, onOpen }: OutboundViewProps) {
  const { t, language } = useI18n();
  const list = usePolled(outboundApi.pending, POLL_MS);
  const { error, refreshing, refresh, reload } = list;
  /** Rows withdrawn here, hidden until the next answer no longer lists them. */
  const [withdrawn, setWithdrawn] = useState<ReadonlySet<string>>(new Set());
  const items = list.data?.items.filter((i) => !withdrawn.has(i.conversationId)) ?? null;
  const [dialog, setDialog] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);

  // My desk changed (a customer answered, a conversation closed): the list may have too.
  const firstSignal = useRef(liveSignal);
  useEffect(() => {
    if (liveSignal !== firstSignal.current) reload();
  }, [liveSignal, reload]);

  function started(conversation: ConversationView, kind: "text" | "template") {
    setDialog(false);
    if (kind === "text") {
      onOpen(conversation);
      return;
    }
    setNotice(t("outbound.sentTemplate", { name: conversation.customer.name }));
    refresh();
  }

  const describe = (e: unknown) => errorMessage(e, t("app.networkError"), t("app.unexpectedError"));

  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  async function withdraw(item: PendingOutbound) {
    setWithdrawing(item.conversationId);
    try {
      await outboundApi.withdraw(item.conversationId);
      setNotice(t("outbound.withdrawn", { name: item.customer.name }));
      setWithdrawn((ids) => new Set(ids).add(item.conversationId));
      // The row and its button are gone: keep focus in the view.
      titleRef.current?.focus();
    } catch (failure) {
      setNotice(t("outbound.withdrawFailed", { message: describe(failure) }));
    } finally {
      setWithdrawing(null);
      reload();
    }
  }
  const when = new Intl.DateTimeFormat(language, { dateStyle: "short", timeStyle: "short" });

  return (
    <section class="waiting-view outbound-view" id="outbound-view" aria-labelledby="outbound-title">
      <header class="waiting-header">
        <h2 id="outbound-title" ref={titleRef} tabIndex={-1}>
          {t("outbound.title")}
        </h2>
        <div class="outbound-actions">
          <button
            id="outbound-refresh"
            type="button"
            class="button"
            disabled={refreshing}
            aria-busy={refreshing}
            onClick={refresh}
          >
            {refreshing && <span class="spinner spinner-small" aria-hidden="true" />}
            {t("outbound.refresh")}
          </button>
          <button
            id="outbound-start"
            type="button"
            class="button button-primary"
            onClick={() => {
              setNotice(null);
              setDialog(true);
            }}
          >
            {t("outbound.start")}
          </button>
        </div>
      </header>
      <p class="muted">{t("outbound.intro")}</p>
      <p id="outbound-notice" class="outbound-notice" role="status">
        {notice}
      </p>

      {error !== null && (
        <LoadError
          message={t("outbound.loadFailed", { message: describe(error) })}
          onRetry={refresh}
        />
      )}
      {items === null ? (
        error === null && <Loading />
      ) : items.length === 0 ? (
        <p class="empty-state" id="outbound-empty">
          {t("outbound.empty")}
        </p>
      ) : (
        <div class="waiting-table-wrap">
          <table class="waiting-table outbound-table" id="outbound-table">
            <thead>
              <tr>
                <th scope="col">{t("outbound.customer")}</th>
                <th scope="col">{t("outbound.number")}</th>
                <th scope="col">{t("outbound.template")}</th>
                <th scope="col">{t("outbound.sent")}</th>
                <th scope="col">{t("outbound.tick")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("outbound.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.conversationId} data-conversation={item.conversationId}>
                  <td>
                    <span class="waiting-customer">{item.customer.name}</span>
                    {item.customer.phone && (
                      <span class="muted waiting-phone">{item.customer.phone}</span>
                    )}
                  </td>
                  <td>{item.numberName}</td>
                  <td>
                    <span class="outbound-template-name">{item.templateName}</span>
                    <span class="muted outbound-template-text" title={item.text}>
                      {item.text}
                    </span>
                  </td>
                  <td>
                    <time dateTime={new Date(item.sentAt).toISOString()}>
                      {when.format(item.sentAt)}
                    </time>
                  </td>
                  <td class="outbound-tick" data-status={item.status ?? "none"}>
                    {item.status ? <Ticks status={item.status} /> : t("outbound.noTick")}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="button withdraw"
                      disabled={withdrawing !== null}
                      aria-label={t("outbound.withdrawLabel", { name: item.customer.name })}
                      onClick={() => void withdraw(item)}
                    >
                      {t("outbound.withdraw")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog && <StartDialog myId={myId} onStarted={started} onCancel={() => setDialog(false)} />}
    </section>
  );
}
