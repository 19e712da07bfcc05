/**
 * Message templates in the domain: the rules a template must follow before it
 * goes to Meta's review, how Meta's review events map to our statuses, and
 * which templates are usable (only approved ones).
 */
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { TemplateStatusUpdate, WebhookItem } from "../../meta/webhook-payload";
import { d1, qb } from "../../platform/db/d1";
import { managedNumbers, templates, tenants } from "../../platform/db/schema";
import type {
  TemplateContent,
  TemplateFields,
  TemplateStatus,
  TemplateView,
} from "../../shared/admin";

/** A field a template rule rejects, named as the API names it (e.g. `body.examples`). */
export interface TemplateProblem {
  path: string;
  message: string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The positional variables ({{1}}, {{2}}…) of a text, or a problem with how they are written. */
function variablesOf(text: string): { count: number; problem: string | null } {
  const seen = new Set<number>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1] ?? "";
    if (!/^[1-9]\d{0,1}$/.test(inner)) {
      return { count: 0, problem: `variables are written {{1}}, {{2}}…; "{{${inner}}}" is not` };
    }
    seen.add(Number(inner));
  }
  for (let i = 1; i <= seen.size; i++) {
    if (!seen.has(i)) {
      return {
        count: 0,
        problem: `variables must be numbered consecutively from {{1}}; {{${i}}} is missing`,
      };
    }
  }
  return { count: seen.size, problem: null };
}

function examplesProblem(count: number, examples: number): string | null {
  if (count === examples) return null;
  if (count === 0) return "takes no examples: the text has no variables";
  return `needs exactly ${count} example${count === 1 ? "" : "s"}, one per variable ({{1}}…{{${count}}}); ${examples} given`;
}

function buttonProblems(t: TemplateContent): TemplateProblem[] {
  if (t.buttons.length === 0) return [];
  const quickReplies = t.buttons.filter((b) => b.type === "QUICK_REPLY").length;
  if (quickReplies > 0 && quickReplies < t.buttons.length) {
    return [{ path: "buttons", message: "use either quick replies or call-to-action buttons" }];
  }
  if (quickReplies > 3) return [{ path: "buttons", message: "at most 3 quick-reply buttons" }];
  if (quickReplies === 0) {
    if (t.buttons.length > 2) {
      return [{ path: "buttons", message: "at most 2 call-to-action buttons" }];
    }
    if (t.buttons.filter((b) => b.type === "PHONE_NUMBER").length > 1) {
      return [{ path: "buttons", message: "at most one phone-number button" }];
    }
  }
  const problems: TemplateProblem[] = [];
  t.buttons.forEach((b, i) => {
    if (b.type === "URL" && b.url.includes("{{")) {
      problems.push({
        path: `buttons.${i}.url`,
        message: "variables in button URLs are not supported",
      });
    }
  });
  return problems;
}

/**
 * Meta fixes the text of authentication templates ("<code> is your
 * verification code", localised) and adds the copy-code button, so ours may
 * only say where the code goes: a body with exactly {{1}}, nothing else.
 */
function authenticationProblems(t: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (t.header)
    problems.push({ path: "header", message: "authentication templates have no header" });
  if (t.footer)
    problems.push({ path: "footer", message: "authentication templates have no footer" });
  if (t.buttons.length > 0) {
    problems.push({
      path: "buttons",
      message: "authentication templates get Meta's copy-code button; add no buttons",
    });
  }
  if (variablesOf(t.body.text).count !== 1) {
    problems.push({ path: "body.text", message: "must contain {{1}}, where the code goes" });
  }
  return problems;
}

/**
 * Every rule the API enforces before storing a template (beyond the zod
 * shape): consecutive variables with one example each, a header with at most
 * one variable, a plain footer, Meta's button combinations. Pure; [] = valid.
 */
