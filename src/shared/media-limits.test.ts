/** Meta's media limits as the upload endpoint and the composer both apply them. */
import { describe, expect, it } from "vitest";
import {
  acceptAttribute,
  baseMime,
  checkMedia,
  describeProblem,
  formatBytes,
  isAnimatedWebp,
  MEDIA_LIMITS,
  maxBytesOf,
  mimeFromName,
} from "./media-limits";

const MB = 1024 * 1024;
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const webpHead = (flags: number) =>
  new Uint8Array([...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WEBPVP8X"), 10, 0, 0, 0, flags]);

describe("the limits table", () => {
  it("holds Meta's sizes per kind", () => {
    expect(MEDIA_LIMITS.image.maxBytes).toBe(5 * MB);
    expect(MEDIA_LIMITS.audio.maxBytes).toBe(16 * MB);
    expect(MEDIA_LIMITS.video.maxBytes).toBe(16 * MB);
    expect(MEDIA_LIMITS.document.maxBytes).toBe(100 * MB);
    expect(maxBytesOf("sticker", true)).toBe(500 * 1024);
    expect(maxBytesOf("sticker", false)).toBe(100 * 1024);
  });

  it("normalises types and guesses them from names", () => {
    expect(baseMime("Audio/OGG; codecs=opus")).toBe("audio/ogg");
    expect(mimeFromName("Offer.DOCX")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(mimeFromName("x.exe")).toBeUndefined();
    expect(mimeFromName("noext")).toBeUndefined();
    expect(acceptAttribute(["image"])).toBe("image/jpeg,.jpg,.jpeg,image/png,.png");
  });

  it("reads the animation flag of a WebP header", () => {
    expect(isAnimatedWebp(webpHead(0x02))).toBe(true);
    expect(isAnimatedWebp(webpHead(0x10))).toBe(false);
    expect(isAnimatedWebp(new Uint8Array(ascii("RIFF0000WEBPVP8 ")))).toBe(false);
  });

  it("formats limits as people read them", () => {
    expect(formatBytes(5 * MB)).toBe("5 MB");
    expect(formatBytes(100 * 1024)).toBe("100 KB");
    expect(formatBytes(12)).toBe("12 B");
  });
});

describe("checkMedia", () => {
  it("refuses content that does not fit the declared type (a renamed file), 415", () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
    expect(checkMedia({ type: "image/png", name: "a.png", size: 6, head: jpeg })).toMatchObject({
      ok: false,
      problem: { code: "content_mismatch", status: 415, mime: "image/png" },
    });
    expect(checkMedia({ type: "image/jpeg", name: "a.jpg", size: 6, head: jpeg }).ok).toBe(true);
    const mp4 = new Uint8Array([0, 0, 0, 0x18, ...[..."ftypisom"].map((c) => c.charCodeAt(0))]);
    expect(checkMedia({ type: "video/mp4", name: "v.mp4", size: 12, head: mp4 }).ok).toBe(true);
    // Types without a signature (text, MP3 without ID3) are not second-guessed.
    expect(checkMedia({ type: "text/plain", name: "a.txt", size: 6, head: jpeg }).ok).toBe(true);
  });

  it("decides the kind from the type, WebP being a sticker", () => {
    expect(checkMedia({ type: "image/png", name: "a.png", size: 10 })).toEqual({
      ok: true,
      value: { kind: "image", mime: "image/png" },
    });
    expect(checkMedia({ type: "image/webp", name: "s.webp", size: 10 })).toMatchObject({
      ok: true,
      value: { kind: "sticker" },
    });
    expect(checkMedia({ type: "", name: "list.pdf", size: 10 })).toMatchObject({
      ok: true,
      value: { kind: "document", mime: "application/pdf" },
    });
  });

  it("accepts exactly the limit and refuses one byte more, with 413 and the limit", () => {
    expect(checkMedia({ type: "image/jpeg", name: "a.jpg", size: 5 * MB }).ok).toBe(true);
    const over = checkMedia({ type: "image/jpeg", name: "a.jpg", size: 5 * MB + 1 });
    expect(over).toMatchObject({
      ok: false,
      problem: { code: "too_large", status: 413, maxBytes: 5 * MB },
    });
    if (!over.ok) expect(describeProblem(over.problem)).toContain("5 MB");
    const sticker = checkMedia({ type: "image/webp", name: "s.webp", size: 200 * 1024 });
    expect(sticker).toMatchObject({
      ok: false,
      problem: { code: "too_large", maxBytes: 100 * 1024 },
    });
    expect(
      checkMedia({ type: "image/webp", name: "s.webp", size: 200 * 1024, head: webpHead(0x02) }).ok,
    ).toBe(true);
  });

  it("refuses types Meta does not take, or that do not fit the asked kind, with 415", () => {
    expect(checkMedia({ type: "image/gif", name: "a.gif", size: 1 })).toMatchObject({
      ok: false,
      problem: { code: "unsupported_type", status: 415, mime: "image/gif" },
    });
    expect(
      checkMedia({ type: "image/png", name: "a.png", size: 1, kind: "document" }),
    ).toMatchObject({
      ok: false,
      problem: { code: "unsupported_type" },
    });
    // A voice note must be Ogg or MP4 audio: WebM and MP3 are refused as voice.
    for (const type of ["audio/webm;codecs=opus", "audio/mpeg"]) {
      expect(checkMedia({ type, name: "v", size: 1, kind: "voice" }).ok).toBe(false);
    }
    expect(
      checkMedia({ type: "audio/ogg;codecs=opus", name: "v", size: 1, kind: "voice" }),
    ).toEqual({
      ok: true,
      value: { kind: "audio", mime: "audio/ogg" },
    });
    expect(checkMedia({ type: "image/png", name: "a.png", size: 0 })).toMatchObject({
      ok: false,
      problem: { code: "empty", status: 400 },
    });
  });
});
