/**
 * Checks an uploaded ZIP (an .xlsx is one) before any spreadsheet parser
 * touches it, so a zip bomb costs us at most a bounded amount of inflating.
 *
 * Limits (documented for administrators): at most `ZIP_MAX_ENTRIES` entries,
 * at most `ZIP_MAX_UNCOMPRESSED_BYTES` once expanded, and no entry larger than
 * 1 MiB that expands more than `ZIP_MAX_RATIO` times. Declared sizes are not
 * trusted: every entry is inflated with a counting cap and must expand to
 * exactly what the directory says. The local entries must follow one another
 * exactly as the central directory lists them, so a streaming unzipper (which
 * reads local headers) sees the same entries we checked.
 */
import type { FileProblem } from "./texts";

/** Most entries in an accepted archive (a plain .xlsx has about a dozen). */
export const ZIP_MAX_ENTRIES = 1_000;
/** Most bytes an accepted archive may expand to, all entries together. */
export const ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Highest expansion ratio of an entry above `RATIO_FLOOR_BYTES` (spreadsheet XML stays far below). */
export const ZIP_MAX_RATIO = 200;
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Why an archive was refused: the HTTP status and error code the API answers with (words in texts.ts). */
export type ZipProblem = Extract<
  FileProblem,
  { code: "zip_bomb" } | { code: "file_too_large" } | { code: "unsupported_file" }
>;

/** What the guard learnt: the entry names, when the archive is acceptable. */
export type ZipCheck = { ok: true; names: string[] } | ({ ok: false } & ZipProblem);

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (
    ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) + (b[at + 3] ?? 0) * 2 ** 24
  );
}

const damaged = (detail: string): ZipCheck => ({
  ok: false,
  code: "unsupported_file",
  status: 415,
  what: "damaged",
  detail,
});

const bomb = (detail: string): ZipCheck => ({ ok: false, code: "zip_bomb", status: 422, detail });

/** Whether the bytes start like a ZIP archive ("PK\x03\x04"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && u32(bytes, 0) === LOCAL;
}

function centralDirectory(b: Uint8Array): { entries: Entry[]; start: number } | string {
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (u32(b, i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) return "no end of central directory";
  if (u16(b, end + 4) !== 0 || u16(b, end + 6) !== 0) return "a multi-part archive";
  const count = u16(b, end + 10);
  const start = u32(b, end + 16);
  if (count === 0xffff || start === 0xffffffff) return "a ZIP64 archive";
  if (count > ZIP_MAX_ENTRIES) return `more than ${ZIP_MAX_ENTRIES} entries`;
  const entries: Entry[] = [];
  let at = start;
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || u32(b, at) !== CENTRAL) return "a damaged central directory";
    const nameLength = u16(b, at + 28);
    entries.push({
      name: decoder.decode(b.subarray(at + 46, at + 46 + nameLength)),
      flags: u16(b, at + 8),
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      localOffset: u32(b, at + 42),
    });
    at += 46 + nameLength + u16(b, at + 30) + u16(b, at + 32);
  }
  if (at > end) return "a damaged central directory";
  return { entries, start };
}

/** Inflates one entry, counting and stopping as soon as it yields more than `size` bytes. */
async function inflatesTo(data: Uint8Array, size: number): Promise<"ok" | "larger" | "damaged"> {
  const reader = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("deflate-raw"))
    .getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > size) {
        await reader.cancel();
        return "larger";
      }
    }
  } catch {
    return "damaged";
  }
  return total === size ? "ok" : "damaged";
}

/**
 * Checks the archive's structure and sizes and inflates every entry with a
 * counting cap. Never expands more than `ZIP_MAX_UNCOMPRESSED_BYTES` in all.
 */
export async function checkZip(b: Uint8Array): Promise<ZipCheck> {
  const directory = centralDirectory(b);
  if (typeof directory === "string") {
    return directory.startsWith("more than") ? bomb(directory) : damaged(directory);
  }
  const { entries, start } = directory;
  let declared = 0;
  for (const e of entries) {
    if (e.flags & 1) return { ok: false, code: "unsupported_file", status: 415, what: "encrypted" };
    if (e.method !== 0 && e.method !== 8) return damaged(`compression method ${e.method}`);
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) return damaged("ZIP64 entries");
    if (e.method === 0 && e.size !== e.compressedSize) return damaged("inconsistent sizes");
    declared += e.size;
    if (e.size > RATIO_FLOOR_BYTES && e.size > e.compressedSize * ZIP_MAX_RATIO) {
      return bomb(
        `"${e.name}" would expand ${Math.round(e.size / Math.max(1, e.compressedSize))} times`,
      );
    }
  }
  if (declared > ZIP_MAX_UNCOMPRESSED_BYTES) {
    return {
      ok: false,
      code: "file_too_large",
      status: 413,
      what: "expanded",
      limitMb: ZIP_MAX_UNCOMPRESSED_BYTES / 1024 / 1024,
    };
  }
  // The local entries must tile the archive up to the central directory, in order.
  const byOffset = [...entries].sort((x, y) => x.localOffset - y.localOffset);
  let next = 0;
  for (const e of byOffset) {
    const at = e.localOffset;
    if (at !== next || u32(b, at) !== LOCAL) return damaged("entries outside the directory");
    const dataStart = at + 30 + u16(b, at + 26) + u16(b, at + 28);
    let dataEnd = dataStart + e.compressedSize;
    if (dataEnd > start) return damaged("a truncated entry");
    if (u16(b, at + 6) & 8) {
      // A data descriptor follows: optional signature, CRC, sizes (the central directory is authoritative).
      dataEnd += u32(b, dataEnd) === DESCRIPTOR ? 16 : 12;
    } else if (u32(b, at + 18) !== e.compressedSize || u32(b, at + 22) !== e.size) {
      return damaged("local and central sizes differ");
    }
    const data = b.subarray(dataStart, dataStart + e.compressedSize);
    if (e.method === 8) {
      const outcome = await inflatesTo(data, e.size);
      if (outcome === "larger") return bomb(`"${e.name}" expands beyond its declared size`);
      if (outcome === "damaged") return damaged(`"${e.name}" is damaged`);
    }
    next = dataEnd;
  }
  if (next !== start) return damaged("data outside the directory");
  return { ok: true, names: entries.map((e) => e.name) };
}