export function templateProblems(t: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const body = variablesOf(t.body.text);
  if (body.problem) {
    problems.push({ path: "body.text", message: body.problem });
  } else {
    const trimmed = t.body.text.trim();
    if (body.count > 0 && (/^\{\{\d+\}\}/.test(trimmed) || /\{\{\d+\}\}$/.test(trimmed))) {
      problems.push({
        path: "body.text",
        message: "Meta rejects a body that starts or ends with a variable",
      });
    }
    const ex = examplesProblem(body.count, t.body.examples.length);
    if (ex) problems.push({ path: "body.examples", message: ex });
  }
  if (t.header) {
    const header = variablesOf(t.header.text);
    if (header.problem) problems.push({ path: "header.text", message: header.problem });
    else if (header.count > 1) {
      problems.push({ path: "header.text", message: "a header has at most one variable, {{1}}" });
    } else {
      const ex = examplesProblem(header.count, t.header.example === null ? 0 : 1);
      if (ex) problems.push({ path: "header.example", message: ex });
    }
  }
  if (t.footer?.includes("{{")) {
    problems.push({ path: "footer", message: "a footer cannot contain variables" });
  }
  problems.push(...buttonProblems(t));
  if (t.category === "AUTHENTICATION") problems.push(...authenticationProblems(t));
  return problems;
}

// ---- Meta's review ----------------------------------------------------------------

/** Meta's `reason` with its "nothing to say" values folded to null. */
function reasonOf(reason: string | null): string | null {
  if (reason === null) return null;
  const r = reason.trim();
  return r === "" || r.toUpperCase() === "NONE" ? null : r;
}

/**
 * The status a Meta review event leads to from `current`, or null when the
 * event changes nothing we track. Decisions:
 * - APPROVED and REINSTATED → approved (reason cleared).
 * - REJECTED, PAUSED, DISABLED → that status, with Meta's reason.
 * - DELETED, PENDING_DELETION, ARCHIVED → disabled (no longer sendable), the
 *   event as the reason when Meta gives none.
 * - FLAGGED keeps the status (the template is still sendable) but records
 *   "FLAGGED: <reason>" so the admin sees the warning before Meta disables it.
 * - PENDING never undoes a decision delivered earlier (Meta does not order
 *   webhooks); it only applies to a pending or rejected template.
 * - Anything else (IN_APPEAL, LOCKED, LIMIT_EXCEEDED, new events) → null.
 * Pure and idempotent: applying the result twice is the same as once.
 */
export function statusAfterEvent(
  current: TemplateStatus,
  event: string,
  metaReason: string | null,
): { status: TemplateStatus; reason: string | null } | null {
  const reason = reasonOf(metaReason);
  switch (event.toUpperCase()) {
    case "APPROVED":
    case "REINSTATED":
      return { status: "approved", reason: null };
    case "REJECTED":
      return { status: "rejected", reason };
    case "PAUSED":
      return { status: "paused", reason };
    case "DISABLED":
      return { status: "disabled", reason };
    case "DELETED":
    case "PENDING_DELETION":
    case "ARCHIVED":
      return { status: "disabled", reason: reason ?? event.toUpperCase() };
    case "FLAGGED":
      return { status: current, reason: reason ? `FLAGGED: ${reason}` : "FLAGGED" };
    case "PENDING":
      return current === "pending" || current === "rejected"
        ? { status: "pending", reason: null }
        : null;
    default:
      return null;
  }
}

/** Maps the status in Meta's answer to a create or edit call. */
export function statusFromMeta(status: string): TemplateStatus {
  switch (status.toUpperCase()) {
    case "APPROVED":
      return "approved";
    case "REJECTED":
      return "rejected";
    default:
      return "pending";
  }
}

// ---- rows and views ------------------------------------------------------------------

/**
 * The fields of a template row with its number's name, over `templates`
 * (the name comes from a subquery, so a list stays on one table).
 */
export const TEMPLATE_FIELDS = {
  ...getTableColumns(templates),
  numberName: sql<string | null>`${qb
    .select({ name: managedNumbers.name })
    .from(managedNumbers)
    .where(
      and(
        eq(managedNumbers.id, templates.numberId),
        eq(managedNumbers.tenantId, templates.tenantId),
      ),
    )}`.as("number_name"),
};

/** A `templates` row with its number's name (see TEMPLATE_FIELDS). */
export type TemplateRow = SelectResultFields<typeof TEMPLATE_FIELDS>;

/** What the `components` column holds. */
export type StoredComponents = Pick<TemplateFields, "header" | "body" | "footer" | "buttons">;

