/**
 * Customer properties of a managed number: at most 50 custom fields, in the
 * order the admin sets, under /api/admin/numbers/:numberId; the number must
 * be the caller's tenant's.
 */
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { d1, rawStatement } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { customerProperties as props } from "../../../platform/db/schema";
import {
  CustomerPropertyFields,
  CustomerPropertyView,
  MAX_CUSTOMER_PROPERTIES,
  ReorderBody,
  UpdateCustomerPropertyBody,
} from "../../../shared/admin";
import { apiError } from "../../app/http";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { notFound } from "../../security/probe";
import { deleteOwned, type ListSpec, listAll, mountList, saveVersioned } from "./common";
import { numberInPath, pathNumberId, requireOwnNumber, saveOrder } from "./number-scope";

type Row = typeof props.$inferSelect;

function view(row: Row): CustomerPropertyView {
  return {
    id: row.id,
    numberId: row.numberId,
    name: row.name,
    type: row.type,
    options: JSON.parse(row.options) as string[],
    modifiableByAgent: row.modifiableByAgent,
    showInCustomerList: row.showInCustomerList,
    showInConversationList: row.showInConversationList,
    position: row.position,
    version: row.version,
  };
}

const BASE = "/api/admin/numbers/:numberId";
const TAG = "admin: customer properties";
const NOUN = "customer property";
const yes = (b: boolean) => (b ? "yes" : "no");

const FIELDS = getTableColumns(props);

const list: ListSpec<typeof FIELDS, CustomerPropertyView> = {
  name: "properties",
  tag: TAG,
  access: "admin",
  summary: "Customer properties of a number, in their order (search name)",
  view: CustomerPropertyView,
  table: props,
  fields: FIELDS,
  where: (c) => and(eq(props.tenantId, c.var.user.tenantId), eq(props.numberId, pathNumberId(c))),
  search: [props.name],
  sorts: { position: props.position, name: sql`${props.name} COLLATE NOCASE`, type: props.type },
  toView: view,
  columns: [
    { header: "Position", value: (v) => v.position, width: 10 },
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Type", value: (v) => v.type },
    { header: "Options", value: (v) => v.options.join(" | "), width: 40 },
    { header: "Modifiable by agent", value: (v) => yes(v.modifiableByAgent) },
    { header: "In customer list", value: (v) => yes(v.showInCustomerList) },
    { header: "In conversation list", value: (v) => yes(v.showInConversationList) },
  ],
};

/** A choice property needs its choices; other types keep none. */
function requireOptions(type: string, options: string[]): void {
  if (type === "choice" && options.length === 0) {
    apiError(400, "invalid_request", "Invalid body: options: a choice needs at least one option", [
      { path: "options", message: "a choice needs at least one option" },
    ]);
  }
}

/** The property of this tenant's number, or 404. */
async function ownedProperty(
  db: D1Database,
  id: string,
  tenantId: string,
  numberId: string,
): Promise<Row> {
  const row = await d1(db)
    .select()
    .from(props)
    .where(and(eq(props.id, id), eq(props.tenantId, tenantId), eq(props.numberId, numberId)))
    .get();
  if (!row) return notFound(db, props, id, tenantId, `No such ${NOUN}`);
  return row;
}

const Id = z.object({ numberId: z.string().min(1).max(100), id: z.string().min(1).max(100) });

/** Two properties of a number cannot share a name: 409 naming `name`. */
async function uniqueName<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (!failedConstraint(err, "UNIQUE")) throw err;
    apiError(409, "duplicate_name", "name: this number already has a property with that name", [
      { path: "name", message: "this number already has a property with that name" },
    ]);
  }
}

/** /api/admin/numbers/:numberId/properties… */
export const properties = new Routes();
properties.use(`${BASE}/properties/*`, numberInPath);

mountList(properties, list, BASE);

