/**
 * Closing a conversation with its number's profiling tree: what the close
 * dialog offers (`closeOptions`) and the rules a close body must meet before
 * the conversation actor is asked to close (`closeDecision`). Both read D1
 * only, scoped to the tenant; the caller has already checked that the
 * conversation is the agent's.
 */
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

function settingsStatement(db: D1Database, tenantId: string, numberId: string) {
  return db
    .prepare("SELECT settings FROM managed_numbers WHERE id = ? AND tenant_id = ?")
    .bind(numberId, tenantId);
}

/** The rows of one statement of a batch (a batch answers with one result per statement). */
function rowsOf<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}

/** The number's profiling settings; the defaults for a number that is gone. */
function profilingOf(result: D1Result | undefined): ProfilingSettings {
  return readSettings(rowsOf<{ settings: string | null }>(result)[0]?.settings).profiling;
}

interface NodeRow {
  id: string;
  parent_id: string | null;
  value: string;
  children_label: string | null;
  notes_allowed: number;
}

/** Nests rows ordered parents-first (by level) into the tree; orphans are dropped. */
function nest(rows: NodeRow[]): CloseReasonNode[] {
  const byId = new Map<string, CloseReasonNode>();
  const roots: CloseReasonNode[] = [];
  for (const row of rows) {
    const node: CloseReasonNode = {
      id: row.id,
      value: row.value,
      childrenLabel: row.children_label,
      notesAllowed: row.notes_allowed === 1,
      children: [],
    };
    byId.set(row.id, node);
    if (row.parent_id === null) roots.push(node);
    else byId.get(row.parent_id)?.children.push(node);
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
  db: D1Database,
  tenantId: string,
  numberId: string,
): Promise<CloseOptions> {
  const [settings, nodes] = await db.batch([
    settingsStatement(db, tenantId, numberId),
    db
      .prepare(
        `SELECT id, parent_id, value, children_label, notes_allowed FROM profiling_nodes
         WHERE tenant_id = ? AND number_id = ? AND level <= ?
         ORDER BY level, position, rowid`,
      )
      .bind(tenantId, numberId, MAX_PROFILING_LEVELS),
  ]);
  const profiling = profilingOf(settings);
  const tree = nest(rowsOf<NodeRow>(nodes));
  return {
    required: profiling.requiredOnClose && tree.length > 0,
    freeNotes: profiling.freeNotes,
    tree,
  };
}

interface ChosenRow {
  value: string;
  notes_allowed: number;
  parent_value: string | null;
  grand_value: string | null;
  has_children: number;
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
  db: D1Database,
  language: Language,
  tenantId: string,
  numberId: string,
  body: CloseBody,
): Promise<CloseDecision> {
  const notes = body.notes || null;
  const chosen = body.reasonId
    ? db
        .prepare(
          `SELECT n.value, n.notes_allowed, p.value AS parent_value, g.value AS grand_value,
             EXISTS (SELECT 1 FROM profiling_nodes c WHERE c.tenant_id = n.tenant_id AND c.parent_id = n.id) AS has_children
           FROM profiling_nodes n
           LEFT JOIN profiling_nodes p ON p.id = n.parent_id AND p.tenant_id = n.tenant_id
           LEFT JOIN profiling_nodes g ON g.id = p.parent_id AND g.tenant_id = n.tenant_id
           WHERE n.id = ? AND n.tenant_id = ? AND n.number_id = ?`,
        )
        .bind(body.reasonId, tenantId, numberId)
    : db
        .prepare(
          "SELECT EXISTS (SELECT 1 FROM profiling_nodes WHERE tenant_id = ? AND number_id = ?) AS has_children",
        )
        .bind(tenantId, numberId);
  const [settings, found] = await db.batch([settingsStatement(db, tenantId, numberId), chosen]);
  const profiling = profilingOf(settings);

  if (!body.reasonId) {
    const hasTree = rowsOf<{ has_children: number }>(found)[0]?.has_children === 1;
    if (profiling.requiredOnClose && hasTree) refuse(language, "reasonId", "reasonRequired");
    return { reason: body.reason ?? DEFAULT_CLOSE_REASON, notes };
  }

  const node = rowsOf<ChosenRow>(found)[0];
  if (!node) refuse(language, "reasonId", "reasonUnknown");
  if (node.has_children === 1) refuse(language, "reasonId", "reasonNotLeaf");
  if (notes !== null && !profiling.freeNotes && node.notes_allowed !== 1) {
    refuse(language, "notes", "notesRefused");
  }
  const path = [node.grand_value, node.parent_value, node.value].filter((v) => v !== null);
  return { reason: path.join(CLOSE_REASON_SEPARATOR), notes };
}
