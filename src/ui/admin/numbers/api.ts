/** The managed numbers API as the admin screens use it. */
import { NumberView } from "../../../shared/admin.ts";
import { putJson, resource, resourceUrl } from "../kit/index.ts";

/** List, get, create, update (per category, with version) and delete numbers. */
export const numbersApi = {
  ...resource("/api/admin", "numbers", NumberView),
  /**
   * Replaces (a string) or clears (null) a write-only credential; absent keys stay as
   * they are. Answers the number's new view (credentials only as set/not set).
   */
  setCredentials: (
    id: string,
    body: { version: number; accessToken?: string | null; appSecret?: string | null },
  ) => putJson(resourceUrl("/api/admin", "numbers", id, "credentials"), NumberView, body),
};
