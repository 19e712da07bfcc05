/**
 * Users of the tenant: invitations by e-mail, roles, limits, skillset
 * memberships, deactivation. Changes reach the running actors at once: the
 * agent's actor reloads its profile (routing follows the new limit and
 * memberships), and a deactivated user's sessions end and their conversations
 * go back to routing.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { Context } from "hono";
import { z } from "zod";
import { inOneBatch } from "../../../platform/db/batch";
import { type D1Db, type D1Statement, d1, qb, rawStatement } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { memberSkillset, skillsetNumber } from "../../../platform/db/joins";
import {
  managedNumbers,
  sessions,
  skillsetMembers,
  skillsets,
  tenants,
  users as usersTable,
  userTokens,
} from "../../../platform/db/schema";
import { InviteUserBody, type Membership, UpdateUserBody, UserView } from "../../../shared/admin";
import type { AppEnv } from "../../app/app-types";
import { apiError } from "../../app/http";
import { mailInvitation } from "../../app/mail-or-502";
import { refuse } from "../../app/results";
import { Routes } from "../../app/routes";
import { INVITE_TTL_MS, newUserToken } from "../../auth/auth";
import { auditStatement } from "../../security/audit";
import { securityLog } from "../../security/log";
import { notFound } from "../../security/probe";
import { type ListSpec, mountList, saveVersioned } from "./common";

const FIELDS = {
  id: usersTable.id,
  email: usersTable.email,
  name: usersTable.name,
  role: usersTable.role,
  isolated: usersTable.isolated,
  maxConversations: usersTable.maxConversations,
  language: usersTable.language,
  active: usersTable.active,
  invitePending: sql<number>`${usersTable.passwordHash} IS NULL`.as("invite_pending"),
  createdAt: usersTable.createdAt,
  version: usersTable.version,
  /** JSON array of memberships with skillset and number names (SQLite's JSON functions, one query). */
  memberships: sql<string>`${qb
    .select({
      json: sql`json_group_array(json_object(
        'skillsetId', ${skillsets.id}, 'agentPriority', ${skillsetMembers.agentPriority},
        'skillsetName', ${skillsets.name}, 'numberId', ${managedNumbers.id},
        'numberName', ${managedNumbers.name}))`,
    })
    .from(skillsetMembers)
    .innerJoin(skillsets, memberSkillset)
    .innerJoin(managedNumbers, skillsetNumber)
    .where(
      and(
        eq(skillsetMembers.tenantId, usersTable.tenantId),
        eq(skillsetMembers.userId, usersTable.id),
      ),
    )}`.as("memberships"),
};

type UserRow = SelectResultFields<typeof FIELDS>;

/** The tenant's users. Operators live in the platform tenant, but never list them even if one strayed. */
function ofTenant(tenantId: string) {
  return and(eq(usersTable.tenantId, tenantId), ne(usersTable.role, "operator"));
}

function toView(row: UserRow): UserView {
  const memberships = (JSON.parse(row.memberships) as UserView["memberships"]).sort(
    (a, b) =>
      a.numberName.localeCompare(b.numberName) || a.skillsetName.localeCompare(b.skillsetName),
  );
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    // Never an operator: `ofTenant` leaves them out.
    role: row.role as UserView["role"],
    isolated: row.isolated,
    maxConversations: row.maxConversations,
    language: row.language,
    active: row.active,
    invitePending: row.invitePending === 1,
    memberships,
    createdAt: row.createdAt,
    version: row.version,
  };
}

// Text, not a Date cell: the shared writer has no date format set, and text
// reads the same in every spreadsheet.
function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

const list: ListSpec<typeof FIELDS, UserView> = {
  name: "users",
  tag: "admin: users",
  access: "admin",
  summary: "Users of the tenant",
  view: UserView,
  table: usersTable,
  fields: FIELDS,
  where: (c) => ofTenant(c.var.user.tenantId),
  search: [usersTable.name, usersTable.email],
  sorts: {
    name: sql`${usersTable.name} COLLATE NOCASE`,
    email: usersTable.email,
    role: usersTable.role,
    createdAt: usersTable.createdAt,
  },
  toView,
  columns: [
    { header: "Name", value: (u) => u.name, width: 28 },
    { header: "E-mail", value: (u) => u.email, width: 32 },
    { header: "Role", value: (u) => u.role, width: 10 },
    { header: "Isolated", value: (u) => u.isolated },
    { header: "Max conversations", value: (u) => u.maxConversations },
    { header: "Language", value: (u) => u.language, width: 10 },
    { header: "Active", value: (u) => u.active },
    { header: "Invitation pending", value: (u) => u.invitePending },
    {
      header: "Skillsets",
      value: (u) =>
        u.memberships
          .map((m) => `${m.numberName} / ${m.skillsetName} (${m.agentPriority})`)
          .join("; "),
      width: 48,
    },
    { header: "Created (UTC)", value: (u) => utcMinute(u.createdAt), width: 18 },
  ],
};

