/**
 * Predefined messages by category with a filter. A plain one goes into the
 * composer to be edited and sent; one with reply buttons or a list is sent at
 * once as an interactive message (the agent cannot edit its choices).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { SendContent } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { deskPredefined } from "./api.ts";
import { categoriesOf, filterPredefined, type PredefinedItem } from "./pickers.ts";
import { useLoad } from "./useLoad.ts";

interface PredefinedPickerProps {
  onInsert: (text: string) => void;
  onSend: (content: SendContent, summary: string) => void;
  onDone: () => void;
}

export default function PredefinedPicker({ onInsert, onSend, onDone }: PredefinedPickerProps) {
  const { t } = useI18n();
  const { state, retry } = useLoad(deskPredefined);
  const [category, setCategory] = useState("");
  const [query, setQuery] = useState("");
  const filterRef = useRef<HTMLInputElement>(null);
  const items: readonly PredefinedItem[] = state.kind === "loaded" ? state.value.items : [];
  const categories = useMemo(() => categoriesOf(items), [items]);
  const groups = useMemo(() => filterPredefined(items, category, query), [items, category, query]);
  const count = groups.reduce((n, g) => n + g.items.length, 0);

  useEffect(() => {
    if (state.kind === "loaded") filterRef.current?.focus();
  }, [state.kind]);

  if (state.kind === "loading") return <Loading />;
  if (state.kind === "failed") {
    return (
      <LoadError
        message={errorMessage(state.error, t("app.networkError"), t("app.unexpectedError"))}
        onRetry={retry}
      />
    );
  }
  if (items.length === 0) return <p class="compose-empty">{t("compose.predefined.none")}</p>;

  function pick(item: PredefinedItem) {
    if (item.interactive) onSend({ type: "predefined", predefinedId: item.id }, item.text);
    else onInsert(item.text);
    onDone();
  }

  return (
    <div class="compose-picker">
      <div class="compose-filters">
        <label class="compose-field">
          <span>{t("compose.predefined.category")}</span>
          <select
            id="compose-predefined-category"
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}
          >
            <option value="">{t("compose.predefined.allCategories")}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label class="compose-field">
          <span>{t("compose.filter")}</span>
          <input
            id="compose-predefined-filter"
            ref={filterRef}
            type="search"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && count === 1) {
                e.preventDefault();
                pick(groups[0]!.items[0]!);
              }
            }}
          />
        </label>
      </div>
      {count === 0 ? (
        <p class="compose-empty" role="status">
          {t("compose.noMatch")}
        </p>
      ) : (
        groups.map((group) => (
          <section key={group.category} class="compose-group" aria-label={group.category}>
            <h3>{group.category}</h3>
            <ul class="compose-list">
              {group.items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    class="compose-item"
                    data-predefined-id={item.id}
                    onClick={() => pick(item)}
                  >
                    <strong>
                      {item.title}
                      {item.interactive && (
                        <span class="compose-badge">
                          {t(
                            item.interactive.type === "buttons"
                              ? "compose.predefined.buttons"
                              : "compose.predefined.list",
                          )}
                        </span>
                      )}
                    </strong>
                    <span class="compose-preview">{item.text}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
