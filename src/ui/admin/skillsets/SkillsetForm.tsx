/**
 * A skillset (`/admin/skillsets/new[?numberId=…]`, `/admin/skillsets/:id`): its number,
 * name, priority 1–9, whether it is the number's default, the softbot's label, and its
 * agents with their priority inside it.
 */
import { type SkillsetView, SkillsetView as SkillsetViewSchema } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  DeleteRecord,
  FieldGroup,
  Link,
  MembershipEditor,
  navigate,
  pathOf,
  postJson,
  RecordGate,
  SelectField,
  TextField,
  Toggle,
  useOptions,
  useRecordForm,
} from "../kit/index.ts";
import { AGENT_PRIORITIES } from "../kit/membership.ts";
import { memberOptions, numberOptions, skillsetsApi } from "./api.ts";
import {
  createSkillsetBody,
  emptySkillset,
  type SkillsetDraft,
  skillsetToDraft,
  updateSkillsetBody,
} from "./drafts.ts";

export function SkillsetForm({ id, numberId }: { id: string | null; numberId?: string }) {
  const { t } = useI18n();
  const creating = id === null;
  const numbers = useOptions("numbers", numberOptions);
  const users = useOptions("users", memberOptions);

  const form = useRecordForm<SkillsetView, SkillsetDraft>({
    load: creating ? undefined : () => skillsetsApi.get(id),
    empty: emptySkillset(numberId),
    toDraft: skillsetToDraft,
    save: (draft, view) =>
      view
        ? skillsetsApi.update(view.id, updateSkillsetBody(draft, view.version))
        : postJson("/api/admin/skillsets", SkillsetViewSchema, createSkillsetBody(draft)),
    onSaved: (view, created) => {
      if (created) navigate(pathOf("admin", "skillsets", view.id), { replace: true });
    },
  });
  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/admin/skillsets"
      />
    );
  }

  const { draft, set, view } = form;
  const priorities = AGENT_PRIORITIES.map((p) => ({ value: String(p), label: String(p) }));
  return (
    <section class="admin-page" aria-labelledby="skillset-heading">
      <p class="breadcrumb">
        <Link href="/admin/skillsets">{t("nav.skillsets")}</Link>
        {view && (
          <>
            {" › "}
            <Link href={pathOf("admin", "numbers", view.numberId, "skillsets")}>
              {view.numberName}
            </Link>
          </>
        )}
      </p>
      <div class="page-header">
        <h1 id="skillset-heading">{view ? view.name : t("skillset.newTitle")}</h1>
        {view && (
          <DeleteRecord
            id="skillset-delete"
            title={t("skillset.deleteTitle")}
            message={t("skillset.deleteMessage", { name: view.name })}
            remove={() => skillsetsApi.remove(view.id)}
            backTo="/admin/skillsets"
          />
        )}
      </div>
      <AdminForm
        form={form}
        labelledBy="skillset-heading"
        labels={{
          name: t("skillset.name"),
          numberId: t("skillset.number"),
          priority: t("skillset.priority"),
          botLabel: t("skillset.botLabel"),
        }}
      >
        <FieldGroup legend={t("skillset.general")}>
          <SelectField
            name="numberId"
            label={t("skillset.number")}
            hint={view ? t("skillset.numberFixed") : (numbers.error ?? undefined)}
            required
            disabled={!creating}
            value={draft.numberId}
            placeholder={t("membership.choose")}
            options={numbers.options}
            onChange={(v) => set("numberId", v)}
          />
          <TextField
            name="name"
            label={t("skillset.name")}
            required
            maxLength={100}
            value={draft.name}
            onInput={(v) => set("name", v)}
          />
          <SelectField
            name="priority"
            label={t("skillset.priority")}
            hint={t("skillset.priorityHint")}
            value={String(draft.priority)}
            options={priorities}
            onChange={(v) => set("priority", Number(v))}
          />
          <TextField
            name="botLabel"
            label={t("skillset.botLabel")}
            hint={t("skillset.botLabelHint")}
            required={false}
            maxLength={24}
            value={draft.botLabel}
            onInput={(v) => set("botLabel", v)}
          />
          <Toggle
            name="isDefault"
            label={t("skillset.isDefault")}
            hint={t("skillset.isDefaultHint")}
            checked={draft.isDefault}
            onChange={(v) => set("isDefault", v)}
          />
        </FieldGroup>
        <MembershipEditor
          legend={t("skillset.members")}
          hint={users.error ?? t("skillset.membersHint")}
          name="userId"
          optionLabel={t("skillset.agent")}
          options={users.options}
          rows={draft.members}
          onChange={(rows) => set("members", rows)}
          path="members"
        />
      </AdminForm>
    </section>
  );
}
