/**
 * Meta's limits on the media a business may send (types and sizes), as one table
 * that the upload endpoint and the composer both check, so a file the desktop
 * lets through is one the server accepts and Meta delivers. Pure.
 */
import { z } from "zod";

/** The WhatsApp message types that carry a file. */
export const MediaKind = z.enum(["image", "audio", "video", "document", "sticker"]);
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * What the agent says a file is. `voice` is a voice note recorded in the browser:
 * sent as an `audio` message, but only in the formats a recorder produces.
 */
export const UploadKind = z.enum(["image", "audio", "voice", "video", "document", "sticker"]);
export type UploadKind = z.infer<typeof UploadKind>;

const MB = 1024 * 1024;
const KB = 1024;

/** One kind's accepted MIME types (with the usual file extensions) and largest size. */
export interface MediaLimit {
  types: Readonly<Record<string, readonly string[]>>;
  maxBytes: number;
}

/** META-CONTRACT.md §7: what Meta accepts for each kind it can send. */
export const MEDIA_LIMITS: Readonly<Record<MediaKind, MediaLimit>> = {
  image: { types: { "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"] }, maxBytes: 5 * MB },
  audio: {
    types: {
      "audio/aac": ["aac"],
      "audio/amr": ["amr"],
      "audio/mpeg": ["mp3"],
      "audio/mp4": ["m4a"],
      "audio/ogg": ["ogg", "opus"],
    },
    maxBytes: 16 * MB,
  },
  video: { types: { "video/mp4": ["mp4"], "video/3gpp": ["3gp"] }, maxBytes: 16 * MB },
  document: {
    types: {
      "text/plain": ["txt"],
      "application/pdf": ["pdf"],
      "application/msword": ["doc"],
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
      "application/vnd.ms-excel": ["xls"],
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
      "application/vnd.ms-powerpoint": ["ppt"],
      "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
    },
    maxBytes: 100 * MB,
  },
  // 500 KB is the animated limit; a static sticker must stay under 100 KB (see stickerMaxBytes).
  sticker: { types: { "image/webp": ["webp"] }, maxBytes: 500 * KB },
};

/** Largest static (not animated) sticker Meta accepts. */
export const STATIC_STICKER_MAX_BYTES = 100 * KB;

/**
 * The formats a browser's recorder may produce that Meta takes as audio: Ogg/Opus
 * (Firefox; WhatsApp shows it as a voice note) and MP4 audio (Chromium, Safari).
 * WebM, Chromium's older only format, is not among Meta's audio types.
 */
export const VOICE_TYPES: readonly string[] = ["audio/ogg", "audio/mp4"];

/** The MIME type without parameters, lowercased: "audio/ogg;codecs=opus" → "audio/ogg". */
export function baseMime(type: string): string {
  return (type.split(";")[0] ?? "").trim().toLowerCase();
}

/** The MIME type a file name's extension stands for among Meta's types, if any. */
export function mimeFromName(filename: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  for (const limit of Object.values(MEDIA_LIMITS)) {
    for (const [mime, exts] of Object.entries(limit.types)) if (exts.includes(ext)) return mime;
  }
  return undefined;
}

/** The message kind an upload kind is sent as. */
export function sendKindOf(kind: UploadKind): MediaKind {
  return kind === "voice" ? "audio" : kind;
}

/** Whether a WebP's header (its first 21 bytes suffice) says it is animated (VP8X, animation flag). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const tag = (at: number) => String.fromCharCode(...head.subarray(at, at + 4));
  return (
    head.length >= 21 &&
    tag(0) === "RIFF" &&
    tag(8) === "WEBP" &&
    tag(12) === "VP8X" &&
    (head[20]! & 0x02) !== 0
  );
}

/**
 * The first bytes each type must start with, where the format has a signature:
 * Meta refuses a file whose content does not match its declared type (131053),
 * so a renamed file is caught here instead of failing at Meta.
 */
const SIGNATURES: Readonly<Record<string, (head: Uint8Array) => boolean>> = {
  "image/png": (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": (h) => startsWith(h, [0xff, 0xd8, 0xff]),
  "image/webp": (h) => ascii(h, 0, 4) === "RIFF" && ascii(h, 8, 4) === "WEBP",
  "application/pdf": (h) => ascii(h, 0, 5) === "%PDF-",
  "audio/ogg": (h) => ascii(h, 0, 4) === "OggS",
  "audio/mp4": (h) => ascii(h, 4, 4) === "ftyp",
  "video/mp4": (h) => ascii(h, 4, 4) === "ftyp",
  "video/3gpp": (h) => ascii(h, 4, 4) === "ftyp",
};

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

function ascii(head: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...head.subarray(at, at + length));
}

