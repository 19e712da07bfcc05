/**
 * A template filled in: the template select (`select[name=template]`), one input per
 * variable (`input[name=var-header]`, `input[name=var-body-1]`…), the preview of what the
 * customer reads (filled live) and its quick-reply buttons.
 */
import type { OutboundTemplates } from "../../../shared/outbound.ts";
import { useI18n } from "../../i18n.ts";

type Templates =
  | { kind: "loading" }
  | { kind: "loaded"; data: OutboundTemplates }
  | { kind: "failed"; message: string };

export function TemplateForm({
  state,
  templateId,
  onPick,
  header,
  onHeader,
  body,
  onBody,
  errors,
  preview,
}: {
  state: Templates;
  templateId: string;
  onPick: (id: string) => void;
  header: string;
  onHeader: (value: string) => void;
  body: readonly string[];
  /** The new values, and the index of the one that changed. */
  onBody: (values: string[], index: number) => void;
  /** Messages by input name. */
  errors: Readonly<Record<string, string>>;
  preview: string | null;
}) {
  const { t } = useI18n();
  if (state.kind === "loading") {
    return (
      <p class="muted" role="status">
        {t("outbound.templatesLoading")}
      </p>
    );
  }
  if (state.kind === "failed") {
    return (
      <p class="form-error" role="alert">
        {t("outbound.templatesFailed", { message: state.message })}
      </p>
    );
  }
  const { templates } = state.data;
  if (templates.length === 0) {
    return (
      <p class="empty-state" role="status">
        {t("outbound.noTemplates")}
      </p>
    );
  }
  const template = templates.find((x) => x.id === templateId) ?? null;
  return (
    <div class="outbound-template">
      <div class="field">
        <label for="outbound-template">{t("outbound.templateLabel")}</label>
        <select
          id="outbound-template"
          name="template"
          value={templateId}
          onChange={(e) => onPick(e.currentTarget.value)}
        >
          <option value="">{t("outbound.templatePick")}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} ({x.language})
            </option>
          ))}
        </select>
      </div>
      {template && (
        <>
          {template.headerVariables > 0 && (
            <Variable
              name="var-header"
              label={t("outbound.headerVariable")}
              value={header}
              error={errors["var-header"]}
              onInput={onHeader}
            />
          )}
          {Array.from({ length: template.bodyVariables }, (_, i) => (
            <Variable
              key={i}
              name={`var-body-${i + 1}`}
              label={t("outbound.bodyVariable", { n: i + 1 })}
              value={body[i] ?? ""}
              error={errors[`var-body-${i + 1}`]}
              onInput={(value) => {
                const next = [...body];
                next[i] = value;
                onBody(next, i);
              }}
            />
          ))}
          <section class="outbound-preview-box" aria-labelledby="outbound-preview-title">
            <h3 id="outbound-preview-title">{t("outbound.preview")}</h3>
            <p id="outbound-preview" class="outbound-preview" aria-live="polite">
              {preview}
            </p>
            {template.quickReplies.length > 0 && (
              <ul class="outbound-quick-replies" aria-label={t("outbound.quickReplies")}>
                {template.quickReplies.map((reply) => (
                  <li key={reply}>{reply}</li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function Variable({
  name,
  label,
  value,
  error,
  onInput,
}: {
  name: string;
  label: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  const id = `outbound-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        value={value}
        maxLength={name === "var-header" ? 60 : 500}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <span id={`${id}-error`} class="form-error">
          {error}
        </span>
      )}
    </div>
  );
}
