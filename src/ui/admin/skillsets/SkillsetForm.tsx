/**
 * A skillset (`/admin/skillsets/new[?numberId=…]`, `/admin/skillsets/:id`): its number,
 * name, priority 1–9, whether it is the number's default, the softbot's label, and its
 * agents with their priority inside it.
 */

import { useEffect, useState } from "preact/hooks";
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
import { memberOptions, numberDefault, numberOptions, skillsetsApi } from "./api.ts";
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

  const [currentDefault, setCurrentDefault] = useState<DefaultNow>({ status: "unknown" });
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
      setCurrentDefault({ status: "unknown" });
    },
  });
  // The number's default now, so the form can say what saving will do to it.
  const chosenNumber = form.status === "ready" || form.status === "new" ? form.draft.numberId : "";
  useEffect(() => {
    if (!chosenNumber || currentDefault.status !== "unknown") return;
    let live = true;
    numberDefault(chosenNumber).then(
      (found) => live && setCurrentDefault({ status: "known", numberId: chosenNumber, found }),
      () => live && setCurrentDefault({ status: "failed" }),
    );
    return () => {
      live = false;
    };
  }, [chosenNumber, currentDefault.status]);
  useEffect(() => {
    if (currentDefault.status === "known" && currentDefault.numberId !== chosenNumber) {
      setCurrentDefault({ status: "unknown" });
    }
  }, [chosenNumber, currentDefault]);
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
  const defaultNote = defaultOutcome(t, view, draft.isDefault, currentDefault);
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
            message={
              view.isDefault
                ? `${t("skillset.deleteMessage", { name: view.name })} ${t("skillset.deleteDefault")}`
                : t("skillset.deleteMessage", { name: view.name })
            }
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
          {defaultNote && (
            <p id="skillset-default-outcome" class="field-note" role="status">
              {defaultNote}
            </p>
          )}
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

type DefaultNow =
  | { status: "unknown" }
  | { status: "failed" }
  | { status: "known"; numberId: string; found: { id: string; name: string } | null };

/** What saving will do to the number's default, in words; null when nothing changes. */
function defaultOutcome(
  t: ReturnType<typeof useI18n>["t"],
  view: SkillsetView | null,
  wantsDefault: boolean,
  now: DefaultNow,
): string | null {
  const wasDefault = view?.isDefault ?? false;
  if (wantsDefault === wasDefault) return null;
  if (!wantsDefault) return t("skillset.defaultOff");
  if (now.status !== "known") return t("skillset.defaultOn");
  const other = now.found && now.found.id !== view?.id ? now.found : null;
  return other ? t("skillset.defaultReplaces", { name: other.name }) : t("skillset.defaultOn");
}
