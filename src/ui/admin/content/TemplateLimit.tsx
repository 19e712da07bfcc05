/**
 * "12 of 250 templates": the tenant's limit, which every template counts against. Loaded
 * from the tenant settings; `reloadKey` refreshes it after a create or delete.
 */
import { useEffect, useState } from "preact/hooks";
import type { TenantSettingsView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { tenantSettings } from "./api.ts";

/** The tenant's template count and limit, or null while loading (or when that failed). */
export function useTemplateLimit(reloadKey = 0) {
  const [settings, setSettings] = useState<TenantSettingsView | null>(null);
  useEffect(() => {
    let live = true;
    tenantSettings().then(
      (s) => live && setSettings(s),
      // The count is informative; the server enforces the limit regardless.
      () => live && setSettings(null),
    );
    return () => {
      live = false;
    };
  }, [reloadKey]);
  return settings === null
    ? null
    : { count: settings.templateCount, limit: settings.templateLimit };
}

export function TemplateLimit({ usage }: { usage: { count: number; limit: number } | null }) {
  const { t } = useI18n();
  if (!usage) return null;
  const full = usage.count >= usage.limit;
  return (
    <p id="templates-limit" class={`limit-counter${full ? " is-full" : ""}`}>
      {t("templates.limit", { n: usage.count, limit: usage.limit })}
      {full && ` — ${t("templates.limitReached")}`}
    </p>
  );
}
