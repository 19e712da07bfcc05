/**
 * Skillsets: groups of agents of one managed number, with a priority (1–9) and
 * an agent priority per member. A number has at most one default skillset (where
 * the softbot sends a customer who chose nothing), and only the one the admin
 * chose: none is made default, or promoted, behind their back. Every change
 * reaches the number's actor before the response.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { Context } from "hono";
import { z } from "zod";
import { inOneBatch } from "../../../platform/db/batch";
import { type D1Db, type D1Statement, d1, qb } from "../../../platform/db/d1";
import {
  customers,
  managedNumbers,
  skillsetMembers,
  skillsets as skillsetsTable,
  users,
} from "../../../platform/db/schema";
import { CreateSkillsetBody, SkillsetView, UpdateSkillsetBody } from "../../../shared/admin";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { notFound } from "../../security/probe";
import { deleteOwned, type ListSpec, mountList, saveVersioned } from "./common";
import { numbersChanged, requireOwnNumber } from "./number-scope";

type Member = { userId: string; agentPriority: number };

// Single-table FROM (the list helper orders by rowid): the number's name and the
// members come from subqueries.
const NUMBER_NAME = sql<string>`${qb
  .select({ name: managedNumbers.name })
  .from(managedNumbers)
  .where(
    and(
      eq(managedNumbers.id, skillsetsTable.numberId),
      eq(managedNumbers.tenantId, skillsetsTable.tenantId),
    ),
  )}`;
const FIELDS = {
  id: skillsetsTable.id,
  numberId: skillsetsTable.numberId,
  name: skillsetsTable.name,
  priority: skillsetsTable.priority,
  isDefault: skillsetsTable.isDefault,
  botLabel: skillsetsTable.botLabel,
  version: skillsetsTable.version,
  numberName: NUMBER_NAME.as("number_name"),
  // SQLite's JSON functions build the member list in the same query.
  membersJson: sql<string>`${qb
    .select({
      json: sql`json_group_array(json_object('userId', ${skillsetMembers.userId},
        'agentPriority', ${skillsetMembers.agentPriority}, 'name', ${users.name}))`,
    })
    .from(skillsetMembers)
    .innerJoin(
      users,
      and(eq(users.id, skillsetMembers.userId), eq(users.tenantId, skillsetMembers.tenantId)),
    )
    .where(
      and(
        eq(skillsetMembers.skillsetId, skillsetsTable.id),
        eq(skillsetMembers.tenantId, skillsetsTable.tenantId),
      ),
    )}`.as("members_json"),
};

type Row = SelectResultFields<typeof FIELDS>;

function view(row: Row): SkillsetView {
  const members = JSON.parse(row.membersJson) as SkillsetView["members"];
  members.sort((a, b) => b.agentPriority - a.agentPriority || a.name.localeCompare(b.name));
  return {
    id: row.id,
    numberId: row.numberId,
    numberName: row.numberName,
    name: row.name,
    priority: row.priority,
    isDefault: row.isDefault,
    botLabel: row.botLabel,
    members,
    version: row.version,
  };
}

const TAG = "admin: skillsets";
const NOUN = "skillset";

const ListFilter = z.object({ numberId: z.string().min(1).max(100).optional() });

const list: ListSpec<typeof FIELDS, SkillsetView> = {
  name: "skillsets",
  tag: TAG,
  access: "admin",
  summary: "Skillsets (search name; optional numberId filter)",
  view: SkillsetView,
  table: skillsetsTable,
  fields: FIELDS,
  where: (c) => {
    const numberId = c.req.query("numberId");
    return and(
      eq(skillsetsTable.tenantId, c.var.user.tenantId),
      numberId === undefined ? undefined : eq(skillsetsTable.numberId, numberId),
    );
  },
  search: [skillsetsTable.name],
  sorts: {
    name: sql`${skillsetsTable.name} COLLATE NOCASE`,
    priority: skillsetsTable.priority,
    numberName: NUMBER_NAME,
  },
  toView: view,
  columns: [
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Number", value: (v) => v.numberName, width: 30 },
    { header: "Priority", value: (v) => v.priority, width: 10 },
    { header: "Default", value: (v) => (v.isDefault ? "yes" : "no"), width: 10 },
    { header: "Bot label", value: (v) => v.botLabel },
    {
      header: "Members (agent priority)",
      value: (v) => v.members.map((m) => `${m.name} (${m.agentPriority})`).join(", "),
      width: 60,
    },
  ],
};

/** The tenant's skillset, or 404. */
async function ownedSkillset(db: D1Database, id: string, tenantId: string): Promise<Row> {
  const row = await d1(db)
    .select(FIELDS)
    .from(skillsetsTable)
    .where(and(eq(skillsetsTable.id, id), eq(skillsetsTable.tenantId, tenantId)))
    .get();
  if (!row) return notFound(db, skillsetsTable, id, tenantId, `No such ${NOUN}`);
  return row;
}

