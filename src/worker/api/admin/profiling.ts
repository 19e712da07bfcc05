/**
 * Profiling (closing reasons) of a managed number: a tree of at most three
 * levels, ordered among siblings, searchable, under
 * /api/admin/numbers/:numberId; the number must be the caller's tenant's.
 */
import { and, asc, eq, getTableColumns, inArray, isNull, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { d1, qb, rawStatement } from "../../../platform/db/d1";
import { profilingNodes as nodes } from "../../../platform/db/schema";
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

const BASE = "/api/admin/numbers/:numberId";
const TAG = "admin: profiling";
const NOUN = "profiling value";

// Single-table FROM (the list helper orders by rowid); ancestors come from subqueries.
const p = alias(nodes, "p");
const g = alias(nodes, "g");
const parent = (column: "value" | "position") =>
  sql`${qb.select({ v: p[column] }).from(p).where(eq(p.id, nodes.parentId))}`;
const grandparent = (column: "value" | "position") =>
  sql`${qb
    .select({ v: g[column] })
    .from(p)
    .innerJoin(g, eq(g.id, p.parentId))
    .where(eq(p.id, nodes.parentId))}`;
/** Depth-first order: each node after its parent, siblings by position. */
const TREE_ORDER = sql`CASE ${nodes.level}
  WHEN 1 THEN printf('%06d', ${nodes.position})
  WHEN 2 THEN printf('%06d.%06d', ${parent("position")}, ${nodes.position})
  ELSE printf('%06d.%06d.%06d', ${grandparent("position")}, ${parent("position")}, ${nodes.position})
END`;
const FIELDS = {
  ...getTableColumns(nodes),
  parentValue: sql<string | null>`${parent("value")}`.as("parent_value"),
  grandValue: sql<string | null>`${grandparent("value")}`.as("grand_value"),
};
type Row = SelectResultFields<typeof FIELDS>;

function view(row: Row): ProfilingItem {
  return {
    id: row.id,
    numberId: row.numberId,
    parentId: row.parentId,
    level: row.level,
    value: row.value,
    childrenLabel: row.childrenLabel,
    notesAllowed: row.notesAllowed,
    position: row.position,
    version: row.version,
    path: [row.grandValue, row.parentValue, row.value].filter((v) => v !== null).join(" › "),
  };
}

/** The nodes of this tenant's number. */
function ofNumber(tenantId: string, numberId: string) {
  return and(eq(nodes.tenantId, tenantId), eq(nodes.numberId, numberId));
}

/** The children of `parentId` (null: the top level) of this tenant's number. */
function childrenOf(tenantId: string, numberId: string, parentId: string | null) {
  return and(
    ofNumber(tenantId, numberId),
    parentId === null ? isNull(nodes.parentId) : eq(nodes.parentId, parentId),
  );
}

const list: ListSpec<typeof FIELDS, ProfilingItem> = {
  name: "profiling",
  tag: TAG,
  access: "admin",
  summary: "Profiling values of a number, depth-first (search value)",
  view: ProfilingItem,
  table: nodes,
  fields: FIELDS,
  where: (c) => ofNumber(c.var.user.tenantId, pathNumberId(c)),
  search: [nodes.value],
  sorts: { position: TREE_ORDER, value: sql`${nodes.value} COLLATE NOCASE` },
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
  const row = await d1(db)
    .select(FIELDS)
    .from(nodes)
    .where(and(eq(nodes.id, id), ofNumber(tenantId, numberId)))
    .get();
  if (!row) return notFound(db, nodes, id, tenantId, `No such ${NOUN}`);
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
  const parent = await d1(db)
    .select({ numberId: nodes.numberId, level: nodes.level })
    .from(nodes)
    .where(and(eq(nodes.id, parentId), eq(nodes.tenantId, tenantId)))
    .get();
  if (!parent) apiError(404, "not_found", `No such ${NOUN} (parentId)`);
  const refuse = (message: string) =>
    apiError(400, "invalid_request", `Invalid body: parentId: ${message}`, [
      { path: "parentId", message },
    ]);
  if (parent.numberId !== numberId) refuse("a value of another number");
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
    const results = await d1(c.env.DB)
      .select(FIELDS)
      .from(nodes)
      .where(ofNumber(c.var.user.tenantId, pathNumberId(c)))
      .orderBy(asc(nodes.level), asc(nodes.position), asc(sql`rowid`));
    const byId = new Map<string, ProfilingTreeNode>();
    const roots: ProfilingTreeNode[] = [];
    for (const row of results) {
      const { path: _path, ...node } = view(row);
      const treeNode: ProfilingTreeNode = { ...node, children: [] };
      byId.set(row.id, treeNode);
      const parent = row.parentId === null ? null : byId.get(row.parentId);
      if (parent) parent.children.push(treeNode);
      else if (row.parentId === null) roots.push(treeNode);
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
    const orm = d1(db);
    // Last among its siblings, and only while the parent still exists. Raw: an
    // INSERT … SELECT of some columns only (the version takes its default),
    // which drizzle's INSERT … SELECT (every column) cannot say.
    const [inserted] = await orm.batch([
      rawStatement(
        orm,
        sql`INSERT INTO profiling_nodes (id, tenant_id, number_id, parent_id, level, value, children_label, notes_allowed, position)
         SELECT ${id}, ${tenantId}, ${numberId}, ${body.parentId}, ${level}, ${body.value},
           ${body.childrenLabel}, ${body.notesAllowed ? 1 : 0}, coalesce(max(position), 0) + 1
         FROM profiling_nodes WHERE tenant_id = ${tenantId} AND number_id = ${numberId} AND parent_id IS ${body.parentId}
         HAVING ${body.parentId} IS NULL
           OR EXISTS (SELECT 1 FROM profiling_nodes WHERE id = ${body.parentId} AND tenant_id = ${tenantId})`,
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
    if (inserted.meta.changes === 0) apiError(404, "not_found", `No such ${NOUN} (parentId)`);
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
    const scope = childrenOf(tenantId, numberId, parentId);
    const siblings = await d1(db)
      .select({ id: nodes.id, value: nodes.value })
      .from(nodes)
      .where(scope)
      .orderBy(asc(nodes.position));
    const values = new Map(siblings.map((r) => [r.id, r.value]));
    await saveOrder(db, nodes, scope, ids, [
      auditStatement(c, {
        action: "reorder",
        entity: "profiling",
        entityId: parentId,
        label: await requireOwnNumber(db, numberId, tenantId),
        before: { order: siblings.map((r) => r.value) },
        after: { order: ids.map((id) => values.get(id) ?? id) },
      }),
    ]);
    const results = await d1(db)
      .select(FIELDS)
      .from(nodes)
      .where(scope)
      .orderBy(asc(nodes.position));
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
    const set: Partial<typeof nodes.$inferInsert> = {};
    if (body.value !== undefined) set.value = body.value;
    if (body.childrenLabel !== undefined) set.childrenLabel = body.childrenLabel;
    if (body.notesAllowed !== undefined) set.notesAllowed = body.notesAllowed;
    await saveVersioned(
      c.env.DB,
      { table: nodes, id, tenantId, version: body.version, noun: NOUN },
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
    const orm = d1(db);
    await deleteOwned(db, nodes, id, tenantId, NOUN, [
      auditStatement(c, {
        action: "delete",
        entity: "profiling",
        entityId: id,
        label: before.value,
        before,
      }),
      orm.delete(nodes).where(
        and(
          eq(nodes.tenantId, tenantId),
          inArray(
            nodes.parentId,
            orm
              .select({ id: nodes.id })
              .from(nodes)
              .where(and(eq(nodes.tenantId, tenantId), eq(nodes.parentId, id))),
          ),
        ),
      ),
      orm.delete(nodes).where(and(eq(nodes.tenantId, tenantId), eq(nodes.parentId, id))),
    ]);
    return c.body(null, 204);
  },
);
