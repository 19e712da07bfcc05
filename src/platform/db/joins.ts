/**
 * The join conditions D1's queries share, each written once: a row of one
 * table meets its row in another within the same tenant (every foreign key
 * here is paired with its tenant), and users must be active where a query
 * acts for or routes to them.
 */
import { and, eq, type SQL } from "drizzle-orm";
import type { D1Db } from "./d1";
import { managedNumbers, sessions, skillsetMembers, skillsets, users } from "./schema";

/** A membership's skillset. */
export const memberSkillset: SQL = and(
  eq(skillsets.id, skillsetMembers.skillsetId),
  eq(skillsets.tenantId, skillsetMembers.tenantId),
)!;

/** A skillset's managed number. */
export const skillsetNumber: SQL = and(
  eq(managedNumbers.id, skillsets.numberId),
  eq(managedNumbers.tenantId, skillsets.tenantId),
)!;

/** A membership's user, when active. */
export const activeMember: SQL = and(
  eq(users.id, skillsetMembers.userId),
  eq(users.tenantId, skillsetMembers.tenantId),
  eq(users.active, true),
)!;

/** A session's user, when active. */
export const activeSessionUser: SQL = and(
  eq(users.id, sessions.userId),
  eq(users.tenantId, sessions.tenantId),
  eq(users.active, true),
)!;

/**
 * A number's skillsets, each with its active members: a row per member, and
 * one with null member columns for a skillset without any. What routing and
 * the transfer dialog read.
 */
export function numberSkillsetMembers(db: D1Db, tenantId: string, numberId: string) {
  return db
    .select({
      skillsetId: skillsets.id,
      skillsetName: skillsets.name,
      priority: skillsets.priority,
      userId: users.id,
      userName: users.name,
      agentPriority: skillsetMembers.agentPriority,
    })
    .from(skillsets)
    .leftJoin(skillsetMembers, memberSkillset)
    .leftJoin(users, activeMember)
    .where(and(eq(skillsets.tenantId, tenantId), eq(skillsets.numberId, numberId)))
    .$dynamic();
}
