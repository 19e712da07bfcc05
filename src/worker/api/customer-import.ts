/**
 * Customer import and the customers' field catalogue (registered before the
 * customer records so these paths are not read as customer ids):
 *
 * - GET  /customers/fields               what customer screens show and may edit (admins, agents)
 * - GET  /customers/import-template.xlsx the import template (admins)
 * - POST /customers/imports              upload a file, answer with its preview (admins)
 * - GET  /customers/imports/:id          the import and its progress (admins)
 * - GET  /customers/imports/:id/rows     a page of its valid rows (admins)
 * - POST /customers/imports/:id/apply    apply it in one D1 batch: all or nothing (admins)
 *
 * The flow is fixed by src/shared/customer-import.ts.
 */
import type { Context } from "hono";
import { z } from "zod";
import { inOneBatch } from "../../platform/db/batch";
import { d1 } from "../../platform/db/d1";
import { failedConstraint, redacted } from "../../platform/db/errors";
import { readCapped } from "../../platform/streams";
import { Page } from "../../shared/admin";
import {
  CustomerFields,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  ImportPreviewRow,
  ImportRowsQuery,
  ImportUploadQuery,
  ImportView,
} from "../../shared/customer-import";
import type { AppEnv } from "../app/app-types";
import { apiError, languageOf } from "../app/http";
import { Routes } from "../app/routes";
import { loadCatalogue } from "../import/catalogue";
import { loadDirectory } from "../import/directory";
import { readSpreadsheet } from "../import/spreadsheet";
import {
  applyStatements,
  createImport,
  deleteOldImports,
  failImport,
  findImport,
  finishImport,
  type ImportRecord,
  importView,
  type PresentColumn,
  previewRows,
  stageRows,
  startStaging,
} from "../import/store";
import { templateXlsx } from "../import/template";
import { applyProblemText, type FileProblem, fileProblemText } from "../import/texts";
import { mapHeader, readIdentities, validateRows } from "../import/validate";
import { tellDeletedConversations } from "../jobs/customer-deletions";
import { auditStatement } from "../security/audit";
import { securityLog } from "../security/log";
import { mayWriteCustomers } from "./customers";

const TAG = "customers";
const BASE = "/api";

/** Content types a browser or script may send a spreadsheet as; the bytes decide what it is. */
const UPLOAD_TYPES = new Set([
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "text/csv",
  "application/csv",
  // Windows browsers label .csv files so when Excel is installed.
  "application/vnd.ms-excel",
  "application/octet-stream",
]);

/** Content types that say the file is CSV (so text without a Phone column is a CSV missing it). */
const CSV_TYPES = new Set(["text/csv", "application/csv"]);

const Id = z.object({ id: z.string().min(1).max(100) });

/** The tenant's import, or 404 (another tenant's import does not exist for this caller). */
async function ownImport(c: Context<AppEnv>, id: string): Promise<ImportRecord> {
  const record = await findImport(d1(c.env.DB), id, c.var.user.tenantId);
  if (!record) apiError(404, "not_found", "No such import");
  return record;
}

/** /api/customers/fields, the template and /api/customers/imports… */
export const customerImport = new Routes();

customerImport.endpoint(
  {
    method: "get",
    path: `${BASE}/customers/fields`,
    summary:
      "Custom properties (with their file column headers), skillsets, and what the caller may do with customers",
    tag: TAG,
    access: "tenant",
    response: CustomerFields,
  },
  async (c) => {
    const catalogue = await loadCatalogue(d1(c.env.DB), c.var.user.tenantId);
    const admin = c.var.user.role === "admin";
    const body: CustomerFields = {
      properties: catalogue.properties,
      skillsets: catalogue.skillsets,
      mayEdit: await mayWriteCustomers(c),
      mayDelete: admin,
      mayImport: admin,
    };
    return c.json(body);
  },
);

