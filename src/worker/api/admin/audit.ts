/**
 * Reading the audit trail: `GET …/audit` (search, period, kind, sort, paging),
 * `GET …/audit/export.xlsx` (exactly the filtered rows) and `GET …/audit/:id`.
 * Tenant administrators read their tenant's trail under /api/admin; the
 * platform operator reads the tenant operations under /api/platform. Nobody
 * writes it here: changes add their rows themselves (src/worker/security/audit.ts).
 */
import type { Context } from "hono";
import { z } from "zod";
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

type AuditRow = {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  actor_email: string;
  action: string;
  entity: AuditEntity;
  entity_id: string | null;
  entity_label: string;
  changes: string;
  request_id: string | null;
};

function toView(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    entityLabel: row.entity_label,
    changes: JSON.parse(row.changes) as AuditChange[],
    requestId: row.request_id,
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

const SELECT =
  "a.id, a.at, a.actor_id, a.actor_name, a.actor_email, a.action, a.entity, a.entity_id, a.entity_label, a.changes, a.request_id";

/** The period and kind filters from the query; 400 naming the field when they are not valid. */
function filters(c: Context<AppEnv>): unknown[] {
  const { from, to, entity } = validOr400(c, "query", AuditFilters, c.req.query());
  const fromMs = from ? Date.parse(from) : null;
  const toMs = to ? Date.parse(to) : null;
  return [fromMs, fromMs, toMs, toMs, entity ?? null, entity ?? null];
}

function spec(
  access: Access,
  tenantOf: (c: Context<AppEnv>) => string,
  tag: string,
): ListSpec<AuditRow, AuditEventView> {
  return {
    name: "audit",
    tag,
    access,
    summary:
      "The audit trail: who changed what, when, each field before and after (secrets only as changed); filters from/to (date-times with offset, to exclusive) and entity; sort `recent` (the default) lists newest first",
    view: AuditEventView,
    select: SELECT,
    from: `FROM audit_events a WHERE a.tenant_id = ?
             AND (? IS NULL OR a.at >= ?) AND (? IS NULL OR a.at < ?)
             AND (? IS NULL OR a.entity = ?)`,
    where: (c) => [tenantOf(c), ...filters(c)],
    search: [
      "a.actor_name",
      "a.actor_email",
      "a.entity_label",
      "a.entity",
      "a.action",
      "a.changes",
    ],
    sorts: {
      // Newest first when ascending, so the default order is the useful one.
      recent: "-a.at",
      actor: "a.actor_name COLLATE NOCASE",
      entity: "a.entity",
      action: "a.action",
    },
    tiebreak: "a.rowid",
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
      const row = await c.env.DB.prepare(
        `SELECT ${SELECT} FROM audit_events a WHERE a.tenant_id = ? AND a.id = ?`,
      )
        .bind(tenantOf(c), c.req.valid("param").id)
        .first<AuditRow>();
      if (!row) apiError(404, "not_found", "No such entry in the audit trail");
      return c.json(toView(row));
    },
  );
}
