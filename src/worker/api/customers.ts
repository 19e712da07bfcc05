/**
 * Customer records: /api/customers for administrators and agents of a tenant.
 * Admins do everything; agents create and edit only when one of the tenant's
 * numbers lets agents edit customers, and only the custom properties marked
 * modifiable by agents; only admins delete. Isolated agents see only their
 * skillsets' customers (see `visibleTo`); customer-history.ts serves each
 * customer's past conversations with the same visibility.
 */
import {
  and,
  eq,
  exists,
  getTableColumns,
  inArray,
  notExists,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { d1, qb } from "../../platform/db/d1";
import { failedConstraint, redacted } from "../../platform/db/errors";
import {
  conversations,
  customerProperties,
  customers as customersTable,
  managedNumbers,
  skillsetMembers,
  skillsets,
  users,
} from "../../platform/db/schema";
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
import { apiError } from "../app/http";
import { Routes } from "../app/routes";
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
  ownedRow,
  saveVersioned,
} from "./admin/common";
import { cust, customerSearch } from "./customer-search";

/** A `customers` row, as the schema types it. */
export type Customer = typeof customersTable.$inferSelect;

function view(row: Customer): CustomerView {
  let properties: Record<string, PropertyValue> = {};
  try {
    properties = JSON.parse(row.properties) as Record<string, PropertyValue>;
  } catch {
    // an unreadable value set reads as empty rather than breaking the list
  }
  return {
    id: row.id,
    phone: row.phone,
    whatsappUserId: row.contactKey.startsWith("u:") ? row.contactKey.slice(2) : null,
    name: row.name,
    authorized: row.authorized,
    authorizedBy: row.authorizedBy,
    authorizedAt: row.authorizedAt,
    bypassBot: row.bypassBot,
    priority: row.priority,
    defaultSkillsetId: row.defaultSkillsetId,
    notes: row.notes,
    externalId: row.externalId,
    keepHistory: row.keepHistory,
    properties,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

const TAG = "customers";
const NOUN = "customer";
const BASE = "/api";

/** The skillsets `user` is a member of (a subquery of their ids). */
export function memberSkillsets(user: { id: string; tenantId: string }) {
  return qb
    .select({ id: skillsetMembers.skillsetId })
    .from(skillsetMembers)
    .where(and(eq(skillsetMembers.tenantId, user.tenantId), eq(skillsetMembers.userId, user.id)));
}

/** A row when `user` is an isolated agent (a subquery for EXISTS). */
export function isolatedAgent(user: { id: string; tenantId: string }) {
  return qb
    .select({ one: sql`1` })
    .from(users)
    .where(
      and(
        eq(users.id, user.id),
        eq(users.tenantId, user.tenantId),
        eq(users.role, "agent"),
        eq(users.isolated, true),
      ),
    );
}

/**
 * What `user` may see of customers `cust` (`c`): everything, unless they are
 * an isolated agent, who sees the customers who have had conversations with
 * one of their skillsets (a row in `conversations`, written when an agent
 * takes the conversation) and those whose default skillset is one of theirs.
 */
export function visibleTo(user: { id: string; tenantId: string }): SQL {
  const theirConversations = qb
    .select({ one: sql`1` })
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, cust.tenantId),
        eq(conversations.customerId, cust.id),
        inArray(conversations.skillsetId, memberSkillsets(user)),
      ),
    );
  return or(
    notExists(isolatedAgent(user)),
    inArray(cust.defaultSkillsetId, memberSkillsets(user)),
    exists(theirConversations),
  )!;
}

/** The caller's customers `cust`: their tenant's, as far as they may see them. */
export function callerCustomers(c: Context<AppEnv>): SQL {
  return and(eq(cust.tenantId, c.var.user.tenantId), visibleTo(c.var.user))!;
}

const CUSTOMER_FIELDS = getTableColumns(cust);

