/**
 * Profiling (closing reasons) of a managed number: a tree of at most three
 * levels, ordered among siblings, searchable, under
 * /api/admin/numbers/:numberId; the number must be the caller's tenant's.
 */
import { z } from "zod";
import {
  CreateProfilingNodeBody,
  MAX_PROFILING_LEVELS,
  ProfilingNodeView,
  ReorderBody,
  UpdateProfilingNodeBody,
} from "../../../shared/admin";
import { apiError } from "../../app/http";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { notFound } from "../../security/probe";
import { deleteOwned, type ListSpec, mountList, saveVersioned } from "./common";
import { numberInPath, pathNumberId, requireOwnNumber, saveOrder } from "./number-scope";

interface Row {
  id: string;
  number_id: string;
  parent_id: string | null;
  level: number;
  value: string;
  children_label: string | null;
  notes_allowed: number;
  position: number;
  version: number;
  parent_value: string | null;
  grand_value: string | null;
}

/** A node as listed: the view plus its path from the root, e.g. "Sales › Product › Broken". */
export type ProfilingItem = ProfilingNodeView & { path: string };
/** A node of the whole tree, with its children in order. */
export type ProfilingTreeNode = ProfilingNodeView & { children: ProfilingTreeNode[] };

const ProfilingItem = ProfilingNodeView.extend({ path: z.string() });
const ProfilingTreeNode: z.ZodType<ProfilingTreeNode> = ProfilingNodeView.extend({
  get children() {
    return z.array(ProfilingTreeNode);
  },
});

function view(row: Row): ProfilingItem {
  return {
    id: row.id,
    numberId: row.number_id,
    parentId: row.parent_id,
    level: row.level,
    value: row.value,
    childrenLabel: row.children_label,
    notesAllowed: row.notes_allowed === 1,
    position: row.position,
    version: row.version,
    path: [row.grand_value, row.parent_value, row.value].filter((v) => v !== null).join(" › "),
  };
}

const BASE = "/api/admin/numbers/:numberId";
const TAG = "admin: profiling";
const NOUN = "profiling value";

// Single-table FROM (the list helper orders by rowid); ancestors come from subqueries.
const PARENT = "(SELECT p.%s FROM profiling_nodes p WHERE p.id = pn.parent_id)";
const GRANDPARENT =
  "(SELECT g.%s FROM profiling_nodes p JOIN profiling_nodes g ON g.id = p.parent_id WHERE p.id = pn.parent_id)";
const col = (template: string, column: string) => template.replace("%s", column);
/** Depth-first order: each node after its parent, siblings by position. */
const TREE_ORDER = `CASE pn.level
  WHEN 1 THEN printf('%06d', pn.position)
  WHEN 2 THEN printf('%06d.%06d', ${col(PARENT, "position")}, pn.position)
  ELSE printf('%06d.%06d.%06d', ${col(GRANDPARENT, "position")}, ${col(PARENT, "position")}, pn.position)
END`;
const SELECT = `pn.*, ${col(PARENT, "value")} AS parent_value, ${col(GRANDPARENT, "value")} AS grand_value`;

const list: ListSpec<Row, ProfilingItem> = {
  name: "profiling",
  tag: TAG,
  access: "admin",
  summary: "Profiling values of a number, depth-first (search value)",
  view: ProfilingItem,
  select: SELECT,
  from: "FROM profiling_nodes pn WHERE pn.tenant_id = ? AND pn.number_id = ?",
  where: (c) => [c.var.user.tenantId, pathNumberId(c)],
  search: ["pn.value"],
  sorts: { position: TREE_ORDER, value: "pn.value COLLATE NOCASE" },
  toView: view,
  columns: [
    { header: "Path", value: (v) => v.path, width: 50 },
    { header: "Value", value: (v) => v.value, width: 30 },
    { header: "Level", value: (v) => v.level, width: 8 },
    { header: "Children label", value: (v) => v.childrenLabel },
    { header: "Notes allowed", value: (v) => (v.notesAllowed ? "yes" : "no") },
  ],
};

