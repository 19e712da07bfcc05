/**
 * The control of one custom property, by its type: text, number, date, a checkbox for
 * yes/no, a select for a choice. Its `name` (and error path) is `properties.<id>`, as
 * the API names it.
 */
import type { CustomerField } from "../../shared/customer-import.ts";
import { SelectField, TextField, Toggle } from "../admin/kit/index.ts";
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
  const common = {
    name: `properties.${field.id}`,
    label: field.name,
    hint: disabled && !field.modifiableByAgent ? t("customer.adminOnly") : undefined,
    disabled,
  };
  const text = typeof value === "string" ? value : "";
  switch (field.type) {
    case "boolean":
      return <Toggle {...common} checked={value === true} onChange={onChange} />;
    case "choice":
      return (
        <SelectField
          {...common}
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
      return <TextField {...common} type="date" required={false} value={text} onInput={onChange} />;
    case "number":
      return (
        <TextField
          {...common}
          required={false}
          inputMode="decimal"
          value={text}
          onInput={onChange}
        />
      );
    default:
      return (
        <TextField {...common} required={false} maxLength={1000} value={text} onInput={onChange} />
      );
  }
}
