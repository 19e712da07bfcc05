/**
 * The customer search of the start dialog: a search field and the matches
 * (`li[data-customer]`), each with a green tick (`.window-open`) when they wrote in the
 * last 24 hours and "not authorised" marked. Enter picks the only match.
 */
import type { Ref } from "preact";
import type { OutboundCustomer, OutboundCustomers } from "../../../shared/outbound.ts";
import { LoadError } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { selectable } from "./choices.ts";

type Found =
  | { kind: "loading" }
  | { kind: "loaded"; data: OutboundCustomers }
  | { kind: "failed"; message: string };

export function CustomerResults({
  q,
  onQuery,
  state,
  inputRef,
  onChoose,
  onRetry,
}: {
  q: string;
  onQuery: (q: string) => void;
  state: Found;
  inputRef: Ref<HTMLInputElement>;
  onChoose: (customer: OutboundCustomer) => void;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  const items = state.kind === "loaded" ? state.data.items : [];

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== "Enter") return;
    // Enter searches, it does not send; with a single choosable match it picks it.
    event.preventDefault();
    const choosable = items.filter(selectable);
    if (choosable.length === 1) onChoose(choosable[0]!);
  }

  return (
    <div class="outbound-search">
      <div class="field">
        <label for="outbound-customer-search">{t("outbound.search")}</label>
        <input
          id="outbound-customer-search"
          ref={inputRef}
          type="search"
          autocomplete="off"
          data-autofocus
          value={q}
          aria-describedby="outbound-search-help"
          aria-controls="outbound-customers"
          onInput={(e) => onQuery(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <span id="outbound-search-help" class="field-help">
          {t("outbound.searchHelp")}
        </span>
      </div>
      {state.kind === "failed" ? (
        <LoadError
          message={t("outbound.searchFailed", { message: state.message })}
          onRetry={onRetry}
        />
      ) : state.kind === "loading" ? (
        <p class="muted" role="status">
          {t("outbound.searching")}
        </p>
      ) : items.length === 0 ? (
        <p class="empty-state" role="status">
          {t("outbound.noCustomers")}
        </p>
      ) : (
        <ul id="outbound-customers" class="outbound-customers" aria-label={t("outbound.search")}>
          {items.map((c) => {
            const ok = selectable(c);
            return (
              <li
                key={c.id}
                data-customer={c.id}
                data-window-open={c.windowOpen}
                data-authorized={c.authorized}
              >
                <span class="outbound-customer-name">
                  {c.name}
                  {c.windowOpen && (
                    <span class="window-open" title={t("outbound.windowOpen")}>
                      {" "}
                      ✓<span class="visually-hidden">{t("outbound.windowOpen")}</span>
                    </span>
                  )}
                </span>
                <span class="muted outbound-customer-phone">{c.phone}</span>
                {!c.authorized && (
                  <span class="badge not-authorized" title={t("outbound.notAuthorizedHelp")}>
                    {t("outbound.notAuthorized")}
                  </span>
                )}
                <button
                  type="button"
                  class="button"
                  disabled={!ok}
                  aria-label={t("outbound.chooseLabel", { name: c.name })}
                  onClick={() => onChoose(c)}
                >
                  {t("outbound.choose")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
