/**
 * The platform operator's API, /api/platform: tenants. Creating a
 * tenant invites its first administrator by e-mail. Suspending one ends its
 * users' sessions and takes its agents offline; its customers' messages are
 * kept (acknowledged to Meta, not routed, not answered) and routed when it is
 * reactivated. The platform's own tenant is never listed and cannot be
 * changed here.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { z } from "zod";
import { inOneBatch } from "../../platform/db/batch";
import { d1, failUnlessChanged } from "../../platform/db/d1";
import { failedConstraint } from "../../platform/db/errors";
import { managedNumbers, sessions, tenants, users } from "../../platform/db/schema";
import { CreateTenantBody, TenantView, UpdateTenantBody } from "../../shared/admin";
import type { AppEnv } from "../app/app-types";
import { apiError } from "../app/http";
import { mailInvitation } from "../app/mail-or-502";
import { refuse } from "../app/results";
import { Routes } from "../app/routes";
import { INVITE_TTL_MS, newUserToken, PLATFORM_TENANT_ID } from "../auth/auth";
import { forgetNumbers } from "../inbound/number-lookup";
import { auditStatement } from "../security/audit";
import { securityLog } from "../security/log";
import { logAdminChanges } from "./admin";
import { mountAudit } from "./admin/audit";
import { type ListSpec, mountList } from "./admin/common";

const FIELDS = {
  id: tenants.id,
  name: tenants.name,
  status: tenants.status,
  templateLimit: tenants.templateLimit,
  createdAt: tenants.createdAt,
  version: tenants.version,
};

function toView(row: SelectResultFields<typeof FIELDS>): TenantView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    templateLimit: row.templateLimit,
    createdAt: row.createdAt,
    version: row.version,
  };
}

/** Every tenant but the platform's own. */
const LISTED = ne(tenants.id, PLATFORM_TENANT_ID);

// Text, not a Date cell: the shared writer has no date format set, and text
// reads the same in every spreadsheet.
function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

const list: ListSpec<typeof FIELDS, TenantView> = {
  name: "tenants",
  tag: "platform",
  access: "operator",
  summary: "Tenants (the platform's own tenant is not listed)",
  view: TenantView,
  table: tenants,
  fields: FIELDS,
  where: () => LISTED,
  search: [tenants.name, tenants.id],
  sorts: {
    name: sql`${tenants.name} COLLATE NOCASE`,
    status: tenants.status,
    createdAt: tenants.createdAt,
    templateLimit: tenants.templateLimit,
  },
  toView,
  columns: [
    { header: "Name", value: (t) => t.name, width: 32 },
    { header: "Id", value: (t) => t.id, width: 38 },
    { header: "Status", value: (t) => t.status, width: 12 },
    { header: "Template limit", value: (t) => t.templateLimit },
    { header: "Created (UTC)", value: (t) => utcMinute(t.createdAt), width: 18 },
  ],
};

async function readTenant(db: D1Database, id: string): Promise<TenantView> {
  const row = await d1(db)
    .select(FIELDS)
    .from(tenants)
    .where(and(LISTED, eq(tenants.id, id)))
    .get();
  if (!row) refuse("tenantMissing");
  return toView(row);
}

/** Admins of the tenant who have not set a password yet, and could be (re)invited. */
async function pendingAdmins(db: D1Database, tenantId: string) {
  return d1(db)
    .select({ id: users.id, email: users.email, name: users.name, language: users.language })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.role, "admin"),
        eq(users.active, true),
        isNull(users.passwordHash),
      ),
    );
}

const IdParams = z.object({ id: z.string().min(1).max(100) });

export const platform = new Routes();
platform.use("/api/platform/*", logAdminChanges);

mountList(platform, list, "/api/platform");
mountAudit(platform, "/api/platform", "operator", () => PLATFORM_TENANT_ID, "platform");

platform.endpoint(
  {
    method: "get",
    path: "/api/platform/tenants/:id",
    summary: "One tenant",
    tag: "platform",
    access: "operator",
    params: IdParams,
    response: TenantView,
  },
  async (c) => c.json(await readTenant(c.env.DB, c.req.valid("param").id)),
);

platform.endpoint(
  {
    method: "post",
    path: "/api/platform/tenants",
    summary:
      "Create a tenant and its first administrator, who is invited by e-mail. 502 if the mail fails (both are kept; resend with POST …/:id/invite)",
    tag: "platform",
    access: "operator",
    body: CreateTenantBody,
    response: TenantView,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = crypto.randomUUID();
    const adminId = crypto.randomUUID();
    const invitation = await newUserToken(db, { id: adminId, tenantId }, "invite");
    const orm = d1(db);
    try {
      await orm.batch([
        orm.insert(tenants).values({
          id: tenantId,
          name: body.name,
          templateLimit: body.templateLimit,
          defaultLanguage: body.language,
        }),
        orm.insert(users).values({
          id: adminId,
          tenantId,
          email: body.adminEmail,
          name: body.adminName,
          role: "admin",
          language: body.language,
        }),
        ...invitation.statements,
        auditStatement(c, {
          action: "create",
          entity: "tenant",
          entityId: tenantId,
          label: body.name,
          after: { ...body },
        }),
      ]);
    } catch (err) {
      if (!failedConstraint(err, "UNIQUE", "users.email")) throw err;
      refuse("emailTaken", "adminEmail");
    }
    await mailInvitation(
      c.var.config.mail,
      { email: body.adminEmail, name: body.adminName, language: body.language },
      {
        tenantName: body.name,
        inviter: null,
        token: invitation.token,
        expiresInDays: INVITE_TTL_MS / 86_400_000,
      },
    );
    return c.json(await readTenant(db, tenantId), 201);
  },
);

