/**
 * A predefined message (`/admin/predefined-messages/new[?category=…]`, `…/:id`): its
 * category (free text, with the categories in use suggested), title, text and optional
 * reply buttons or list, beside a preview of what the customer sees.
 */
import type { Interactive, PredefinedMessageView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { CountedField } from "../editors/CountedField.tsx";
import { InteractiveEditor } from "../editors/InteractiveEditor.tsx";
import { textLimit } from "../editors/interactive.ts";
import { SuggestField } from "../editors/SuggestField.tsx";
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
import { predefinedApi } from "./api.ts";
import { MessagePreview } from "./MessagePreview.tsx";

interface PredefinedDraft {
  category: string;
  title: string;
  text: string;
  interactive: Interactive | null;
}

function toDraft(view: PredefinedMessageView): PredefinedDraft {
  return {
    category: view.category,
    title: view.title,
    text: view.text,
    interactive: view.interactive,
  };
}

export function PredefinedMessageForm({ id, category }: { id: string | null; category?: string }) {
  const { t } = useI18n();
  const categories = useOptions("predefined-categories", async () =>
    (await predefinedApi.categories()).map((c) => ({ value: c, label: c })),
  );
  const form = useRecordForm<PredefinedMessageView, PredefinedDraft>({
    load: id === null ? undefined : () => predefinedApi.get(id),
    empty: { category: category ?? "", title: "", text: "", interactive: null },
    toDraft,
    save: (draft, view) =>
      view
        ? predefinedApi.update(view.id, { version: view.version, ...draft })
        : predefinedApi.create(draft),
    onSaved: (view, created) => {
      if (created) navigate(pathOf("admin", "predefined-messages", view.id), { replace: true });
    },
  });
  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/admin/predefined-messages"
      />
    );
  }
  const { draft, set, view } = form;
  const limit = textLimit(draft.interactive);

  return (
    <section class="admin-page" aria-labelledby="predefined-heading">
      <p class="breadcrumb">
        <Link href="/admin/predefined-messages">{t("nav.predefined-messages")}</Link>
      </p>
      <div class="page-header">
        <h1 id="predefined-heading">{view ? view.title : t("predefined.new")}</h1>
        {view && (
          <DeleteRecord
            id="predefined-delete"
            title={t("predefined.deleteTitle")}
            message={t("predefined.deleteMessage", { name: view.title })}
            remove={() => predefinedApi.remove(view.id)}
            backTo="/admin/predefined-messages"
          />
        )}
      </div>
      <div class="editor-with-preview">
        <AdminForm
          form={form}
          labelledBy="predefined-heading"
          labels={{
            category: t("predefined.category"),
            title: t("predefined.title"),
            text: t("predefined.text"),
            interactive: t("interactive.legend"),
          }}
        >
          <div class="field-grid">
            <SuggestField
              name="category"
              label={t("predefined.category")}
              hint={categories.error ?? t("predefined.categoryHint")}
              required
              maxLength={60}
              value={draft.category}
              suggestions={categories.options.map((o) => o.value)}
              onInput={(v) => set("category", v)}
            />
            <CountedField
              path="title"
              label={t("predefined.title")}
              hint={t("predefined.titleHint")}
              required
              max={100}
              value={draft.title}
              onInput={(v) => set("title", v)}
            />
          </div>
          <CountedField
            path="text"
            label={t("predefined.text")}
            hint={draft.interactive ? t("predefined.textHintInteractive") : undefined}
            required
            multiline
            rows={6}
            max={limit}
            value={draft.text}
            onInput={(v) => set("text", v)}
          />
          <InteractiveEditor value={draft.interactive} onChange={(v) => set("interactive", v)} />
        </AdminForm>
        <MessagePreview text={draft.text} interactive={draft.interactive} />
      </div>
    </section>
  );
}
