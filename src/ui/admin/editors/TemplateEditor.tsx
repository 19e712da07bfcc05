/**
 * Edits a WhatsApp template: the number whose WhatsApp Business Account owns it, name,
 * language, category, header, body with {{1}}… variables and an example for each,
 * footer and buttons (quick replies, website, call), beside a live WhatsApp-like preview
 * with the examples filled in. Controlled: `draft` in, `onChange` out; errors come from
 * the enclosing `AdminForm` by the contract's paths (`body.examples.0`, `buttons.1.url`);
 * the form's read-only state disables everything.
 */
import { useContext, useEffect, useId, useRef } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { fieldDomId } from "../kit/errors.ts";
import { FieldError, FormScopeContext, type Option, SelectField } from "../kit/fields.tsx";
import { CountedField } from "./CountedField.tsx";
import { scopedField } from "./scope.ts";
import {
  addButton,
  appendVariable,
  type ButtonType,
  COMMON_LANGUAGES,
  canAddButton,
  countButtons,
  normalizeTemplateName,
  previewSegments,
  removeButton,
  setButton,
  TEMPLATE_CATEGORIES,
  TEMPLATE_LIMITS,
  type TemplateButton,
  type TemplateDraft,
  templateWarnings,
  variableCount,
  variablesIn,
  withBodyText,
} from "./template.ts";

interface TemplateEditorProps {
  draft: TemplateDraft;
  onChange: (next: TemplateDraft) => void;
  /** The numbers to choose from (value = number id). */
  numbers: readonly Option[];
  /** A stored template keeps its number (the contract's update has no numberId). */
  numberLocked?: boolean;
}

const BUTTON_TYPES: readonly ButtonType[] = ["QUICK_REPLY", "URL", "PHONE_NUMBER"];
const BUTTON_LIMIT: Record<ButtonType, number> = {
  QUICK_REPLY: TEMPLATE_LIMITS.quickReplies,
  URL: TEMPLATE_LIMITS.urlButtons,
  PHONE_NUMBER: TEMPLATE_LIMITS.phoneButtons,
};

