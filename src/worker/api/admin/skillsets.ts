/**
 * Skillsets: groups of agents of one managed number, with a priority (1–9) and
 * an agent priority per member. Exactly one default per number once any
 * exists. Every change reaches the number's actor before the response.
 */
import type { Context } from "hono";
import { z } from "zod";
import { CreateSkillsetBody, SkillsetView, UpdateSkillsetBody } from "../../../shared/admin";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { notFound } from "../../security/probe";
import { deleteOwned, type ListSpec, mountList, saveVersioned } from "./common";
import { numbersChanged, requireOwnNumber } from "./number-scope";

interface Row {
  id: string;
  number_id: string;
  number_name: string;
  name: string;
  priority: number;
  is_default: number;
  bot_label: string | null;
  version: number;
  members_json: string;
}

type Member = { userId: string; agentPriority: number };

function view(row: Row): SkillsetView {
  const members = JSON.parse(row.members_json) as SkillsetView["members"];
  members.sort((a, b) => b.agentPriority - a.agentPriority || a.name.localeCompare(b.name));
  return {
    id: row.id,
    numberId: row.number_id,
    numberName: row.number_name,
    name: row.name,
    priority: row.priority,
    isDefault: row.is_default === 1,
    botLabel: row.bot_label,
    members,
    version: row.version,
  };
}

const TAG = "admin: skillsets";
const NOUN = "skillset";

// Single-table FROM (the list helper orders by rowid): the number's name and the
// members come from subqueries.
const NUMBER_NAME =
  "(SELECT n.name FROM managed_numbers n WHERE n.id = s.number_id AND n.tenant_id = s.tenant_id)";
const SELECT = `s.id, s.number_id, s.name, s.priority, s.is_default, s.bot_label, s.version,
  ${NUMBER_NAME} AS number_name,
  (SELECT json_group_array(json_object('userId', m.user_id, 'agentPriority', m.agent_priority, 'name', u.name))
     FROM skillset_members m JOIN users u ON u.id = m.user_id AND u.tenant_id = m.tenant_id
     WHERE m.skillset_id = s.id AND m.tenant_id = s.tenant_id) AS members_json`;

const ListFilter = z.object({ numberId: z.string().min(1).max(100).optional() });

const list: ListSpec<Row, SkillsetView> = {
  name: "skillsets",
  tag: TAG,
  access: "admin",
  summary: "Skillsets (search name; optional numberId filter)",
  view: SkillsetView,
  select: SELECT,
  from: "FROM skillsets s WHERE s.tenant_id = ? AND (? IS NULL OR s.number_id = ?)",
  where: (c) => {
    const numberId = c.req.query("numberId") ?? null;
    return [c.var.user.tenantId, numberId, numberId];
  },
  search: ["s.name"],
  sorts: { name: "s.name COLLATE NOCASE", priority: "s.priority", numberName: NUMBER_NAME },
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
  const row = await db
    .prepare(`SELECT ${SELECT} FROM skillsets s WHERE s.id = ? AND s.tenant_id = ?`)
    .bind(id, tenantId)
    .first<Row>();
  if (!row) return notFound(db, "skillsets", id, tenantId, `No such ${NOUN}`);
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
  const { results } = await db
    .prepare(
      "SELECT id, name FROM users WHERE tenant_id = ? AND active = 1 AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(tenantId, JSON.stringify(members.map((m) => m.userId)))
    .all<{ id: string; name: string }>();
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
  db: D1Database,
  tenantId: string,
  skillsetId: string,
  members: Member[],
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < members.length; i += 24) {
    const chunk = members.slice(i, i + 24);
    statements.push(
      db
        .prepare(
          `INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES ${chunk
            .map(() => "(?, ?, ?, ?)")
            .join(", ")}`,
        )
        .bind(...chunk.flatMap((m) => [tenantId, skillsetId, m.userId, m.agentPriority])),
    );
  }
  return statements;
}

