/**
 * A text input or textarea with a live "n/max" counter, a non-blocking warning (a rule
 * Meta enforces that the server lets a draft break) and the server's error for its path.
 * Used by the interactive-message and template editors, whose limits are Meta's.
 */
import { useContext } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { FieldError, FormScopeContext } from "../kit/fields.tsx";
import { scopedField } from "./scope.ts";

interface CountedFieldProps {
  /** The error path, also the control's `name`. */
  path: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  max: number;
  multiline?: boolean;
  rows?: number;
  hint?: string;
  warning?: string;
  required?: boolean;
  placeholder?: string;
  /** A name for screen readers when the visible label is short ("Title" of row 3). */
  ariaLabel?: string;
  class?: string;
}

export function CountedField(props: CountedFieldProps) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const field = scopedField(scope.formId, scope.errors, props.path);
  const countId = `${field.id}-count`;
  const hintId = props.hint ? `${field.id}-hint` : null;
  const warnId = props.warning ? `${field.id}-warn` : null;
  const describedBy = [hintId, countId, warnId, field.describedBy].filter(Boolean).join(" ");
  const full = props.value.length >= props.max;
  const common = {
    id: field.id,
    name: props.path,
    value: props.value,
    maxLength: props.max,
    required: props.required,
    placeholder: props.placeholder,
    disabled: scope.disabled,
    "aria-label": props.ariaLabel,
    "aria-invalid": field.invalid,
    "aria-describedby": describedBy,
  };
  return (
    <div
      class={`field counted-field${field.error ? " has-error" : ""}${props.class ? ` ${props.class}` : ""}`}
    >
      <label for={field.id}>
        {props.label}
        {props.required === false && <span class="optional"> ({t("admin.optional")})</span>}
      </label>
      {props.multiline ? (
        <textarea
          {...common}
          rows={props.rows ?? 4}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      ) : (
        <input {...common} onInput={(e) => props.onInput(e.currentTarget.value)} />
      )}
      <div class="field-meta">
        {props.hint && (
          <p id={hintId ?? undefined} class="field-help">
            {props.hint}
          </p>
        )}
        <span id={countId} class={`char-count${full ? " is-full" : ""}`}>
          {t("composer.count", { n: props.value.length, max: props.max })}
        </span>
      </div>
      {props.warning && (
        <p id={warnId ?? undefined} class="field-warning">
          {props.warning}
        </p>
      )}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </div>
  );
}
