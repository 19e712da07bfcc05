/**
 * The audit trail's contract, shared by the API and the administration: what
 * kinds of things are audited, one recorded change, and the list's filters.
 */
import { z } from "zod";

/** What an audited change is about. */
export const AuditEntity = z.enum([
  "settings",
  "user",
  "number",
  "skillset",
  "template",
  "predefined_message",
  "location",
  "customer_property",
  "profiling",
  "customer",
  "customer_import",
  "tenant",
]);
export type AuditEntity = z.infer<typeof AuditEntity>;

/** One field of a change: its value before and after; a secret only says it changed. */
export const AuditChange = z.object({
  field: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  secret: z.literal(true).optional(),
});
export type AuditChange = z.infer<typeof AuditChange>;

export const AuditEventView = z.object({
  id: z.string(),
  /** When (ms since the epoch). */
  at: z.number().int(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  actorEmail: z.string(),
  /** create, update, delete, or a named operation such as invite, suspend or apply. */
  action: z.string(),
  entity: AuditEntity,
  entityId: z.string().nullable(),
  entityLabel: z.string(),
  changes: z.array(AuditChange),
  requestId: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

/**
 * The trail's own filters, beside the list's search, sort and paging: a period
 * (`from` inclusive, `to` exclusive, date-times with their offset) and a kind.
 */
export const AuditFilters = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  entity: AuditEntity.optional(),
});
export type AuditFilters = z.infer<typeof AuditFilters>;