/** The node of this tenant's number, or 404. */
async function ownedNode(db: D1Database, id: string, tenantId: string, numberId: string) {
  const row = await db
    .prepare(
      `SELECT ${SELECT} FROM profiling_nodes pn WHERE pn.id = ? AND pn.tenant_id = ? AND pn.number_id = ?`,
    )
    .bind(id, tenantId, numberId)
    .first<Row>();
  if (!row) return notFound(db, "profiling_nodes", id, tenantId, `No such ${NOUN}`);
  return row;
}

/** The level a child of `parentId` gets: 404 for another tenant's node, 400 for another number's or a 4th level. */
async function childLevel(
  db: D1Database,
  parentId: string | null,
  tenantId: string,
  numberId: string,
): Promise<number> {
  if (parentId === null) return 1;
  const parent = await db
    .prepare("SELECT number_id, level FROM profiling_nodes WHERE id = ? AND tenant_id = ?")
    .bind(parentId, tenantId)
    .first<{ number_id: string; level: number }>();
  if (!parent) apiError(404, "not_found", `No such ${NOUN} (parentId)`);
  const refuse = (message: string) =>
    apiError(400, "invalid_request", `Invalid body: parentId: ${message}`, [
      { path: "parentId", message },
    ]);
  if (parent.number_id !== numberId) refuse("a value of another number");
  if (parent.level >= MAX_PROFILING_LEVELS) {
    refuse(`profiling has at most ${MAX_PROFILING_LEVELS} levels`);
  }
  return parent.level + 1;
}

const Id = z.object({ numberId: z.string().min(1).max(100), id: z.string().min(1).max(100) });
const OrderBody = ReorderBody.extend({ parentId: z.string().min(1).nullable() });

/** /api/admin/numbers/:numberId/profiling… */
export const profiling = new Routes();
profiling.use(`${BASE}/profiling/*`, numberInPath);

mountList(profiling, list, BASE);

