/** The skillsets API, and the choices its form needs (numbers, users). */
import { NumberView, SkillsetView, UserView } from "../../../shared/admin.ts";
import { fetchAll, type Option, resource } from "../kit/index.ts";

export const skillsetsApi = resource("/api/admin", "skillsets", SkillsetView);

/** Every number as a select choice. */
export async function numberOptions(): Promise<Option[]> {
  const numbers = await fetchAll("/api/admin", "numbers", NumberView, "name");
  return numbers.map((n) => ({ value: n.id, label: `${n.name} (${n.displayPhone})` }));
}

/** Every active user as a select choice; deactivated users cannot receive conversations. */
export async function memberOptions(): Promise<Option[]> {
  const users = await fetchAll("/api/admin", "users", UserView, "name");
  return users
    .filter((u) => u.active)
    .map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }));
}
