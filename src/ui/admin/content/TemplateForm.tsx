/**
 * A template (`/admin/templates/new[?numberId=…]`, `/admin/templates/:id`): the editor
 * with its live preview, the review status with Meta's reason, "Submit to Meta" for a
 * saved draft, and delete. Only drafts and rejected templates are editable (saving a
 * rejected one makes it a draft again); the others are shown read-only. A new template
 * is refused up front when the tenant's limit is reached (the server enforces it too).
 */
import { useState } from "preact/hooks";
import type { TemplateView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { TemplateEditor } from "../editors/TemplateEditor.tsx";
import {
  canSubmit,
  draftFrom,
  emptyDraft,
  isEditable,
  type TemplateDraft,
  toTemplateFields,
} from "../editors/template.ts";
import {
  AdminForm,
  DeleteRecord,
  Link,
  navigate,
  pathOf,
  RecordGate,
  useOptions,
  useRecordForm,
} from "../kit/index.ts";
import { templateNumberOptions, templatesApi } from "./api.ts";
import { TemplateLimit, useTemplateLimit } from "./TemplateLimit.tsx";
import { TemplateStatusBadge } from "./TemplateStatusBadge.tsx";

export function TemplateForm({ id, numberId }: { id: string | null; numberId?: string }) {
  const { t } = useI18n();
  const [submitting, setSubmitting] = useState(false);
  const numbers = useOptions("template-number-choices", () =>
    templateNumberOptions(t("templates.noWaba")),
  );
  const usage = useTemplateLimit();
  const form = useRecordForm<TemplateView, TemplateDraft>({
    load: id === null ? undefined : () => templatesApi.get(id),
    empty: emptyDraft(numberId ?? ""),
    toDraft: draftFrom,
    save: (draft, view) => {
      if (!view) return templatesApi.create(toTemplateFields(draft));
      const { numberId: _fixed, ...fields } = toTemplateFields(draft);
      return templatesApi.update(view.id, { version: view.version, ...fields });
    },
    onSaved: (view, created) => {
      if (created) navigate(pathOf("admin", "templates", view.id), { replace: true });
    },
  });
  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/admin/templates"
      />
    );
  }
  const { draft, view } = form;
  const atLimit = !view && usage !== null && usage.count >= usage.limit;
  const readOnly = (view !== null && !isEditable(view.status)) || atLimit;
  const submittable = view !== null && canSubmit(view.status);

  const submit = async () => {
    if (!view) return;
    setSubmitting(true);
    const ok = await form.run(() => templatesApi.submit(view.id), t("templates.submitted"));
    setSubmitting(false);
    if (ok) {
      // The status changed: load the template afresh (its version moved on too).
      await form.reload();
    }
  };

  return (
    <section class="admin-page template-page" aria-labelledby="template-heading">
      <p class="breadcrumb">
        <Link href="/admin/templates">{t("nav.templates")}</Link>
      </p>
      <div class="page-header">
        <h1 id="template-heading">
          {view ? `${view.name} (${view.language})` : t("templates.new")}{" "}
          {view && <TemplateStatusBadge status={view.status} />}
        </h1>
        {view && (
          <DeleteRecord
            id="template-delete"
            title={t("templates.deleteTitle")}
            message={
              view.metaTemplateId
                ? t("templates.deleteMessageMeta", { name: view.name })
                : t("templates.deleteMessage", { name: view.name })
            }
            remove={() => templatesApi.remove(view.id)}
            backTo="/admin/templates"
          />
        )}
      </div>

      {view ? <StatusNote view={view} /> : <TemplateLimit usage={usage} />}

      <AdminForm
        form={form}
        labelledBy="template-heading"
        readOnly={readOnly}
        labels={{
          numberId: t("template.number"),
          name: t("template.name"),
          language: t("template.language"),
          category: t("template.category"),
          "header.text": t("template.header"),
          "header.example": t("template.headerExample"),
          "body.text": t("template.body"),
          footer: t("template.footer"),
          buttons: t("template.buttons"),
        }}
        actions={
          submittable && (
            <>
              <button
                type="button"
                class="button"
                id="template-submit"
                disabled={form.dirty || submitting || form.saving}
                aria-describedby="template-submit-hint"
                aria-busy={submitting}
                onClick={() => void submit()}
              >
                {submitting && <span class="spinner spinner-small" aria-hidden="true" />}
                {t("templates.submit")}
              </button>
              <span id="template-submit-hint" class="field-help">
                {form.dirty ? t("templates.saveBeforeSubmit") : t("templates.submitHint")}
              </span>
            </>
          )
        }
      >
        <TemplateEditor
          draft={draft}
          onChange={form.setDraft}
          numbers={numbers.options}
          numberLocked={view !== null}
        />
      </AdminForm>
    </section>
  );
}

/** What the status means for the admin, and Meta's reason when it gave one. */
function StatusNote({ view }: { view: TemplateView }) {
  const { t } = useI18n();
  return (
    <div class={`status-note status-note-${view.status}`} role="status">
      <p>{t(`templates.statusNote.${view.status}`)}</p>
      {view.statusReason && (
        <p>
          <strong>{t("templates.reason")}</strong> {view.statusReason}
        </p>
      )}
    </div>
  );
}