profiling.endpoint(
  {
    method: "get",
    path: `${BASE}/profiling/tree`,
    summary: "The whole profiling tree of a number, nested and ordered",
    tag: TAG,
    access: "admin",
    response: z.object({ items: z.array(ProfilingTreeNode) }),
  },
  async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT ${SELECT} FROM profiling_nodes pn WHERE pn.tenant_id = ? AND pn.number_id = ?
       ORDER BY pn.level, pn.position, pn.rowid`,
    )
      .bind(c.var.user.tenantId, pathNumberId(c))
      .all<Row>();
    const byId = new Map<string, ProfilingTreeNode>();
    const roots: ProfilingTreeNode[] = [];
    for (const row of results) {
      const { path: _path, ...node } = view(row);
      const treeNode: ProfilingTreeNode = { ...node, children: [] };
      byId.set(row.id, treeNode);
      const parent = row.parent_id === null ? null : byId.get(row.parent_id);
      if (parent) parent.children.push(treeNode);
      else if (row.parent_id === null) roots.push(treeNode);
    }
    return c.json({ items: roots });
  },
);

profiling.endpoint(
  {
    method: "post",
    path: `${BASE}/profiling`,
    summary: `Add a profiling value under parentId (null = top level; at most ${MAX_PROFILING_LEVELS} levels)`,
    tag: TAG,
    access: "admin",
    body: CreateProfilingNodeBody,
    response: ProfilingItem,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const numberId = pathNumberId(c);
    const level = await childLevel(db, body.parentId, tenantId, numberId);
    const id = crypto.randomUUID();
    // Last among its siblings, and only while the parent still exists.
    const [inserted] = await db.batch([
      db
        .prepare(
          `INSERT INTO profiling_nodes (id, tenant_id, number_id, parent_id, level, value, children_label, notes_allowed, position)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, coalesce(max(position), 0) + 1
         FROM profiling_nodes WHERE tenant_id = ? AND number_id = ? AND parent_id IS ?
         HAVING ? IS NULL OR EXISTS (SELECT 1 FROM profiling_nodes WHERE id = ? AND tenant_id = ?)`,
        )
        .bind(
          id,
          tenantId,
          numberId,
          body.parentId,
          level,
          body.value,
          body.childrenLabel,
          body.notesAllowed ? 1 : 0,
          tenantId,
          numberId,
          body.parentId,
          body.parentId,
          body.parentId,
          tenantId,
        ),
      auditStatement(c, {
        action: "create",
        entity: "profiling",
        entityId: id,
        label: body.value,
        after: { number: await requireOwnNumber(db, numberId, tenantId), level, ...body },
        ifPreviousChanged: true,
      }),
    ]);
    if (inserted!.meta.changes === 0) apiError(404, "not_found", `No such ${NOUN} (parentId)`);
    return c.json(view(await ownedNode(db, id, tenantId, numberId)), 201);
  },
);

profiling.endpoint(
  {
    method: "put",
    path: `${BASE}/profiling/order`,
    summary:
      "Reorder the children of parentId (null = top level): every current id, in the new order (409 if they changed)",
    tag: TAG,
    access: "admin",
    body: OrderBody,
    response: z.object({ items: z.array(ProfilingItem) }),
  },
  async (c) => {
    const { parentId, ids } = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const numberId = pathNumberId(c);
    if (parentId !== null) await ownedNode(db, parentId, tenantId, numberId);
    const scope = "tenant_id = ? AND number_id = ? AND parent_id IS ?";
    const siblings = await db
      .prepare(`SELECT id, value FROM profiling_nodes WHERE ${scope} ORDER BY position`)
      .bind(tenantId, numberId, parentId)
      .all<{ id: string; value: string }>();
    const values = new Map(siblings.results.map((r) => [r.id, r.value]));
    await saveOrder(
      db,
      "profiling_nodes",
      { where: scope, binds: [tenantId, numberId, parentId] },
      ids,
      [
        auditStatement(c, {
          action: "reorder",
          entity: "profiling",
          entityId: parentId,
          label: await requireOwnNumber(db, numberId, tenantId),
          before: { order: siblings.results.map((r) => r.value) },
          after: { order: ids.map((id) => values.get(id) ?? id) },
        }),
      ],
    );
    const { results } = await db
      .prepare(
        `SELECT ${SELECT} FROM profiling_nodes pn WHERE pn.tenant_id = ? AND pn.number_id = ? AND pn.parent_id IS ?
         ORDER BY pn.position`,
      )
      .bind(tenantId, numberId, parentId)
      .all<Row>();
    return c.json({ items: results.map(view) });
  },
);

profiling.endpoint(
  {
    method: "patch",
    path: `${BASE}/profiling/:id`,
    summary: "Change a profiling value (409 on a stale version)",
    tag: TAG,
    access: "admin",
    params: Id,
    body: UpdateProfilingNodeBody,
    response: ProfilingItem,
  },
  async (c) => {
    const { id, numberId } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.var.user.tenantId;
    const before = view(await ownedNode(c.env.DB, id, tenantId, numberId));
    const set: Record<string, unknown> = {};
    if (body.value !== undefined) set.value = body.value;
    if (body.childrenLabel !== undefined) set.children_label = body.childrenLabel;
    if (body.notesAllowed !== undefined) set.notes_allowed = body.notesAllowed ? 1 : 0;
    await saveVersioned(
      c.env.DB,
      { table: "profiling_nodes", id, tenantId, version: body.version, noun: NOUN },
      set,
      [
        auditStatement(c, {
          action: "update",
          entity: "profiling",
          entityId: id,
          label: before.value,
          before,
          after: { ...before, ...body },
        }),
      ],
    );
    return c.json(view(await ownedNode(c.env.DB, id, tenantId, numberId)));
  },
);

profiling.endpoint(
  {
    method: "delete",
    path: `${BASE}/profiling/:id`,
    summary: "Delete a profiling value and everything below it",
    tag: TAG,
    access: "admin",
    params: Id,
    status: 204,
  },
  async (c) => {
    const { id, numberId } = c.req.valid("param");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const before = view(await ownedNode(db, id, tenantId, numberId));
    await deleteOwned(db, "profiling_nodes", id, tenantId, NOUN, [
      auditStatement(c, {
        action: "delete",
        entity: "profiling",
        entityId: id,
        label: before.value,
        before,
      }),
      db
        .prepare(
          `DELETE FROM profiling_nodes WHERE tenant_id = ? AND parent_id IN
             (SELECT id FROM profiling_nodes WHERE tenant_id = ? AND parent_id = ?)`,
        )
        .bind(tenantId, tenantId, id),
      db
        .prepare("DELETE FROM profiling_nodes WHERE tenant_id = ? AND parent_id = ?")
        .bind(tenantId, id),
    ]);
    return c.body(null, 204);
  },
);
