/** The skillset form's draft and the bodies it sends. Pure; unit-tested. */
import type { SkillsetView } from "../../../shared/admin.ts";
import { type MembershipRow, toMemberships } from "../kit/membership.ts";

export interface SkillsetDraft {
  name: string;
  numberId: string;
  priority: number;
  isDefault: boolean;
  /** "" = not offered by the softbot. */
  botLabel: string;
  members: MembershipRow[];
}

/** A new skillset, on `numberId` when the caller knows it (from the number's tab). */
export function emptySkillset(numberId = ""): SkillsetDraft {
  return { name: "", numberId, priority: 5, isDefault: false, botLabel: "", members: [] };
}

export function skillsetToDraft(view: SkillsetView): SkillsetDraft {
  return {
    name: view.name,
    numberId: view.numberId,
    priority: view.priority,
    isDefault: view.isDefault,
    botLabel: view.botLabel ?? "",
    members: view.members.map((m) => ({ ref: m.userId, agentPriority: m.agentPriority })),
  };
}

function common(draft: SkillsetDraft) {
  const botLabel = draft.botLabel.trim();
  return {
    name: draft.name.trim(),
    priority: draft.priority,
    isDefault: draft.isDefault,
    botLabel: botLabel === "" ? null : botLabel,
    members: toMemberships(draft.members, "userId"),
  };
}

/** POST /api/admin/skillsets. */
export function createSkillsetBody(draft: SkillsetDraft) {
  return { numberId: draft.numberId, ...common(draft) };
}

/** PATCH /api/admin/skillsets/:id (a skillset stays on its number). */
export function updateSkillsetBody(draft: SkillsetDraft, version: number) {
  return { version, ...common(draft) };
}
