/**
 * The emoji picker (lazy-loaded): category tabs and a grid navigable with the
 * arrow keys, Home/End and PageUp/PageDown; Enter or a click inserts.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { EMOJI, moveInGrid } from "./emoji.ts";

/** Cells per row: the grid's CSS columns (composer.css), which the arrow keys follow. */
const COLUMNS = 8;

interface EmojiPickerProps {
  onPick: (emoji: string) => void;
}

export default function EmojiPicker({ onPick }: EmojiPickerProps) {
  const { t } = useI18n();
  const [categoryIndex, setCategoryIndex] = useState(0);
  const [focusIndex, setFocusIndex] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const category = EMOJI[categoryIndex] ?? EMOJI[0]!;

  useEffect(() => {
    gridRef.current?.querySelector<HTMLButtonElement>("button[tabindex='0']")?.focus();
  }, []);

  function focusCell(index: number) {
    setFocusIndex(index);
    gridRef.current?.querySelectorAll<HTMLButtonElement>("button")[index]?.focus();
  }

  return (
    <div class="compose-emoji">
      <div class="compose-emoji-tabs" role="tablist" aria-label={t("compose.emoji.categories")}>
        {EMOJI.map((c, i) => (
          <button
            key={c.id}
            type="button"
            role="tab"
            id={`compose-emoji-tab-${c.id}`}
            aria-selected={i === categoryIndex}
            aria-controls="compose-emoji-grid"
            class={i === categoryIndex ? "compose-tab is-selected" : "compose-tab"}
            onClick={() => {
              setCategoryIndex(i);
              setFocusIndex(0);
            }}
          >
            {t(`compose.emoji.${c.id}`)}
          </button>
        ))}
      </div>
      <div
        id="compose-emoji-grid"
        ref={gridRef}
        class="compose-emoji-grid"
        role="tabpanel"
        aria-labelledby={`compose-emoji-tab-${category.id}`}
        onKeyDown={(e) => {
          const next = moveInGrid(focusIndex, e.key, COLUMNS, category.emoji.length);
          if (next === null) return;
          e.preventDefault();
          focusCell(next);
        }}
      >
        {category.emoji.map((emoji, i) => (
          <button
            key={emoji}
            type="button"
            class="compose-emoji-cell"
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={emoji}
            onFocus={() => setFocusIndex(i)}
            onClick={() => onPick(emoji)}
          >
            {emoji}
          </button>
        ))}
      </div>
      <p class="compose-hint">{t("compose.emoji.hint")}</p>
    </div>
  );
}
