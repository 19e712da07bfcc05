/**
 * Splits message text into plain runs and links, for rendering without
 * `dangerouslySetInnerHTML`. Only http(s), mailto and tel links are made
 * clickable; anything else stays text. Pure.
 */

/** A run of text: plain, or a link with its safe `href`. */
export type TextPart =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|mailto:|tel:)[^\s<>"'`]+/gi;
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?'")\]}»]$/;

/** Drops sentence punctuation after a URL, but keeps a ")" whose "(" is inside it (Wikipedia links). */
function trimTrailing(candidate: string): string {
  let out = candidate;
  while (TRAILING.test(out)) {
    if (out.endsWith(")") && count(out, "(") >= count(out, ")")) break;
    out = out.slice(0, -1);
  }
  return out;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** The text's parts in order; joining their `text` gives the input back. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > at) parts.push({ kind: "text", text: text.slice(at, start) });
    parts.push({ kind: "link", text: candidate, href });
    at = start + candidate.length;
  }
  if (at < text.length) parts.push({ kind: "text", text: text.slice(at) });
  return parts;
}

/** The URL when it parses and uses an allowed protocol; null otherwise. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
    if ((url.protocol === "http:" || url.protocol === "https:") && !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** OpenStreetMap centred on a point, with a marker. */
export function mapLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

/** A file size for people: "820 B", "1.2 MB" (in the UI's language). */
export function formatSize(language: string, bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // Bytes as "B" in every language, like kB and MB (Intl's short form says "byte").
  if (unit === 0) return `${new Intl.NumberFormat(language).format(value)} B`;
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(value);
}
