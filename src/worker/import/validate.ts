/**
 * Checks a customer file's rows: maps the header row to customer fields and
 * turns each data row into a staged row or rejections (row number, column
 * header, reason). Pure: the catalogue comes in, values go out.
 */
import type { CustomerField, ImportRejection } from "../../shared/customer-import";
import { type PropertyValue, toE164 } from "../../shared/customers";
import { propertyProblem } from "../api/customers";
import {
  booleanOf,
  type Catalogue,
  dateOf,
  EXPORT_ONLY_HEADERS,
  FIXED_COLUMNS,
  type FixedField,
  isBlank,
  normaliseHeader,
  numberOf,
  phoneText,
  textOf,
} from "./columns";
import type { CellValue, SheetRows } from "./spreadsheet";
import { type FileProblem, type Language, type RowProblem, rowProblemText } from "./texts";

type Target =
  | { kind: "fixed"; field: FixedField }
  | { kind: "property"; property: CustomerField }
  | { kind: "ignored" };

/** Which customer field each of the file's columns fills, and which fields are present. */
export interface ColumnMap {
  /** By column index; null for unknown headers (ignored). */
  targets: (Target | null)[];
  /** The header text of each column, as the file has it. */
  headers: string[];
  fixed: Set<FixedField>;
  properties: CustomerField[];
}

export type HeaderResult =
  | { ok: true; map: ColumnMap; warnings: ImportRejection[] }
  | ({ ok: false } & Extract<FileProblem, { code: "missing_column" | "duplicate_column" }>);

/**
 * Maps the header row (case-insensitive; a trailing " *" is optional). An
 * unknown header is not an error: it comes back as a row-1 warning and its
 * column is ignored. No phone column, or two columns for one field, is.
 */
export function mapHeader(
  header: CellValue[],
  catalogue: Catalogue,
  lang: Language = "en",
): HeaderResult {
  const known = new Map<string, Target>();
  for (const c of FIXED_COLUMNS)
    known.set(normaliseHeader(c.header), { kind: "fixed", field: c.field });
  for (const h of EXPORT_ONLY_HEADERS) known.set(normaliseHeader(h), { kind: "ignored" });
  for (const p of catalogue.properties)
    known.set(normaliseHeader(p.column), { kind: "property", property: p });

  const targets: (Target | null)[] = [];
  const headers: string[] = [];
  const warnings: ImportRejection[] = [];
  const byField = new Map<string, string[]>();
  const fixed = new Set<FixedField>();
  const properties: CustomerField[] = [];
  for (const cell of header) {
    const text = textOf(cell) ?? "";
    const target = text ? (known.get(normaliseHeader(text)) ?? null) : null;
    headers.push(text);
    targets.push(target);
    if (text && !target) {
      warnings.push({
        row: 1,
        column: text,
        reason: rowProblemText({ kind: "unknownColumn" }, lang),
      });
    }
    if (!target || target.kind === "ignored") continue;
    const key = target.kind === "fixed" ? target.field : `p:${target.property.id}`;
    const names = byField.get(key) ?? [];
    byField.set(key, [...names, text]);
    if (names.length > 0) continue;
    if (target.kind === "fixed") fixed.add(target.field);
    else properties.push(target.property);
  }
  // Two columns for one field: which should win is anybody's guess, so the file is refused.
  for (const names of byField.values()) {
    if (names.length > 1) {
      return { ok: false, code: "duplicate_column", status: 422, names };
    }
  }
  if (!fixed.has("phone")) {
    return { ok: false, code: "missing_column", status: 422 };
  }
  return { ok: true, map: { targets, headers, fixed, properties }, warnings };
}

/** A valid row, ready for `customer_import_rows`. Fields whose column is absent are null. */
export interface StagedRow {
  rowNo: number;
  contactKey: string;
  phone: string;
  name: string | null;
  authorized: boolean | null;
  bypassBot: boolean | null;
  priority: number | null;
  defaultSkillsetId: string | null;
  notes: string | null;
  externalId: string | null;
  keepHistory: boolean | null;
  /** The present property columns: id → value, null clears. */
  properties: Record<string, PropertyValue>;
}

/** A refused row whose phone is known: `replace` must not delete that customer. */
export interface KeptRow {
  rowNo: number;
  contactKey: string;
  phone: string;
}

export interface Validation {
  /** Data rows (blank rows are not counted). */
  totalRows: number;
  staged: StagedRow[];
  kept: KeptRow[];
  /** Every rejection, in row order (a row may have several). */
  rejections: ImportRejection[];
  rejectedRows: number;
}

/** Skillsets by what a file may call them: "name" when unique, "name (number)" always. */
function skillsetResolver(catalogue: Catalogue) {
  const byName = new Map<string, string[]>();
  const byFullName = new Map<string, string>();
  for (const s of catalogue.skillsets) {
    const key = s.name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), s.id]);
    byFullName.set(`${key} (${s.numberName.trim().toLowerCase()})`, s.id);
  }
  return (text: string): { id: string } | { problem: RowProblem } => {
    const key = text.replace(/\s+/g, " ").toLowerCase();
    const full = byFullName.get(key);
    if (full) return { id: full };
    const ids = byName.get(key) ?? [];
    if (ids.length === 1) return { id: ids[0]! };
    if (ids.length > 1) return { problem: { kind: "ambiguousSkillset" } };
    return { problem: { kind: "unknownSkillset" } };
  };
}

const LIMITS = { name: 200, notes: 4000, externalId: 200 } as const;
const PROPERTY_TEXT_MAX = 1000;

