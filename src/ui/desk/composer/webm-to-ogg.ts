/**
 * Rewraps a WebM/Opus recording (what Chromium's MediaRecorder produces) as
 * Ogg/Opus, the one format WhatsApp plays as a voice message. The Opus packets
 * are copied untouched (no re-encoding): only the container changes, following
 * RFC 7845 (OpusHead, OpusTags, granule positions at 48 kHz). Pure.
 */

// Matroska element ids (with their length marker bits, as they appear in the file).
const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const CODEC_ID = 0x86;
const CODEC_PRIVATE = 0x63a2;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;

/** Containers we descend into; every other element is skipped by its size. */
const MASTERS = new Set([SEGMENT, CLUSTER, TRACKS, TRACK_ENTRY, BLOCK_GROUP]);

/** Why a recording could not be rewrapped. */
export class RemuxError extends Error {}

interface VInt {
  value: number;
  length: number;
  /** All value bits set: "unknown size", as live recorders write for Segment and Cluster. */
  unknown: boolean;
}

function readVInt(bytes: Uint8Array, at: number, keepMarker: boolean): VInt {
  const first = bytes[at];
  if (first === undefined || first === 0) throw new RemuxError("Not a WebM file");
  const length = Math.clz32(first) - 23; // leading zeros within the byte, plus one
  if (at + length > bytes.length) throw new RemuxError("Truncated WebM file");
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i]!;
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

/** The Opus packets of the first Opus track, with its OpusHead when the file carries one. */
export function opusPacketsOfWebm(bytes: Uint8Array): {
  head: Uint8Array | null;
  packets: Uint8Array[];
} {
  if (readVInt(bytes, 0, true).value !== 0x1a45dfa3) throw new RemuxError("Not a WebM file");
  let head: Uint8Array | null = null;
  let isOpus = false;
  const packets: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const id = readVInt(bytes, at, true);
    const size = readVInt(bytes, at + id.length, false);
    const dataAt = at + id.length + size.length;
    if (MASTERS.has(id.value)) {
      at = dataAt; // descend: children follow (unknown sizes included)
      continue;
    }
    if (size.unknown) throw new RemuxError("Unexpected element of unknown size");
    const end = Math.min(dataAt + size.value, bytes.length);
    const data = bytes.subarray(dataAt, end);
    if (id.value === CODEC_ID) isOpus = new TextDecoder().decode(data) === "A_OPUS";
    else if (id.value === CODEC_PRIVATE) head = data.slice();
    else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
      const track = readVInt(data, 0, false);
      // Track number, 2 bytes of relative time, 1 byte of flags; recorders do not lace Opus.
      const flags = data[track.length + 2] ?? 0;
      if ((flags & 0x06) !== 0) throw new RemuxError("Laced blocks are not supported");
      // A voice recording has one track: its blocks are the Opus packets.
      packets.push(data.slice(track.length + 3));
    }
    at = end;
  }
  if (!isOpus) throw new RemuxError("The recording is not Opus audio");
  if (packets.length === 0) throw new RemuxError("The recording is empty");
  return { head, packets };
}

/** Samples at 48 kHz in one Opus packet (RFC 6716 §3.1: TOC config and frame count). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  const frameSamples =
    config < 12
      ? [480, 960, 1920, 2880][config % 4]! // SILK: 10, 20, 40, 60 ms
      : config < 16
        ? [480, 960][config % 2]! // Hybrid: 10, 20 ms
        : [120, 240, 480, 960][config % 4]!; // CELT: 2.5, 5, 10, 20 ms
  const code = toc & 0x03;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frameSamples * frames;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, no reflection, zero start), over a page with a zeroed CRC field. */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}

function oggPage(
  packets: readonly Uint8Array[],
  granule: number,
  serial: number,
  sequence: number,
  flags: number,
): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  const bodyLength = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, flags]); // "OggS", version 0, header type
  view.setUint32(6, granule % 2 ** 32, true);
  view.setUint32(10, Math.floor(granule / 2 ** 32), true);
  view.setUint32(14, serial, true);
  view.setUint32(18, sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, at);
    at += p.length;
  }
  view.setUint32(22, oggCrc(page), true);
  return page;
}

/** A mono OpusHead (RFC 7845 §5.1) for files that carry none. */
function defaultOpusHead(): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode("OpusHead"));
  const view = new DataView(head.buffer);
  head[8] = 1; // version
  head[9] = 1; // channels
  view.setUint16(10, 312, true); // pre-skip: libopus's usual encoder delay
  view.setUint32(12, 48000, true);
  return head;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode("Parley");
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  tags.set(new TextEncoder().encode("OpusTags"));
  new DataView(tags.buffer).setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  return tags;
}

/** Packets per audio page: about a second of 20 ms packets, well under Ogg's 255 segments. */
const PACKETS_PER_PAGE = 50;

/**
 * The Ogg/Opus file carrying the same Opus packets as a WebM recording.
 * Throws RemuxError when the input is not a WebM with Opus audio.
 */
export function webmToOgg(webm: Uint8Array, serial = 0x7061726c): Uint8Array<ArrayBuffer> {
  const { head, packets } = opusPacketsOfWebm(webm);
  const pages: Uint8Array[] = [
    oggPage([head ?? defaultOpusHead()], 0, serial, 0, 0x02), // beginning of stream
    oggPage([opusTags()], 0, serial, 1, 0),
  ];
  let granule = 0;
  for (let i = 0; i < packets.length; i += PACKETS_PER_PAGE) {
    const chunk = packets.slice(i, i + PACKETS_PER_PAGE);
    for (const p of chunk) granule += opusPacketSamples(p);
    const last = i + PACKETS_PER_PAGE >= packets.length;
    pages.push(oggPage(chunk, granule, serial, pages.length, last ? 0x04 : 0));
  }
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