platform.endpoint(
  {
    method: "post",
    path: "/api/platform/tenants/:id/invite",
    summary:
      "Send the invitation again (new links) to the tenant's administrators who have not set a password yet",
    tag: "platform",
    access: "operator",
    params: IdParams,
    response: TenantView,
  },
  async (c) => {
    const db = c.env.DB;
    const tenant = await readTenant(db, c.req.valid("param").id);
    const admins = await pendingAdmins(db, tenant.id);
    if (admins.length === 0)
      apiError(409, "invite_not_pending", "Every administrator of this tenant has a password");
    for (const admin of admins) {
      const invitation = await newUserToken(db, { id: admin.id, tenantId: tenant.id }, "invite");
      await d1(db).batch([
        ...invitation.statements,
        auditStatement(c, {
          action: "resend_invitation",
          entity: "tenant",
          entityId: tenant.id,
          label: tenant.name,
          after: { adminEmail: admin.email },
        }),
      ]);
      await mailInvitation(c.var.config.mail, admin, {
        tenantName: tenant.name,
        inviter: null,
        token: invitation.token,
        expiresInDays: INVITE_TTL_MS / 86_400_000,
      });
    }
    return c.json(tenant);
  },
);

platform.endpoint(
  {
    method: "patch",
    path: "/api/platform/tenants/:id",
    summary:
      "Rename, change the template limit, suspend (sessions end, agents go offline, customers' messages are kept but not routed) or reactivate a tenant (the kept messages are routed, in their order)",
    tag: "platform",
    access: "operator",
    params: IdParams,
    body: UpdateTenantBody,
    response: TenantView,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.env.DB;
    const current = await readTenant(db, id);
    const set: Partial<typeof tenants.$inferInsert> = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.templateLimit !== undefined) set.templateLimit = body.templateLimit;
    if (body.status !== undefined) set.status = body.status;
    const suspending = body.status === "suspended" && current.status !== "suspended";
    const orm = d1(db);
    try {
      await inOneBatch(orm, [
        orm
          .update(tenants)
          .set({ ...set, version: sql`${tenants.version} + 1` })
          .where(and(eq(tenants.id, id), LISTED, eq(tenants.version, body.version))),
        // Fails the batch (rolling it back) when the version was stale; see version_guard.
        ...failUnlessChanged(orm),
        ...(suspending ? [orm.delete(sessions).where(eq(sessions.tenantId, id))] : []),
        auditStatement(c, {
          action: suspending
            ? "suspend"
            : body.status === "active" && current.status === "suspended"
              ? "reactivate"
              : "update",
          entity: "tenant",
          entityId: id,
          label: current.name,
          before: current,
          after: { ...current, ...body },
        }),
      ]);
    } catch (err) {
      if (!failedConstraint(err, "CHECK")) throw err;
      const now = await readTenant(db, id);
      apiError(
        409,
        "conflict",
        `This tenant was changed by someone else since you opened it (you have version ${body.version}, it is now ${now.version}). Reload to see their changes, then save again.`,
      );
    }
    forgetNumbers(); // the webhook stops (or resumes) routing for its numbers
    if (suspending) {
      securityLog("session_revoked", { reason: "tenant_suspended", subjectTenantId: id });
      // From now on its numbers keep every message, whatever a Worker's cached view says.
      await Promise.all([
        takeAgentsOffline(c.env, id),
        tellNumbers(c.env, id, (n) => n.tenantSuspended(), "suspension: number not told"),
      ]);
    }
    if (body.status === "active" && current.status === "suspended") {
      // Its numbers route the messages kept while it was suspended.
      await tellNumbers(
        c.env,
        id,
        (n) => n.tenantReactivated(),
        "reactivation: kept messages not released",
      );
    }
    return c.json(await readTenant(db, id));
  },
);

type NumberStub = ReturnType<AppEnv["Bindings"]["NUMBER"]["getByName"]>;

/**
 * Tells each of the tenant's number actors that its status changed. A failed
 * call is logged, not thrown (the change is stored already): after a
 * suspension the Worker's view follows within a minute (number-lookup.ts);
 * after a reactivation each number's alarm notices within minutes and routes
 * the messages kept meanwhile (held-inbound.ts).
 */
async function tellNumbers(
  env: AppEnv["Bindings"],
  tenantId: string,
  tell: (number: NumberStub) => Promise<unknown>,
  failure: string,
): Promise<void> {
  const results = await d1(env.DB)
    .select({ id: managedNumbers.id })
    .from(managedNumbers)
    .where(eq(managedNumbers.tenantId, tenantId));
  await Promise.all(
    results.map((n) =>
      tell(env.NUMBER.getByName(n.id)).catch((err: unknown) => console.error(failure, n.id, err)),
    ),
  );
}

/** Every user of a suspended tenant goes offline and their desktops disconnect. */
async function takeAgentsOffline(env: AppEnv["Bindings"], tenantId: string): Promise<void> {
  const results = await d1(env.DB)
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), ne(users.role, "operator")));
  await Promise.all(
    results.map((u) =>
      env.AGENT.getByName(u.id)
        .loggedOut(tenantId)
        .catch((err: unknown) => console.error("suspension: agent offline failed", u.id, err)),
    ),
  );
}
