/** Picks one of the tenant's predefined locations (filterable) and sends it. */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { SendContent } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { deskLocations } from "./api.ts";
import { filterLocations } from "./pickers.ts";
import { useLoad } from "./useLoad.ts";

interface LocationPickerProps {
  onSend: (content: SendContent, summary: string) => void;
  onDone: () => void;
}

export default function LocationPicker({ onSend, onDone }: LocationPickerProps) {
  const { t } = useI18n();
  const { state, retry } = useLoad(deskLocations);
  const [query, setQuery] = useState("");
  const filterRef = useRef<HTMLInputElement>(null);
  const items = state.kind === "loaded" ? state.value.items : [];
  const shown = useMemo(() => filterLocations(items, query), [items, query]);

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
  if (items.length === 0) return <p class="compose-empty">{t("compose.location.none")}</p>;
  return (
    <div class="compose-picker">
      <label class="compose-field">
        <span>{t("compose.filter")}</span>
        <input
          id="compose-location-filter"
          ref={filterRef}
          type="search"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter with a single match sends it: the filter is the fast path.
            if (e.key === "Enter" && shown.length === 1) {
              e.preventDefault();
              pick(shown[0]!);
            }
          }}
        />
      </label>
      {shown.length === 0 ? (
        <p class="compose-empty" role="status">
          {t("compose.noMatch")}
        </p>
      ) : (
        <ul class="compose-list">
          {shown.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                class="compose-item"
                data-location-id={l.id}
                onClick={() => pick(l)}
              >
                <strong>{l.name}</strong>
                {l.address && <span>{l.address}</span>}
                <span class="compose-muted">
                  {l.latitude}, {l.longitude}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  function pick(l: (typeof items)[number]) {
    onSend(
      { type: "location", locationId: l.id },
      `[${t("compose.kind.location")}] ${[l.name, l.address].filter(Boolean).join(", ")}`,
    );
    onDone();
  }
}
