/** The tenant content APIs as the admin screens use them: predefined messages, locations, templates. */
import { z } from "zod";
import {
  LocationView,
  NumberView,
  PredefinedMessageView,
  TemplateView,
  TenantSettingsView,
} from "../../../shared/admin.ts";
import { fetchAll, getJson, type Option, postJson, resource, resourceUrl } from "../kit/index.ts";

export const predefinedApi = {
  ...resource("/api/admin", "predefined-messages", PredefinedMessageView),
  /** The categories in use, alphabetically. */
  categories: async () =>
    (
      await getJson(
        "/api/admin/predefined-messages/categories",
        z.object({ categories: z.array(z.string()) }),
      )
    ).categories,
};

export const locationsApi = resource("/api/admin", "locations", LocationView);

export const templatesApi = {
  ...resource("/api/admin", "templates", TemplateView),
  /** Sends a draft to Meta's review; answers the template with its new status. */
  submit: (id: string) =>
    postJson(resourceUrl("/api/admin", "templates", id, "submit"), TemplateView),
};

/** The tenant's settings, for its template limit and count. */
export const tenantSettings = () => getJson("/api/admin/settings", TenantSettingsView);

/**
 * Every number as a template's choice. A number without a WhatsApp Business Account id
 * cannot own templates, so it is listed but disabled, with the reason in its label.
 */
export async function templateNumberOptions(noWaba: string): Promise<Option[]> {
  const numbers = await fetchAll("/api/admin", "numbers", NumberView, "name");
  return numbers.map((n) => ({
    value: n.id,
    label: n.wabaId ? `${n.name} (${n.displayPhone})` : `${n.name} (${n.displayPhone}) — ${noWaba}`,
    disabled: !n.wabaId,
  }));
}

/** Every number as a filter choice. */
export async function numberFilterOptions(): Promise<Option[]> {
  const numbers = await fetchAll("/api/admin", "numbers", NumberView, "name");
  return numbers.map((n) => ({ value: n.id, label: n.name }));
}
