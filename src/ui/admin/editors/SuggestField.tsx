/**
 * A text input with suggestions (a native `<datalist>`): free text, but the values in use
 * are one keystroke away — a predefined message's category, for one. Errors come from
 * the enclosing `AdminForm` by `name`.
 */
import { useContext, useId } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { FieldError, FormScopeContext } from "../kit/fields.tsx";
import { scopedField } from "./scope.ts";

interface SuggestFieldProps {
  name: string;
  label: string;
  value: string;
  suggestions: readonly string[];
  onInput: (value: string) => void;
  hint?: string;
  maxLength?: number;
  required?: boolean;
}

export function SuggestField(props: SuggestFieldProps) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const field = scopedField(scope.formId, scope.errors, props.name);
  const hintId = props.hint ? `${field.id}-hint` : null;
  const describedBy = [hintId, field.describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${field.error ? " has-error" : ""}`}>
      <label for={field.id}>
        {props.label}
        {props.required === false && <span class="optional"> ({t("admin.optional")})</span>}
      </label>
      <input
        id={field.id}
        name={props.name}
        list={`${uid}-list`}
        value={props.value}
        maxLength={props.maxLength}
        required={props.required}
        autoComplete="off"
        disabled={scope.disabled}
        aria-invalid={field.invalid}
        aria-describedby={describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <datalist id={`${uid}-list`}>
        {props.suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {props.hint && (
        <p id={hintId ?? undefined} class="field-help">
          {props.hint}
        </p>
      )}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </div>
  );
}
