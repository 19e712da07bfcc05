/**
 * Pure helpers of membership lists (a user's skillsets, a skillset's agents): rows of
 * {an id, agent priority 1–9}. Unit-tested.
 */

/** A row being edited: `ref` is the skillset or user id ("" while not yet chosen). */
export interface MembershipRow {
  ref: string;
  agentPriority: number;
}

/** The default priority of a new row: the middle of 1–9. */
export const DEFAULT_AGENT_PRIORITY = 5;

/** The priorities offered, highest first (higher receives first). */
export const AGENT_PRIORITIES = [9, 8, 7, 6, 5, 4, 3, 2, 1] as const;

/** Indexes of rows whose `ref` already appeared in an earlier row (to flag before saving). */
export function duplicateRows(rows: readonly MembershipRow[]): Set<number> {
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  rows.forEach((row, index) => {
    if (!row.ref) return;
    if (seen.has(row.ref)) duplicates.add(index);
    seen.add(row.ref);
  });
  return duplicates;
}

/** The rows the API receives, with the id under `key` (`skillsetId` or `userId`); unchosen rows are dropped. */
export function toMemberships<K extends string>(
  rows: readonly MembershipRow[],
  key: K,
): Array<Record<K, string> & { agentPriority: number }> {
  return rows
    .filter((row) => row.ref !== "")
    .map(
      (row) =>
        ({ [key]: row.ref, agentPriority: row.agentPriority }) as Record<K, string> & {
          agentPriority: number;
        },
    );
}
