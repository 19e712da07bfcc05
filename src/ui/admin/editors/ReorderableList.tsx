/**
 * A list whose order the user changes with "Move up" / "Move down" buttons (each named
 * after its item, so a screen reader says what moves) or by dragging with a mouse. Emits
 * the complete new id order; the parent saves it and passes the items back in that order.
 * Keyboard focus stays on the moved item, and the move is announced.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { moveBy, moveTo } from "./reorder.ts";

interface ReorderableListProps<T> {
  items: readonly T[];
  idOf: (item: T) => string;
  /** The item's name in "Move X up". */
  labelOf: (item: T) => string;
  render: (item: T, index: number) => ComponentChildren;
  onReorder: (ids: readonly string[]) => void;
  /** The list's accessible name. */
  label: string;
  /** While saving or filtering, moving is off. */
  disabled?: boolean;
  class?: string;
}

export function ReorderableList<T>({
  items,
  idOf,
  labelOf,
  render,
  onReorder,
  label,
  disabled = false,
  class: className,
}: ReorderableListProps<T>) {
  const { t } = useI18n();
  const listRef = useRef<HTMLOListElement>(null);
  const [announcement, setAnnouncement] = useState("");
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  // After a move the item's DOM node is re-inserted, which drops focus: put it back.
  const refocus = useRef<{ id: string; dir: "up" | "down" } | null>(null);
  const ids = items.map(idOf);

  useEffect(() => {
    const target = refocus.current;
    const list = listRef.current;
    if (!target || !list) return;
    refocus.current = null;
    const row = list.querySelector<HTMLElement>(`[data-reorder-id="${CSS.escape(target.id)}"]`);
    const same = row?.querySelector<HTMLButtonElement>(`[data-move="${target.dir}"]`);
    const other = row?.querySelector<HTMLButtonElement>(
      `[data-move="${target.dir === "up" ? "down" : "up"}"]`,
    );
    (same && !same.disabled ? same : other)?.focus();
  });

  const move = (id: string, next: readonly string[], dir: "up" | "down") => {
    if (next === ids) return;
    refocus.current = { id, dir };
    const item = items.find((i) => idOf(i) === id);
    setAnnouncement(
      t("reorder.moved", {
        name: item ? labelOf(item) : id,
        position: next.indexOf(id) + 1,
        total: next.length,
      }),
    );
    onReorder(next);
  };

  return (
    <>
      <ol
        ref={listRef}
        class={`reorder-list${className ? ` ${className}` : ""}`}
        aria-label={label}
      >
        {items.map((item, index) => {
          const id = idOf(item);
          const name = labelOf(item);
          return (
            <li
              key={id}
              data-reorder-id={id}
              class={`reorder-item${dragging === id ? " is-dragging" : ""}${dropTarget === id && dragging !== id ? " is-drop-target" : ""}`}
              draggable={!disabled}
              onDragStart={(e) => {
                setDragging(id);
                e.dataTransfer?.setData("text/plain", id);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
              }}
              onDragOver={(e) => {
                if (dragging === null) return;
                e.preventDefault();
                setDropTarget(id);
              }}
              onDragLeave={() => setDropTarget((current) => (current === id ? null : current))}
              onDrop={(e) => {
                e.preventDefault();
                const from = dragging === null ? -1 : ids.indexOf(dragging);
                if (dragging !== null) move(dragging, moveTo(ids, from, index), "up");
                setDragging(null);
                setDropTarget(null);
              }}
              onDragEnd={() => {
                setDragging(null);
                setDropTarget(null);
              }}
            >
              <span class="reorder-handle" aria-hidden="true">
                ⋮⋮
              </span>
              <div class="reorder-content">{render(item, index)}</div>
              <div class="reorder-actions">
                <button
                  type="button"
                  class="icon-button reorder-up"
                  data-move="up"
                  disabled={disabled || index === 0}
                  aria-label={t("reorder.up", { name })}
                  title={t("reorder.up", { name })}
                  onClick={() => move(id, moveBy(ids, id, -1), "up")}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="icon-button reorder-down"
                  data-move="down"
                  disabled={disabled || index === items.length - 1}
                  aria-label={t("reorder.down", { name })}
                  title={t("reorder.down", { name })}
                  onClick={() => move(id, moveBy(ids, id, 1), "down")}
                >
                  ↓
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