/**
 * 400 naming `members.N.userId` for anyone listed twice or not an active user of
 * the tenant. Returns the members as the audit trail shows them.
 */
async function requireMembers(
  db: D1Database,
  tenantId: string,
  members: Member[],
): Promise<string[]> {
  // json_each: the ids as one bound value, however many members are listed.
  const results = await d1(db)
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.active, true),
        sql`${users.id} IN (SELECT value FROM json_each(${JSON.stringify(members.map((m) => m.userId))}))`,
      ),
    );
  const active = new Map(results.map((r) => [r.id, r.name]));
  const seen = new Set<string>();
  const fields: { path: string; message: string }[] = [];
  members.forEach((m, i) => {
    const path = `members.${i}.userId`;
    if (!active.has(m.userId)) fields.push({ path, message: "not an active user of this tenant" });
    else if (seen.has(m.userId)) fields.push({ path, message: "listed twice" });
    seen.add(m.userId);
  });
  if (fields.length > 0) {
    const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
    apiError(400, "invalid_request", `Invalid body: ${summary}`, fields);
  }
  return memberTexts(
    members.map((m) => ({
      name: active.get(m.userId) ?? m.userId,
      agentPriority: m.agentPriority,
    })),
  );
}

/** Members as the audit trail shows them: "Name (agent priority)", sorted. */
function memberTexts(list: readonly { name: string; agentPriority: number }[]): string[] {
  return list.map((m) => `${m.name} (${m.agentPriority})`).sort();
}

/** A skillset as the audit trail records it. */
function audited(v: SkillsetView, members: string[]) {
  return {
    name: v.name,
    number: v.numberName,
    priority: v.priority,
    isDefault: v.isDefault,
    botLabel: v.botLabel,
    members,
  };
}

/** Inserts the members in chunks (D1 binds at most 100 parameters per statement). */
function memberInserts(
  db: D1Db,
  tenantId: string,
  skillsetId: string,
  members: Member[],
): D1Statement[] {
  const statements: D1Statement[] = [];
  for (let i = 0; i < members.length; i += 24) {
    const chunk = members.slice(i, i + 24);
    statements.push(
      db.insert(skillsetMembers).values(
        chunk.map((m) => ({
          tenantId,
          skillsetId,
          userId: m.userId,
          agentPriority: m.agentPriority,
        })),
      ),
    );
  }
  return statements;
}

/** Clears the default flag of the number's other skillsets (their view changes, so their version moves). */
function clearOtherDefaults(
  db: D1Db,
  tenantId: string,
  numberId: string,
  keepId: string,
): D1Statement {
  return db
    .update(skillsetsTable)
    .set({ isDefault: false, version: sql`${skillsetsTable.version} + 1` })
    .where(
      and(
        eq(skillsetsTable.tenantId, tenantId),
        eq(skillsetsTable.numberId, numberId),
        ne(skillsetsTable.id, keepId),
        eq(skillsetsTable.isDefault, true),
      ),
    );
}

async function respond(c: Context<AppEnv>, id: string, status: 200 | 201 = 200) {
  return c.json(view(await ownedSkillset(c.env.DB, id, c.var.user.tenantId)), status);
}

const Id = z.object({ id: z.string().min(1).max(100) });

/** /api/admin/skillsets… */
export const skillsets = new Routes();

// The list's numberId filter must be the tenant's number too: 404, like every id.
skillsets.use("/api/admin/skillsets/*", async (c, next) => {
  if (c.req.method === "GET") {
    const filter = ListFilter.safeParse(c.req.query());
    const numberId = filter.success ? filter.data.numberId : undefined;
    if (numberId) await requireOwnNumber(c.env.DB, numberId, c.var.user.tenantId);
  }
  await next();
});

mountList(skillsets, list);

