/**
 * A tenant, for the platform operator: creating one invites its first administrator;
 * editing changes its name and template limit; suspending (after a confirm) stops its
 * users from signing in and its webhooks from being routed.
 */
import { useState } from "preact/hooks";
import { type TenantView, TenantView as TenantViewSchema } from "../../../shared/admin.ts";
import type { Language } from "../../../shared/protocol.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  ConfirmDialog,
  FieldGroup,
  Link,
  NumberField,
  navigate,
  pathOf,
  postJson,
  RecordGate,
  resourceUrl,
  SelectField,
  TextField,
  useRecordForm,
} from "../kit/index.ts";
import { tenantsApi } from "./api.ts";

interface TenantDraft {
  name: string;
  templateLimit: number | null;
  adminEmail: string;
  adminName: string;
  language: Language;
}

const EMPTY: TenantDraft = {
  name: "",
  templateLimit: 250,
  adminEmail: "",
  adminName: "",
  language: "en",
};

export function TenantForm({ id }: { id: string | null }) {
  const { t } = useI18n();
  const creating = id === null;
  const [confirm, setConfirm] = useState<"suspend" | "reactivate" | null>(null);
  const form = useRecordForm<TenantView, TenantDraft>({
    load: creating ? undefined : () => tenantsApi.get(id),
    empty: EMPTY,
    toDraft: (view) => ({ ...EMPTY, name: view.name, templateLimit: view.templateLimit }),
    save: (draft, view) =>
      view
        ? tenantsApi.update(view.id, {
            version: view.version,
            name: draft.name.trim(),
            templateLimit: draft.templateLimit,
          })
        : postJson("/api/platform/tenants", TenantViewSchema, {
            name: draft.name.trim(),
            templateLimit: draft.templateLimit,
            adminEmail: draft.adminEmail.trim(),
            adminName: draft.adminName.trim(),
            language: draft.language,
          }),
    savedMessage: (view, created) =>
      created ? t("tenant.created", { name: view.name }) : t("admin.saved"),
    onSaved: (view, created) => {
      if (created) navigate(pathOf("platform", "tenants", view.id), { replace: true });
    },
  });
  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/platform/tenants"
      />
    );
  }
  const { draft, set, view } = form;
  return (
    <section class="admin-page" aria-labelledby="tenant-heading">
      <p class="breadcrumb">
        <Link href="/platform/tenants">{t("nav.tenants")}</Link>
      </p>
      <div class="page-header">
        <h1 id="tenant-heading">{view ? view.name : t("tenant.newTitle")}</h1>
        {view && (
          <span class={`badge-status state-${view.status}`} data-state={view.status}>
            {t(`tenantStatus.${view.status}`)}
          </span>
        )}
      </div>
      {view && (
        <div class="record-actions">
          <button
            type="button"
            id="tenant-resend"
            class="button"
            disabled={form.saving}
            onClick={() =>
              void form.run(
                () =>
                  postJson(
                    resourceUrl("/api/platform", "tenants", view.id, "invite"),
                    TenantViewSchema,
                  ),
                t("tenant.resent"),
              )
            }
          >
            {t("tenant.resend")}
          </button>
          {view.status === "active" ? (
            <button
              type="button"
              id="tenant-suspend"
              class="button button-danger-outline"
              disabled={form.saving}
              onClick={() => setConfirm("suspend")}
            >
              {t("tenant.suspend")}
            </button>
          ) : (
            <button
              type="button"
              id="tenant-reactivate"
              class="button"
              disabled={form.saving}
              onClick={() => setConfirm("reactivate")}
            >
              {t("tenant.reactivate")}
            </button>
          )}
        </div>
      )}
      <AdminForm
        form={form}
        labelledBy="tenant-heading"
        labels={{
          name: t("tenant.name"),
          templateLimit: t("tenant.templateLimit"),
          adminEmail: t("tenant.adminEmail"),
          adminName: t("tenant.adminName"),
          language: t("user.language"),
        }}
      >
        <FieldGroup legend={t("tenant.general")}>
          <TextField
            name="name"
            label={t("tenant.name")}
            required
            maxLength={100}
            value={draft.name}
            onInput={(v) => set("name", v)}
          />
          <NumberField
            name="templateLimit"
            label={t("tenant.templateLimit")}
            hint={t("tenant.templateLimitHint")}
            min={0}
            max={10000}
            value={draft.templateLimit}
            onInput={(v) => set("templateLimit", v)}
          />
        </FieldGroup>
        {creating && (
          <FieldGroup legend={t("tenant.firstAdmin")} hint={t("tenant.firstAdminHint")}>
            <TextField
              name="adminEmail"
              label={t("tenant.adminEmail")}
              type="email"
              required
              maxLength={254}
              value={draft.adminEmail}
              onInput={(v) => set("adminEmail", v)}
            />
            <TextField
              name="adminName"
              label={t("tenant.adminName")}
              required
              maxLength={100}
              value={draft.adminName}
              onInput={(v) => set("adminName", v)}
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
        )}
      </AdminForm>
      {confirm && view && (
        <ConfirmDialog
          title={t(confirm === "suspend" ? "tenant.suspendTitle" : "tenant.reactivateTitle")}
          message={t(confirm === "suspend" ? "tenant.suspendMessage" : "tenant.reactivateMessage", {
            name: view.name,
          })}
          confirmLabel={t(confirm === "suspend" ? "tenant.suspend" : "tenant.reactivate")}
          danger={confirm === "suspend"}
          onConfirm={async () => {
            await form.run(
              () =>
                tenantsApi.update(view.id, {
                  version: view.version,
                  status: confirm === "suspend" ? "suspended" : "active",
                }),
              t(confirm === "suspend" ? "tenant.suspended" : "tenant.reactivated"),
            );
            setConfirm(null);
          }}
          onCancel={() => setConfirm(null)}
        />
      )}
    </section>
  );
}
