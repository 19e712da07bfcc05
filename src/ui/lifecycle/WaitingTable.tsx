/**
 * The frame of both waiting lists: title with a Refresh button, loading, error and empty
 * states, and a table of conversations (`tr[data-conversation]`) with one action each.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { WaitingItem } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { LoadError, Loading } from "../components/Feedback.tsx";
import { Elapsed } from "../components/Timers.tsx";
import { type MessageKey, useI18n } from "../i18n.ts";
import { waitingStateLabel } from "./labels.ts";
import type { PolledList } from "./usePolledList.ts";

interface WaitingTableProps {
  /** Prefix of ids: `waiting` → `#waiting-title`, `#waiting-refresh`. */
  prefix: string;
  title: string;
  empty: string;
  list: PolledList;
  /** The state column: the waiting state in words, or the kind of wait queue. */
  stateColumn: "state" | "kind";
  action: {
    /** Class of each row's button (`pick-up`, `unpause`). */
    className: string;
    label: MessageKey;
    /** Accessible name, with `{name}` the customer. */
    ariaLabel: MessageKey;
    /** Resolves true when the conversation left the list. */
    run: (conversationId: string) => Promise<boolean>;
  };
}

/** A waiting list; focuses its title when shown, for keyboard and screen reader users. */
export function WaitingTable({
  prefix,
  title,
  empty,
  list,
  stateColumn,
  action,
}: WaitingTableProps) {
  const { t } = useI18n();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => titleRef.current?.focus(), []);

  const describe = (error: unknown) =>
    errorMessage(error, t("app.networkError"), t("app.unexpectedError"));

  async function run(conversationId: string) {
    setBusyId(conversationId);
    const done = await action.run(conversationId);
    // Gone, or refused because it changed meanwhile: either way the list is stale.
    if (!done) {
      setBusyId(null);
      list.refresh();
    }
  }

  return (
    <section class="waiting-view" id={`${prefix}-view`} aria-labelledby={`${prefix}-title`}>
      <header class="waiting-header">
        <h2 id={`${prefix}-title`} ref={titleRef} tabIndex={-1}>
          {title}
        </h2>
        <button
          id={`${prefix}-refresh`}
          type="button"
          class="button"
          disabled={list.refreshing}
          aria-busy={list.refreshing}
          onClick={list.refresh}
        >
          {list.refreshing && <span class="spinner spinner-small" aria-hidden="true" />}
          {t("waiting.refresh")}
        </button>
      </header>

      {list.error !== null && (
        <LoadError
          message={t("waiting.loadFailed", { message: describe(list.error) })}
          onRetry={list.refresh}
        />
      )}
      {list.items === null ? (
        list.error === null && <Loading />
      ) : list.items.length === 0 ? (
        <p class="empty-state" role="status">
          {empty}
        </p>
      ) : (
        <div class="waiting-table-wrap">
          <table class="waiting-table">
            <thead>
              <tr>
                <th scope="col">{t("waiting.customer")}</th>
                <th scope="col">{t("waiting.number")}</th>
                <th scope="col">{t("waiting.skillset")}</th>
                <th scope="col">
                  {stateColumn === "state" ? t("waiting.state") : t("waitQueue.kind")}
                </th>
                <th scope="col">{t("waiting.since")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("waiting.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => {
                const name = customerName(item, t("app.none"));
                const state = waitingStateLabel(item);
                const busy = busyId === item.conversationId;
                return (
                  <tr
                    key={item.conversationId}
                    data-conversation={item.conversationId}
                    data-state={item.state}
                  >
                    <td>
                      <span class="waiting-customer">{name}</span>
                      {item.customerPhone && item.customerName.trim() && (
                        <span class="muted waiting-phone">{item.customerPhone}</span>
                      )}
                    </td>
                    <td>{item.numberName}</td>
                    <td>{item.skillsetName ?? t("app.none")}</td>
                    <td class="waiting-state">
                      {stateColumn === "state"
                        ? t(state.key, state.params)
                        : item.waitQueueKind === "public"
                          ? t("waitQueue.public")
                          : t("waitQueue.personal")}
                    </td>
                    <td>
                      <Elapsed since={item.since} label={t("waiting.sinceLabel")} />
                    </td>
                    <td>
                      <button
                        type="button"
                        class={`button button-primary ${action.className}`}
                        disabled={busyId !== null}
                        aria-busy={busy}
                        aria-label={t(action.ariaLabel, { name })}
                        onClick={() => run(item.conversationId)}
                      >
                        {busy && <span class="spinner spinner-small" aria-hidden="true" />}
                        {t(action.label)}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function customerName(item: WaitingItem, fallback: string): string {
  return item.customerName.trim() || item.customerPhone || fallback;
}
