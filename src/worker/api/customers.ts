/**
 * Customer records: /api/customers for administrators and agents of a tenant.
 * Admins do everything; agents create and edit only when one of the tenant's
 * numbers lets agents edit customers, and only the custom properties marked
 * modifiable by agents; only admins delete. Isolated agents see only their
 * skillsets' customers (see `VISIBLE`); customer-history.ts serves each
 * customer's past conversations with the same visibility.
 */
import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { d1 } from "../../platform/db/d1";
import { customers as customersTable } from "../../platform/db/schema";
import {
  CreateCustomerBody,
  CustomerView,
  type PropertyValue,
  type PropertyValues,
  UpdateCustomerBody,
} from "../../shared/customers";
import { maskPhone, maskText } from "../../shared/masking";
import { readSettings } from "../../shared/number-settings";
import type { AppEnv } from "../app/app-types";
import { apiError, describeRoute, jsonBody, params } from "../app/http";
import { requireUser } from "../auth/auth";
import { loadCatalogue } from "../import/catalogue";
import { exportColumns } from "../import/columns";
import { recordCustomerDeletion, tellDeletedConversations } from "../jobs/customer-deletions";
import { auditStatement } from "../security/audit";
import { securityLog } from "../security/log";
import { notFound } from "../security/probe";
import {
  deleteOwned,
  type ExportColumn,
  type ListSpec,
  mountList,
  saveVersioned,
} from "./admin/common";
import { customerSearch } from "./customer-search";

interface Row {
  id: string;
  contact_key: string;
  phone: string | null;
  name: string;
  authorized: number;
  authorized_by: string | null;
  authorized_at: number | null;
  bypass_bot: number;
  priority: number;
  default_skillset_id: string | null;
  notes: string | null;
  external_id: string | null;
  keep_history: number;
  properties: string;
  created_at: number;
  updated_at: number;
  version: number;
}

