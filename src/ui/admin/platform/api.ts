/** The platform operator's tenants API. */
import { TenantView } from "../../../shared/admin.ts";
import { resource } from "../kit/index.ts";

export const tenantsApi = resource("/api/platform", "tenants", TenantView);
