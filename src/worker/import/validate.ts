/**
 * Checks a customer file's rows: maps the header row to customer fields,
 * matches each data row to the tenant's customer it names (by ID, else phone,
 * else WhatsApp user ID) and turns it into a staged row or rejections (row
 * number, column header, reason). Pure: the catalogue and the customers the
 * file names come in (see directory.ts), values go out.
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
  IDENTITY_COLUMNS,
  type IdentityKey,
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
  | { kind: "identity"; key: IdentityKey }
  | { kind: "property"; property: CustomerField }
  | { kind: "ignored" };

/** Which customer field each of the file's columns fills, and which fields are present. */
export interface ColumnMap {
  /** By column index; null for unknown headers (ignored). */
  targets: (Target | null)[];
  /** The header text of each column, as the file has it. */
  headers: string[];
  fixed: Set<FixedField>;
  /** The column index of the ID and WhatsApp user ID columns, when the file has them. */
  identity: Partial<Record<IdentityKey, number>>;
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
  for (const c of IDENTITY_COLUMNS)
    known.set(normaliseHeader(c.header), { kind: "identity", key: c.key });
  for (const h of EXPORT_ONLY_HEADERS) known.set(normaliseHeader(h), { kind: "ignored" });
  for (const p of catalogue.properties)
    known.set(normaliseHeader(p.column), { kind: "property", property: p });

  const targets: (Target | null)[] = [];
  const headers: string[] = [];
  const warnings: ImportRejection[] = [];
  const byField = new Map<string, string[]>();
  const fixed = new Set<FixedField>();
  const identity: Partial<Record<IdentityKey, number>> = {};
  const properties: CustomerField[] = [];
  for (const [index, cell] of header.entries()) {
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
    const key =
      target.kind === "fixed"
        ? target.field
        : target.kind === "identity"
          ? `i:${target.key}`
          : `p:${target.property.id}`;
    const names = byField.get(key) ?? [];
    byField.set(key, [...names, text]);
    if (names.length > 0) continue;
    if (target.kind === "fixed") fixed.add(target.field);
    else if (target.kind === "identity") identity[target.key] = index;
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
  return { ok: true, map: { targets, headers, fixed, identity, properties }, warnings };
}

/** How a row found the existing customer it names. */
export type MatchedBy = "id" | "phone" | "userId";

/** A customer of the tenant, as rows name them. */
export interface KnownCustomer {
  id: string;
  /** The wa_id digits, or `u:<WhatsApp user ID>`. */
  contactKey: string;
  phone: string | null;
}

/** The tenant's customers that a file names, by ID, by phone and by WhatsApp user ID. */
export interface Directory {
  byId: Map<string, KnownCustomer>;
  byPhone: Map<string, KnownCustomer>;
  byUserId: Map<string, KnownCustomer>;
}

/** The WhatsApp user ID in a contact key, or null for customers known by phone. */
export function userIdOf(contactKey: string): string | null {
  return contactKey.startsWith("u:") ? contactKey.slice(2) : null;
}

/**
 * Indexes customers for matching. Two customers may share a phone (one known
 * by username, then writing from the phone too): the phone's own key wins,
 * as it does for WhatsApp's messages.
 */
export function directoryOf(customers: KnownCustomer[]): Directory {
  const directory: Directory = { byId: new Map(), byPhone: new Map(), byUserId: new Map() };
  for (const customer of customers) {
    directory.byId.set(customer.id, customer);
    const userId = userIdOf(customer.contactKey);
    if (userId !== null) directory.byUserId.set(userId, customer);
    if (customer.phone && (userId === null || !directory.byPhone.has(customer.phone))) {
      directory.byPhone.set(customer.phone, customer);
    }
  }
  return directory;
}

/** What one data row says about who it is: its ID, phone (as typed and as E.164) and WhatsApp user ID cells. */
export interface RowIdentity {
  id: string | null;
  /** The phone cell compacted ("+" and digits), before any validity check. */
  phoneInput: string | null;
  /** The phone in E.164 when our validator accepts it. */
  e164: string | null;
  userId: string | null;
}

/** Every data row's identity (null for the header and blank rows), and the values to look up. */
export interface FileIdentities {
  rows: (RowIdentity | null)[];
  ids: string[];
  phones: string[];
  userIds: string[];
}

/** Reads the identifying cells of every data row, once: the directory is looked up with them. */
export function readIdentities(rows: SheetRows, map: ColumnMap): FileIdentities {
  const phoneAt = map.targets.findIndex((t) => t?.kind === "fixed" && t.field === "phone");
  const ids = new Set<string>();
  const phones = new Set<string>();
  const userIds = new Set<string>();
  const out: (RowIdentity | null)[] = [null];
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (cells.every((cell) => isBlank(cell))) {
      out.push(null);
      continue;
    }
    const at = (index: number | undefined) => (index === undefined ? null : textOf(cells[index]));
    const phoneInput = phoneText(cells[phoneAt]);
    const identity: RowIdentity = {
      id: at(map.identity.id),
      phoneInput,
      e164: phoneInput ? toE164(phoneInput) : null,
      userId: at(map.identity.userId),
    };
    if (identity.id) ids.add(identity.id);
    if (phoneInput) phones.add(phoneInput);
    if (identity.e164) phones.add(identity.e164);
    if (identity.userId) userIds.add(identity.userId);
    out.push(identity);
  }
  return { rows: out, ids: [...ids], phones: [...phones], userIds: [...userIds] };
}

/**
 * A valid row, ready for `customer_import_rows`. Fields whose column is absent
 * are null. `customerId` is the existing customer it updates (null: it adds one).
 */
