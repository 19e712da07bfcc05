/**
 * Inviting a user (`/admin/users/new`) and editing one (`/admin/users/:id`): name, role,
 * isolated agent, concurrent-conversation limit, language and skillset memberships; for
 * an existing user also resending the invitation and deactivating/reactivating.
 */
import { useState } from "preact/hooks";
import { type UserView, UserView as UserViewSchema } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  ConfirmDialog,
  FieldGroup,
  Link,
  MembershipEditor,
  NumberField,
  navigate,
  pathOf,
  postJson,
  RecordGate,
  SelectField,
  TextField,
  Toggle,
  useAdmin,
  useOptions,
  useRecordForm,
} from "../kit/index.ts";
import { skillsetOptions, usersApi } from "./api.ts";
import {
  emptyUser,
  inviteBody,
  type UserDraft,
  updateBody,
  userState,
  userToDraft,
} from "./drafts.ts";
import { UserStateBadge } from "./UserStateBadge.tsx";

export function UserForm({ id }: { id: string | null }) {
  const { t, language } = useI18n();
  const { me } = useAdmin();
  const creating = id === null;
  const skillsets = useOptions("skillsets", skillsetOptions);
  const [confirm, setConfirm] = useState<"deactivate" | "reactivate" | null>(null);

  const form = useRecordForm<UserView, UserDraft>({
    load: creating ? undefined : () => usersApi.get(id),
    empty: emptyUser(language),
    toDraft: userToDraft,
    save: (draft, view) =>
      view
        ? usersApi.update(view.id, updateBody(draft, view.version))
        : postJson("/api/admin/users", UserViewSchema, inviteBody(draft)),
    savedMessage: (view, created) =>
      created ? t("user.invited", { email: view.email }) : t("admin.saved"),
    onSaved: (view, created) => {
      if (created) navigate(pathOf("admin", "users", view.id), { replace: true });
    },
  });

  const gate = (
    <RecordGate
      status={form.status}
      loadError={form.loadError}
      onRetry={() => void form.reload()}
      backTo="/admin/users"
    />
  );
  if (form.status !== "ready" && form.status !== "new") return gate;

  const { draft, set, view } = form;
  const self = view?.id === me.id;
  const state = view ? userState(view) : null;

  return (
    <section class="admin-page" aria-labelledby="user-heading">
      <p class="breadcrumb">
        <Link href="/admin/users">{t("nav.users")}</Link>
      </p>
      <div class="page-header">
        <h1 id="user-heading">{view ? view.name : t("user.inviteTitle")}</h1>
        {state && <UserStateBadge state={state} />}
      </div>
      {view && (
        <div class="record-actions">
          {view.invitePending && view.active && (
            <button
              type="button"
              class="button"
              id="user-resend"
              disabled={form.saving}
              onClick={() =>
                void form.run(
                  async () => {
                    await usersApi.resendInvitation(view.id);
                    return usersApi.get(view.id);
                  },
                  t("user.resent", { email: view.email }),
                )
              }
            >
              {t("user.resend")}
            </button>
          )}
          {!self &&
            (view.active ? (
              <button
                type="button"
                class="button button-danger-outline"
                id="user-deactivate"
                disabled={form.saving}
                onClick={() => setConfirm("deactivate")}
              >
                {t("user.deactivate")}
              </button>
            ) : (
              <button
                type="button"
                class="button"
                id="user-reactivate"
                disabled={form.saving}
                onClick={() => setConfirm("reactivate")}
              >
                {t("user.reactivate")}
              </button>
            ))}
        </div>
      )}

      <AdminForm
        form={form}
        labelledBy="user-heading"
        submitLabel={creating ? t("user.sendInvitation") : undefined}
        labels={{
          email: t("user.email"),
          name: t("user.name"),
          role: t("user.role"),
          maxConversations: t("user.maxConversations"),
          language: t("user.language"),
        }}
      >
        <FieldGroup legend={t("user.profile")}>
          {creating ? (
            <TextField
              name="email"
              label={t("user.email")}
              hint={t("user.emailHint")}
              type="email"
              required
              maxLength={254}
              value={draft.email}
              onInput={(v) => set("email", v)}
            />
          ) : (
            <div class="field">
              <span class="field-label">{t("user.email")}</span>
              <span class="field-value">{draft.email}</span>
            </div>
          )}
          <TextField
            name="name"
            label={t("user.name")}
            required
            maxLength={100}
            value={draft.name}
            onInput={(v) => set("name", v)}
          />
          <SelectField
            name="role"
            label={t("user.role")}
            hint={t("user.roleHint")}
            value={draft.role}
            disabled={self}
            options={[
              { value: "agent", label: t("role.agent") },
              { value: "admin", label: t("role.admin") },
            ]}
            onChange={(v) => set("role", v === "admin" ? "admin" : "agent")}
          />
          <SelectField
            name="language"
            label={t("user.language")}
            value={draft.language}
            options={[
              { value: "en", label: t("language.en") },
              { value: "it", label: t("language.it") },
            ]}
            onChange={(v) => set("language", v === "it" ? "it" : "en")}
          />
        </FieldGroup>
        <FieldGroup legend={t("user.work")}>
          <NumberField
            name="maxConversations"
            label={t("user.maxConversations")}
            hint={t("user.maxConversationsHint")}
            min={1}
            max={50}
            value={draft.maxConversations}
            onInput={(v) => set("maxConversations", v)}
          />
          <Toggle
            name="isolated"
            label={t("user.isolated")}
            hint={t("user.isolatedHint")}
            checked={draft.isolated}
            onChange={(v) => set("isolated", v)}
          />
        </FieldGroup>
        <MembershipEditor
          legend={t("user.memberships")}
          hint={skillsets.error ?? t("user.membershipsHint")}
          name="skillsetId"
          optionLabel={t("user.skillset")}
          options={skillsets.options}
          rows={draft.memberships}
          onChange={(rows) => set("memberships", rows)}
          path="memberships"
        />
      </AdminForm>

      {confirm && view && (
        <ConfirmDialog
          title={t(confirm === "deactivate" ? "user.deactivateTitle" : "user.reactivateTitle")}
          message={t(
            confirm === "deactivate" ? "user.deactivateMessage" : "user.reactivateMessage",
            { name: view.name },
          )}
          confirmLabel={t(confirm === "deactivate" ? "user.deactivate" : "user.reactivate")}
          danger={confirm === "deactivate"}
          onConfirm={async () => {
            await form.run(
              () =>
                usersApi.update(view.id, {
                  version: view.version,
                  active: confirm === "reactivate",
                }),
              t(confirm === "deactivate" ? "user.deactivated" : "user.reactivated"),
            );
            setConfirm(null);
          }}
          onCancel={() => setConfirm(null)}
        />
      )}
    </section>
  );
}
