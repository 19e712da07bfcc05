/**
 * Message templates: drafted here, submitted to Meta's review, updated by
 * Meta's status webhook (see src/worker/db/template-store.ts). Only drafts and rejected
 * templates may be edited; the tenant's template limit counts every template.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type GraphError, graphApiOf } from "../../../meta/graph";
import {
  createTemplate,
  deleteTemplate,
  editTemplate,
  templateIdsNamed,
} from "../../../meta/template-api";
import { d1, rawStatement } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { managedNumbers, templates as templatesTable, tenants } from "../../../platform/db/schema";
import { openSecret } from "../../../platform/secrets";
import type { TemplateContent } from "../../../shared/admin";
import {
  TemplateFields,
  TemplateStatus,
  TemplateView,
  UpdateTemplateBody,
} from "../../../shared/admin";
import { apiError } from "../../app/http";
import { Routes } from "../../app/routes";
import {
  componentsJson,
  type StoredComponents,
  statusFromMeta,
  TEMPLATE_FIELDS,
  type TemplateProblem,
  templateProblems,
  templateView,
} from "../../db/template-store";
import { auditStatement } from "../../security/audit";
import { deleteOwned, type ListSpec, mountList, ownedRow, saveVersioned } from "./common";

const TAG = "admin: templates";
const NOUN = "template";
const Id = z.object({ id: z.string().min(1).max(100) });

/** Extra filters of the template list, besides the list convention's q/sort/dir. */
const TemplateFilter = z.object({
  status: TemplateStatus.optional(),
  numberId: z.string().min(1).max(100).optional(),
});

