/**
 * The tenant's settings: templates for agents, masking of sensitive data, default
 * language, meeting URL, and how long an unused session lasts.
 */
import {
  type TenantSettings,
  type TenantSettingsView,
  TenantSettingsView as TenantSettingsViewSchema,
} from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  FieldGroup,
  getJson,
  NumberField,
  patchJson,
  RecordGate,
  SelectField,
  TextField,
  Toggle,
  useRecordForm,
} from "../kit/index.ts";

const URL = "/api/admin/settings";

export function SettingsForm() {
  const { t } = useI18n();
  const form = useRecordForm<TenantSettingsView, TenantSettings>({
    load: () => getJson(URL, TenantSettingsViewSchema),
    toDraft: (view) => ({
      agentsMaySendTemplates: view.agentsMaySendTemplates,
      maskSensitiveData: view.maskSensitiveData,
      defaultLanguage: view.defaultLanguage,
      meetingUrl: view.meetingUrl,
      sessionIdleMinutes: view.sessionIdleMinutes,
    }),
    save: (draft, view) =>
      patchJson(URL, TenantSettingsViewSchema, { version: view?.version ?? 1, ...draft }),
  });
  if (form.status !== "ready") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
      />
    );
  }
  const { draft, set, view } = form;
  return (
    <section class="admin-page" aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t("nav.settings")}</h1>
      {view && (
        <dl class="facts">
          <dt>{t("settings.tenant")}</dt>
          <dd>{view.name}</dd>
          <dt>{t("settings.templates")}</dt>
          <dd>
            {t("settings.templatesUsed", { count: view.templateCount, limit: view.templateLimit })}
          </dd>
        </dl>
      )}
      <AdminForm form={form} labelledBy="settings-heading">
        <FieldGroup legend={t("settings.agents")}>
          <Toggle
            name="agentsMaySendTemplates"
            label={t("settings.agentsMaySendTemplates")}
            hint={t("settings.agentsMaySendTemplatesHint")}
            checked={draft.agentsMaySendTemplates}
            onChange={(v) => set("agentsMaySendTemplates", v)}
          />
          <Toggle
            name="maskSensitiveData"
            label={t("settings.maskSensitiveData")}
            hint={t("settings.maskSensitiveDataHint")}
            checked={draft.maskSensitiveData}
            onChange={(v) => set("maskSensitiveData", v)}
          />
          <SelectField
            name="defaultLanguage"
            label={t("settings.defaultLanguage")}
            hint={t("settings.defaultLanguageHint")}
            value={draft.defaultLanguage}
            options={[
              { value: "en", label: t("language.en") },
              { value: "it", label: t("language.it") },
            ]}
            onChange={(v) => set("defaultLanguage", v === "it" ? "it" : "en")}
          />
          <TextField
            name="meetingUrl"
            type="url"
            label={t("settings.meetingUrl")}
            hint={t("settings.meetingUrlHint")}
            placeholder="https://meet.example.com/parley"
            maxLength={500}
            required={false}
            value={draft.meetingUrl}
            onInput={(v) => set("meetingUrl", v)}
          />
        </FieldGroup>
        <FieldGroup legend={t("settings.security")}>
          <NumberField
            name="sessionIdleMinutes"
            label={t("settings.sessionIdleMinutes")}
            hint={t("settings.sessionIdleMinutesHint")}
            min={5}
            max={1440}
            unit={t("settings.minutes")}
            value={draft.sessionIdleMinutes}
            onInput={(v) => set("sessionIdleMinutes", v ?? 0)}
          />
        </FieldGroup>
      </AdminForm>
    </section>
  );
}
