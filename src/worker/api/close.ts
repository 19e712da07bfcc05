/**
 * Closing a conversation with its number's profiling tree: what the close
 * dialog offers (`closeOptions`) and the rules a close body must meet before
 * the conversation actor is asked to close (`closeDecision`). Both read D1
 * only, scoped to the tenant; the caller has already checked that the
 * conversation is the agent's.
 */
import { and, eq, exists, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { type D1Db, d1, qb } from "../../platform/db/d1";
import { managedNumbers, profilingNodes } from "../../platform/db/schema";
import type { ProfilingSettings } from "../../shared/admin";
import { MAX_PROFILING_LEVELS } from "../../shared/admin";
import { readSettings } from "../../shared/number-settings";
import {
  CLOSE_REASON_SEPARATOR,
  type CloseBody,
  type CloseOptions,
  type CloseReasonNode,
} from "../../shared/protocol";
import { apiError } from "../app/http";

/** The stored reason when the agent gave none and none was required. */
export const DEFAULT_CLOSE_REASON = "Closed";

type Language = "en" | "it";

/** Refusals of a close body, in both languages the API speaks. */
const REFUSALS = {
  reasonRequired: {
    en: "choose a closing reason",
    it: "scegli un motivo di chiusura",
  },
  reasonUnknown: {
    en: "not a closing reason of this conversation's number",
    it: "non è un motivo di chiusura del numero di questa conversazione",
  },
  reasonNotLeaf: {
    en: "choose a more specific reason",
    it: "scegli un motivo più specifico",
  },
  notesRefused: {
    en: "notes are not allowed with this reason",
    it: "le note non sono ammesse con questo motivo",
  },
} as const;

/** A 400 naming one field of the body, shaped like the validators' (see http.ts). */
function refuse(language: Language, path: "reasonId" | "notes", key: keyof typeof REFUSALS): never {
  const message = REFUSALS[key][language];
  const lead = language === "it" ? "Dati non validi (body)" : "Invalid body";
  apiError(400, "invalid_request", `${lead}: ${path}: ${message}`, [{ path, message }]);
}

/** The number's settings (no row for a number that is gone). */
function settingsQuery(db: D1Db, tenantId: string, numberId: string) {
  return db
    .select({ settings: managedNumbers.settings })
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, numberId), eq(managedNumbers.tenantId, tenantId)));
}

/** The number's profiling settings; the defaults for a number that is gone. */
function profilingOf(rows: { settings: string }[]): ProfilingSettings {
  return readSettings(rows[0]?.settings).profiling;
}

/** The number's profiling nodes the dialog offers, parents first (by level), siblings by position. */
function nodesQuery(db: D1Db, tenantId: string, numberId: string) {
  return (
    db
      .select({
        id: profilingNodes.id,
        parentId: profilingNodes.parentId,
        value: profilingNodes.value,
        childrenLabel: profilingNodes.childrenLabel,
        notesAllowed: profilingNodes.notesAllowed,
      })
      .from(profilingNodes)
      .where(
        and(
          eq(profilingNodes.tenantId, tenantId),
          eq(profilingNodes.numberId, numberId),
          lte(profilingNodes.level, MAX_PROFILING_LEVELS),
        ),
      )
      // SQLite's rowid (not a schema column): the order of creation breaks ties.
      .orderBy(profilingNodes.level, profilingNodes.position, sql`${profilingNodes}.rowid`)
  );
}

/** Nests rows ordered parents-first (by level) into the tree; orphans are dropped. */
function nest(rows: Awaited<ReturnType<typeof nodesQuery>>): CloseReasonNode[] {
  const byId = new Map<string, CloseReasonNode>();
  const roots: CloseReasonNode[] = [];
  for (const row of rows) {
    const node: CloseReasonNode = {
      id: row.id,
      value: row.value,
      childrenLabel: row.childrenLabel,
      notesAllowed: row.notesAllowed,
      children: [],
    };
    byId.set(row.id, node);
    if (row.parentId === null) roots.push(node);
    else byId.get(row.parentId)?.children.push(node);
  }
  return roots;
}