customerImport.endpoint(
  {
    method: "get",
    path: `${BASE}/customers/import-template.xlsx`,
    summary:
      "The import template (.xlsx): row 1 holds the columns, mandatory ones marked with *; one column per custom property",
    tag: TAG,
    access: "admin",
  },
  async (c) => {
    const bytes = await templateXlsx(await loadCatalogue(d1(c.env.DB), c.var.user.tenantId));
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="customers-template.xlsx"',
        "Cache-Control": "no-store",
      },
    });
  },
);

customerImport.endpoint(
  {
    method: "post",
    path: `${BASE}/customers/imports`,
    summary: `Upload a customer file (.xlsx or .csv as the raw body, at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB and ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows): checks every row, matches it to the customer it names (ID column, else phone, else WhatsApp user ID) and answers with the preview (status ready). 413 too large, 415 not a spreadsheet, 422 zip bomb, too many rows or no Phone column.`,
    tag: TAG,
    access: "admin",
    query: ImportUploadQuery,
    response: ImportView,
    status: 201,
  },
  async (c) => {
    const { id, mode, fileName } = c.req.valid("query");
    const user = c.var.user;
    const db = d1(c.env.DB);
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!UPLOAD_TYPES.has(type)) {
      apiError(
        415,
        "unsupported_media_type",
        "Send the file as the body with Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv or application/octet-stream",
      );
    }
    const lang = languageOf(c);
    const tooLarge: FileProblem = {
      code: "file_too_large",
      status: 413,
      what: "body",
      limitMb: IMPORT_MAX_BYTES / 1024 / 1024,
    };
    if (Number(c.req.header("Content-Length") ?? 0) > IMPORT_MAX_BYTES) {
      apiError(413, tooLarge.code, fileProblemText(tooLarge, lang));
    }
    const now = Date.now();
    await deleteOldImports(db, user.tenantId, now);
    const record = { id, tenantId: user.tenantId, createdBy: user.id, fileName, mode };
    if (!(await createImport(db, record, now))) {
      apiError(
        409,
        "conflict",
        "An import with this id already exists; upload again with a new id",
      );
    }

    // From here on the import exists: a refusal also marks it failed, for whoever watches its progress.
    const refuse = async (problem: FileProblem): Promise<never> => {
      const message = fileProblemText(problem, lang);
      await failImport(db, id, message);
      apiError(problem.status, problem.code, message);
    };
    try {
      const bytes = await readCapped(c.req.raw.body, IMPORT_MAX_BYTES);
      if (!bytes) return await refuse(tooLarge);
      const sheet = await readSpreadsheet(bytes, IMPORT_MAX_ROWS);
      if (!sheet.ok) return await refuse(sheet);
      const catalogue = await loadCatalogue(db, user.tenantId);
      const header = mapHeader(sheet.rows[0] ?? [], catalogue, lang);
      if (!header.ok) {
        // Text sent as a workbook (say, notes renamed .xlsx) that is not even a customer CSV.
        const saysCsv = CSV_TYPES.has(type) || fileName.toLowerCase().endsWith(".csv");
        if (sheet.kind === "csv" && !saysCsv && header.code === "missing_column") {
          return await refuse({ code: "unsupported_file", status: 415, what: "notSpreadsheet" });
        }
        return await refuse(header);
      }
      const identities = readIdentities(sheet.rows, header.map);
      const known = await loadDirectory(db, user.tenantId, identities);
      const result = validateRows(sheet.rows, header.map, catalogue, known, identities, lang);
      const columns: PresentColumn[] = [...header.map.fixed];
      if (header.map.properties.length > 0) columns.push("properties");
      await startStaging(db, id, result.totalRows, columns);
      await stageRows(db, id, result.staged, result.kept, result.totalRows);
      await finishImport(
        db,
        { ...record, columns },
        {
          totalRows: result.totalRows,
          validRows: result.staged.length,
          rejectedRows: result.rejectedRows,
          keptRows: result.kept.length,
          rejections: [...header.warnings, ...result.rejections],
        },
      );
    } catch (err) {
      // Refusals above already marked the import; anything else is a bug, recorded before it surfaces.
      const current = await findImport(db, id, user.tenantId);
      if (current?.status === "receiving") {
        await failImport(db, id, "The file could not be processed; try again");
      }
      throw err;
    }
    return c.json(importView(await ownImport(c, id)), 201);
  },
);

