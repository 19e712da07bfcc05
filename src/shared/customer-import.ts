/**
 * Customer import and the customers' field catalogue, shared by the Worker and
 * the UI.
 *
 * Flow: POST /api/customers/imports (the file as the raw body, `mode` and
 * `fileName` in the query) parses and checks the file and answers with the
 * import in status `ready` (its preview) — or a 4xx for files that are not
 * spreadsheets, too big, or zip bombs. While it runs, GET
 * /api/customers/imports/:id shows `processedRows` of `totalRows` (the client
 * picks the id: `id` in the query, a UUID). POST …/:id/apply applies every valid
 * row in one D1 batch: the whole import lands or none of it.
 *
 * A row names an existing customer by its ID column when filled, else by phone,
 * else by WhatsApp user ID (the export has all three), so an unchanged export
 * imports back as a no-op in either mode. Every row in the file counts as in
 * it, refused or not: `replace` deletes only customers no row names.
 */
import { z } from "zod";
import { cleanFileName } from "./file-names";

/** Largest accepted upload, in bytes. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** Most data rows in one file. */
export const IMPORT_MAX_ROWS = 50_000;

export const ImportMode = z.enum(["upsert", "replace"]);
export type ImportMode = z.infer<typeof ImportMode>;

export const ImportStatus = z.enum(["receiving", "ready", "applied", "failed", "interrupted"]);
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ImportUploadQuery = z.object({
  id: z.uuid(),
  mode: ImportMode,
  // Stored and shown cleaned: no bidirectional or other control characters.
  fileName: z.string().max(200).transform(cleanFileName).pipe(z.string().min(1)),
});
export type ImportUploadQuery = z.infer<typeof ImportUploadQuery>;

/** One refused cell or row: the spreadsheet's row number (header = 1), column header, reason. */
export const ImportRejection = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejection>;

/** A valid row as the preview shows it. */
export const ImportPreviewRow = z.object({
  row: z.number().int(),
  /** Null for a customer known only by their WhatsApp user ID. */
  phone: z.string().nullable(),
  whatsappUserId: z.string().nullable(),
  name: z.string().nullable(),
  /** Whether it creates a customer, changes one, or names one that already has the file's values. */
  action: z.enum(["insert", "update", "unchanged"]),
  /** How the row found its customer (null for a new one): ID column, phone or WhatsApp user ID. */
  matchedBy: z.enum(["id", "phone", "userId"]).nullable(),
});
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;

export const ImportView = z.object({
  id: z.string(),
  fileName: z.string(),
  mode: ImportMode,
  status: ImportStatus,
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  validRows: z.number().int(),
  rejectedRows: z.number().int(),
  /** The first rejections (at most 1,000); `rejectedRows` counts them all. */
  rejections: z.array(ImportRejection),
  inserts: z.number().int(),
  updates: z.number().int(),
  /** Valid rows whose customer already has the file's values: applying them changes nothing. */
  unchanged: z.number().int(),
  /** Customers the import would delete (mode `replace`): those no row of the file names. */
  deletes: z.number().int(),
  /** Rejected rows that name an existing customer: that customer is left as it is (never deleted). */
  keptRows: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.number(),
  appliedAt: z.number().nullable(),
});
export type ImportView = z.infer<typeof ImportView>;

/** GET /api/customers/imports/:id/rows: a page of the valid rows. */
export const ImportRowsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(100).default(25),
});

/** A custom property as customer screens and files show it. */
export const CustomerField = z.object({
  id: z.string(),
  numberId: z.string(),
  numberName: z.string(),
  name: z.string(),
  /** Its column header in files: the name, or "name (number)" when names repeat across numbers. */
  column: z.string(),
  type: z.enum(["text", "number", "date", "boolean", "choice"]),
  options: z.array(z.string()),
  modifiableByAgent: z.boolean(),
  showInCustomerList: z.boolean(),
});
export type CustomerField = z.infer<typeof CustomerField>;

/** GET /api/customers/fields: what the caller needs to show and edit customers. */
export const CustomerFields = z.object({
  properties: z.array(CustomerField),
  skillsets: z.array(z.object({ id: z.string(), name: z.string(), numberName: z.string() })),
  /** Whether the caller may create and edit customers (admins; agents when a number allows). */
  mayEdit: z.boolean(),
  /** Only admins delete and import. */
  mayDelete: z.boolean(),
  mayImport: z.boolean(),
});
export type CustomerFields = z.infer<typeof CustomerFields>;
