/**
 * Reading the audit trail: `GET …/audit` (search, period, kind, sort, paging),
 * `GET …/audit/export.xlsx` (exactly the filtered rows) and `GET …/audit/:id`.
 * Tenant administrators read their tenant's trail under /api/admin; the
 * platform operator reads the tenant operations under /api/platform. Nobody
 * writes it here: changes add their rows themselves (src/worker/security/audit.ts).
 */
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { Context } from "hono";
import { z } from "zod";
import { d1 } from "../../../platform/db/d1";
import { auditEvents } from "../../../platform/db/schema";
import {
  type AuditChange,
  type AuditEntity,
  AuditEventView,
  AuditFilters,
} from "../../../shared/audit";
import type { Access } from "../../app/access";
import type { AppEnv } from "../../app/app-types";
import { apiError, validOr400 } from "../../app/http";
import type { Routes } from "../../app/routes";
import { type ExportColumn, type ListSpec, mountList } from "./common";

const FIELDS = {
  id: auditEvents.id,
  at: auditEvents.at,
  actorId: auditEvents.actorId,
  actorName: auditEvents.actorName,
  actorEmail: auditEvents.actorEmail,
  action: auditEvents.action,
  entity: auditEvents.entity,
  entityId: auditEvents.entityId,
  entityLabel: auditEvents.entityLabel,
  changes: auditEvents.changes,
  requestId: auditEvents.requestId,
};

function toView(row: SelectResultFields<typeof FIELDS>): AuditEventView {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actorId,
    actorName: row.actorName,
    actorEmail: row.actorEmail,
    action: row.action,
    // Written by auditStatement, which takes an AuditEntity.
    entity: row.entity as AuditEntity,
    entityId: row.entityId,
    entityLabel: row.entityLabel,
    changes: JSON.parse(row.changes) as AuditChange[],
    requestId: row.requestId,
  };
}

function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A change as one line of text: `field: before → after`, secrets as "changed". */
export function changeText(change: AuditChange): string {
  if (change.secret) return `${change.field}: changed`;
  if (!("before" in change)) return `${change.field}: ${shown(change.after)}`;
  if (!("after" in change)) return `${change.field}: ${shown(change.before)}`;
  return `${change.field}: ${shown(change.before)} → ${shown(change.after)}`;
}

const COLUMNS: ExportColumn<AuditEventView>[] = [
  { header: "When (UTC)", value: (e) => utcMinute(e.at), width: 18 },
  { header: "Who", value: (e) => e.actorName, width: 24 },
  { header: "E-mail", value: (e) => e.actorEmail, width: 28 },
  { header: "Action", value: (e) => e.action, width: 12 },
  { header: "What", value: (e) => e.entity, width: 18 },
  { header: "Name", value: (e) => e.entityLabel, width: 28 },
  { header: "Id", value: (e) => e.entityId, width: 38 },
  { header: "Changes", value: (e) => e.changes.map(changeText).join("\n"), width: 80 },
  { header: "Request", value: (e) => e.requestId, width: 38 },
];

/** The period and kind filters from the query; 400 naming the field when they are not valid. */
function filters(c: Context<AppEnv>) {
  const { from, to, entity } = validOr400(c, "query", AuditFilters, c.req.query());
  return and(
    from ? gte(auditEvents.at, Date.parse(from)) : undefined,
    to ? lt(auditEvents.at, Date.parse(to)) : undefined,
    entity !== undefined ? eq(auditEvents.entity, entity) : undefined,
  );
}

function spec(
  access: Access,
  tenantOf: (c: Context<AppEnv>) => string,
  tag: string,
): ListSpec<typeof FIELDS, AuditEventView> {
  return {
    name: "audit",
    tag,
    access,
    summary:
      "The audit trail: who changed what, when, each field before and after (secrets only as changed); filters from/to (date-times with offset, to exclusive) and entity; sort `recent` (the default) lists newest first",
    view: AuditEventView,
    table: auditEvents,
    fields: FIELDS,
    where: (c) => and(eq(auditEvents.tenantId, tenantOf(c)), filters(c)),
    search: [
      auditEvents.actorName,
      auditEvents.actorEmail,
      auditEvents.entityLabel,
      auditEvents.entity,
      auditEvents.action,
      auditEvents.changes,
    ],
    sorts: {
      // Newest first when ascending, so the default order is the useful one.
      recent: sql`-${auditEvents.at}`,
      actor: sql`${auditEvents.actorName} COLLATE NOCASE`,
      entity: auditEvents.entity,
      action: auditEvents.action,
    },
    toView,
    columns: COLUMNS,
  };
}

const IdParams = z.object({ id: z.string().min(1).max(100) });

/** Declares the trail's list, download and detail under `base`, for `access`. */
export function mountAudit(
  router: Routes,
  base: string,
  access: Access,
  tenantOf: (c: Context<AppEnv>) => string,
  tag: string,
): void {
  const list = spec(access, tenantOf, tag);
  mountList(router, list, base);
  router.endpoint(
    {
      method: "get",
      path: `${base}/audit/:id`,
      summary: "One entry of the audit trail",
      tag,
      access,
      params: IdParams,
      response: AuditEventView,
    },
    async (c) => {
      const row = await d1(c.env.DB)
        .select(FIELDS)
        .from(auditEvents)
        .where(
          and(eq(auditEvents.tenantId, tenantOf(c)), eq(auditEvents.id, c.req.valid("param").id)),
        )
        .get();
      if (!row) apiError(404, "not_found", "No such entry in the audit trail");
      return c.json(toView(row));
    },
  );
}
