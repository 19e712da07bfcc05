/**
 * Files for tests, in workerd and in Node: a tiny .xlsx reader (enough ZIP and
 * SpreadsheetML to check what an Excel download contains), CSV text, a small ZIP
 * writer (to build files no spreadsheet library of ours wrote: hand-made
 * workbooks, zip bombs) and conversions by the real LibreOffice Calc (the
 * Node-side converter of test/kit/office-convert.ts, over HTTP).
 */
import { expect, inject } from "vitest";

/** A file to upload: what fetch accepts, or bytes of any buffer kind. */
export type Upload = BodyInit | Uint8Array;

/** The path of a sample media file of the repository (test/fixtures/media), from its root. */
export function mediaFixture(name: string): string {
  return `test/fixtures/media/${name}`;
}

// ---- a small .xlsx reader ----------------------------------------------------------

const decoder = new TextDecoder();

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

function u16(b: Uint8Array<ArrayBuffer>, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array<ArrayBuffer>, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Reads the central directory, which (unlike local headers with data descriptors) always has the sizes. */
function zipEntries(b: Uint8Array<ArrayBuffer>): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (u32(b, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip: no end of central directory");
  const count = u16(b, eocd + 10);
  let at = u32(b, eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (u32(b, at) !== 0x02014b50) throw new Error("bad central directory entry");
    const nameLength = u16(b, at + 28);
    const name = decoder.decode(b.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      localOffset: u32(b, at + 42),
    });
    at += 46 + nameLength + u16(b, at + 30) + u16(b, at + 32);
  }
  return entries;
}

async function inflateRaw(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function readEntry(b: Uint8Array<ArrayBuffer>, entry: ZipEntry): Promise<string> {
  const at = entry.localOffset;
  if (u32(b, at) !== 0x04034b50) throw new Error("bad local file header");
  const start = at + 30 + u16(b, at + 26) + u16(b, at + 28);
  const data = b.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return decoder.decode(data);
  if (entry.method === 8) return decoder.decode(await inflateRaw(data));
  throw new Error(`unsupported zip compression method ${entry.method}`);
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e === "amp") return "&";
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(
      e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
    );
  });
}

/** The concatenated text of every <t> inside `xml` (rich text runs included). */
function texts(xml: string): string {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)]
    .map((m) => unescapeXml(m[1] ?? ""))
    .join("");
}

/** "C" → 2, "AA" → 26. */
function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? "A";
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** The path inside the zip of the workbook's first sheet. */
function firstSheetPath(files: Map<string, string>): string {
  const workbook = files.get("xl/workbook.xml") ?? "";
  const rels = files.get("xl/_rels/workbook.xml.rels") ?? "";
  const sheetTag = /<sheet\s[^>]*>/.exec(workbook)?.[0];
  const relId = sheetTag ? attr(sheetTag, "r:id") : undefined;
  for (const rel of rels.match(/<Relationship\s[^>]*>/g) ?? []) {
    if (attr(rel, "Id") !== relId) continue;
    const target = attr(rel, "Target") ?? "";
    return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
  }
  return "xl/worksheets/sheet1.xml";
}

/**
 * The first sheet's rows, each cell as a string: shared and inline strings
 * resolved, numbers as written, booleans "true"/"false", empty cells "".
 * Rows and cells keep their positions (gaps become empty rows/cells).
 */
export async function readXlsxRows(bytes: ArrayBuffer | Uint8Array): Promise<string[][]> {
  const b = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : Uint8Array.from(bytes);
  const entries = zipEntries(b);
  const files = new Map<string, string>();
  for (const [name, entry] of entries) {
    if (name.endsWith(".xml") || name.endsWith(".rels")) files.set(name, await readEntry(b, entry));
  }
  const shared = [
    ...(files.get("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g),
  ].map((m) => texts(m[1]!));
  const sheet = files.get(firstSheetPath(files));
  if (sheet === undefined) throw new Error("the workbook has no first sheet");
  const rows: string[][] = [];
  for (const rowMatch of sheet.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = Number(attr(rowMatch[1]!, "r") ?? rows.length + 1);
    const row: string[] = [];
    for (const cell of (rowMatch[2] ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cell[1]!;
      const inner = cell[2] ?? "";
      const type = attr(attrs, "t");
      const ref = attr(attrs, "r");
      const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      let value: string;
      if (type === "s") value = shared[Number(raw)] ?? "";
      else if (type === "inlineStr") value = texts(inner);
      else if (type === "b") value = raw === "1" ? "true" : "false";
      else value = raw === undefined ? "" : unescapeXml(raw);
      const col = ref ? columnIndex(ref) : row.length;
      while (row.length < col) row.push("");
      row[col] = value;
    }
    while (rows.length < r - 1) rows.push([]);
    rows[r - 1] = row;
  }
  return rows;
}

/** A downloaded spreadsheet (200, an .xlsx): its first sheet's rows. */
export async function spreadsheetRows(res: Response): Promise<string[][]> {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
  return readXlsxRows(await res.arrayBuffer());
}

// ---- CSV -----------------------------------------------------------------------------

/** A CSV text (comma separated, RFC 4180 quoting) from rows of cells. */
export function csv(rows: (string | number | boolean | null)[][], delimiter = ","): string {
  const quote = (cell: string | number | boolean | null) => {
    const text = cell === null ? "" : String(cell);
    return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${rows.map((r) => r.map(quote).join(delimiter)).join("\r\n")}\r\n`;
}

// ---- LibreOffice --------------------------------------------------------------------

/** Converts with the real LibreOffice Calc (CSV in must be UTF-8, comma separated). */
export async function libreOffice(
  from: "csv" | "xlsx",
  to: "csv" | "xlsx",
  body: Upload,
): Promise<Uint8Array> {
  const res = await fetch(`${inject("officeUrl")}/convert?from=${from}&to=${to}`, {
    method: "POST",
    body: body as BodyInit,
  });
  if (res.status !== 200) throw new Error(`LibreOffice conversion failed: ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

// ---- a small ZIP writer -------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Raw DEFLATE, as ZIP entries hold it. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /** Sizes in a data descriptor after the data (bit 3), as streaming writers do. */
  descriptor?: boolean;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
}

/** Builds a ZIP archive (no ZIP64). */
export async function zip(inputs: ZipInput[]): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const input of inputs) {
    const raw = typeof input.data === "string" ? encoder.encode(input.data) : input.data;
    const method = input.method ?? 8;
    const body = method === 8 ? await deflateRaw(raw) : raw;
    const name = encoder.encode(input.name);
    const crc = crc32(raw);
    const size = input.declaredSize ?? raw.length;
    const flags = input.descriptor ? 8 : 0;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, flags, true);
    local.setUint16(8, method, true);
    local.setUint32(14, input.descriptor ? 0 : crc, true);
    local.setUint32(18, input.descriptor ? 0 : body.length, true);
    local.setUint32(22, input.descriptor ? 0 : size, true);
    local.setUint16(26, name.length, true);
    const header = new Uint8Array(local.buffer);
    parts.push(header, name, body);
    let length = header.length + name.length + body.length;
    if (input.descriptor) {
      const d = new DataView(new ArrayBuffer(16));
      d.setUint32(0, 0x08074b50, true);
      d.setUint32(4, crc, true);
      d.setUint32(8, body.length, true);
      d.setUint32(12, size, true);
      parts.push(new Uint8Array(d.buffer));
      length += 16;
    }
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, flags, true);
    c.setUint16(10, method, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    central.push(new Uint8Array(c.buffer), name);
    offset += length;
  }
  const centralSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, inputs.length, true);
  end.setUint16(10, inputs.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