/**
 * The close dialog's choices for a conversation of `numberId`: the profiling
 * tree (siblings by position, at most MAX_PROFILING_LEVELS deep) and the
 * number's rules. `required` is false for an empty tree, so a number whose
 * admin asked for reasons but has not written any yet never traps agents with
 * conversations they cannot close.
 */
export async function closeOptions(
  binding: D1Database,
  tenantId: string,
  numberId: string,
): Promise<CloseOptions> {
  const db = d1(binding);
  const [settings, nodes] = await db.batch([
    settingsQuery(db, tenantId, numberId),
    nodesQuery(db, tenantId, numberId),
  ]);
  const profiling = profilingOf(settings);
  const tree = nest(nodes);
  return {
    required: profiling.requiredOnClose && tree.length > 0,
    freeNotes: profiling.freeNotes,
    tree,
  };
}

/** What the actor is asked to store. */
export interface CloseDecision {
  reason: string;
  notes: string | null;
}

/**
 * Checks a close body against the number's profiling and decides the stored
 * reason and notes, or throws a 400 naming `reasonId` or `notes`:
 * - `reasonId` is required when the number requires a reason and has a tree;
 * - it must be a node of this number and tenant, and a leaf;
 * - the stored reason is its path ("Level 1 › Level 2 › Level 3");
 * - with a chosen node, notes need the number's free notes or the node's
 *   `notesAllowed`; without one, free text (or "Closed") and notes as before.
 * Reads D1 only; changes nothing.
 */
export async function closeDecision(
  binding: D1Database,
  language: Language,
  tenantId: string,
  numberId: string,
  body: CloseBody,
): Promise<CloseDecision> {
  const notes = body.notes || null;
  const db = d1(binding);

  if (!body.reasonId) {
    const [settings, anyNode] = await db.batch([
      settingsQuery(db, tenantId, numberId),
      db
        .select({ id: profilingNodes.id })
        .from(profilingNodes)
        .where(and(eq(profilingNodes.tenantId, tenantId), eq(profilingNodes.numberId, numberId)))
        .limit(1),
    ]);
    const hasTree = anyNode.length > 0;
    if (profilingOf(settings).requiredOnClose && hasTree) {
      refuse(language, "reasonId", "reasonRequired");
    }
    return { reason: body.reason ?? DEFAULT_CLOSE_REASON, notes };
  }

  // The node, its parent and grandparent (for the stored path), and whether it has children.
  const n = alias(profilingNodes, "n");
  const p = alias(profilingNodes, "p");
  const g = alias(profilingNodes, "g");
  const child = alias(profilingNodes, "c");
  const [settings, found] = await db.batch([
    settingsQuery(db, tenantId, numberId),
    db
      .select({
        value: n.value,
        notesAllowed: n.notesAllowed,
        // Aliased: a batch answers rows by column name, and these are all `value`.
        parentValue: sql<string | null>`${p.value}`.as("parent_value"),
        grandValue: sql<string | null>`${g.value}`.as("grand_value"),
        hasChildren: sql<boolean>`${exists(
          qb
            .select({ one: sql`1` })
            .from(child)
            .where(and(eq(child.tenantId, n.tenantId), eq(child.parentId, n.id))),
        )}`
          .mapWith((v) => v === 1)
          .as("has_children"),
      })
      .from(n)
      .leftJoin(p, and(eq(p.id, n.parentId), eq(p.tenantId, n.tenantId)))
      .leftJoin(g, and(eq(g.id, p.parentId), eq(g.tenantId, n.tenantId)))
      .where(and(eq(n.id, body.reasonId), eq(n.tenantId, tenantId), eq(n.numberId, numberId))),
  ]);
  const profiling = profilingOf(settings);
  const node = found[0];
  if (!node) refuse(language, "reasonId", "reasonUnknown");
  if (node.hasChildren) refuse(language, "reasonId", "reasonNotLeaf");
  if (notes !== null && !profiling.freeNotes && !node.notesAllowed) {
    refuse(language, "notes", "notesRefused");
  }
  const path = [node.grandValue, node.parentValue, node.value].filter((v) => v !== null);
  return { reason: path.join(CLOSE_REASON_SEPARATOR), notes };
}
