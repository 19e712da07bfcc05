/**
 * The frame of every admin form: `form.admin-form`, the error summary at the top
 * (focusable, each entry a link to its field), the conflict notice with Reload, the
 * fields (which find their errors through context) and the actions row.
 */
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { fieldDomId } from "./errors.ts";
import { FormScopeContext } from "./fields.tsx";
import type { RecordForm } from "./useRecordForm.ts";

interface AdminFormProps<V, D> {
  form: RecordForm<V, D>;
  /** The submit button's text; defaults to Save (or Create for a new record). */
  submitLabel?: string;
  /** Extra buttons beside Save (Delete, Deactivate…). */
  actions?: ComponentChildren;
  /** Labels of paths no field renders itself (fields register their own). */
  labels?: Readonly<Record<string, string>>;
  /** Disable every field (e.g. a read-only record). */
  readOnly?: boolean;
  /** `aria-labelledby` of the form, usually the page or tab heading. */
  labelledBy?: string;
  children: ComponentChildren;
}

export function AdminForm<V, D>({
  form,
  submitLabel,
  actions,
  labels = {},
  readOnly = false,
  labelledBy,
  children,
}: AdminFormProps<V, D>) {
  const { t } = useI18n();
  const fieldLabels = useRef(new Map<string, string>()).current;
  const entries = Object.entries(form.errors);
  // Named in words when a field rendered the path (or the caller named it); else the path.
  const nameOf = (path: string) => labels[path] ?? fieldLabels.get(path) ?? path;
  const hasSummary = entries.length > 0 || form.formError !== null;
  return (
    <form
      id={form.formId}
      ref={form.formRef}
      class="admin-form"
      noValidate
      aria-labelledby={labelledBy}
      aria-busy={form.saving}
      onSubmit={form.submit}
    >
      <div
        class="form-summary"
        tabIndex={-1}
        role={hasSummary ? "alert" : undefined}
        hidden={!hasSummary}
      >
        {form.formError && <p>{form.formError}</p>}
        {entries.length > 0 && (
          <>
            <p>{t("form.errorsTitle")}</p>
            <ul>
              {entries.map(([path, message]) => (
                <li key={path}>
                  <a href={`#${fieldDomId(form.formId, path)}`}>
                    {nameOf(path)}: {message}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      {form.conflict && (
        <div class="conflict" role="alert" tabIndex={-1}>
          <p>{form.conflict}</p>
          <p class="field-help">{t("form.conflictHint")}</p>
          <button type="button" class="button conflict-reload" onClick={() => void form.reload()}>
            {t("form.conflictReload")}
          </button>
        </div>
      )}

      <FormScopeContext.Provider
        value={{
          formId: form.formId,
          errors: form.errors,
          disabled: readOnly,
          labels: fieldLabels,
        }}
      >
        {children}
      </FormScopeContext.Provider>

      <div class="form-actions">
        {!readOnly && (
          <button
            type="submit"
            class="button button-primary"
            disabled={form.saving}
            aria-busy={form.saving}
          >
            {form.saving && <span class="spinner spinner-small" aria-hidden="true" />}
            {form.saving
              ? t("admin.saving")
              : (submitLabel ?? t(form.view === null ? "admin.create" : "admin.save"))}
          </button>
        )}
        {actions}
      </div>
    </form>
  );
}