export function TemplateEditor({ draft, onChange, numbers, numberLocked }: TemplateEditorProps) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) =>
    onChange({ ...draft, [key]: value });
  // Several rules may concern one field: their messages are joined.
  const warnings = new Map<string, string>();
  for (const w of templateWarnings(draft)) {
    const text = t(`template.warning.${w.kind}`);
    const before = warnings.get(w.path);
    warnings.set(w.path, before ? `${before} ${text}` : text);
  }
  const language = scopedField(scope.formId, scope.errors, "language");
  const headerHasVariable = variablesIn(draft.headerText).length > 0;
  const examples = Array.from({ length: variableCount(draft.bodyText) }, (_, i) => i);

  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    pendingFocus.current = null;
    document.getElementById(id)?.focus();
  });

  return (
    <div class="template-editor">
      <div class="template-fields">
        <div class="field-grid">
          <SelectField
            name="numberId"
            label={t("template.number")}
            hint={t("template.numberHint")}
            value={draft.numberId}
            options={numbers}
            placeholder={t("membership.choose")}
            disabled={numberLocked}
            onChange={(numberId) => set("numberId", numberId)}
          />
          <CountedField
            path="name"
            label={t("template.name")}
            hint={t("template.nameHint")}
            value={draft.name}
            max={512}
            required
            onInput={(name) => set("name", normalizeTemplateName(name))}
          />
          <div class={`field${language.error ? " has-error" : ""}`}>
            <label for={language.id}>{t("template.language")}</label>
            <input
              id={language.id}
              name="language"
              list={`${uid}-languages`}
              value={draft.language}
              maxLength={6}
              autoComplete="off"
              spellcheck={false}
              disabled={scope.disabled}
              aria-invalid={language.invalid}
              aria-describedby={`${uid}-language-hint${language.describedBy ? ` ${language.describedBy}` : ""}`}
              onInput={(e) => set("language", e.currentTarget.value.trim())}
            />
            <datalist id={`${uid}-languages`}>
              {COMMON_LANGUAGES.map((code) => (
                <option key={code} value={code} />
              ))}
            </datalist>
            <p id={`${uid}-language-hint`} class="field-help">
              {t("template.languageHint")}
            </p>
            <FieldError id={language.errId} path="language" message={language.error} />
          </div>
          <SelectField
            name="category"
            label={t("template.category")}
            hint={t(`template.categoryHint.${draft.category}`)}
            value={draft.category}
            options={TEMPLATE_CATEGORIES.map((c) => ({
              value: c,
              label: t(`template.category.${c}`),
            }))}
            onChange={(category) =>
              set("category", TEMPLATE_CATEGORIES.find((c) => c === category) ?? "UTILITY")
            }
          />
        </div>

        <CountedField
          path="header.text"
          label={t("template.header")}
          hint={t("template.headerHint")}
          value={draft.headerText}
          max={TEMPLATE_LIMITS.header}
          required={false}
          warning={warnings.get("header.text")}
          onInput={(headerText) => set("headerText", headerText)}
        />
        {headerHasVariable && (
          <CountedField
            path="header.example"
            label={t("template.headerExample")}
            value={draft.headerExample}
            max={TEMPLATE_LIMITS.header}
            required
            warning={warnings.get("header.example")}
            onInput={(headerExample) => set("headerExample", headerExample)}
          />
        )}

        <CountedField
          path="body.text"
          label={t("template.body")}
          hint={t("template.bodyHint")}
          value={draft.bodyText}
          max={TEMPLATE_LIMITS.body}
          multiline
          rows={6}
          required
          warning={warnings.get("body.text")}
          onInput={(text) => onChange(withBodyText(draft, text))}
        />
        <div class="editor-actions">
          <button
            type="button"
            class="button"
            disabled={scope.disabled || examples.length >= 20}
            onClick={() => {
              const next = appendVariable(draft);
              onChange(next);
              pendingFocus.current = fieldDomId(
                scope.formId,
                `body.examples.${variableCount(next.bodyText) - 1}`,
              );
            }}
          >
            {t("template.addVariable")}
          </button>
        </div>
        {examples.length > 0 && (
          <fieldset class="field-group template-examples">
            <legend>{t("template.examples")}</legend>
            <p class="field-help">{t("template.examplesHint")}</p>
            <FieldError path="body.examples" message={scope.errors["body.examples"]} />
            <div class="field-grid">
              {examples.map((i) => (
                <CountedField
                  key={i}
                  path={`body.examples.${i}`}
                  label={t("template.exampleFor", { n: i + 1 })}
                  value={draft.bodyExamples[i] ?? ""}
                  max={TEMPLATE_LIMITS.example}
                  required
                  warning={warnings.get(`body.examples.${i}`)}
                  onInput={(example) =>
                    set(
                      "bodyExamples",
                      examples.map((j) => (j === i ? example : (draft.bodyExamples[j] ?? ""))),
                    )
                  }
                />
              ))}
            </div>
          </fieldset>
        )}

        <CountedField
          path="footer"
          label={t("template.footer")}
          value={draft.footer}
          max={TEMPLATE_LIMITS.footer}
          required={false}
          warning={warnings.get("footer")}
          onInput={(footer) => set("footer", footer)}
        />

        <ButtonsEditor
          warning={warnings.get("buttons")}
          urlWarnings={warnings}
          buttons={draft.buttons}
          onChange={(buttons) => set("buttons", buttons)}
          focus={(id) => {
            pendingFocus.current = id;
          }}
        />
      </div>

      <TemplatePreview draft={draft} />
    </div>
  );
}