const list: ListSpec<typeof CUSTOMER_FIELDS, CustomerView> = {
  name: "customers",
  tag: TAG,
  access: "tenant",
  summary: "Customers (search name, phone, external id)",
  view: CustomerView,
  table: cust,
  fields: CUSTOMER_FIELDS,
  where: callerCustomers,
  search: [cust.name, cust.phone, cust.externalId],
  // The same columns, matched as the caller sees them (masked agents: only what is visible).
  searchClause: (c, q) =>
    customerSearch(c, q, { texts: ["name", "externalId"], scope: callerCustomers(c) }),
  sorts: {
    name: sql`${cust.name} COLLATE NOCASE`,
    phone: cust.phone,
    updatedAt: cust.updatedAt,
    createdAt: cust.createdAt,
  },
  toView: view,
  // The same columns as the import template, so a download can be edited and imported back.
  columns: async (c) => {
    const columns = exportColumns(await loadCatalogue(d1(c.env.DB), c.var.user.tenantId));
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
export async function visibleCustomer(c: Context<AppEnv>, id: string): Promise<Customer> {
  const row = await d1(c.env.DB)
    .select()
    .from(cust)
    .where(and(eq(cust.id, id), callerCustomers(c)))
    .get();
  if (!row) return notFound(c.env.DB, customersTable, id, c.var.user.tenantId, `No such ${NOUN}`);
  return row;
}

type Field = { path: string; message: string };

function refuse(status: 400 | 403 | 409, code: string, fields: Field[]): never {
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  const lead = status === 400 ? "Invalid body: " : "";
  apiError(status, code, `${lead}${summary}`, fields);
}

/** What a property's values must be: its type, and for `choice` its options (a JSON array). */
type Definition = Pick<typeof customerProperties.$inferSelect, "type" | "options">;

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
  const results = await d1(c.env.DB)
    .select({
      id: customerProperties.id,
      type: customerProperties.type,
      options: customerProperties.options,
      modifiableByAgent: customerProperties.modifiableByAgent,
    })
    .from(customerProperties)
    .where(
      and(
        eq(customerProperties.tenantId, c.var.user.tenantId),
        // One JSON array bound, not a parameter per id: D1 binds at most 100 per statement.
        inArray(customerProperties.id, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`),
      ),
    );
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
    else if (c.var.user.role !== "admin" && !def.modifiableByAgent)
      forbidden.push({ path, message: "agents may not change this property" });
  }
  if (invalid.length > 0) refuse(400, "invalid_request", invalid);
  if (forbidden.length > 0) refuse(403, "forbidden", forbidden);
}

/** Whether the caller may create and edit customers: admins, and agents when some number of the tenant lets them. */
export async function mayWriteCustomers(c: Context<AppEnv>): Promise<boolean> {
  if (c.var.user.role === "admin") return true;
  const results = await d1(c.env.DB)
    .select({ settings: managedNumbers.settings })
    .from(managedNumbers)
    .where(eq(managedNumbers.tenantId, c.var.user.tenantId));
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
  const found = await d1(c.env.DB)
    .select({ id: skillsets.id })
    .from(skillsets)
    .where(and(eq(skillsets.id, id), eq(skillsets.tenantId, c.var.user.tenantId)))
    .get();
  if (!found)
    refuse(400, "invalid_request", [{ path: "defaultSkillsetId", message: "no such skillset" }]);
}

/** One customer per phone per tenant: a unique-key failure answers 409 naming `phone`. */
async function uniquePhone<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (!failedConstraint(err, "UNIQUE")) throw err;
    refuse(409, "duplicate_phone", [{ path: "phone", message: "another customer has this phone" }]);
  }
}

/** The contact key Meta's webhooks use for a phone: its digits (the wa_id). */
const contactKeyOf = (e164: string) => e164.slice(1);

const Id = z.object({ id: z.string().min(1).max(100) });

/** /api/customers…: admins and agents of a tenant (the platform operator has no customers). */
export const customers = new Routes();

mountList(customers, list, BASE);

customers.endpoint(
  {
    method: "get",
    path: `${BASE}/customers/:id`,
    summary: "A customer",
    tag: TAG,
    access: "tenant",
    params: Id,
    response: CustomerView,
  },
  async (c) => c.json(view(await visibleCustomer(c, c.req.valid("param").id))),
);

customers.endpoint(
  {
    method: "post",
    path: `${BASE}/customers`,
    summary: "Add a customer (409 when the phone is already a customer's)",
    tag: TAG,
    access: "tenant",
    body: CreateCustomerBody,
    response: CustomerView,
    status: 201,
  },
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
      d1(c.env.DB)
        .insert(customersTable)
        .values({
          id,
          tenantId: user.tenantId,
          contactKey: contactKeyOf(body.phone),
          phone: body.phone,
          name: body.name || body.phone,
          authorized: body.authorized,
          authorizedBy: body.authorized ? user.id : null,
          authorizedAt: body.authorized ? now : null,
          bypassBot: body.bypassBot,
          priority: body.priority,
          defaultSkillsetId: body.defaultSkillsetId,
          notes: body.notes,
          externalId: body.externalId,
          keepHistory: body.keepHistory,
          properties: JSON.stringify(properties),
          createdAt: now,
          updatedAt: now,
        })
        .run(),
    );
    // The creator sees what they created, even an isolated agent outside their skillsets.
    const created = await ownedRow(c.env.DB, customersTable, id, user.tenantId, NOUN);
    return c.json(view(created), 201);
  },
);

customers.endpoint(
  {
    method: "patch",
    path: `${BASE}/customers/:id`,
    summary:
      "Change a customer; `properties` merges (null removes). Changing `authorized` records who and when. 409 on a stale version.",
    tag: TAG,
    access: "tenant",
    params: Id,
    body: UpdateCustomerBody,
    response: CustomerView,
  },
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
      if (!current.contactKey.startsWith("u:")) set.contactKey = contactKeyOf(body.phone);
    }
    if (body.name !== undefined) set.name = body.name || phone || current.name;
    if (body.authorized !== undefined && body.authorized !== current.authorized) {
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

customers.endpoint(
  {
    method: "delete",
    path: `${BASE}/customers/:id`,
    summary:
      "Delete a customer (administrators only), with their history; their conversations' contents and files are deleted too",
    tag: TAG,
    access: "admin",
    params: Id,
    status: 204,
  },
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
      console.warn("customer deletion: actors not told yet", redacted(err)),
    );
    return c.body(null, 204);
  },
);
