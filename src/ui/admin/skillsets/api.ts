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

/** The number's default skillset (its name and id), or null when it has none. */
export async function numberDefault(
  numberId: string,
): Promise<{ id: string; name: string } | null> {
  const list = await fetchAll("/api/admin", "skillsets", SkillsetView, "name", { numberId });
  const found = list.find((s) => s.isDefault);
  return found ? { id: found.id, name: found.name } : null;
}
