/**
 * The account's calls: my profile, my password, and the reset link for a forgotten
 * password. Validated against the shared protocol like every desktop call.
 */
import type { ChangePasswordBody, UpdateAccountBody } from "../../../shared/protocol.ts";
import { AccountView } from "../../../shared/protocol.ts";
import { request } from "../../api.ts";

export const accountApi = {
  get: () => request("/api/account", AccountView),
  /** A 400 names `name` or `language`. */
  update: (body: UpdateAccountBody) =>
    request("/api/account", AccountView, { method: "PATCH", body }),
  /** 403 `wrong_password` names `currentPassword`; 400 names `newPassword`. */
  changePassword: (body: ChangePasswordBody) =>
    request<void>("/api/account/password", null, { method: "POST", body }),
  /** Always 202 for a well-formed address: the answer never tells whether it has an account. */
  requestReset: (email: string) =>
    request<void>("/auth/password-reset", null, {
      method: "POST",
      body: { email },
      reportUnauthorized: false,
    }),
};
