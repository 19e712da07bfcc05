/**
 * The control of one custom property, by its type: text, number, date, a checkbox for
 * yes/no, a select for a choice. Its `name` (and error path) is `properties.<id>`, as
 * the API names it.
 */
import type { CustomerField } from "../../shared/customer-import.ts";
import { FieldError, SelectField, TextField, Toggle, useField } from "../admin/kit/index.ts";
import { useI18n } from "../i18n.ts";
import type { PropertyInput } from "./drafts.ts";

interface PropertyFieldProps {
  field: CustomerField;
  value: PropertyInput;
  disabled: boolean;
  onChange: (value: PropertyInput) => void;
}

export function PropertyField({ field, value, disabled, onChange }: PropertyFieldProps) {
  const { t } = useI18n();
  const name = `properties.${field.id}`;
  const hint = disabled && !field.modifiableByAgent ? t("customer.adminOnly") : undefined;
  const text = typeof value === "string" ? value : "";
  switch (field.type) {
    case "boolean":
      return (
        <Toggle
          name={name}
          label={field.name}
          hint={hint}
          disabled={disabled}
          checked={value === true}
          onChange={onChange}
        />
      );
    case "choice":
      return (
        <SelectField
          name={name}
          label={field.name}
          hint={hint}
          disabled={disabled}
          required={false}
          value={text}
          placeholder={t("customer.noChoice")}
          options={[
            // A stored value no longer among the options stays visible rather than vanishing.
            ...(text && !field.options.includes(text) ? [text] : []),
            ...field.options,
          ].map((option) => ({ value: option, label: option }))}
          onChange={onChange}
        />
      );
    case "date":
      return (
        <DateField
          name={name}
          label={field.name}
          hint={hint}
          disabled={disabled}
          value={text}
          onInput={onChange}
        />
      );
    case "number":
      return (
        <TextField
          name={name}
          label={field.name}
          hint={hint}
          disabled={disabled}
          required={false}
          inputMode="decimal"
          value={text}
          onInput={onChange}
        />
      );
    default:
      return (
        <TextField
          name={name}
          label={field.name}
          hint={hint}
          disabled={disabled}
          required={false}
          maxLength={1000}
          value={text}
          onInput={onChange}
        />
      );
  }
}

/** A date input (the kit's fields have none): label, control, hint and its error. */
function DateField(props: {
  name: string;
  label: string;
  hint?: string;
  disabled: boolean;
  value: string;
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  const field = useField(props);
  return (
    <div class={`field${field.error ? " has-error" : ""}`}>
      <label for={field.id}>
        {props.label}
        <span class="optional"> ({t("admin.optional")})</span>
      </label>
      <input
        id={field.id}
        name={props.name}
        type="date"
        value={props.value}
        disabled={field.disabled}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint && (
        <p id={field.hintId} class="field-help">
          {props.hint}
        </p>
      )}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </div>
  );
}
