/**
 * The tenant administrator's API, /api/admin. Every route requires an admin of
 * the caller's tenant (its area in src/worker/app/access.ts) and reads or
 * writes only that tenant's rows.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app/app-types";
import { Routes } from "../../app/routes";
import { securityLog } from "../../security/log";
import { mountAudit } from "./audit";
import { content } from "./content";
import { numbers } from "./numbers";
import { users } from "./users";

/**
 * Every administrative change that succeeded is also a security log line (its
 * details are in the audit trail, written with the change itself).
 */
export const logAdminChanges: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method !== "GET" && c.res.status < 300) {
    securityLog("admin_change", { status: c.res.status });
  }
};

export const admin = new Hono<AppEnv>();
admin.use("/api/admin/*", logAdminChanges);
admin.route("/", users);
admin.route("/", numbers);
admin.route("/", content);

const audit = new Routes();
mountAudit(audit, "/api/admin", "admin", (c) => c.var.user.tenantId, "admin: audit");
admin.route("/", audit);