/** Clears the default flag of the number's other skillsets (their view changes, so their version moves). */
function clearOtherDefaults(
  db: D1Database,
  tenantId: string,
  numberId: string,
  keepId: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE skillsets SET is_default = 0, version = version + 1
       WHERE tenant_id = ? AND number_id = ? AND id <> ? AND is_default = 1`,
    )
    .bind(tenantId, numberId, keepId);
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
    await db.batch([
      ...(body.isDefault ? [clearOtherDefaults(db, tenantId, body.numberId, id)] : []),
      db
        .prepare(
          `INSERT INTO skillsets (id, tenant_id, number_id, name, priority, is_default, bot_label)
           VALUES (?, ?, ?, ?, ?, CASE WHEN ? = 1 OR NOT EXISTS
             (SELECT 1 FROM skillsets WHERE tenant_id = ? AND number_id = ? AND is_default = 1) THEN 1 ELSE 0 END, ?)`,
        )
        .bind(
          id,
          tenantId,
          body.numberId,
          body.name,
          body.priority,
          body.isDefault ? 1 : 0,
          tenantId,
          body.numberId,
          body.botLabel,
        ),
      ...memberInserts(db, tenantId, id, body.members),
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
    if (body.isDefault === false && current.is_default === 1) {
      const message = "a number always has one default skillset: make another one the default";
      apiError(400, "invalid_request", `Invalid body: isDefault: ${message}`, [
        { path: "isDefault", message },
      ]);
    }
    const before = view(current);
    const members = body.members
      ? await requireMembers(db, tenantId, body.members)
      : memberTexts(before.members);
    const set: Record<string, unknown> = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.priority !== undefined) set.priority = body.priority;
    if (body.botLabel !== undefined) set.bot_label = body.botLabel;
    if (body.isDefault) set.is_default = 1;
    const also: D1PreparedStatement[] = [];
    if (body.isDefault) also.push(clearOtherDefaults(db, tenantId, current.number_id, id));
    if (body.members) {
      also.push(
        db
          .prepare("DELETE FROM skillset_members WHERE tenant_id = ? AND skillset_id = ?")
          .bind(tenantId, id),
        ...memberInserts(db, tenantId, id, body.members),
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
      { table: "skillsets", id, tenantId, version: body.version, noun: NOUN },
      set,
      also,
    );
    await numbersChanged(c.env, [current.number_id]);
    return respond(c, id);
  },
);

skillsets.endpoint(
  {
    method: "delete",
    path: "/api/admin/skillsets/:id",
    summary:
      "Delete a skillset: memberships go, customers defaulting to it default to none, and another becomes the number's default",
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
    await deleteOwned(db, "skillsets", id, tenantId, NOUN, [
      db
        .prepare("DELETE FROM skillset_members WHERE tenant_id = ? AND skillset_id = ?")
        .bind(tenantId, id),
      db
        .prepare(
          "UPDATE customers SET default_skillset_id = NULL WHERE tenant_id = ? AND default_skillset_id = ?",
        )
        .bind(tenantId, id),
      // Keep one default: the highest-priority remaining skillset inherits it.
      db
        .prepare(
          `UPDATE skillsets SET is_default = 1, version = version + 1
           WHERE id = (SELECT id FROM skillsets WHERE tenant_id = ? AND number_id = ? AND id <> ?
                       ORDER BY priority DESC, name, id LIMIT 1)
             AND NOT EXISTS (SELECT 1 FROM skillsets
                             WHERE tenant_id = ? AND number_id = ? AND id <> ? AND is_default = 1)`,
        )
        .bind(tenantId, current.number_id, id, tenantId, current.number_id, id),
      auditStatement(c, {
        action: "delete",
        entity: "skillset",
        entityId: id,
        label: current.name,
        before: audited(view(current), memberTexts(view(current).members)),
      }),
    ]);
    await numbersChanged(c.env, [current.number_id]);
    return c.body(null, 204);
  },
);