export interface StagedRow {
  rowNo: number;
  customerId: string | null;
  matchedBy: MatchedBy | null;
  /** The customer's key after the import: a username's stays, a phone's follows the phone. */
  contactKey: string;
  /** Null only for a customer known by username who has no phone. */
  phone: string | null;
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

/**
 * A refused row that names an existing customer: it is in the file, so that
 * customer is left as it is and never deleted by `replace`.
 */
export interface KeptRow {
  rowNo: number;
  customerId: string;
  contactKey: string;
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
  const definition = { type: p.type, options: JSON.stringify(p.options) };
  if (value === undefined || propertyProblem(definition, value)) {
    return { problem: { kind: "property", type: p.type, options: p.options } };
  }
  return { value };
}

/**
 * Validates every data row (row numbers as the sheet shows them: the header
 * is row 1) and matches it to the customer it names: by its ID when the ID
 * cell is filled (an ID that is not one of `known` matches nobody and is
 * refused), else by phone, else by WhatsApp user ID. A phone our validator
 * refuses is accepted when a customer of the tenant already has it (WhatsApp
 * delivered it); a row may not give one customer another's phone. Blank rows are skipped; a second row with a phone already
 * seen, or naming a customer already named, is refused naming the first.
 * A refused row that names a customer comes back in `kept`.
 */
export function validateRows(
  rows: SheetRows,
  map: ColumnMap,
  catalogue: Catalogue,
  known: Directory,
  identities: FileIdentities = readIdentities(rows, map),
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
  const header = (index: number | undefined) =>
    index === undefined ? null : (map.headers[index] ?? null);

  const staged: StagedRow[] = [];
  const kept: KeptRow[] = [];
  const rejections: ImportRejection[] = [];
  const firstRowOfPhone = new Map<string, number>();
  const firstRowOfCustomer = new Map<string, number>();
  let totalRows = 0;
  let rejectedRows = 0;

  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!;
    const identity = identities.rows[i];
    if (!identity) continue;
    totalRows++;
    const rowNo = i + 1;
    const problems: ImportRejection[] = [];
    const refuse = (index: number | undefined, problem: RowProblem) => {
      problems.push({ row: rowNo, column: header(index), reason: rowProblemText(problem, lang) });
    };
    const cell = (field: FixedField) => (at[field] >= 0 ? cells[at[field]] : undefined);
    const present = (field: FixedField) => map.fixed.has(field);

    // Who the row is: its ID first, then its phone, then its WhatsApp user ID.
    const { phoneInput, e164 } = identity;
    let match: KnownCustomer | null = null;
    let matchedBy: MatchedBy | null = null;
    if (identity.id) {
      match = known.byId.get(identity.id) ?? null;
      if (match) matchedBy = "id";
      else refuse(map.identity.id, { kind: "unknownId" });
    } else {
      match =
        (e164 ? known.byPhone.get(e164) : undefined) ??
        (phoneInput ? known.byPhone.get(phoneInput) : undefined) ??
        null;
      if (match) matchedBy = "phone";
      else if (identity.userId) {
        match = known.byUserId.get(identity.userId) ?? null;
        if (match) matchedBy = "userId";
      }
    }
    if (identity.userId && (match || !identity.id)) {
      if (!match) refuse(map.identity.userId, { kind: "unknownUserId" });
      else if (userIdOf(match.contactKey) !== identity.userId)
        refuse(map.identity.userId, { kind: "userIdMismatch" });
    }

    // Phone: mandatory (but for a customer known only by username), real, once per file.
    let phone: string | null = null;
    let duplicate = false; // refused already as a second row
    if (!phoneInput) {
      if (!match || match.phone !== null) refuse(at.phone, { kind: "missingPhone" });
    } else if (e164) phone = e164;
    // WhatsApp is the authority on its own numbers: a phone it gave a customer of ours stands.
    else if (known.byPhone.has(phoneInput)) phone = phoneInput;
    else refuse(at.phone, { kind: "badPhone" });
    // A phone new to its customer (a new customer's, or a change) must be nobody else's and
    // once in the file; a customer's own phone always fits, also when WhatsApp gave two
    // customers the same one (a username who later wrote from the phone).
    if (phone && match?.phone !== phone) {
      const first = firstRowOfPhone.get(phone);
      if (first !== undefined) {
        duplicate = true;
        refuse(at.phone, { kind: "duplicatePhone", firstRow: first });
      } else firstRowOfPhone.set(phone, rowNo);
      const holder = known.byPhone.get(phone);
      if (match && holder && holder.id !== match.id) refuse(at.phone, { kind: "phoneTaken" });
    }
    // The first row naming a customer speaks for them; any later one is refused.
    let firstToName = false;
    if (match) {
      const first = firstRowOfCustomer.get(match.id);
      if (first === undefined) {
        firstRowOfCustomer.set(match.id, rowNo);
        firstToName = true;
      } else if (!duplicate) {
        const column =
          matchedBy === "id"
            ? map.identity.id
            : matchedBy === "phone"
              ? at.phone
              : map.identity.userId;
        refuse(column, { kind: "sameCustomer", firstRow: first });
      }
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

    // A blank name is the phone; without a phone either, the customer keeps theirs.
    const name = present("name") ? (text("name") ?? phone) : null;
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

    if (problems.length > 0) {
      rejectedRows++;
      rejections.push(...problems);
      // A refused row is still in the file: the customer it names stays, also in `replace`.
      if (match && firstToName) {
        kept.push({ rowNo, customerId: match.id, contactKey: match.contactKey });
      }
      continue;
    }
    // A username's key is how WhatsApp names them; a phone's key is the phone's digits.
    const contactKey =
      match && userIdOf(match.contactKey) !== null ? match.contactKey : phone!.slice(1);
    staged.push({
      rowNo,
      customerId: match?.id ?? null,
      matchedBy,
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