function ButtonsEditor({
  buttons,
  onChange,
  focus,
  warning,
  urlWarnings,
}: {
  warning: string | undefined;
  urlWarnings: ReadonlyMap<string, string>;
  buttons: readonly TemplateButton[];
  onChange: (buttons: TemplateButton[]) => void;
  focus: (id: string) => void;
}) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  return (
    <fieldset class="field-group template-buttons">
      <legend>{t("template.buttons")}</legend>
      <p class="field-help">{t("template.buttonsHint")}</p>
      <p class="limit-counter" aria-live="polite">
        {BUTTON_TYPES.map((type) =>
          t("template.buttonCount", {
            kind: t(`template.buttonType.${type}`),
            n: countButtons(buttons, type),
            max: BUTTON_LIMIT[type],
          }),
        ).join(" · ")}
      </p>
      {warning && <p class="field-warning">{warning}</p>}
      <FieldError path="buttons" message={scope.errors.buttons} />
      {buttons.length > 0 && (
        <ol class="template-button-rows">
          {buttons.map((button, index) => {
            const n = index + 1;
            return (
              <li key={index} class="template-button-row" data-type={button.type}>
                <span class="tag">{t(`template.buttonType.${button.type}`)}</span>
                <CountedField
                  path={`buttons.${index}.text`}
                  label={t("template.buttonText")}
                  ariaLabel={t("template.buttonTextOf", { n })}
                  value={button.text}
                  max={TEMPLATE_LIMITS.buttonText}
                  required
                  onInput={(text) => onChange(setButton(buttons, index, { text }))}
                />
                {button.type === "URL" && (
                  <CountedField
                    path={`buttons.${index}.url`}
                    label={t("template.buttonUrl")}
                    ariaLabel={t("template.buttonUrlOf", { n })}
                    value={button.url}
                    max={2000}
                    required
                    warning={urlWarnings.get(`buttons.${index}.url`)}
                    onInput={(url) => onChange(setButton(buttons, index, { url: url.trim() }))}
                  />
                )}
                {button.type === "PHONE_NUMBER" && (
                  <CountedField
                    path={`buttons.${index}.phoneNumber`}
                    label={t("template.buttonPhone")}
                    ariaLabel={t("template.buttonPhoneOf", { n })}
                    hint={t("template.buttonPhoneHint")}
                    value={button.phoneNumber}
                    max={16}
                    required
                    onInput={(phoneNumber) =>
                      onChange(setButton(buttons, index, { phoneNumber: phoneNumber.trim() }))
                    }
                  />
                )}
                <button
                  type="button"
                  class="button"
                  disabled={scope.disabled}
                  aria-label={t("template.removeButton", { n, text: button.text })}
                  onClick={() => {
                    onChange(removeButton(buttons, index));
                    focus(`${scope.formId}-add-${button.type}`);
                  }}
                >
                  {t("wt.remove")}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <div class="editor-actions">
        {BUTTON_TYPES.map((type) => (
          <button
            key={type}
            id={`${scope.formId}-add-${type}`}
            type="button"
            class="button"
            disabled={scope.disabled || !canAddButton(buttons, type)}
            onClick={() => {
              const next = addButton(buttons, type);
              onChange(next);
              const at = next.findIndex((b, i) => b !== buttons[i]);
              focus(fieldDomId(scope.formId, `buttons.${at < 0 ? next.length - 1 : at}.text`));
            }}
          >
            {t(`template.add.${type}`)}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** A WhatsApp-like bubble of the template as a customer would see it, examples filled in. */
export function TemplatePreview({ draft }: { draft: TemplateDraft }) {
  const { t } = useI18n();
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const header = previewSegments(draft.headerText, [draft.headerExample]);
  const body = previewSegments(draft.bodyText, draft.bodyExamples);
  return (
    <section class="template-preview" aria-labelledby={`${uid}-preview`}>
      <h2 id={`${uid}-preview`}>{t("template.preview")}</h2>
      <div class="wa-chat">
        <div class="wa-bubble">
          {header.length > 0 && (
            <p class="wa-header">
              <Segments segments={header} />
            </p>
          )}
          {body.length > 0 ? (
            <p class="wa-body">
              <Segments segments={body} />
            </p>
          ) : (
            <p class="wa-body muted">{t("template.previewEmpty")}</p>
          )}
          {draft.footer.trim() && <p class="wa-footer">{draft.footer}</p>}
        </div>
        {draft.buttons.length > 0 && (
          <ul class="wa-buttons">
            {draft.buttons.map((button, i) => (
              <li key={i} class="wa-button">
                <span aria-hidden="true">
                  {button.type === "URL" ? "↗ " : button.type === "PHONE_NUMBER" ? "✆ " : "↩ "}
                </span>
                {button.text || t("template.buttonUntitled")}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function Segments({ segments }: { segments: ReturnType<typeof previewSegments> }) {
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === "text" ? (
          segment.text
        ) : (
          <span key={i} class={`wa-var${segment.example ? "" : " is-missing"}`}>
            {segment.example || `{{${segment.n}}}`}
          </span>
        ),
      )}
    </>
  );
}
