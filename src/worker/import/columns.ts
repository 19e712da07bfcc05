/**
 * The columns of customer files — one definition for the import template, the
 * export and the import, so that export → edit → import round-trips — and how
 * a cell's value is written and read back. Pure: no I/O.
 *
 * Values are written as people type them: booleans "yes"/"no", the default
 * skillset by name, property dates as "YYYY-MM-DD". Reading accepts what
 * spreadsheet programs and people produce: real boolean, number and date
 * cells; yes/no, true/false, 1/0, sì/si, vero/falso, x/blank; numbers with a
 * decimal comma; and text we neutralised on export (one leading apostrophe
 * before = + - @) comes back without the apostrophe.
 */
import type { CustomerField } from "../../shared/customer-import";
import type { CustomerView } from "../../shared/customers";
import type { ExportColumn } from "../api/admin/common";
import type { CellValue } from "./spreadsheet";

/** The customer fields every file has a column for. */
export type FixedField =
  | "phone"
  | "name"
  | "authorized"
  | "bypassBot"
  | "priority"
  | "defaultSkillset"
  | "notes"
  | "externalId"
  | "keepHistory";

/** The fixed columns in file order; only the phone is mandatory. */
export const FIXED_COLUMNS: readonly { field: FixedField; header: string; mandatory: boolean }[] = [
  { field: "phone", header: "Phone", mandatory: true },
  { field: "name", header: "Name", mandatory: false },
  { field: "authorized", header: "Authorized", mandatory: false },
  { field: "bypassBot", header: "Bypass bot", mandatory: false },
  { field: "priority", header: "Priority", mandatory: false },
  { field: "defaultSkillset", header: "Default skillset", mandatory: false },
  { field: "notes", header: "Notes", mandatory: false },
  { field: "externalId", header: "External ID", mandatory: false },
  { field: "keepHistory", header: "Keep message history", mandatory: false },
];

/**
 * Columns of our export that say which customer a row is, never written by an
 * import: the customer's ID, and the business-scoped user id WhatsApp gives
 * users known by username (who may have no phone). A row matches a customer
 * by ID, else by phone, else by WhatsApp user ID.
 */
export const IDENTITY_COLUMNS: readonly { key: IdentityKey; header: string }[] = [
  { key: "id", header: "ID" },
  { key: "userId", header: "WhatsApp user ID" },
];

export type IdentityKey = "id" | "userId";

/** Columns of our export that an import reads past without a warning. */
export const EXPORT_ONLY_HEADERS = ["Created", "Last update"] as const;

/** A skillset as files name it. */
export interface SkillsetRef {
  id: string;
  name: string;
  numberName: string;
}

/** What a tenant's files contain beyond the fixed columns. */
export interface Catalogue {
  /** Custom properties in number, then position order, each with its unique `column` header. */
  properties: CustomerField[];
  skillsets: SkillsetRef[];
}

/** How headers are compared: case-insensitive, spaces collapsed, a trailing "*" (mandatory mark) optional. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/\*\s*$/, "")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
}

/**
 * Gives each property its column header: its name, or "name (number)" when
 * the name is also another number's property or a fixed column; a counter
 * settles what is still equal (two numbers with the same name).
 */
export function propertyColumns<P extends { name: string; numberName: string }>(
  properties: P[],
): (P & { column: string })[] {
  const taken = new Set<string>(
    [
      ...FIXED_COLUMNS.map((c) => c.header),
      ...IDENTITY_COLUMNS.map((c) => c.header),
      ...EXPORT_ONLY_HEADERS,
    ].map(normaliseHeader),
  );
  const byName = new Map<string, number>();
  for (const p of properties) {
    const key = normaliseHeader(p.name);
    byName.set(key, (byName.get(key) ?? 0) + 1);
  }
  const out: (P & { column: string })[] = [];
  for (const p of properties) {
    const key = normaliseHeader(p.name);
    let column =
      (byName.get(key) ?? 0) > 1 || taken.has(key) ? `${p.name} (${p.numberName})` : p.name;
    for (let n = 2; taken.has(normaliseHeader(column)); n++)
      column = `${p.name} (${p.numberName} ${n})`;
    taken.add(normaliseHeader(column));
    out.push({ ...p, column });
  }
  return out;
}

/** The template's header row: fixed columns (mandatory ones marked " *"), then one per property. */
export function templateHeaders(catalogue: Catalogue): { header: string; mandatory: boolean }[] {
  return [
    ...FIXED_COLUMNS.map((c) => ({
      header: c.mandatory ? `${c.header} *` : c.header,
      mandatory: c.mandatory,
    })),
    ...catalogue.properties.map((p) => ({ header: p.column, mandatory: false })),
  ];
}

// ---- writing ---------------------------------------------------------------------

const yesNo = (b: boolean) => (b ? "yes" : "no");

