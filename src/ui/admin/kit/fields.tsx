/**
 * Form primitives of the admin screens: a labelled control, an optional hint, and the
 * server's message for its path, wired with `aria-invalid`/`aria-describedby`. Each
 * control's `name` is the contract's field name; its error is looked up by `path`
 * (defaults to `name`) in the enclosing `AdminForm`'s errors.
 */
import { type ComponentChildren, createContext } from "preact";
import { useContext } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { errorId, type FieldErrors, fieldDomId, NO_ERRORS } from "./errors.ts";

/** What fields read from the form around them. */
export interface FormScope {
  formId: string;
  errors: FieldErrors;
  disabled: boolean;
  /**
   * Each rendered field's label by path, so the error summary can name fields in words.
   * Written while fields render (a plain map, not state: it never triggers a render).
   */
  labels?: Map<string, string>;
}

export const FormScopeContext = createContext<FormScope>({
  formId: "form",
  errors: NO_ERRORS,
  disabled: false,
});

interface FieldBase {
  name: string;
  label: string;
  hint?: string;
  /** Error path when it differs from `name` (e.g. `memberships.0.userId`). */
  path?: string;
  /** A DOM id; defaults to `<formId>-<path>`. */
  id?: string;
  required?: boolean;
  disabled?: boolean;
  /** Extra class on the wrapper, e.g. to span grid columns. */
  class?: string;
}

/** The ids and error of a field, from its props and the form scope. */
export function useField(props: FieldBase) {
  const scope = useContext(FormScopeContext);
  const path = props.path ?? props.name;
  const id = props.id ?? fieldDomId(scope.formId, path);
  scope.labels?.set(path, props.label);
  const error = scope.errors[path];
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = error ? errorId(scope.formId, path) : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(" ") || undefined;
  return {
    id,
    path,
    error,
    hintId,
    errId,
    describedBy,
    disabled: (props.disabled ?? false) || scope.disabled,
  };
}

/** The message under a field; `data-field` is its path, for tests and the summary's links. */
export function FieldError({ id, path, message }: { id?: string; path: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error" data-field={path}>
      {message}
    </p>
  );
}

function Frame({
  props,
  field,
  children,
}: {
  props: FieldBase;
  field: ReturnType<typeof useField>;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <div class={`field${props.class ? ` ${props.class}` : ""}${field.error ? " has-error" : ""}`}>
      <label for={field.id}>
        {props.label}
        {props.required === false && <span class="optional"> ({t("admin.optional")})</span>}
      </label>
      {children}
      {props.hint && (
        <p id={field.hintId} class="field-help">
          {props.hint}
        </p>
      )}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </div>
  );
}

/** A single-line text input. `required={false}` marks it "(optional)" in the label. */
export function TextField(
  props: FieldBase & {
    value: string;
    onInput: (value: string) => void;
    type?: "text" | "email" | "password" | "tel" | "url" | "search" | "date";
    autoComplete?: string;
    maxLength?: number;
    placeholder?: string;
    inputMode?: "text" | "numeric" | "tel" | "email" | "decimal";
  },
) {
  const field = useField(props);
  return (
    <Frame props={props} field={field}>
      <input
        id={field.id}
        name={props.name}
        // Preact types inputs as a union by `type`; every type offered here takes these props.
        type={(props.type ?? "text") as "text"}
        value={props.value}
        required={props.required}
        disabled={field.disabled}
        autoComplete={props.autoComplete ?? "off"}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </Frame>
  );
}

/** Parses what a number input holds: "" → null, anything unparsable → null. */
export function parseNumberInput(text: string): number | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A number input; empty means null (e.g. a timer that is off). `unit` is shown after it. */
export function NumberField(
  props: FieldBase & {
    value: number | null;
    onInput: (value: number | null) => void;
    min?: number;
    max?: number;
    step?: number | "any";
    unit?: string;
  },
) {
  const field = useField(props);
  return (
    <Frame props={props} field={field}>
      <span class="input-with-unit">
        <input
          id={field.id}
          name={props.name}
          type="number"
          value={props.value ?? ""}
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          required={props.required}
          disabled={field.disabled}
          aria-invalid={field.error ? true : undefined}
          aria-describedby={field.describedBy}
          onInput={(e) => props.onInput(parseNumberInput(e.currentTarget.value))}
        />
        {props.unit && <span class="unit">{props.unit}</span>}
      </span>
    </Frame>
  );
}

/** A checkbox with its label beside it; `hint` explains what turning it on does. */
export function Toggle(
  props: FieldBase & { checked: boolean; onChange: (checked: boolean) => void },
) {
  const field = useField(props);
  return (
    <div
      class={`field field-toggle${props.class ? ` ${props.class}` : ""}${field.error ? " has-error" : ""}`}
    >
      <input
        id={field.id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        disabled={field.disabled}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.describedBy}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <label for={field.id}>{props.label}</label>
      {props.hint && (
        <p id={field.hintId} class="field-help">
          {props.hint}
        </p>
      )}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </div>
  );
}

/** One choice of a select. */
export interface Option {
  value: string;
  label: string;
  disabled?: boolean;
}

/** A native select. `placeholder` adds a first, empty choice ("Choose…"). */
export function SelectField(
  props: FieldBase & {
    value: string;
    options: readonly Option[];
    onChange: (value: string) => void;
    placeholder?: string;
  },
) {
  const field = useField(props);
  return (
    <Frame props={props} field={field}>
      <select
        id={field.id}
        name={props.name}
        value={props.value}
        required={props.required}
        disabled={field.disabled}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.describedBy}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** A multi-line text input with an optional character counter. */
export function TextAreaField(
  props: FieldBase & {
    value: string;
    onInput: (value: string) => void;
    rows?: number;
    maxLength?: number;
    placeholder?: string;
  },
) {
  const { t } = useI18n();
  const field = useField(props);
  return (
    <Frame props={props} field={field}>
      <textarea
        id={field.id}
        name={props.name}
        rows={props.rows ?? 3}
        value={props.value}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        required={props.required}
        disabled={field.disabled}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.maxLength !== undefined && (
        <span class="char-count" aria-hidden="true">
          {t("composer.count", { n: props.value.length, max: props.maxLength })}
        </span>
      )}
    </Frame>
  );
}

/** A titled group of fields (a `<fieldset>` with a `<legend>`). */
export function FieldGroup({
  legend,
  hint,
  children,
}: {
  legend: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <fieldset class="field-group">
      <legend>{legend}</legend>
      {hint && <p class="field-help">{hint}</p>}
      <div class="field-grid">{children}</div>
    </fieldset>
  );
}
