/**
 * Reads an uploaded customer file into rows of cells, whatever program wrote
 * it: the content decides (never the file name or Content-Type) — a ZIP is an
 * .xlsx workbook (checked by the zip guard first, then read with
 * read-excel-file's `/node` entry, the one that copes with big sheets in
 * workerd), text is CSV, anything else is refused with a message saying what
 * we accept.
 */
import { Buffer } from "node:buffer";
import { readSheet } from "read-excel-file/node";
import { decodeText, looksLikeText, parseCsv } from "./csv";

import type { FileProblem } from "./texts";
import { checkZip, looksLikeZip } from "./zip-guard";

/** One cell as read: text, number, boolean, a date (UTC midnight for date-only cells) or empty. */
export type CellValue = string | number | boolean | Date | null;

/** Rows of the first sheet; index 0 is the sheet's row 1 (the header). */
export type SheetRows = CellValue[][];

export type ReadResult =
  | { ok: true; kind: "xlsx" | "csv"; rows: SheetRows }
  | ({ ok: false } & FileProblem);

// Blank lines a CSV may end with beyond the row limit (some programs pad with empty rows).
const TRAILING_BLANK_ROWS = 1_000;

type Unsupported = Extract<FileProblem, { code: "unsupported_file"; what: string }>["what"];

const unsupported = (what: Exclude<Unsupported, "damaged">): ReadResult => ({
  ok: false,
  code: "unsupported_file",
  status: 415,
  what,
});

const startsWith = (b: Uint8Array, bytes: number[]) => bytes.every((x, i) => b[i] === x);

/** What a file's signature says it is, when it is a known non-spreadsheet format (even a text-only PDF). */
function knownFormat(b: Uint8Array): Exclude<Unsupported, "damaged"> | null {
  // Old .xls and password-protected .xlsx are both OLE compound files.
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) return "xls";
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (
    startsWith(b, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(b, [0xff, 0xd8, 0xff]) ||
    startsWith(b, [0x47, 0x49, 0x46, 0x38])
  ) {
    return "image";
  }
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return "utf16";
  if (startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return "emptyZip";
  return null;
}

/** Counts data rows: everything below the header but trailing blank rows. */
function dataRowCount(rows: SheetRows): number {
  let last = rows.length - 1;
  while (last > 0 && rows[last]!.every((cell) => cell === null || cell === "")) last--;
  return Math.max(0, last);
}

/**
 * Reads the first sheet of an .xlsx, or a CSV. Refuses (as values, with the
 * HTTP status to answer) files that are neither, zip bombs, workbooks that
 * expand too much, and files with more than `maxRows` data rows.
 */
export async function readSpreadsheet(bytes: Uint8Array, maxRows: number): Promise<ReadResult> {
  let rows: SheetRows;
  let kind: "xlsx" | "csv";
  if (looksLikeZip(bytes)) {
    const check = await checkZip(bytes);
    if (!check.ok) return check;
    if (!check.names.includes("xl/workbook.xml")) {
      return unsupported("notWorkbook");
    }
    try {
      rows = (await readSheet(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      )) as SheetRows;
    } catch (err) {
      console.warn("unreadable workbook", String(err));
      return unsupported("unreadable");
    }
    kind = "xlsx";
  } else {
    const known = knownFormat(bytes);
    if (known) return unsupported(known);
    const text = decodeText(bytes);
    if (bytes.length === 0) return unsupported("empty");
    if (!looksLikeText(text)) return unsupported("notSpreadsheet");
    // Blank lines count towards the cap (with room for a few trailing ones), so parsing stays bounded.
    const cap = maxRows + 1 + TRAILING_BLANK_ROWS;
    rows = parseCsv(text, undefined, cap + 1).map((row) =>
      row.map((cell) => (cell === "" ? null : cell)),
    );
    if (rows.length > cap) return tooManyRows(maxRows);
    kind = "csv";
  }
  if (dataRowCount(rows) > maxRows) return tooManyRows(maxRows);
  return { ok: true, kind, rows };
}

function tooManyRows(limit: number): ReadResult {
  return { ok: false, code: "too_many_rows", status: 422, limit };
}