function view(row: Row): CustomerView {
  let properties: Record<string, PropertyValue> = {};
  try {
    properties = JSON.parse(row.properties) as Record<string, PropertyValue>;
  } catch {
    // an unreadable value set reads as empty rather than breaking the list
  }
  return {
    id: row.id,
    phone: row.phone,
    whatsappUserId: row.contact_key.startsWith("u:") ? row.contact_key.slice(2) : null,
    name: row.name,
    authorized: row.authorized === 1,
    authorizedBy: row.authorized_by,
    authorizedAt: row.authorized_at,
    bypassBot: row.bypass_bot === 1,
    priority: row.priority,
    defaultSkillsetId: row.default_skillset_id,
    notes: row.notes,
    externalId: row.external_id,
    keepHistory: row.keep_history === 1,
    properties,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

const TAG = "customers";
const NOUN = "customer";
const BASE = "/api";

/**
 * What the caller may see of customers `c`, binding `visibleBinds(c)`:
 * everything, unless they are an isolated agent, who sees the customers who
 * have had conversations with one of their skillsets (a row in
 * `conversations`, written when an agent takes the conversation) and those
 * whose default skillset is one of theirs.
 */
export const VISIBLE = `(NOT EXISTS (SELECT 1 FROM users u WHERE u.id = ? AND u.tenant_id = ? AND u.role = 'agent' AND u.isolated = 1)
  OR c.default_skillset_id IN (SELECT m.skillset_id FROM skillset_members m WHERE m.tenant_id = ? AND m.user_id = ?)
  OR EXISTS (SELECT 1 FROM conversations h WHERE h.tenant_id = c.tenant_id AND h.customer_id = c.id
    AND h.skillset_id IN (SELECT m.skillset_id FROM skillset_members m WHERE m.tenant_id = ? AND m.user_id = ?)))`;

/** The values `VISIBLE` binds, in order, for the signed-in caller. */
export function visibleBinds(c: Context<AppEnv>): unknown[] {
  const { id, tenantId } = c.var.user;
  return [id, tenantId, tenantId, id, tenantId, id];
}

// The list and save helpers of admin/common.ts speak drizzle, while the SQL of
// this file names `customers c` with `?` placeholders: until that SQL is
// drizzle's too, the list reads `customers` as `c`, rows as `SELECT c.*` gives
// them, and each `?` fragment with its values as drizzle SQL.
const customersC = alias(customersTable, "c");
const SELECT_C = Object.fromEntries(
  Object.values(getTableColumns(customersC)).map((column) => [column.name, sql`${column}`]),
);

/** A fragment with `?` placeholders and the values they bind, as drizzle SQL. */
function bound(text: string, binds: unknown[]): SQL {
  const [first = "", ...rest] = text.split("?");
  return sql.join([sql.raw(first), ...rest.map((part, i) => sql`${binds[i]}${sql.raw(part)}`)]);
}

const list: ListSpec<typeof SELECT_C, CustomerView> = {
  name: "customers",
  tag: TAG,
  summary: "Customers (search name, phone, external id)",
  view: CustomerView,
  table: customersC,
  fields: SELECT_C,
  where: (c) => bound(`c.tenant_id = ? AND ${VISIBLE}`, [c.var.user.tenantId, ...visibleBinds(c)]),
  search: [customersC.name, customersC.phone, customersC.externalId],
  // The same columns, matched as the caller sees them (masked agents: only what is visible).
  searchClause: async (c, q) => {
    const clause = await customerSearch(c, q, {
      phone: "c.phone",
      texts: ["c.name", "c.external_id"],
      from: `FROM customers c WHERE c.tenant_id = ? AND ${VISIBLE}`,
      binds: [c.var.user.tenantId, ...visibleBinds(c)],
    });
    return bound(clause.sql, clause.binds);
  },
  sorts: {
    name: sql`${customersC.name} COLLATE NOCASE`,
    phone: customersC.phone,
    updatedAt: customersC.updatedAt,
    createdAt: customersC.createdAt,
  },
  toView: (row) => view(row as unknown as Row),
  // The same columns as the import template, so a download can be edited and imported back.
  columns: async (c) => {
    const columns = exportColumns(await loadCatalogue(c.env.DB, c.var.user.tenantId));
    return c.var.user.masked ? columns.map(maskedColumn) : columns;
  },
};

/** A download column as a masked agent sees it: the phone masked whole, texts where they hold sensitive data. */
function maskedColumn(column: ExportColumn<CustomerView>): ExportColumn<CustomerView> {
  const mask = column.header === "Phone" ? maskPhone : maskText;
  return {
    ...column,
    value: (v) => {
      const cell = column.value(v);
      return typeof cell === "string" ? mask(cell) : cell;
    },
  };
}

/**
 * A masked agent never writes back what masking hid: a text field that holds
 * sensitive data (its masked form differs) is left out when it comes back as
 * shown (masked), and refused with 400 naming it when it comes back changed,
 * since the agent cannot see what they would overwrite. Returns the body to save.
 */
function withoutMaskedEdits(body: UpdateCustomerBody, current: CustomerView): UpdateCustomerBody {
  const out: UpdateCustomerBody = { ...body };
  const refused: Field[] = [];
  const check = (path: string, sent: unknown, stored: unknown, drop: () => void) => {
    if (sent === undefined || typeof stored !== "string" || maskText(stored) === stored) return;
    if (sent === stored) return;
    if (sent === maskText(stored)) drop();
    else refused.push({ path, message: "holds masked data, which agents cannot change" });
  };
  check("name", body.name, current.name, () => delete out.name);
  check("notes", body.notes, current.notes, () => delete out.notes);
  check("externalId", body.externalId, current.externalId, () => delete out.externalId);
  if (body.properties) {
    const properties = { ...body.properties };
    for (const [id, value] of Object.entries(body.properties)) {
      check(`properties.${id}`, value, current.properties[id], () => delete properties[id]);
    }
    out.properties = properties;
  }
  if (refused.length > 0) refuse(400, "invalid_request", refused);
  return out;
}

/** The customer if the caller may see it, else 404 (another tenant's, or hidden from an isolated agent). */
export async function visibleCustomer(c: Context<AppEnv>, id: string): Promise<Row> {
  const row = await c.env.DB.prepare(
    `SELECT c.* FROM customers c WHERE c.id = ? AND c.tenant_id = ? AND ${VISIBLE}`,
  )
    .bind(id, c.var.user.tenantId, ...visibleBinds(c))
    .first<Row>();
  if (!row) return notFound(c.env.DB, customersTable, id, c.var.user.tenantId, `No such ${NOUN}`);
  return row;
}

type Field = { path: string; message: string };

function refuse(status: 400 | 403 | 409, code: string, fields: Field[]): never {
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  const lead = status === 400 ? "Invalid body: " : "";
  apiError(status, code, `${lead}${summary}`, fields);
}

interface Definition {
  id: string;
  type: "text" | "number" | "date" | "boolean" | "choice";
  options: string;
  modifiable_by_agent: number;
}

/** Why `value` does not fit its definition, or null when it does. */
export function propertyProblem(def: Definition, value: PropertyValue): string | null {
  if (value === null) return null;
  switch (def.type) {
    case "text":
      return typeof value === "string" ? null : "a text";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "a number";
    case "boolean":
      return typeof value === "boolean" ? null : "true or false";
    case "date": {
      const ok =
        typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      return ok ? null : "a date YYYY-MM-DD";
    }
    case "choice": {
      const options = JSON.parse(def.options) as string[];
      return typeof value === "string" && options.includes(value)
        ? null
        : `one of ${options.join(", ")}`;
    }
  }
}

/**
 * Checks sent property values against the tenant's definitions (the union of
 * its numbers' properties): 400 naming `properties.<id>` for unknown ids or
 * wrong types; for agents, 403 naming those not modifiable by agents.
 */
async function checkProperties(c: Context<AppEnv>, values: PropertyValues): Promise<void> {
  const ids = Object.keys(values);
  if (ids.length === 0) return;
  const { results } = await c.env.DB.prepare(
    `SELECT id, type, options, modifiable_by_agent FROM customer_properties
     WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`,
  )
    .bind(c.var.user.tenantId, JSON.stringify(ids))
    .all<Definition>();
  const defs = new Map(results.map((d) => [d.id, d]));
  const invalid: Field[] = [];
  const forbidden: Field[] = [];
  for (const id of ids) {
    const path = `properties.${id}`;
    const def = defs.get(id);
    if (!def) {
      invalid.push({ path, message: "no such customer property" });
      continue;
    }
    const problem = propertyProblem(def, values[id] ?? null);
    if (problem) invalid.push({ path, message: `must be ${problem}` });
    else if (c.var.user.role !== "admin" && def.modifiable_by_agent !== 1)
      forbidden.push({ path, message: "agents may not change this property" });
  }
  if (invalid.length > 0) refuse(400, "invalid_request", invalid);
  if (forbidden.length > 0) refuse(403, "forbidden", forbidden);
}

/** Whether the caller may create and edit customers: admins, and agents when some number of the tenant lets them. */
export async function mayWriteCustomers(c: Context<AppEnv>): Promise<boolean> {
  if (c.var.user.role === "admin") return true;
  const { results } = await c.env.DB.prepare(
    "SELECT settings FROM managed_numbers WHERE tenant_id = ?",
  )
    .bind(c.var.user.tenantId)
    .all<{ settings: string }>();
  return results.some((n) => readSettings(n.settings).details.agentsMayEditCustomers);
}

/** Agents write customers only when some number of the tenant lets agents edit customers. */
async function requireMayWrite(c: Context<AppEnv>): Promise<void> {
  if (!(await mayWriteCustomers(c))) {
    apiError(403, "forbidden", "The administrator does not let agents edit customers");
  }
}

/** 400 naming `defaultSkillsetId` unless it is null or one of the tenant's skillsets. */
async function requireSkillset(c: Context<AppEnv>, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const found = await c.env.DB.prepare(
    "SELECT 1 AS x FROM skillsets WHERE id = ? AND tenant_id = ?",
  )
    .bind(id, c.var.user.tenantId)
    .first();
  if (!found)
    refuse(400, "invalid_request", [{ path: "defaultSkillsetId", message: "no such skillset" }]);
}

/** One customer per phone per tenant: a unique-key failure answers 409 naming `phone`. */
async function uniquePhone<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (!String(err).includes("UNIQUE constraint failed")) throw err;
    refuse(409, "duplicate_phone", [{ path: "phone", message: "another customer has this phone" }]);
  }
}

