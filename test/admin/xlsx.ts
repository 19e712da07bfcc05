/**
 * A tiny .xlsx reader for tests: enough ZIP (central directory; stored or
 * deflated entries) and enough SpreadsheetML (shared and inline strings) to
 * check what an Excel download contains. Runs in workerd and in Node.
 */

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
export async function readXlsxRows(bytes: ArrayBuffer): Promise<string[][]> {
  const b = new Uint8Array(bytes);
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