customerImport.endpoint(
  {
    method: "get",
    path: `${BASE}/customers/imports/:id`,
    summary:
      "An import: progress while it is received (processedRows of totalRows), then its preview; interrupted when it stopped making progress",
    tag: TAG,
    access: "admin",
    params: Id,
    response: ImportView,
  },
  async (c) => c.json(importView(await ownImport(c, c.req.valid("param").id))),
);

customerImport.endpoint(
  {
    method: "get",
    path: `${BASE}/customers/imports/:id/rows`,
    summary:
      "A page of an import's valid rows, each adding, updating or leaving unchanged a customer, with how it matched them (ID, phone or WhatsApp user ID)",
    tag: TAG,
    access: "admin",
    params: Id,
    query: ImportRowsQuery,
    response: Page(ImportPreviewRow),
  },
  async (c) => {
    const record = await ownImport(c, c.req.valid("param").id);
    const { page, pageSize } = c.req.valid("query");
    const { items, total } = await previewRows(d1(c.env.DB), record, page, pageSize);
    const body: Page<ImportPreviewRow> = { items, total, page, pageSize };
    return c.json(body);
  },
);

customerImport.endpoint(
  {
    method: "post",
    path: `${BASE}/customers/imports/:id/apply`,
    summary:
      "Apply an import's valid rows in one atomic batch: rows whose customer already has the file's values change nothing (not even the version); replace mode also deletes the customers the preview counted as missing from the file, with their history. 409 unless the import is ready, or when customers changed so that it no longer fits.",
    tag: TAG,
    access: "admin",
    params: Id,
    response: ImportView,
  },
  async (c) => {
    const record = await ownImport(c, c.req.valid("param").id);
    const lang = languageOf(c);
    const notReady = (status: Exclude<ImportView["status"], "ready">): never =>
      apiError(409, "conflict", applyProblemText({ kind: "notReady", status }, lang));
    const view = importView(record);
    if (view.status !== "ready") notReady(view.status);
    try {
      const db = d1(c.env.DB);
      await inOneBatch(db, [
        ...applyStatements(db, record, c.var.user.id, Date.now()),
        auditStatement(c, {
          action: "apply",
          entity: "customer_import",
          entityId: record.id,
          label: view.fileName,
          after: {
            fileName: view.fileName,
            mode: view.mode,
            added: view.inserts,
            updated: view.updates,
            deleted: view.mode === "replace" ? view.deletes : 0,
          },
        }),
      ]);
      securityLog("admin_change", { entity: "customer_import", action: "apply" });
      if (record.mode === "replace") {
        // Deleted customers' conversations drop contents and files; the sweep retries what fails.
        c.executionCtx.waitUntil(
          tellDeletedConversations(c.env, { tenantId: c.var.user.tenantId }).catch((err: unknown) =>
            console.warn("customer deletion: actors not told yet", redacted(err)),
          ),
        );
      }
    } catch (err) {
      if (failedConstraint(err, "CHECK")) {
        // Someone else applied it (or it changed) between our read and the batch.
        const now = importView(await ownImport(c, record.id)).status;
        if (now !== "ready") notReady(now);
      }
      if (failedConstraint(err, "UNIQUE")) {
        // A phone the file gives a customer reached another customer since the preview.
        apiError(409, "customers_changed", applyProblemText({ kind: "customersChanged" }, lang));
      }
      console.error("customer import apply failed", redacted(err));
      apiError(500, "apply_failed", applyProblemText({ kind: "failed" }, lang));
    }
    return c.json(importView(await ownImport(c, record.id)));
  },
);