/** The contact key Meta's webhooks use for a phone: its digits (the wa_id). */
const contactKeyOf = (e164: string) => e164.slice(1);

/** Admins and agents of a tenant; the platform operator has no customers. Sets `c.var.user`. */
export const requireTenantUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  await requireUser(c, async () => {});
  if (c.var.user.role === "operator") apiError(403, "forbidden", "Customers belong to tenants");
  await next();
};

const requireAdminRole: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.user.role !== "admin") apiError(403, "forbidden", "Only administrators may do this");
  await next();
};

const Id = z.object({ id: z.string().min(1).max(100) });

/** /api/customers… (mounted at /api: guards cover only these paths). */
export const customers = new Hono<AppEnv>();
customers.use("/customers", requireTenantUser);
customers.use("/customers/*", requireTenantUser);

mountList(customers, list, BASE);

customers.get(
  "/customers/:id",
  describeRoute({
    method: "get",
    path: `${BASE}/customers/:id`,
    summary: "A customer",
    tag: TAG,
    response: CustomerView,
  }),
  params(Id),
  async (c) => c.json(view(await visibleCustomer(c, c.req.valid("param").id))),
);

customers.post(
  "/customers",
  describeRoute({
    method: "post",
    path: `${BASE}/customers`,
    summary: "Add a customer (409 when the phone is already a customer's)",
    tag: TAG,
    body: CreateCustomerBody,
    response: CustomerView,
    status: 201,
  }),
  jsonBody(CreateCustomerBody),
  async (c) => {
    const body = c.req.valid("json");
    const user = c.var.user;
    await requireMayWrite(c);
    await requireSkillset(c, body.defaultSkillsetId);
    await checkProperties(c, body.properties);
    const id = crypto.randomUUID();
    const now = Date.now();
    const properties = Object.fromEntries(
      Object.entries(body.properties).filter(([, v]) => v !== null),
    );
    await uniquePhone(
      c.env.DB.prepare(
        `INSERT INTO customers (id, tenant_id, contact_key, phone, name, authorized, authorized_by,
           authorized_at, bypass_bot, priority, default_skillset_id, notes, external_id, keep_history,
           properties, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
        .bind(
          id,
          user.tenantId,
          contactKeyOf(body.phone),
          body.phone,
          body.name || body.phone,
          body.authorized ? 1 : 0,
          body.authorized ? user.id : null,
          body.authorized ? now : null,
          body.bypassBot ? 1 : 0,
          body.priority,
          body.defaultSkillsetId,
          body.notes,
          body.externalId,
          body.keepHistory ? 1 : 0,
          JSON.stringify(properties),
          now,
          now,
        )
        .run(),
    );
    // The creator sees what they created, even an isolated agent outside their skillsets.
    const created = await d1(c.env.DB)
      .select(SELECT_C)
      .from(customersC)
      .where(and(eq(customersC.id, id), eq(customersC.tenantId, user.tenantId)))
      .get();
    if (!created) return notFound(c.env.DB, customersTable, id, user.tenantId, `No such ${NOUN}`);
    return c.json(view(created as unknown as Row), 201);
  },
);

customers.patch(
  "/customers/:id",
  describeRoute({
    method: "patch",
    path: `${BASE}/customers/:id`,
    summary:
      "Change a customer; `properties` merges (null removes). Changing `authorized` records who and when. 409 on a stale version.",
    tag: TAG,
    body: UpdateCustomerBody,
    response: CustomerView,
  }),
  params(Id),
  jsonBody(UpdateCustomerBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const user = c.var.user;
    const current = await visibleCustomer(c, id);
    const sent = c.req.valid("json");
    const body = user.masked ? withoutMaskedEdits(sent, view(current)) : sent;
    await requireMayWrite(c);
    await requireSkillset(c, body.defaultSkillsetId);
    if (body.properties) await checkProperties(c, body.properties);
    const now = Date.now();
    const set: Partial<typeof customersTable.$inferInsert> = { updatedAt: now };
    const phone = body.phone ?? current.phone;
    if (body.phone !== undefined) {
      set.phone = body.phone;
      // Username-only customers keep their BSUID key: it is how Meta names them.
      if (!current.contact_key.startsWith("u:")) set.contactKey = contactKeyOf(body.phone);
    }
    if (body.name !== undefined) set.name = body.name || phone || current.name;
    if (body.authorized !== undefined && body.authorized !== (current.authorized === 1)) {
      set.authorized = body.authorized;
      set.authorizedBy = user.id;
      set.authorizedAt = now;
    }
    if (body.bypassBot !== undefined) set.bypassBot = body.bypassBot;
    if (body.priority !== undefined) set.priority = body.priority;
    if (body.defaultSkillsetId !== undefined) set.defaultSkillsetId = body.defaultSkillsetId;
    if (body.notes !== undefined) set.notes = body.notes;
    if (body.externalId !== undefined) set.externalId = body.externalId;
    if (body.keepHistory !== undefined) set.keepHistory = body.keepHistory;
    if (body.properties) {
      const merged: Record<string, PropertyValue> = { ...view(current).properties };
      for (const [key, value] of Object.entries(body.properties)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      set.properties = JSON.stringify(merged);
    }
    await uniquePhone(
      saveVersioned(
        c.env.DB,
        { table: customersTable, id, tenantId: user.tenantId, version: body.version, noun: NOUN },
        set,
      ),
    );
    return c.json(view(await visibleCustomer(c, id)));
  },
);

customers.delete(
  "/customers/:id",
  describeRoute({
    method: "delete",
    path: `${BASE}/customers/:id`,
    summary:
      "Delete a customer (administrators only), with their history; their conversations' contents and files are deleted too",
    tag: TAG,
    status: 204,
  }),
  requireAdminRole,
  params(Id),
  async (c) => {
    const { id } = c.req.valid("param");
    const tenantId = c.var.user.tenantId;
    const before = view(await visibleCustomer(c, id));
    await deleteOwned(c.env.DB, customersTable, id, tenantId, NOUN, [
      recordCustomerDeletion(c.env.DB, tenantId, id, Date.now()),
      auditStatement(c, {
        action: "delete",
        entity: "customer",
        entityId: id,
        label: before.name || before.phone || id,
        before: { name: before.name, phone: before.phone, externalId: before.externalId },
      }),
    ]);
    securityLog("admin_change", { entity: "customer", action: "delete" });
    // Their conversations drop contents and files now; what fails here, the sweep retries.
    await tellDeletedConversations(c.env, { tenantId, limit: 200 }).catch((err: unknown) =>
      console.warn("customer deletion: actors not told yet", err),
    );
    return c.body(null, 204);
  },
);
