/**
 * Edits the interactive part of a predefined message: none, up to 3 reply buttons, or a
 * list (the button that opens it, sections with rows, at most 10 rows in all). Live
 * counters show Meta's limits; switching kind keeps what was typed in the other kind.
 * Controlled: `value` in, `onChange` out; errors come from the enclosing `AdminForm`
 * under `path` (e.g. `interactive.sections.0.rows.2.title`).
 */
import { useContext, useEffect, useId, useRef, useState } from "preact/hooks";
import type { Interactive } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { fieldDomId } from "../kit/errors.ts";
import { FieldError, FormScopeContext } from "../kit/fields.tsx";
import { CountedField } from "./CountedField.tsx";
import {
  addButton,
  addRow,
  addSection,
  type ButtonsValue,
  canAddButton,
  canAddRow,
  canAddSection,
  draftsFrom,
  INTERACTIVE_LIMITS,
  type InteractiveDrafts,
  type InteractiveKind,
  interactiveWarnings,
  kindOf,
  type ListValue,
  removeButton,
  removeRow,
  removeSection,
  rowCount,
  setButtonTitle,
  setListButton,
  setRow,
  setSectionTitle,
  valueOfKind,
} from "./interactive.ts";
import { joinPath } from "./scope.ts";

interface InteractiveEditorProps {
  value: Interactive | null;
  onChange: (next: Interactive | null) => void;
  /** The value's path in the form's errors. */
  path?: string;
}

const KINDS: readonly InteractiveKind[] = ["none", "buttons", "list"];

export function InteractiveEditor({
  value,
  onChange,
  path = "interactive",
}: InteractiveEditorProps) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const [stash, setStash] = useState<InteractiveDrafts>(() => draftsFrom(value));
  // The current value is the truth for its own kind (a Reload may have replaced it).
  const drafts: InteractiveDrafts = value ? { ...stash, [value.type]: value } : stash;
  const kind = kindOf(value);
  const warnings = new Map(
    interactiveWarnings(value).map((w) => [
      joinPath(path, w.path),
      w.kind === "duplicateTitle"
        ? t("interactive.duplicateTitle")
        : t("interactive.sectionTitleRequired"),
    ]),
  );

  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    pendingFocus.current = null;
    document.getElementById(id)?.focus();
  });
  const idOf = (...parts: (string | number)[]) =>
    fieldDomId(scope.formId, joinPath(path, ...parts));

  const change = (next: Interactive) => {
    setStash((s) => ({ ...s, [next.type]: next }));
    onChange(next);
  };

  return (
    <fieldset class="field-group interactive-editor">
      <legend>{t("interactive.legend")}</legend>
      <div class="radio-row" role="radiogroup" aria-label={t("interactive.kind")}>
        {KINDS.map((k) => (
          <label key={k} class="radio">
            <input
              type="radio"
              name={`${uid}-kind`}
              value={k}
              checked={kind === k}
              disabled={scope.disabled}
              onChange={() => onChange(valueOfKind(k, drafts))}
            />
            {t(`interactive.kind.${k}`)}
          </label>
        ))}
      </div>
      <FieldError path={path} message={scope.errors[path]} />

      {value?.type === "buttons" && (
        <ButtonsEditor
          value={value}
          path={path}
          warnings={warnings}
          onChange={change}
          focus={(id) => {
            pendingFocus.current = id;
          }}
          idOf={idOf}
        />
      )}
      {value?.type === "list" && (
        <ListEditor
          value={value}
          path={path}
          warnings={warnings}
          onChange={change}
          focus={(id) => {
            pendingFocus.current = id;
          }}
          idOf={idOf}
        />
      )}
    </fieldset>
  );
}

interface PartProps<V> {
  value: V;
  path: string;
  warnings: ReadonlyMap<string, string>;
  onChange: (next: V) => void;
  focus: (id: string) => void;
  idOf: (...parts: (string | number)[]) => string;
}