/** A property cell as its definition wants it; `problem` when it does not fit. */
function propertyValue(
  p: CustomerField,
  cell: CellValue | undefined,
): { value: PropertyValue } | { problem: RowProblem } {
  if (isBlank(cell)) return { value: null };
  let value: PropertyValue | undefined;
  switch (p.type) {
    case "number":
      value = numberOf(cell);
      break;
    case "boolean":
      value = booleanOf(cell) ?? undefined;
      break;
    case "date":
      value = dateOf(cell);
      break;
    case "choice": {
      const text = textOf(cell) ?? "";
      value = p.options.find((o) => o.toLowerCase() === text.toLowerCase());
      break;
    }
    case "text":
      value = textOf(cell);
      if (value && value.length > PROPERTY_TEXT_MAX) {
        return { problem: { kind: "tooLong", max: PROPERTY_TEXT_MAX } };
      }
      break;
  }
  // The records API's own check has the last word, so imported values are never looser.
  const definition = { ...p, options: JSON.stringify(p.options), modifiable_by_agent: 1 };
  if (value === undefined || propertyProblem(definition, value)) {
    return { problem: { kind: "property", type: p.type, options: p.options } };
  }
  return { value };
}

/**
 * Validates every data row (row numbers as the sheet shows them: the header
 * is row 1). Blank rows are skipped; the second row with a phone already seen
 * is refused naming the first.
 */
export function validateRows(
  rows: SheetRows,
  map: ColumnMap,
  catalogue: Catalogue,
  lang: Language = "en",
): Validation {
  const resolveSkillset = skillsetResolver(catalogue);
  const column = (field: FixedField) =>
    map.targets.findIndex((t) => t?.kind === "fixed" && t.field === field);
  const at = Object.fromEntries(FIXED_COLUMNS.map((c) => [c.field, column(c.field)])) as Record<
    FixedField,
    number
  >;
  const propertyAt = map.properties.map((p) => ({
    p,
    index: map.targets.findIndex((t) => t?.kind === "property" && t.property.id === p.id),
  }));
  const header = (index: number) => map.headers[index] ?? null;

  const staged: StagedRow[] = [];
  const kept: KeptRow[] = [];
  const rejections: ImportRejection[] = [];
  const firstRowOf = new Map<string, number>();
  let totalRows = 0;
  let rejectedRows = 0;

  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (cells.every((cell) => isBlank(cell))) continue;
    totalRows++;
    const rowNo = i + 1;
    const problems: ImportRejection[] = [];
    let duplicate = false;
    const refuse = (index: number, problem: RowProblem) => {
      if (problem.kind === "duplicatePhone") duplicate = true;
      problems.push({ row: rowNo, column: header(index), reason: rowProblemText(problem, lang) });
    };
    const cell = (field: FixedField) => (at[field] >= 0 ? cells[at[field]] : undefined);
    const present = (field: FixedField) => map.fixed.has(field);

    // Phone: mandatory, real, once per file.
    const phoneInput = phoneText(cell("phone"));
    const phone = phoneInput ? toE164(phoneInput) : null;
    let contactKey: string | null = null;
    if (!phoneInput) refuse(at.phone, { kind: "missingPhone" });
    else if (!phone) refuse(at.phone, { kind: "badPhone" });
    else {
      contactKey = phone.slice(1);
      const first = firstRowOf.get(contactKey);
      if (first !== undefined) refuse(at.phone, { kind: "duplicatePhone", firstRow: first });
      else firstRowOf.set(contactKey, rowNo);
    }

    const text = (field: "name" | "notes" | "externalId"): string | null => {
      const value = textOf(cell(field));
      if (value && value.length > LIMITS[field])
        refuse(at[field], { kind: "tooLong", max: LIMITS[field] });
      return value;
    };
    const flag = (
      field: "authorized" | "bypassBot" | "keepHistory",
      blank: boolean,
    ): boolean | null => {
      if (!present(field)) return null;
      const value = booleanOf(cell(field));
      if (value === undefined) {
        refuse(at[field], { kind: "yesNo" });
        return null;
      }
      return value ?? blank;
    };

    const name = present("name") ? (text("name") ?? phone ?? "") : null;
    const notes = present("notes") ? text("notes") : null;
    const externalId = present("externalId") ? text("externalId") : null;
    const authorized = flag("authorized", false);
    const bypassBot = flag("bypassBot", false);
    const keepHistory = flag("keepHistory", true);

    let priority: number | null = null;
    if (present("priority")) {
      const raw = cell("priority");
      const value = isBlank(raw) ? 5 : numberOf(raw);
      if (value === undefined || !Number.isInteger(value) || value < 1 || value > 9) {
        refuse(at.priority, { kind: "priority" });
      } else priority = value;
    }

    let defaultSkillsetId: string | null = null;
    if (present("defaultSkillset")) {
      const value = textOf(cell("defaultSkillset"));
      if (value) {
        const found = resolveSkillset(value);
        if ("id" in found) defaultSkillsetId = found.id;
        else refuse(at.defaultSkillset, found.problem);
      }
    }

    const properties: Record<string, PropertyValue> = {};
    for (const { p, index } of propertyAt) {
      const result = propertyValue(p, cells[index]);
      if ("problem" in result) refuse(index, result.problem);
      else properties[p.id] = result.value;
    }

    if (problems.length > 0 || !phone || !contactKey) {
      rejectedRows++;
      rejections.push(...problems);
      // A refused row still names its customer: keep them out of a `replace` deletion.
      if (phone && contactKey && !duplicate) kept.push({ rowNo, contactKey, phone });
      continue;
    }
    staged.push({
      rowNo,
      contactKey,
      phone,
      name,
      authorized,
      bypassBot,
      priority,
      defaultSkillsetId,
      notes,
      externalId,
      keepHistory,
      properties,
    });
  }
  return { totalRows, staged, kept, rejections, rejectedRows };
}
