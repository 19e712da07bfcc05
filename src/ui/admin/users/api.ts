/** The users API as the admin screens use it. */
import { SkillsetView, UserView } from "../../../shared/admin.ts";
import { request } from "../../api.ts";
import { fetchAll, type Option, resource, resourceUrl } from "../kit/index.ts";

export const usersApi = {
  ...resource("/api/admin", "users", UserView),
  /**
   * Sends a new invitation mail (the previous link stops working). The answer's body is
   * not used: the caller reloads the user.
   */
  resendInvitation: (id: string) =>
    request<void>(resourceUrl("/api/admin", "users", id, "invite"), null, { method: "POST" }),
};

/** Every skillset as a select choice, labelled with its number: "Support line — Billing". */
export async function skillsetOptions(): Promise<Option[]> {
  const skillsets = await fetchAll("/api/admin", "skillsets", SkillsetView, "numberName");
  return skillsets.map((s) => ({ value: s.id, label: `${s.numberName} — ${s.name}` }));
}
