/**
 * The audit trail: every administrative change as a row of `audit_events`,
 * written by the statement `auditStatement` returns, which the change puts in
 * its own D1 batch, so a change is recorded exactly when it commits. A row
 * names who, when, what (entity, id and its name at the time) and each field
 * before and after; fields listed as secrets are recorded only as changed.
 */
import { getTableColumns, sql } from "drizzle-orm";
import type { Context } from "hono";
import { type D1Statement, d1 } from "../../platform/db/d1";
import { auditEvents } from "../../platform/db/schema";
import type { AuditChange, AuditEntity } from "../../shared/audit";
import type { AppEnv } from "../app/app-types";

/** Bookkeeping fields that are never worth a line in the trail. */
const IGNORED = new Set(["version", "createdAt", "updatedAt", "id", "tenantId"]);

type Fields = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function plain(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between `before` and `after` (either may be null: a
 * creation or a deletion). Objects on both sides are compared field by field,
 * named with dots (`workingTime.timeZone`), so a change reads as what changed.
 * Secrets appear as `{ field, secret: true }` without values, and only when
 * they changed. Pure.
 */
export function auditChanges(
  before: Fields | null,
  after: Fields | null,
  secrets: readonly string[] = [],
  prefix = "",
): AuditChange[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AuditChange[] = [];
  for (const name of names) {
    if (!prefix && IGNORED.has(name)) continue;
    const field = `${prefix}${name}`;
    const was = before?.[name];
    const now = after?.[name];
    if (after && before && !(name in after)) continue; // not part of this change
    if (same(was, now)) continue;
    if (secrets.includes(field)) {
      changes.push({ field, secret: true });
      continue;
    }
    if (before && after && plain(was) && plain(now)) {
      changes.push(...auditChanges(was, now, secrets, `${field}.`));
      continue;
    }
    changes.push({
      field,
      ...(before ? { before: was ?? null } : {}),
      ...(after ? { after: now ?? null } : {}),
    });
  }
  return changes;
}

/** One entry of the trail. */
export interface AuditEntry {
  /** create, update, delete, or a named operation (invite, suspend, apply, …). */
  action: string;
  entity: AuditEntity;
  entityId: string | null;
  /** The thing's name as people know it (a user's name, a number's display name). */
  label: string;
  before?: Fields | null;
  after?: Fields | null;
  /** Fields whose values are never recorded (tokens, app secrets). */
  secrets?: readonly string[];
  /** The tenant the change belongs to, when it is not the caller's (the operator's tenant operations). */
  tenantId?: string;
  /**
   * Record it only if the statement just before it in the batch changed a row (a
   * conditional insert or update that may do nothing).
   */
  ifPreviousChanged?: boolean;
}

/**
 * The INSERT that records `entry` as done by the signed-in caller; run it in the
 * change's own batch. An update that changed nothing is still recorded (someone
 * saved), with no fields.
 */
export function auditStatement(c: Context<AppEnv>, entry: AuditEntry): D1Statement {
  const user = c.var.user;
  const changes = auditChanges(entry.before ?? null, entry.after ?? null, entry.secrets);
  const row = {
    id: crypto.randomUUID(),
    tenantId: entry.tenantId ?? user.tenantId,
    at: Date.now(),
    actorId: user.id,
    actorName: user.name,
    actorEmail: user.email,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    entityLabel: entry.label.slice(0, 200),
    changes: JSON.stringify(changes),
    requestId: c.get("requestId") ?? null,
  } satisfies typeof auditEvents.$inferInsert;
  const insert = d1(c.env.DB).insert(auditEvents);
  if (!entry.ifPreviousChanged) return insert.values(row);
  // Raw SELECT: a constant row that exists only when the previous statement
  // changed one, which drizzle's INSERT … SELECT (it wants a FROM) cannot say.
  const columns = Object.keys(getTableColumns(auditEvents)) as (keyof typeof row)[];
  return insert.select(
    sql`SELECT ${sql.join(
      columns.map((key) => sql`${row[key]}`),
      sql`, `,
    )} WHERE changes() > 0`,
  );
}
