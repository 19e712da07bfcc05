/** The user form's draft and the bodies it sends. Pure; unit-tested. */
import type { Role, UserView } from "../../../shared/admin.ts";
import type { Language } from "../../../shared/protocol.ts";
import { type MembershipRow, toMemberships } from "../kit/membership.ts";

export interface UserDraft {
  email: string;
  name: string;
  role: Role;
  isolated: boolean;
  maxConversations: number | null;
  language: Language;
  memberships: MembershipRow[];
}

/** How many conversations a new agent handles at once unless the admin says otherwise. */
export const DEFAULT_MAX_CONVERSATIONS = 3;

/** A new user: an agent speaking the tenant's default language. */
export function emptyUser(language: Language): UserDraft {
  return {
    email: "",
    name: "",
    role: "agent",
    isolated: false,
    maxConversations: DEFAULT_MAX_CONVERSATIONS,
    language,
    memberships: [],
  };
}

export function userToDraft(view: UserView): UserDraft {
  return {
    email: view.email,
    name: view.name,
    role: view.role,
    isolated: view.isolated,
    maxConversations: view.maxConversations,
    language: view.language,
    memberships: view.memberships.map((m) => ({
      ref: m.skillsetId,
      agentPriority: m.agentPriority,
    })),
  };
}

/**
 * The fields both bodies share. An empty limit is sent as null so the server names the
 * field, rather than the browser inventing a number.
 */
function common(draft: UserDraft) {
  return {
    name: draft.name.trim(),
    role: draft.role,
    isolated: draft.isolated,
    maxConversations: draft.maxConversations,
    language: draft.language,
    memberships: toMemberships(draft.memberships, "skillsetId"),
  };
}

/** POST /api/admin/users: invites the user by e-mail. */
export function inviteBody(draft: UserDraft) {
  return { email: draft.email.trim(), ...common(draft) };
}

/** PATCH /api/admin/users/:id (the e-mail is not editable: it is the sign-in name). */
export function updateBody(draft: UserDraft, version: number) {
  return { version, ...common(draft) };
}

/** The state a user is in, for badges and the list. */
export type UserState = "active" | "pending" | "deactivated";

export function userState(view: Pick<UserView, "active" | "invitePending">): UserState {
  if (!view.active) return "deactivated";
  return view.invitePending ? "pending" : "active";
}