/** How a skillset is written: its name, or "name (number)" when another number has one so named. */
export function skillsetLabel(catalogue: Catalogue, id: string | null): string | null {
  if (!id) return null;
  const skillset = catalogue.skillsets.find((s) => s.id === id);
  if (!skillset) return null;
  const key = skillset.name.toLowerCase();
  const twins = catalogue.skillsets.filter((s) => s.name.toLowerCase() === key).length;
  return twins > 1 ? `${skillset.name} (${skillset.numberName})` : skillset.name;
}

type Cell = string | number | boolean | Date | null;

function propertyCell(field: CustomerField, value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (field.type === "boolean" && typeof value === "boolean") return yesNo(value);
  if (typeof value === "string" || typeof value === "number") return value;
  return String(value);
}

/**
 * The customers download's columns: the ID, the template's columns (every
 * property, not only those shown in the list), the WhatsApp user ID, then the
 * creation and last update times. ID, phone and WhatsApp user ID together name
 * every customer, also those without a phone, so an export imports back onto
 * the same customers. The phone header carries no mandatory mark: it is a
 * list, not a template (an import reads it either way).
 */
export function exportColumns(catalogue: Catalogue): ExportColumn<CustomerView>[] {
  return [
    { header: "ID", value: (v) => v.id, width: 38 },
    { header: "Phone", value: (v) => v.phone, width: 18 },
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Authorized", value: (v) => yesNo(v.authorized), width: 12 },
    { header: "Bypass bot", value: (v) => yesNo(v.bypassBot), width: 12 },
    { header: "Priority", value: (v) => v.priority, width: 10 },
    {
      header: "Default skillset",
      value: (v) => skillsetLabel(catalogue, v.defaultSkillsetId),
      width: 24,
    },
    { header: "Notes", value: (v) => v.notes, width: 40 },
    { header: "External ID", value: (v) => v.externalId, width: 20 },
    { header: "Keep message history", value: (v) => yesNo(v.keepHistory), width: 14 },
    ...catalogue.properties.map(
      (p): ExportColumn<CustomerView> => ({
        header: p.column,
        value: (v) => propertyCell(p, v.properties[p.id]),
        width: 20,
      }),
    ),
    { header: "WhatsApp user ID", value: (v) => v.whatsappUserId, width: 24 },
    { header: "Created", value: (v) => new Date(v.createdAt), width: 18 },
    { header: "Last update", value: (v) => new Date(v.updatedAt), width: 18 },
  ];
}

// ---- reading ---------------------------------------------------------------------

/** A cell that has nothing in it (no value, or only spaces). */
export function isBlank(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

/** A date cell (or a Date) as YYYY-MM-DD; spreadsheet dates are UTC midnights. */
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A cell as text: trimmed, numbers as written, dates as YYYY-MM-DD, and one
 * leading apostrophe dropped when it guards a formula character (our
 * export's neutralising). null when blank.
 */
export function textOf(cell: CellValue | undefined): string | null {
  if (isBlank(cell)) return null;
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  const text = String(cell).trim();
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

const TRUE_WORDS = new Set(["yes", "true", "1", "sì", "si", "x", "vero", "y", "s"]);
const FALSE_WORDS = new Set(["no", "false", "0", "falso", "n"]);

/** A boolean cell: `null` when blank, `undefined` when it is not a yes/no. */
export function booleanOf(cell: CellValue | undefined): boolean | null | undefined {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") return cell === 1 ? true : cell === 0 ? false : undefined;
  const text = textOf(cell)?.toLowerCase();
  if (text === undefined || text === null) return null;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

/** A number cell, or text with a decimal point or comma; `undefined` when not a number. */
export function numberOf(cell: CellValue | undefined): number | undefined {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : undefined;
  const text = textOf(cell);
  if (!text || !/^[+-]?\d+([.,]\d+)?$/.test(text)) return undefined;
  return Number(text.replace(",", "."));
}

/** A date cell, or "YYYY-MM-DD" text, as YYYY-MM-DD; `undefined` when neither. */
export function dateOf(cell: CellValue | undefined): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : isoDate(cell);
  const text = textOf(cell);
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  // "2020-13-01" parses to an invalid date, whose toISOString() would throw.
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text) ? text : undefined;
}

/**
 * A phone as people and spreadsheets write it, ready for E.164 parsing:
 * separators dropped, "00" turned into "+", and a number cell (a spreadsheet
 * turns "+39…" into the number 39…) given back its "+".
 */
export function phoneText(cell: CellValue | undefined): string | null {
  if (typeof cell === "number") return Number.isInteger(cell) ? `+${cell}` : null;
  const text = textOf(cell);
  if (!text) return null;
  const compact = text.replace(/[\s\-./()]/g, "");
  if (compact.startsWith("00")) return `+${compact.slice(2)}`;
  if (/^\d+$/.test(compact)) return `+${compact}`;
  return compact;
}
