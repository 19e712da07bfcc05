/** Tenant settings: whether agents may send templates, masking for agents, default language, meeting URL. */
import { and, count, eq, sql } from "drizzle-orm";
import type { Env } from "../../../durable/env";
import { d1, failUnlessChanged, qb } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { templates, tenants, users } from "../../../platform/db/schema";
import { TenantSettingsView, UpdateTenantSettingsBody } from "../../../shared/admin";
import { apiError } from "../../app/http";
import { refuse } from "../../app/results";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";

/** The tenant's settings with how many of its template allowance are used. */
async function readSettings(db: D1Database, tenantId: string): Promise<TenantSettingsView> {
  const row = await d1(db)
    .select({
      name: tenants.name,
      agentsMaySendTemplates: tenants.agentsMaySendTemplates,
      maskSensitiveData: tenants.maskSensitiveData,
      defaultLanguage: tenants.defaultLanguage,
      meetingUrl: tenants.meetingUrl,
      sessionIdleMinutes: tenants.sessionIdleMinutes,
      templateLimit: tenants.templateLimit,
      templateCount: sql<number>`${qb
        .select({ n: count() })
        .from(templates)
        .where(eq(templates.tenantId, tenants.id))}`,
      version: tenants.version,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  if (!row) refuse("tenantMissing");
  return row;
}

/** The settings a PATCH may change (each a column of `tenants` of the same name). */
const SETTINGS = [
  "agentsMaySendTemplates",
  "maskSensitiveData",
  "defaultLanguage",
  "meetingUrl",
  "sessionIdleMinutes",
] as const;

export const settings = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/admin/settings",
      summary: "The tenant's settings",
      tag: "admin: settings",
      access: "admin",
      response: TenantSettingsView,
    },
    async (c) => c.json(await readSettings(c.env.DB, c.var.user.tenantId)),
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/admin/settings",
      summary: "Change the tenant's settings (409 when someone saved since you read them)",
      tag: "admin: settings",
      access: "admin",
      body: UpdateTenantSettingsBody,
      response: TenantSettingsView,
    },
    async (c) => {
      const { version, ...changes } = c.req.valid("json");
      const tenantId = c.var.user.tenantId;
      const set: Partial<typeof tenants.$inferInsert> = {};
      for (const key of SETTINGS) {
        const value = changes[key];
        if (value !== undefined) Object.assign(set, { [key]: value });
      }
      // `saveVersioned` scopes by tenant_id, which `tenants` does not have (the
      // row is the tenant): the same guard, written for this table.
      const db = c.env.DB;
      const orm = d1(db);
      const {
        name: _,
        templateLimit: __,
        templateCount: ___,
        ...before
      } = await readSettings(db, tenantId);
      try {
        await orm.batch([
          orm
            .update(tenants)
            .set({ ...set, version: sql`${tenants.version} + 1` })
            .where(and(eq(tenants.id, tenantId), eq(tenants.version, version))),
          ...failUnlessChanged(orm),
          auditStatement(c, {
            action: "update",
            entity: "settings",
            entityId: null,
            label: c.var.user.tenantName,
            before,
            after: { ...before, ...changes },
          }),
        ]);
      } catch (err) {
        if (!failedConstraint(err, "CHECK")) throw err;
        const now = await readSettings(db, tenantId);
        apiError(
          409,
          "conflict",
          `The settings were changed by someone else since you opened them (you have version ${version}, they are now at ${now.version}). Reload to see their changes, then save again.`,
        );
      }
      if (changes.maskSensitiveData !== undefined) await tellAgents(c.env, tenantId);
      return c.json(await readSettings(db, tenantId));
    },
  );

/**
 * Tells every active agent's actor of the tenant that masking may have
 * changed, so their open desktops switch at once (each actor compares and
 * does nothing when its flag did not change). A failing actor is logged: it
 * rereads the flag at its desktop's next connection anyway.
 */
async function tellAgents(env: Env, tenantId: string): Promise<void> {
  const results = await d1(env.DB)
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.role, "agent"), eq(users.active, true)));
  await Promise.all(
    results.map((u) =>
      env.AGENT.getByName(u.id)
        .maskingChanged(tenantId)
        .catch((err: unknown) => console.error("maskingChanged failed", u.id, err)),
    ),
  );
}