/** The JSON stored in the `components` column. */
export function componentsJson(t: StoredComponents): string {
  const stored: StoredComponents = {
    header: t.header,
    body: t.body,
    footer: t.footer,
    buttons: t.buttons,
  };
  return JSON.stringify(stored);
}

/** The API view of a row. */
export function templateView(row: TemplateRow): TemplateView {
  const c = JSON.parse(row.components) as StoredComponents;
  return {
    id: row.id,
    numberId: row.numberId,
    numberName: row.numberName ?? "",
    name: row.name,
    language: row.language,
    category: row.category,
    header: c.header,
    body: c.body,
    footer: c.footer,
    buttons: c.buttons,
    status: row.status,
    statusReason: row.statusReason,
    metaTemplateId: row.metaTemplateId,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

/**
 * The templates an agent may send from a managed number: the tenant's
 * approved ones for that number, by name then language. Another tenant's
 * number yields none.
 */
export async function usableTemplates(
  db: D1Database,
  tenantId: string,
  numberId: string,
): Promise<TemplateView[]> {
  const rows = await d1(db)
    .select(TEMPLATE_FIELDS)
    .from(templates)
    .where(
      and(
        eq(templates.tenantId, tenantId),
        eq(templates.numberId, numberId),
        eq(templates.status, "approved"),
      ),
    )
    .orderBy(asc(templates.name), asc(templates.language));
  return rows.map(templateView);
}

/** What a status webhook did. */
export type TemplateStatusOutcome = "updated" | "unchanged" | "ignored" | "unknown";

/**
 * Applies one `message_template_status_update` to the template Meta names,
 * matched by Meta's template id AND the WABA the webhook came from (so one
 * account's webhook can never touch another's template), on active tenants
 * only. Drafts are left alone: a draft is being edited here and Meta's news
 * is about the submission it replaces. Idempotent: a repeated webhook
 * changes nothing and does not bump the version.
 */
export async function applyTemplateStatus(
  db: D1Database,
  wabaId: string,
  update: TemplateStatusUpdate,
): Promise<TemplateStatusOutcome> {
  const orm = d1(db);
  // Optimistic loop: an admin action between our read and write bumps the version.
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await orm
      .select({
        id: templates.id,
        status: templates.status,
        statusReason: templates.statusReason,
        version: templates.version,
      })
      .from(templates)
      .innerJoin(
        managedNumbers,
        and(
          eq(managedNumbers.id, templates.numberId),
          eq(managedNumbers.tenantId, templates.tenantId),
        ),
      )
      .innerJoin(tenants, and(eq(tenants.id, templates.tenantId), eq(tenants.status, "active")))
      .where(
        and(eq(templates.metaTemplateId, update.templateId), eq(managedNumbers.wabaId, wabaId)),
      )
      .get();
    if (!row) return "unknown";
    if (row.status === "draft") return "ignored";
    const next = statusAfterEvent(row.status, update.event, update.reason);
    if (!next) return "ignored";
    if (next.status === row.status && next.reason === row.statusReason) return "unchanged";
    const result = await orm
      .update(templates)
      .set({
        status: next.status,
        statusReason: next.reason,
        version: sql`${templates.version} + 1`,
        updatedAt: Date.now(),
      })
      .where(and(eq(templates.id, row.id), eq(templates.version, row.version)));
    if (result.meta.changes === 1) return "updated";
  }
  throw new Error(`template ${update.templateId}: status update lost three races in a row`);
}

/**
 * Applies every template status update of a webhook batch (see
 * `applyTemplateStatus`), one after the other, and logs what could not be
 * matched. Resolves once all are stored, so the webhook may be acknowledged.
 */
export async function applyTemplateStatuses(db: D1Database, items: WebhookItem[]): Promise<void> {
  for (const item of items) {
    if (item.kind !== "template_status") continue;
    const { wabaId, update } = item;
    const outcome = await applyTemplateStatus(db, wabaId, update);
    const what = `template ${update.name}/${update.language} (${update.templateId}) of WABA ${wabaId}: ${update.event}`;
    if (outcome === "unknown") console.warn(`status update for an unknown ${what}; ignored`);
    else if (outcome === "ignored") console.log(`status update not applied to ${what}`);
  }
}