/** The tenant's user as a view, or 404. */
async function readUser(db: D1Database, tenantId: string, id: string): Promise<UserView> {
  const row = await d1(db)
    .select(FIELDS)
    .from(usersTable)
    .where(and(ofTenant(tenantId), eq(usersTable.id, id)))
    .get();
  if (!row) return notFound(db, usersTable, id, tenantId, "No such user");
  return toView(row);
}

/**
 * 400 naming `memberships.N.skillsetId` for each skillset that is listed twice or
 * not the tenant's. Returns the memberships as the audit trail shows them.
 */
async function checkMemberships(
  db: D1Database,
  tenantId: string,
  memberships: Membership[],
): Promise<string[]> {
  if (memberships.length === 0) return [];
  const skillsetIds = JSON.stringify(memberships.map((m) => m.skillsetId));
  const results = await d1(db)
    .select({ id: skillsets.id, name: skillsets.name, numberName: managedNumbers.name })
    .from(skillsets)
    .innerJoin(managedNumbers, skillsetNumber)
    .where(
      and(
        eq(skillsets.tenantId, tenantId),
        // json_each: the ids as one bound value, however many are listed.
        sql`${skillsets.id} IN (SELECT value FROM json_each(${skillsetIds}))`,
      ),
    );
  const known = new Map(results.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const fields: { path: string; message: string }[] = [];
  memberships.forEach((m, i) => {
    const path = `memberships.${i}.skillsetId`;
    if (!known.has(m.skillsetId)) fields.push({ path, message: "no such skillset" });
    else if (seen.has(m.skillsetId)) fields.push({ path, message: "listed twice" });
    seen.add(m.skillsetId);
  });
  if (fields.length > 0) {
    const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
    apiError(400, "invalid_request", `Invalid body: ${summary}`, fields);
  }
  return membershipTexts(
    memberships.map((m) => {
      const s = known.get(m.skillsetId)!;
      return { numberName: s.numberName, skillsetName: s.name, agentPriority: m.agentPriority };
    }),
  );
}

/** Memberships as the audit trail shows them: "Number / Skillset (priority)", sorted. */
function membershipTexts(
  list: readonly { numberName: string; skillsetName: string; agentPriority: number }[],
): string[] {
  return list.map((m) => `${m.numberName} / ${m.skillsetName} (${m.agentPriority})`).sort();
}

/** A user as the audit trail records it. */
function audited(
  v: Omit<UserView, "memberships" | "invitePending" | "createdAt" | "version" | "id">,
  memberships: string[],
) {
  return {
    email: v.email,
    name: v.name,
    role: v.role,
    isolated: v.isolated,
    maxConversations: v.maxConversations,
    language: v.language,
    active: v.active,
    memberships,
  };
}

/**
 * Statements that make `memberships` the user's complete list. The insert
 * joins the tenant's skillsets again, so a skillset deleted meanwhile is
 * skipped rather than linked across tenants.
 */
function membershipStatements(
  db: D1Db,
  tenantId: string,
  userId: string,
  memberships: Membership[],
): D1Statement[] {
  return [
    db
      .delete(skillsetMembers)
      .where(and(eq(skillsetMembers.tenantId, tenantId), eq(skillsetMembers.userId, userId))),
    // Raw: the memberships arrive as one JSON value and are staged with json_each,
    // which drizzle's query builder cannot select from.
    rawStatement(
      db,
      sql`INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority)
         SELECT s.tenant_id, s.id, ${userId}, json_extract(j.value, '$.agentPriority')
         FROM json_each(${JSON.stringify(memberships)}) j JOIN skillsets s
           ON s.id = json_extract(j.value, '$.skillsetId') AND s.tenant_id = ${tenantId}`,
    ),
  ];
}

/** Mails the invitation with `token`; 502 (the user and token are kept) when the mail fails. */
async function mailTo(c: Context<AppEnv>, user: UserView, token: string): Promise<void> {
  await mailInvitation(c.var.config.mail, user, {
    tenantName: c.var.user.tenantName,
    inviter: c.var.user.name,
    token,
    expiresInDays: INVITE_TTL_MS / 86_400_000,
  });
}

const IdParams = z.object({ id: z.string().min(1).max(100) });

export const users = new Routes();

mountList(users, list);

users.endpoint(
  {
    method: "get",
    path: "/api/admin/users/:id",
    summary: "One user",
    tag: "admin: users",
    access: "admin",
    params: IdParams,
    response: UserView,
  },
  async (c) => c.json(await readUser(c.env.DB, c.var.user.tenantId, c.req.valid("param").id)),
);

users.endpoint(
  {
    method: "post",
    path: "/api/admin/users",
    summary:
      "Invite a user: creates them without a password and mails a single-use link (7 days). 502 if the mail fails (the user is kept)",
    tag: "admin: users",
    access: "admin",
    body: InviteUserBody,
    response: UserView,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const memberships = await checkMemberships(db, tenantId, body.memberships ?? []);
    const orm = d1(db);
    const tenant = await orm
      .select({ defaultLanguage: tenants.defaultLanguage })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
      .get();
    const id = crypto.randomUUID();
    const invitation = await newUserToken(db, { id, tenantId }, "invite");
    const language = body.language ?? tenant?.defaultLanguage ?? "en";
    const record = auditStatement(c, {
      action: "invite",
      entity: "user",
      entityId: id,
      label: body.name,
      before: null,
      after: audited(
        {
          email: body.email,
          name: body.name,
          role: body.role,
          isolated: body.isolated ?? false,
          maxConversations: body.maxConversations ?? 3,
          language,
          active: true,
        },
        memberships,
      ),
    });
    try {
      // The user, their memberships and the link are saved together, before any mail is sent.
      await inOneBatch(orm, [
        orm.insert(usersTable).values({
          id,
          tenantId,
          email: body.email,
          name: body.name,
          role: body.role,
          isolated: body.isolated ?? false,
          maxConversations: body.maxConversations ?? 3,
          language,
        }),
        ...membershipStatements(orm, tenantId, id, body.memberships ?? []),
        ...invitation.statements,
        record,
      ]);
    } catch (err) {
      if (!failedConstraint(err, "UNIQUE", "users.email")) throw err;
      refuse("emailTaken", "email");
    }
    const user = await readUser(db, tenantId, id);
    await mailTo(c, user, invitation.token);
    return c.json(user, 201);
  },
);

users.endpoint(
  {
    method: "patch",
    path: "/api/admin/users/:id",
    summary:
      "Change a user (memberships replace the whole list; active:false ends their sessions and hands their conversations back to routing)",
    tag: "admin: users",
    access: "admin",
    params: IdParams,
    body: UpdateUserBody,
    response: UserView,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const current = await readUser(db, tenantId, id);
    if (id === c.var.user.id) {
      if (body.active === false)
        apiError(400, "invalid_request", "You cannot deactivate yourself", [
          { path: "active", message: "you cannot deactivate yourself" },
        ]);
      if (body.role === "agent" && current.role === "admin")
        apiError(400, "invalid_request", "You cannot remove your own administrator role", [
          { path: "role", message: "you cannot remove your own administrator role" },
        ]);
    }
    const memberships = body.memberships
      ? await checkMemberships(db, tenantId, body.memberships)
      : membershipTexts(current.memberships);
    const orm = d1(db);
    const set: Partial<typeof usersTable.$inferInsert> = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.role !== undefined) set.role = body.role;
    if (body.isolated !== undefined) set.isolated = body.isolated;
    if (body.maxConversations !== undefined) set.maxConversations = body.maxConversations;
    if (body.language !== undefined) set.language = body.language;
    if (body.active !== undefined) set.active = body.active;
    const also = body.memberships ? membershipStatements(orm, tenantId, id, body.memberships) : [];
    const deactivating = body.active === false && current.active;
    if (deactivating) {
      // Sessions end in the same commit: the next request with their cookie is 401.
      also.push(
        orm.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, id))),
        orm
          .update(userTokens)
          .set({ usedAt: Date.now() })
          .where(
            and(
              eq(userTokens.tenantId, tenantId),
              eq(userTokens.userId, id),
              isNull(userTokens.usedAt),
            ),
          ),
      );
    }
    const { version: _, memberships: __, ...changes } = body;
    also.push(
      auditStatement(c, {
        action: deactivating ? "deactivate" : "update",
        entity: "user",
        entityId: id,
        label: current.name,
        before: audited(current, membershipTexts(current.memberships)),
        after: audited({ ...current, ...changes }, memberships),
      }),
    );
    await saveVersioned(
      db,
      { table: usersTable, id, tenantId, version: body.version, noun: "user" },
      set,
      also,
    );
    const agent = c.env.AGENT.getByName(id);
    if (deactivating) {
      securityLog("session_revoked", { reason: "user_deactivated", subjectUserId: id });
      await agent.deactivated(tenantId);
    } else if (
      body.name !== undefined ||
      body.maxConversations !== undefined ||
      body.memberships !== undefined ||
      body.active !== undefined
    ) {
      await agent.profileChanged(tenantId);
    }
    return c.json(await readUser(db, tenantId, id));
  },
);

users.endpoint(
  {
    method: "post",
    path: "/api/admin/users/:id/invite",
    summary:
      "Send the invitation again with a new link (earlier links stop working); only while the user has no password",
    tag: "admin: users",
    access: "admin",
    params: IdParams,
    response: UserView,
  },
  async (c) => {
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const user = await readUser(db, tenantId, c.req.valid("param").id);
    if (!user.invitePending)
      apiError(409, "invite_not_pending", "This user has already set a password");
    if (!user.active)
      apiError(409, "user_inactive", "This user is deactivated; reactivate them first");
    const invitation = await newUserToken(db, { id: user.id, tenantId }, "invite");
    await inOneBatch(d1(db), [
      ...invitation.statements,
      auditStatement(c, {
        action: "resend_invitation",
        entity: "user",
        entityId: user.id,
        label: user.name,
      }),
    ]);
    await mailTo(c, user, invitation.token);
    return c.json(user);
  },
);
