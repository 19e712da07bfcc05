/**
 * Media of conversations: inbound media fetched from Meta into R2, served to the tenant's agents.
 *
 * Files live in R2 under `${tenantId}/${mediaId}`: the caller's tenant is part of
 * the key, so another tenant's id is simply not found (404). They are served as
 * inert downloads — `nosniff` and a sandboxing CSP — so a file a customer sent
 * can never run script in the desktop's origin, whatever its declared type.
 */
import { z } from "zod";
import { mediaKey } from "../../durable/conversation/media-fetch";
import type { Env } from "../../durable/env";
import { cleanFileName } from "../../shared/file-names";
import type { SessionUser } from "../app/app-types";
import { refuse } from "../app/results";
import { Routes } from "../app/routes";
import { isolation } from "./lifecycle";

const MediaParams = z.object({ mediaId: z.uuid() });

/** Types a browser may show inline; everything else downloads as an attachment. */
const INLINE = /^(image|audio|video)\//i;
/** Scriptable image types are never inline, even though they are images. */
const NEVER_INLINE = /^image\/svg/i;

/**
 * A single `bytes=` range, as R2 takes it; null for none or anything we do not
 * serve partially (multiple ranges), which then gets the whole file.
 */
export function parseRange(header: string | undefined): R2Range | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, start, end] = match;
  if (start === "" && end === "") return null;
  if (start === "") return { suffix: Number(end) };
  if (end === "") return { offset: Number(start) };
  if (Number(end) < Number(start)) return null;
  return { offset: Number(start), length: Number(end) - Number(start) + 1 };
}

/** `Content-Disposition` for a file: inline for media, an attachment with its name otherwise. */
export function contentDisposition(contentType: string, filename: string): string {
  const inline = INLINE.test(contentType) && !NEVER_INLINE.test(contentType);
  const name = cleanFileName(filename) || "file";
  // An ASCII fallback plus the exact name (RFC 6266 / 5987).
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Whether the caller may see a file of `conversationId`: everyone of the tenant
 * but isolated agents, who see the files of their skillsets' conversations and
 * of those they hold or joined (as they see the conversations themselves).
 */
async function maySee(env: Env, user: SessionUser, conversationId: string | undefined) {
  const limit = await isolation(env, user);
  if (!limit) return true;
  if (!conversationId) return false;
  const read = await env.CONVERSATION.getByName(conversationId).read(
    user.tenantId,
    Number.MAX_SAFE_INTEGER,
  );
  if (!read) return false;
  const c = read.conversation;
  return (
    c.agentId === user.id ||
    c.participants.some((p) => p.id === user.id) ||
    (c.skillsetId !== null && limit.has(c.skillsetId))
  );
}

/** GET /api/media/:mediaId. */
export const media = new Routes().endpoint(
  {
    method: "get",
    path: "/api/media/:mediaId",
    summary:
      "A conversation's file (fetched from WhatsApp or uploaded), for signed-in users of its tenant (isolated agents: their skillsets' conversations); supports a single Range",
    tag: "conversations",
    access: "tenant",
    params: MediaParams,
  },
  async (c) => {
    const key = mediaKey(c.var.user.tenantId, c.req.valid("param").mediaId);
    const range = parseRange(c.req.header("Range"));
    const object = await c.env.MEDIA.get(key, range ? { range } : {});
    if (!object) refuse("fileMissing");
    if (!(await maySee(c.env, c.var.user, object.customMetadata?.conversationId))) {
      await object.body.cancel();
      refuse("fileMissing");
    }
    const contentType = object.httpMetadata?.contentType ?? "application/octet-stream";
    const headers = new Headers({
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition(
        contentType,
        object.customMetadata?.filename || "file",
      ),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      "Cache-Control": "private, max-age=86400",
      "Accept-Ranges": "bytes",
      ETag: object.httpEtag,
    });
    if (!range || !object.range) {
      headers.set("Content-Length", String(object.size));
      return new Response(object.body, { status: 200, headers });
    }
    const r = object.range as { offset?: number; length?: number; suffix?: number };
    const offset = r.suffix !== undefined ? Math.max(0, object.size - r.suffix) : (r.offset ?? 0);
    const length =
      r.suffix !== undefined
        ? object.size - offset
        : Math.min(r.length ?? object.size - offset, object.size - offset);
    if (offset >= object.size) {
      await object.body.cancel();
      return new Response(null, {
        status: 416,
        headers: { "Content-Range": `bytes */${object.size}` },
      });
    }
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  },
);
