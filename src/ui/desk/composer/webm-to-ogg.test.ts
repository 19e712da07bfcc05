/**
 * Rewrapping a WebM/Opus recording as Ogg/Opus: a WebM laid out as Chromium's
 * MediaRecorder writes it (unknown-size Segment and Cluster, OpusHead in
 * CodecPrivate, one SimpleBlock per packet) becomes Ogg pages whose CRCs,
 * granule positions and packets a decoder accepts.
 */
import { describe, expect, it } from "vitest";
import { oggCrc, opusPacketSamples, opusPacketsOfWebm, RemuxError, webmToOgg } from "./webm-to-ogg";

const bytesOf = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** An EBML element: id bytes, a 1- or 8-byte size, data. `unknown` writes the all-ones size. */
function el(id: number[], data: number[], unknown = false): number[] {
  if (unknown) return [...id, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...data];
  if (data.length < 127) return [...id, 0x80 | data.length, ...data];
  return [...id, 0x40 | (data.length >> 8), data.length & 0xff, ...data];
}

const OPUS_HEAD = [...bytesOf("OpusHead"), 1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0];
/** 20 ms CELT packets (TOC config 31, one frame) and one with two frames (code 1). */
const PACKETS = [
  [0xf8, 1, 2, 3],
  [0xf8, 4, 5],
  [0xf9, 6, 7, 8, 9],
];

function webm(packets = PACKETS, codec = "A_OPUS"): Uint8Array {
  const ebml = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], bytesOf("webm")));
  const tracks = el(
    [0x16, 0x54, 0xae, 0x6b],
    el([0xae], [...el([0xd7], [1]), ...el([0x86], bytesOf(codec)), ...el([0x63, 0xa2], OPUS_HEAD)]),
  );
  const blocks = packets.flatMap((p, i) => el([0xa3], [0x81, 0, i * 20, 0x80, ...p]));
  const cluster = el([0x1f, 0x43, 0xb6, 0x75], [...el([0xe7], [0]), ...blocks], true);
  const info = el([0x15, 0x49, 0xa9, 0x66], el([0x2a, 0xd7, 0xb1], [0x0f, 0x42, 0x40]));
  return new Uint8Array([
    ...ebml,
    ...el([0x18, 0x53, 0x80, 0x67], [...info, ...tracks, ...cluster], true),
  ]);
}

interface Page {
  flags: number;
  granule: number;
  sequence: number;
  packets: Uint8Array[];
  crcOk: boolean;
}

function readPages(ogg: Uint8Array): Page[] {
  const pages: Page[] = [];
  let at = 0;
  while (at < ogg.length) {
    expect(String.fromCharCode(...ogg.subarray(at, at + 4))).toBe("OggS");
    const view = new DataView(ogg.buffer, ogg.byteOffset + at);
    const segments = ogg[at + 26]!;
    const lacing = [...ogg.subarray(at + 27, at + 27 + segments)];
    const length = 27 + segments + lacing.reduce((a, b) => a + b, 0);
    const page = ogg.slice(at, at + length);
    const crc = new DataView(page.buffer).getUint32(22, true);
    page.set([0, 0, 0, 0], 22);
    const packets: Uint8Array[] = [];
    let body = at + 27 + segments;
    let current: number[] = [];
    for (const n of lacing) {
      current.push(...ogg.subarray(body, body + n));
      body += n;
      if (n < 255) {
        packets.push(new Uint8Array(current));
        current = [];
      }
    }
    pages.push({
      flags: ogg[at + 5]!,
      granule: view.getUint32(6, true) + view.getUint32(10, true) * 2 ** 32,
      sequence: view.getUint32(18, true),
      packets,
      crcOk: oggCrc(page) === crc,
    });
    at += length;
  }
  return pages;
}

describe("webmToOgg", () => {
  it("computes Ogg's CRC (check value of CRC-32/OGG)", () => {
    expect(oggCrc(new Uint8Array(bytesOf("123456789")))).toBe(0x89a1897f);
  });

  it("counts samples per packet from the TOC byte", () => {
    expect(opusPacketSamples(new Uint8Array([0xf8]))).toBe(960); // CELT 20 ms, 1 frame
    expect(opusPacketSamples(new Uint8Array([0xf9]))).toBe(1920); // 2 frames
    expect(opusPacketSamples(new Uint8Array([0x1b, 0x03]))).toBe(2880 * 3); // SILK 60 ms × 3
    expect(opusPacketSamples(new Uint8Array([0x78]))).toBe(960); // Hybrid 20 ms
  });

  it("reads the Opus packets and OpusHead out of a live-recorded WebM", () => {
    const { head, packets } = opusPacketsOfWebm(webm());
    expect(head).toEqual(new Uint8Array(OPUS_HEAD));
    expect(packets).toEqual(PACKETS.map((p) => new Uint8Array(p)));
  });

  it("writes OpusHead, OpusTags and the packets in pages with valid CRCs and granule positions", () => {
    const pages = readPages(webmToOgg(webm()));
    expect(pages.map((p) => p.crcOk)).toEqual([true, true, true]);
    expect(pages.map((p) => p.sequence)).toEqual([0, 1, 2]);
    expect(pages[0]).toMatchObject({ flags: 0x02, granule: 0 });
    expect(pages[0]!.packets).toEqual([new Uint8Array(OPUS_HEAD)]);
    expect(String.fromCharCode(...pages[1]!.packets[0]!.subarray(0, 8))).toBe("OpusTags");
    expect(pages[2]).toMatchObject({ flags: 0x04, granule: 960 + 960 + 1920 });
    expect(pages[2]!.packets).toEqual(PACKETS.map((p) => new Uint8Array(p)));
  });

  it("splits long recordings into pages, the last one ending the stream", () => {
    const many = Array.from({ length: 120 }, () => [0xf8, 0xaa]);
    const pages = readPages(webmToOgg(webm(many)));
    expect(pages.slice(2).map((p) => p.packets.length)).toEqual([50, 50, 20]);
    expect(pages.slice(2).map((p) => p.granule)).toEqual([48_000, 96_000, 115_200]);
    expect(pages.map((p) => p.flags)).toEqual([0x02, 0, 0, 0, 0x04]);
  });

  it("refuses what is not a WebM with Opus audio", () => {
    expect(() => webmToOgg(new Uint8Array(bytesOf("OggS....")))).toThrow(RemuxError);
    expect(() => webmToOgg(webm(PACKETS, "A_VORBIS"))).toThrow(/not Opus/);
    expect(() => webmToOgg(webm([]))).toThrow(/empty/);
  });
});
