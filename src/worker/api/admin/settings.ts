/** Tenant settings: whether agents may send templates, masking for agents, default language, meeting URL. */
import type { Env } from "../../../durable/env";
import { TenantSettingsView, UpdateTenantSettingsBody } from "../../../shared/admin";
import { apiError } from "../../app/http";
import { refuse } from "../../app/results";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";

interface TenantRow {
  name: string;
  template_limit: number;
  agents_may_send_templates: number;
  mask_sensitive_data: number;
  default_language: "en" | "it";
  meeting_url: string;
  session_idle_minutes: number;
  version: number;
  template_count: number;
}

/** The tenant's settings with how many of its template allowance are used. */
async function readSettings(db: D1Database, tenantId: string): Promise<TenantSettingsView> {
  const row = await db
    .prepare(
      `SELECT t.name, t.template_limit, t.agents_may_send_templates, t.mask_sensitive_data,
              t.default_language, t.meeting_url, t.session_idle_minutes, t.version,
              (SELECT count(*) FROM templates WHERE tenant_id = t.id) AS template_count
       FROM tenants t WHERE t.id = ?`,
    )
    .bind(tenantId)
    .first<TenantRow>();
  if (!row) refuse("tenantMissing");
  return {
    name: row.name,
    agentsMaySendTemplates: row.agents_may_send_templates === 1,
    maskSensitiveData: row.mask_sensitive_data === 1,
    defaultLanguage: row.default_language,
    meetingUrl: row.meeting_url,
    sessionIdleMinutes: row.session_idle_minutes,
    templateLimit: row.template_limit,
    templateCount: row.template_count,
    version: row.version,
  };
}

const COLUMNS = {
  agentsMaySendTemplates: "agents_may_send_templates",
  maskSensitiveData: "mask_sensitive_data",
  defaultLanguage: "default_language",
  meetingUrl: "meeting_url",
  sessionIdleMinutes: "session_idle_minutes",
} as const;

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
      const set: [string, unknown][] = [];
      for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
        const value = changes[key];
        if (value !== undefined)
          set.push([COLUMNS[key], typeof value === "boolean" ? Number(value) : value]);
      }
      const assignments = [...set.map(([col]) => `${col} = ?`), "version = version + 1"].join(", ");
      // `saveVersioned` scopes by tenant_id, which `tenants` does not have (the
      // row is the tenant): the same guard, written for this table.
      const db = c.env.DB;
      const {
        name: _,
        templateLimit: __,
        templateCount: ___,
        ...before
      } = await readSettings(db, tenantId);
      try {
        await db.batch([
          db
            .prepare(`UPDATE tenants SET ${assignments} WHERE id = ? AND version = ?`)
            .bind(...set.map(([, v]) => v), tenantId, version),
          db.prepare("INSERT INTO version_guard (ok) VALUES (changes())"),
          db.prepare("DELETE FROM version_guard"),
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
        if (!String(err).includes("CHECK constraint failed")) throw err;
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
  const { results } = await env.DB.prepare(
    "SELECT id FROM users WHERE tenant_id = ? AND role = 'agent' AND active = 1",
  )
    .bind(tenantId)
    .all<{ id: string }>();
  await Promise.all(
    results.map((u) =>
      env.AGENT.getByName(u.id)
        .maskingChanged(tenantId)
        .catch((err: unknown) => console.error("maskingChanged failed", u.id, err)),
    ),
  );
}