function ButtonsEditor({ value, path, warnings, onChange, focus, idOf }: PartProps<ButtonsValue>) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const buttonsPath = joinPath(path, "buttons");
  return (
    <div class="interactive-part">
      <p class="limit-counter" aria-live="polite">
        {t("interactive.buttonsCount", {
          n: value.buttons.length,
          max: INTERACTIVE_LIMITS.buttons,
        })}
      </p>
      <FieldError path={buttonsPath} message={scope.errors[buttonsPath]} />
      <ol class="interactive-rows">
        {value.buttons.map((button, index) => {
          const p = joinPath(path, "buttons", index, "title");
          return (
            <li key={index} class="interactive-row">
              <CountedField
                path={p}
                label={t("interactive.button", { n: index + 1 })}
                value={button.title}
                max={INTERACTIVE_LIMITS.buttonTitle}
                required
                warning={warnings.get(p)}
                onInput={(title) => onChange(setButtonTitle(value, index, title))}
              />
              <button
                type="button"
                class="button"
                disabled={scope.disabled || value.buttons.length <= 1}
                aria-label={t("interactive.removeButton", { n: index + 1 })}
                onClick={() => {
                  onChange(removeButton(value, index));
                  focus(idOf("buttons", Math.max(0, index - 1), "title"));
                }}
              >
                {t("wt.remove")}
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        class="button"
        disabled={scope.disabled || !canAddButton(value)}
        onClick={() => {
          onChange(addButton(value));
          focus(idOf("buttons", value.buttons.length, "title"));
        }}
      >
        {t("interactive.addButton")}
      </button>
    </div>
  );
}

function ListEditor({ value, path, warnings, onChange, focus, idOf }: PartProps<ListValue>) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const sectionsPath = joinPath(path, "sections");
  const rows = rowCount(value);
  return (
    <div class="interactive-part">
      <CountedField
        path={joinPath(path, "button")}
        label={t("interactive.listButton")}
        hint={t("interactive.listButtonHint")}
        value={value.button}
        max={INTERACTIVE_LIMITS.listButton}
        required
        onInput={(text) => onChange(setListButton(value, text))}
      />
      <p
        class={`limit-counter${rows >= INTERACTIVE_LIMITS.rows ? " is-full" : ""}`}
        aria-live="polite"
      >
        {t("interactive.rowsCount", { n: rows, max: INTERACTIVE_LIMITS.rows })}
      </p>
      <FieldError path={sectionsPath} message={scope.errors[sectionsPath]} />
      {value.sections.map((section, s) => {
        const titlePath = joinPath(path, "sections", s, "title");
        const rowsPath = joinPath(path, "sections", s, "rows");
        return (
          <fieldset key={s} class="interactive-section">
            <legend>{t("interactive.section", { n: s + 1 })}</legend>
            <CountedField
              path={titlePath}
              label={t("interactive.sectionTitle")}
              value={section.title}
              max={INTERACTIVE_LIMITS.sectionTitle}
              required={value.sections.length > 1}
              warning={warnings.get(titlePath)}
              ariaLabel={t("interactive.sectionTitleOf", { n: s + 1 })}
              onInput={(title) => onChange(setSectionTitle(value, s, title))}
            />
            <FieldError path={rowsPath} message={scope.errors[rowsPath]} />
            <ol class="interactive-rows">
              {section.rows.map((row, r) => {
                const rowTitle = joinPath(path, "sections", s, "rows", r, "title");
                const rowDescription = joinPath(path, "sections", s, "rows", r, "description");
                const name = { section: s + 1, n: r + 1 };
                return (
                  <li key={r} class="interactive-row interactive-list-row">
                    <CountedField
                      path={rowTitle}
                      label={t("interactive.rowTitle")}
                      ariaLabel={t("interactive.rowTitleOf", name)}
                      value={row.title}
                      max={INTERACTIVE_LIMITS.rowTitle}
                      required
                      warning={warnings.get(rowTitle)}
                      onInput={(title) => onChange(setRow(value, s, r, { title }))}
                    />
                    <CountedField
                      path={rowDescription}
                      label={t("interactive.rowDescription")}
                      ariaLabel={t("interactive.rowDescriptionOf", name)}
                      value={row.description}
                      max={INTERACTIVE_LIMITS.rowDescription}
                      required={false}
                      onInput={(description) => onChange(setRow(value, s, r, { description }))}
                    />
                    <button
                      type="button"
                      class="button"
                      disabled={scope.disabled || section.rows.length <= 1}
                      aria-label={t("interactive.removeRow", name)}
                      onClick={() => {
                        onChange(removeRow(value, s, r));
                        focus(idOf("sections", s, "rows", Math.max(0, r - 1), "title"));
                      }}
                    >
                      {t("wt.remove")}
                    </button>
                  </li>
                );
              })}
            </ol>
            <div class="editor-actions">
              <button
                type="button"
                class="button"
                disabled={scope.disabled || !canAddRow(value)}
                aria-label={t("interactive.addRowTo", { n: s + 1 })}
                onClick={() => {
                  onChange(addRow(value, s));
                  focus(idOf("sections", s, "rows", section.rows.length, "title"));
                }}
              >
                {t("interactive.addRow")}
              </button>
              <button
                type="button"
                class="button"
                disabled={scope.disabled || value.sections.length <= 1}
                aria-label={t("interactive.removeSection", { n: s + 1 })}
                onClick={() => {
                  onChange(removeSection(value, s));
                  focus(idOf("sections", Math.max(0, s - 1), "title"));
                }}
              >
                {t("interactive.removeSectionShort")}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        class="button"
        disabled={scope.disabled || !canAddSection(value)}
        onClick={() => {
          onChange(addSection(value));
          focus(idOf("sections", value.sections.length, "title"));
        }}
      >
        {t("interactive.addSection")}
      </button>
    </div>
  );
}
