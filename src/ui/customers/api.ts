/** The customer records API (/api/customers) as the customer screens use it. */
import { CustomerFields } from "../../shared/customer-import.ts";
import { CustomerView } from "../../shared/customer-view.ts";
import { getJson, resource } from "../admin/kit/adminApi.ts";

export const customersApi = {
  ...resource("/api", "customers", CustomerView),
  /** Property definitions, skillsets and what the caller may do. */
  fields: () => getJson("/api/customers/fields", CustomerFields),
};