properties.endpoint(
  {
    method: "post",
    path: `${BASE}/properties`,
    summary: `Add a customer property at the end (at most ${MAX_CUSTOMER_PROPERTIES} per number: 409 beyond)`,
    tag: TAG,
    access: "admin",
    body: CustomerPropertyFields,
    response: CustomerPropertyView,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const tenantId = c.var.user.tenantId;
    const numberId = pathNumberId(c);
    requireOptions(body.type, body.options);
    const id = crypto.randomUUID();
    const db = d1(c.env.DB);
    // One statement: the limit and the position cannot race with another insert.
    // Raw: an INSERT … SELECT of some columns only (the version takes its
    // default), which drizzle's INSERT … SELECT (every column) cannot say.
    const [inserted] = await uniqueName(
      db.batch([
        rawStatement(
          db,
          sql`INSERT INTO customer_properties (id, tenant_id, number_id, name, type, options,
         modifiable_by_agent, show_in_customer_list, show_in_conversation_list, position)
       SELECT ${id}, ${tenantId}, ${numberId}, ${body.name}, ${body.type},
         ${JSON.stringify(body.type === "choice" ? body.options : [])},
         ${body.modifiableByAgent ? 1 : 0}, ${body.showInCustomerList ? 1 : 0},
         ${body.showInConversationList ? 1 : 0}, coalesce(max(position), 0) + 1
       FROM customer_properties WHERE tenant_id = ${tenantId} AND number_id = ${numberId}
       HAVING count(*) < ${MAX_CUSTOMER_PROPERTIES}`,
        ),
        auditStatement(c, {
          action: "create",
          entity: "customer_property",
          entityId: id,
          label: body.name,
          after: { number: await requireOwnNumber(c.env.DB, numberId, tenantId), ...body },
          ifPreviousChanged: true,
        }),
      ]),
    );
    if (inserted.meta.changes === 0) {
      apiError(
        409,
        "limit_reached",
        `A number has at most ${MAX_CUSTOMER_PROPERTIES} customer properties. Delete one before adding another.`,
      );
    }
    return c.json(view(await ownedProperty(c.env.DB, id, tenantId, numberId)), 201);
  },
);

properties.endpoint(
  {
    method: "put",
    path: `${BASE}/properties/order`,
    summary:
      "Reorder the customer properties: every current id, in the new order (409 if the list changed)",
    tag: TAG,
    access: "admin",
    body: ReorderBody,
    response: z.object({ items: z.array(CustomerPropertyView) }),
  },
  async (c) => {
    const tenantId = c.var.user.tenantId;
    const numberId = pathNumberId(c);
    const ids = c.req.valid("json").ids;
    const before = await listAll(c, list, { page: 1, pageSize: 100, dir: "asc", sort: "position" });
    const names = new Map(before.map((p) => [p.id, p.name]));
    await saveOrder(
      c.env.DB,
      props,
      and(eq(props.tenantId, tenantId), eq(props.numberId, numberId)),
      ids,
      [
        auditStatement(c, {
          action: "reorder",
          entity: "customer_property",
          entityId: null,
          label: await requireOwnNumber(c.env.DB, numberId, tenantId),
          before: { order: before.map((p) => p.name) },
          after: { order: ids.map((id) => names.get(id) ?? id) },
        }),
      ],
    );
    const items = await listAll(c, list, { page: 1, pageSize: 100, dir: "asc", sort: "position" });
    return c.json({ items });
  },
);

properties.endpoint(
  {
    method: "patch",
    path: `${BASE}/properties/:id`,
    summary: "Change a customer property (409 on a stale version)",
    tag: TAG,
    access: "admin",
    params: Id,
    body: UpdateCustomerPropertyBody,
    response: CustomerPropertyView,
  },
  async (c) => {
    const { id, numberId } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.var.user.tenantId;
    const current = view(await ownedProperty(c.env.DB, id, tenantId, numberId));
    const type = body.type ?? current.type;
    const options = body.options ?? current.options;
    requireOptions(type, options);
    const set: Partial<Row> = {
      options: JSON.stringify(type === "choice" ? options : []),
    };
    if (body.name !== undefined) set.name = body.name;
    if (body.type !== undefined) set.type = body.type;
    if (body.modifiableByAgent !== undefined) set.modifiableByAgent = body.modifiableByAgent;
    if (body.showInCustomerList !== undefined) set.showInCustomerList = body.showInCustomerList;
    if (body.showInConversationList !== undefined)
      set.showInConversationList = body.showInConversationList;
    const { version: _, ...changes } = body;
    await uniqueName(
      saveVersioned(
        c.env.DB,
        { table: props, id, tenantId, version: body.version, noun: NOUN },
        set,
        [
          auditStatement(c, {
            action: "update",
            entity: "customer_property",
            entityId: id,
            label: current.name,
            before: current,
            after: { ...current, ...changes, options: type === "choice" ? options : [] },
          }),
        ],
      ),
    );
    return c.json(view(await ownedProperty(c.env.DB, id, tenantId, numberId)));
  },
);

properties.endpoint(
  {
    method: "delete",
    path: `${BASE}/properties/:id`,
    summary: "Delete a customer property",
    tag: TAG,
    access: "admin",
    params: Id,
    status: 204,
  },
  async (c) => {
    const { id, numberId } = c.req.valid("param");
    const tenantId = c.var.user.tenantId;
    const before = view(await ownedProperty(c.env.DB, id, tenantId, numberId));
    await deleteOwned(c.env.DB, props, id, tenantId, NOUN, [
      auditStatement(c, {
        action: "delete",
        entity: "customer_property",
        entityId: id,
        label: before.name,
        before,
      }),
    ]);
    return c.body(null, 204);
  },
);