function filterOf(query: Record<string, string>): z.infer<typeof TemplateFilter> {
  const parsed = TemplateFilter.safeParse({ status: query.status, numberId: query.numberId });
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  apiError(
    400,
    "invalid_request",
    `Invalid query: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
    fields,
  );
}

const list: ListSpec<typeof TEMPLATE_FIELDS, TemplateView> = {
  name: "templates",
  tag: TAG,
  access: "admin",
  summary: "Templates (search name; filter by status and numberId)",
  view: TemplateView,
  table: templatesTable,
  fields: TEMPLATE_FIELDS,
  where: (c) => {
    const f = filterOf(c.req.query());
    return and(
      eq(templatesTable.tenantId, c.var.user.tenantId),
      f.status !== undefined ? eq(templatesTable.status, f.status) : undefined,
      f.numberId !== undefined ? eq(templatesTable.numberId, f.numberId) : undefined,
    );
  },
  search: [templatesTable.name],
  sorts: {
    name: templatesTable.name,
    status: templatesTable.status,
    category: templatesTable.category,
    language: templatesTable.language,
    updatedAt: templatesTable.updatedAt,
  },
  toView: templateView,
  columns: [
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Language", value: (v) => v.language, width: 10 },
    { header: "Category", value: (v) => v.category, width: 16 },
    { header: "Status", value: (v) => v.status, width: 12 },
    { header: "Status reason", value: (v) => v.statusReason },
    { header: "Number", value: (v) => v.numberName, width: 24 },
    { header: "Header", value: (v) => v.header?.text ?? null, width: 30 },
    { header: "Body", value: (v) => v.body.text, width: 60 },
    { header: "Footer", value: (v) => v.footer },
    { header: "Buttons", value: (v) => v.buttons.map((b) => b.text).join(" | "), width: 30 },
    { header: "Updated (UTC)", value: (v) => new Date(v.updatedAt).toISOString() },
  ],
};

async function read(db: D1Database, id: string, tenantId: string): Promise<TemplateView> {
  const row = await d1(db)
    .select(TEMPLATE_FIELDS)
    .from(templatesTable)
    .where(and(eq(templatesTable.id, id), eq(templatesTable.tenantId, tenantId)))
    .get();
  if (!row) apiError(404, "not_found", `No such ${NOUN}`);
  return templateView(row);
}

function rejectProblems(problems: TemplateProblem[]): void {
  if (problems.length === 0) return;
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
  apiError(400, "invalid_request", `Invalid body: ${summary}`, problems);
}

/** The tenant's number, or undefined (another tenant's number is as unknown as a made-up id). */
function numberOf(db: D1Database, id: string, tenantId: string) {
  return d1(db)
    .select({
      id: managedNumbers.id,
      name: managedNumbers.name,
      wabaId: managedNumbers.wabaId,
      accessToken: managedNumbers.accessToken,
    })
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, id), eq(managedNumbers.tenantId, tenantId)))
    .get();
}

/** The number's Meta account, or 400 when it is not connected to one. */
async function accountOf(db: D1Database, dataKey: string, numberId: string, tenantId: string) {
  const n = await numberOf(db, numberId, tenantId);
  if (!n?.wabaId) {
    apiError(400, "invalid_request", "numberId: the number has no WhatsApp Business Account id", [
      { path: "numberId", message: "the number has no WhatsApp Business Account id" },
    ]);
  }
  const accessToken = await openSecret(dataKey, "managed_numbers.access_token", n.accessToken);
  if (!accessToken) {
    apiError(
      400,
      "number_not_connected",
      "The number has no access token: set it in the number's settings first",
    );
  }
  return { wabaId: n.wabaId, accessToken };
}

function metaFailure(error: GraphError): never {
  const detail = error.message ? `${error.title}: ${error.message}` : error.title;
  apiError(502, "meta_error", `Meta refused the request: ${detail}`);
}

function duplicateName(name: string, language: string): never {
  const message = `a template named ${name} in ${language} already exists for this number`;
  apiError(409, "conflict", `This ${message}`, [{ path: "name", message }]);
}

function isUnique(err: unknown): boolean {
  return failedConstraint(err, "UNIQUE");
}

function contentOf(row: typeof templatesTable.$inferSelect): TemplateContent {
  const c = JSON.parse(row.components) as StoredComponents;
  return { name: row.name, language: row.language, category: row.category, ...c };
}

/** /api/admin/templates… */
export const templates = new Routes();

mountList(templates, list);

templates
  .endpoint(
    {
      method: "get",
      path: "/api/admin/templates/:id",
      summary: "One template",
      tag: TAG,
      access: "admin",
      params: Id,
      response: TemplateView,
    },
    async (c) => c.json(await read(c.env.DB, c.req.valid("param").id, c.var.user.tenantId)),
  )
  .endpoint(
    {
      method: "post",
      path: "/api/admin/templates",
      summary: "Draft a template (409 when the tenant's template limit is reached)",
      tag: TAG,
      access: "admin",
      body: TemplateFields,
      response: TemplateView,
      status: 201,
    },
    async (c) => {
      const { numberId, ...t } = c.req.valid("json");
      const tenantId = c.var.user.tenantId;
      const db = c.env.DB;
      const problems = templateProblems(t);
      const number = await numberOf(db, numberId, tenantId);
      if (!number) problems.unshift({ path: "numberId", message: "no such managed number" });
      else if (!number.wabaId) {
        problems.unshift({
          path: "numberId",
          message: "the number has no WhatsApp Business Account id",
        });
      }
      rejectProblems(problems);
      const id = crypto.randomUUID();
      const now = Date.now();
      const orm = d1(db);
      let inserted: D1Result;
      try {
        // One statement, so two admins racing for the last slot cannot both win.
        // Raw: an INSERT of a constant row under a condition (drizzle's INSERT …
        // SELECT wants every column and a FROM).
        [inserted] = await orm.batch([
          rawStatement(
            orm,
            sql`INSERT INTO templates (id, tenant_id, number_id, name, language, category, components, status, created_at, updated_at)
             SELECT ${id}, ${tenantId}, ${numberId}, ${t.name}, ${t.language}, ${t.category}, ${componentsJson(t)}, 'draft', ${now}, ${now}
             WHERE (SELECT count(*) FROM templates WHERE tenant_id = ${tenantId})
                 < (SELECT template_limit FROM tenants WHERE id = ${tenantId})`,
          ),
          auditStatement(c, {
            action: "create",
            entity: "template",
            entityId: id,
            label: `${t.name} (${t.language})`,
            after: { number: number?.name ?? numberId, ...t },
            ifPreviousChanged: true,
          }),
        ]);
      } catch (err) {
        if (isUnique(err)) duplicateName(t.name, t.language);
        throw err;
      }
      if (inserted.meta.changes === 0) {
        const limit =
          (
            await orm
              .select({ n: tenants.templateLimit })
              .from(tenants)
              .where(eq(tenants.id, tenantId))
              .get()
          )?.n ?? null;
        apiError(
          409,
          "template_limit",
          `The tenant's limit of ${limit} templates is reached: delete one, or ask the platform operator to raise the limit`,
        );
      }
      return c.json(await read(db, id, tenantId), 201);
    },
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/admin/templates/:id",
      summary: "Edit a draft or rejected template (a rejected one becomes a draft again)",
      tag: TAG,
      access: "admin",
      params: Id,
      body: UpdateTemplateBody,
      response: TemplateView,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, ...changes } = c.req.valid("json");
      const tenantId = c.var.user.tenantId;
      const db = c.env.DB;
      const row = await ownedRow(db, templatesTable, id, tenantId, NOUN);
      if (row.status !== "draft" && row.status !== "rejected") {
        apiError(
          409,
          "not_editable",
          `Only drafts and rejected templates can be edited; this one is ${row.status}`,
        );
      }
      const before = contentOf(row);
      const after: TemplateContent = { ...before };
      for (const key of Object.keys(changes) as (keyof typeof changes)[]) {
        if (changes[key] !== undefined) Object.assign(after, { [key]: changes[key] });
      }
      const problems = templateProblems(after);
      // Meta edits a submitted template in place, and never its name or language.
      if (row.metaTemplateId !== null) {
        if (after.name !== before.name) {
          problems.push({
            path: "name",
            message: "Meta does not allow renaming a submitted template",
          });
        }
        if (after.language !== before.language) {
          problems.push({
            path: "language",
            message: "Meta does not allow changing a submitted template's language",
          });
        }
      }
      rejectProblems(problems);
      try {
        await saveVersioned(
          db,
          { table: templatesTable, id, tenantId, version, noun: NOUN },
          {
            name: after.name,
            language: after.language,
            category: after.category,
            components: componentsJson(after),
            status: "draft",
            updatedAt: Date.now(),
          },
          [
            auditStatement(c, {
              action: "update",
              entity: "template",
              entityId: id,
              label: `${before.name} (${before.language})`,
              before: { ...before, status: row.status },
              after: { ...after, status: "draft" },
            }),
          ],
        );
      } catch (err) {
        if (isUnique(err)) duplicateName(after.name, after.language);
        throw err;
      }
      return c.json(await read(db, id, tenantId));
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/admin/templates/:id/submit",
      summary: "Submit a draft to Meta's review (502 with Meta's message when Meta refuses it)",
      tag: TAG,
      access: "admin",
      params: Id,
      response: TemplateView,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const tenantId = c.var.user.tenantId;
      const db = c.env.DB;
      const row = await ownedRow(db, templatesTable, id, tenantId, NOUN);
      if (row.status !== "draft") {
        apiError(409, "not_draft", `Only drafts can be submitted; this one is ${row.status}`);
      }
      const account = await accountOf(db, c.var.config.dataKey, row.numberId, tenantId);
      const base = graphApiOf(c.var.config);
      const content = contentOf(row);
      let metaId: string;
      let metaStatus: string;
      if (row.metaTemplateId !== null) {
        const r = await editTemplate(base, account.accessToken, row.metaTemplateId, content);
        if (!r.ok) metaFailure(r.error);
        metaId = row.metaTemplateId;
        metaStatus = r.value.status;
      } else {
        const r = await createTemplate(base, account, content);
        if (!r.ok) metaFailure(r.error);
        metaId = r.value.id;
        metaStatus = r.value.status;
      }
      // Meta now holds the template: record its id whatever happened here
      // meanwhile, but only move a row that is still a draft.
      const orm = d1(db);
      await orm.batch([
        orm
          .update(templatesTable)
          .set({
            metaTemplateId: metaId,
            status: statusFromMeta(metaStatus),
            statusReason: null,
            version: sql`${templatesTable.version} + 1`,
            updatedAt: Date.now(),
          })
          .where(
            and(
              eq(templatesTable.id, id),
              eq(templatesTable.tenantId, tenantId),
              eq(templatesTable.status, "draft"),
            ),
          ),
        auditStatement(c, {
          action: "submit",
          entity: "template",
          entityId: id,
          label: `${row.name} (${row.language})`,
          before: { status: row.status },
          after: { status: statusFromMeta(metaStatus) },
          ifPreviousChanged: true,
        }),
      ]);
      return c.json(await read(db, id, tenantId));
    },
  )
  .endpoint(
    {
      method: "delete",
      path: "/api/admin/templates/:id",
      summary: "Delete a template (at Meta first when it was submitted)",
      tag: TAG,
      access: "admin",
      params: Id,
      status: 204,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const tenantId = c.var.user.tenantId;
      const db = c.env.DB;
      const row = await ownedRow(db, templatesTable, id, tenantId, NOUN);
      if (row.metaTemplateId !== null) {
        const account = await accountOf(db, c.var.config.dataKey, row.numberId, tenantId);
        const base = graphApiOf(c.var.config);
        const r = await deleteTemplate(base, account, row.name, row.metaTemplateId);
        if (!r.ok) {
          // Deleted at Meta already (e.g. by hand in Meta's manager)? Then only our row is left.
          const held = await templateIdsNamed(base, account, row.name);
          if (!held.ok || held.value.includes(row.metaTemplateId)) metaFailure(r.error);
        }
      }
      await deleteOwned(db, templatesTable, id, tenantId, NOUN, [
        auditStatement(c, {
          action: "delete",
          entity: "template",
          entityId: id,
          label: `${row.name} (${row.language})`,
          before: { ...contentOf(row), status: row.status },
        }),
      ]);
      return c.body(null, 204);
    },
  );
