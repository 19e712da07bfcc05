/**
 * The agent as D1 describes them (name, limit, tenant, whether their desktops
 * see sensitive data masked), cached in the actor's `profile` cell and read
 * again when an administrator changes the user, at each desktop connection,
 * and when the tenant's masking changes. No profile: not an active agent.
 */
import { and, eq } from "drizzle-orm";
import type { D1Db } from "../../platform/db/d1";
import { memberSkillset } from "../../platform/db/joins";
import { skillsetMembers, skillsets, tenants, users } from "../../platform/db/schema";
import type { KvCell } from "../sql";

/** `masked`: an agent of a tenant with masking on, whose desktops get sensitive data masked. */
export type Profile = {
  id: string;
  tenantId: string;
  name: string;
  maxConversations: number;
  masked?: boolean;
};

/** What the profile needs of the actor. */
export interface ProfileDeps {
  d1: D1Db;
  /** The user this actor is named after (its Durable Object name). */
  userId: string | undefined;
  profileCell: KvCell<Profile>;
}

/** The agent's profile: cached, loaded from D1, forgotten on deactivation. */
export class Profiles {
  constructor(private readonly deps: ProfileDeps) {}

  /** The cached profile (no D1 read); null before one is loaded, or once deactivated. */
  current(): Profile | null {
    return this.deps.profileCell.get();
  }

  /** Loads (or reloads) the agent's profile from D1. Null if the user is not an active agent of `tenantId`. */
  async load(tenantId: string): Promise<Profile | null> {
    const { d1, userId, profileCell } = this.deps;
    if (!userId) return null;
    const row = await d1
      .select({
        id: users.id,
        tenantId: users.tenantId,
        name: users.name,
        maxConversations: users.maxConversations,
        role: users.role,
        maskSensitiveData: tenants.maskSensitiveData,
      })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(and(eq(users.id, userId), eq(users.tenantId, tenantId), eq(users.active, true)))
      .get();
    if (!row) return null;
    const profile: Profile = {
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      maxConversations: row.maxConversations,
      masked: row.role === "agent" && row.maskSensitiveData,
    };
    profileCell.set(profile);
    return profile;
  }

  /** The profile for a call on behalf of `tenantId`: the cached one, or loaded; null for another tenant. */
  async forTenant(tenantId: string): Promise<Profile | null> {
    const p = this.current();
    if (p) return p.tenantId === tenantId ? p : null;
    return this.load(tenantId);
  }

  /** Forgets the profile (deactivated): nothing reaches this actor until one is loaded again. */
  forget(): void {
    this.deps.profileCell.delete();
  }
}

/** The numbers whose skillsets the agent is a member of. */
export async function numbersServed(d1: D1Db, profile: Profile): Promise<string[]> {
  const rows = await d1
    .selectDistinct({ numberId: skillsets.numberId })
    .from(skillsetMembers)
    .innerJoin(skillsets, memberSkillset)
    .where(
      and(eq(skillsetMembers.tenantId, profile.tenantId), eq(skillsetMembers.userId, profile.id)),
    );
  return rows.map((r) => r.numberId);
}