/** Whether a file's first bytes (16 suffice) fit its MIME type; types without a signature always fit. */
export function contentMatches(mime: string, head: Uint8Array): boolean {
  return SIGNATURES[mime]?.(head) ?? true;
}

/** Why a file cannot be sent; `status` is the HTTP answer the server gives for it. */
export type MediaProblem =
  | { code: "unsupported_type"; status: 415; mime: string; kind: UploadKind | null }
  | { code: "content_mismatch"; status: 415; mime: string }
  | { code: "too_large"; status: 413; kind: MediaKind; maxBytes: number; animated: boolean }
  | { code: "empty"; status: 400 };

/** A file that passed: what it is sent as and its normalised MIME type. */
export interface MediaAccepted {
  kind: MediaKind;
  mime: string;
}

/**
 * Checks a file against Meta's limits. `type` is the browser's or the request's
 * MIME type ("" when unknown: the file name's extension decides). Without
 * `kind`, the type decides (WebP is a sticker). `head`, the file's first bytes,
 * must fit the type's signature when given; a WebP's also tells whether it is
 * animated (stickers' limit). Pure.
 */
export function checkMedia(file: {
  type: string;
  name: string;
  size: number;
  kind?: UploadKind | undefined;
  head?: Uint8Array;
}): { ok: true; value: MediaAccepted } | { ok: false; problem: MediaProblem } {
  const given = baseMime(file.type);
  const mime =
    given && given !== "application/octet-stream" ? given : (mimeFromName(file.name) ?? given);
  const kind = file.kind ?? null;
  const sendKind = kind
    ? sendKindOf(kind)
    : MediaKind.options.find((k) => mime in MEDIA_LIMITS[k].types);
  const allowed =
    sendKind !== undefined &&
    mime in MEDIA_LIMITS[sendKind].types &&
    (kind !== "voice" || VOICE_TYPES.includes(mime));
  if (!allowed || sendKind === undefined) {
    return { ok: false, problem: { code: "unsupported_type", status: 415, mime, kind } };
  }
  if (file.size <= 0) return { ok: false, problem: { code: "empty", status: 400 } };
  if (file.head && !contentMatches(mime, file.head)) {
    return { ok: false, problem: { code: "content_mismatch", status: 415, mime } };
  }
  const animated = file.head !== undefined && isAnimatedWebp(file.head);
  const maxBytes = maxBytesOf(sendKind, animated);
  if (file.size > maxBytes) {
    return {
      ok: false,
      problem: { code: "too_large", status: 413, kind: sendKind, maxBytes, animated },
    };
  }
  return { ok: true, value: { kind: sendKind, mime } };
}

/** The largest file of `kind` Meta accepts (static stickers are smaller than animated ones). */
export function maxBytesOf(kind: MediaKind, animated = false): number {
  return kind === "sticker" && !animated ? STATIC_STICKER_MAX_BYTES : MEDIA_LIMITS[kind].maxBytes;
}

/** "5 MB", "100 KB": a limit as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${bytes} B`;
}

/** Every extension the kind accepts, for a file input's `accept` attribute. */
export function acceptAttribute(kinds: readonly MediaKind[]): string {
  return kinds
    .flatMap((k) => Object.entries(MEDIA_LIMITS[k].types))
    .flatMap(([mime, exts]) => [mime, ...exts.map((e) => `.${e}`)])
    .join(",");
}

/** The English message for a problem (the API's error text; the desktop translates its own). */
export function describeProblem(problem: MediaProblem): string {
  switch (problem.code) {
    case "unsupported_type":
      return problem.kind
        ? `A ${problem.kind} cannot be of type ${problem.mime || "unknown"}: WhatsApp accepts ${acceptedList(problem.kind)}`
        : `WhatsApp does not accept files of type ${problem.mime || "unknown"}`;
    case "too_large":
      return `This ${problem.animated ? "animated " : ""}${problem.kind} is larger than WhatsApp's limit of ${formatBytes(problem.maxBytes)}`;
    case "content_mismatch":
      return `The file's content is not ${problem.mime}: it was probably renamed`;
    case "empty":
      return "The file is empty";
  }
}

/** "image/jpeg, image/png": what a kind accepts, for messages. */
export function acceptedList(kind: UploadKind): string {
  return kind === "voice"
    ? VOICE_TYPES.join(", ")
    : Object.keys(MEDIA_LIMITS[sendKindOf(kind)].types).join(", ");
}