skillsets.endpoint(
  {
    method: "get",
    path: "/api/admin/skillsets/:id",
    summary: "A skillset with its members",
    tag: TAG,
    access: "admin",
    params: Id,
    response: SkillsetView,
  },
  (c) => respond(c, c.req.valid("param").id),
);

skillsets.endpoint(
  {
    method: "post",
    path: "/api/admin/skillsets",
    summary: "Add a skillset to a number (the number's first becomes its default)",
    tag: TAG,
    access: "admin",
    body: CreateSkillsetBody,
    response: SkillsetView,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const numberName = await requireOwnNumber(db, body.numberId, tenantId);
    const members = await requireMembers(db, tenantId, body.members);
    const id = crypto.randomUUID();
    const orm = d1(db);
    await inOneBatch(orm, [
      ...(body.isDefault ? [clearOtherDefaults(orm, tenantId, body.numberId, id)] : []),
      orm.insert(skillsetsTable).values({
        id,
        tenantId,
        numberId: body.numberId,
        name: body.name,
        priority: body.priority,
        isDefault: body.isDefault ?? false,
        botLabel: body.botLabel,
      }),
      ...memberInserts(orm, tenantId, id, body.members),
      auditStatement(c, {
        action: "create",
        entity: "skillset",
        entityId: id,
        label: body.name,
        after: {
          name: body.name,
          number: numberName,
          priority: body.priority,
          isDefault: body.isDefault ?? false,
          botLabel: body.botLabel ?? null,
          members,
        },
      }),
    ]);
    await numbersChanged(c.env, [body.numberId]);
    return respond(c, id, 201);
  },
);

skillsets.endpoint(
  {
    method: "patch",
    path: "/api/admin/skillsets/:id",
    summary:
      "Change a skillset; `members` replaces the whole list atomically (409 on a stale version). Routing follows at once.",
    tag: TAG,
    access: "admin",
    params: Id,
    body: UpdateSkillsetBody,
    response: SkillsetView,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const current = await ownedSkillset(db, id, tenantId);
    const before = view(current);
    const members = body.members
      ? await requireMembers(db, tenantId, body.members)
      : memberTexts(before.members);
    const orm = d1(db);
    const set: Partial<typeof skillsetsTable.$inferInsert> = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.priority !== undefined) set.priority = body.priority;
    if (body.botLabel !== undefined) set.botLabel = body.botLabel;
    if (body.isDefault !== undefined) set.isDefault = body.isDefault;
    const also: D1Statement[] = [];
    if (body.isDefault) also.push(clearOtherDefaults(orm, tenantId, current.numberId, id));
    if (body.members) {
      also.push(
        orm
          .delete(skillsetMembers)
          .where(and(eq(skillsetMembers.tenantId, tenantId), eq(skillsetMembers.skillsetId, id))),
        ...memberInserts(orm, tenantId, id, body.members),
      );
    }
    const { version: _, members: __, ...changes } = body;
    also.push(
      auditStatement(c, {
        action: "update",
        entity: "skillset",
        entityId: id,
        label: before.name,
        before: audited(before, memberTexts(before.members)),
        after: audited({ ...before, ...changes }, members),
      }),
    );
    await saveVersioned(
      db,
      { table: skillsetsTable, id, tenantId, version: body.version, noun: NOUN },
      set,
      also,
    );
    await numbersChanged(c.env, [current.numberId]);
    return respond(c, id);
  },
);

skillsets.endpoint(
  {
    method: "delete",
    path: "/api/admin/skillsets/:id",
    summary:
      "Delete a skillset: memberships go, customers defaulting to it default to none; deleting the number's default leaves it without one",
    tag: TAG,
    access: "admin",
    params: Id,
    status: 204,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const current = await ownedSkillset(db, id, tenantId);
    const orm = d1(db);
    await deleteOwned(db, skillsetsTable, id, tenantId, NOUN, [
      orm
        .delete(skillsetMembers)
        .where(and(eq(skillsetMembers.tenantId, tenantId), eq(skillsetMembers.skillsetId, id))),
      orm
        .update(customers)
        .set({ defaultSkillsetId: null })
        .where(and(eq(customers.tenantId, tenantId), eq(customers.defaultSkillsetId, id))),
      auditStatement(c, {
        action: "delete",
        entity: "skillset",
        entityId: id,
        label: current.name,
        before: audited(view(current), memberTexts(view(current).members)),
      }),
    ]);
    await numbersChanged(c.env, [current.numberId]);
    return c.body(null, 204);
  },
);
