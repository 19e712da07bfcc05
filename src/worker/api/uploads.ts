/**
 * Agents' attachments: checked against Meta's type and size limits, uploaded to
 * Meta through the conversation's number and stored in R2 under
 * `${tenantId}/${mediaId}` (served back by GET /api/media/:mediaId), with
 * Meta's media id kept beside it so a send resolves it server-side. The
 * conversation's actor deletes an upload that no message names within a day
 * (src/durable/conversation/media-cleanup.ts).
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { graphApiOf, uploadMedia } from "../../meta/graph";
import { d1 } from "../../platform/db/d1";
import { managedNumbers } from "../../platform/db/schema";
import { openSecret } from "../../platform/secrets";
import { cleanFileName } from "../../shared/file-names";
import { checkMedia, describeProblem, type MediaKind, UploadKind } from "../../shared/media-limits";
import { UploadView } from "../../shared/protocol";
import { apiError } from "../app/http";
import { refuse } from "../app/results";
import { Routes } from "../app/routes";
import { takeQuota } from "../security/limits";

const ConversationParams = z.object({ id: z.uuid() });

/**
 * A file name fit for Meta and for a Content-Disposition header: no folders,
 * no control or bidirectional control characters (`cleanFileName`), no
 * quotes, at most 240 characters (Meta's document limit). Pure.
 */
export function cleanFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = cleanFileName(base).replace(/"/g, "").trim();
  return (clean || fallback).slice(-240);
}

const EXTENSION_OF: Record<string, string> = {
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
};

/** POST /api/conversations/:id/uploads. */
export const uploads = new Routes().endpoint(
  {
    method: "post",
    path: "/api/conversations/:id/uploads",
    summary:
      "Upload an attachment to a conversation of mine: multipart/form-data with the part `file` (its Content-Type and file name) and optionally `kind` (image|audio|voice|video|document|sticker); checked against WhatsApp's limits (415 type or content not matching it, 413 size, each naming the limit) and uploaded to Meta",
    tag: "conversations",
    access: "tenant",
    params: ConversationParams,
    response: UploadView,
    status: 201,
  },
  async (c) => {
    const user = c.var.user;
    const conversationId = c.req.valid("param").id;
    // Owner or conference guest: both may write.
    if (!(await c.env.AGENT.getByName(user.id).owns(conversationId))) {
      refuse("conversationNotYours");
    }
    const read = await c.env.CONVERSATION.getByName(conversationId).read(
      user.tenantId,
      Number.MAX_SAFE_INTEGER,
    );
    if (!read) refuse("conversationNotYours");
    if (read.conversation.state === "closed") refuse("conversationClosed");
    await takeQuota(c, { rule: "upload", subject: user.id });

    if (!/^multipart\/form-data/i.test(c.req.header("Content-Type") ?? "")) {
      apiError(415, "unsupported_media_type", "Content-Type must be multipart/form-data");
    }
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      apiError(400, "invalid_request", "The body is not valid multipart/form-data");
    }
    const file = form.get("file");
    if (!(file instanceof File)) {
      apiError(400, "invalid_request", "file is required", [
        { path: "file", message: "attach the file as the part named file" },
      ]);
    }
    const rawKind = form.get("kind");
    const kind = rawKind === null || rawKind === "" ? undefined : UploadKind.safeParse(rawKind);
    if (kind && !kind.success) {
      apiError(400, "invalid_request", `kind must be one of ${UploadKind.options.join(", ")}`, [
        { path: "kind", message: `one of ${UploadKind.options.join(", ")}` },
      ]);
    }
    const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
    const checked = checkMedia({
      type: file.type,
      name: file.name,
      size: file.size,
      kind: kind?.data,
      head,
    });
    if (!checked.ok) {
      const { problem } = checked;
      apiError(problem.status, problem.code, describeProblem(problem), [
        { path: "file", message: describeProblem(problem) },
      ]);
    }
    const { mime } = checked.value;
    const uploadKind: UploadKind = kind?.data ?? (checked.value.kind satisfies MediaKind);
    const filename = cleanFilename(
      file.name,
      uploadKind === "voice" ? `voice-message.${EXTENSION_OF[mime] ?? "ogg"}` : uploadKind,
    );

    const number = await d1(c.env.DB)
      .select({
        phoneNumberId: managedNumbers.phoneNumberId,
        accessToken: managedNumbers.accessToken,
      })
      .from(managedNumbers)
      .where(
        and(
          eq(managedNumbers.id, read.conversation.numberId),
          eq(managedNumbers.tenantId, user.tenantId),
        ),
      )
      .get();
    if (!number) apiError(404, "not_found", "The conversation's number no longer exists");
    const meta = await uploadMedia(graphApiOf(c.var.config, "transfer"), {
      phoneNumberId: number.phoneNumberId,
      accessToken:
        (await openSecret(
          c.var.config.dataKey,
          "managed_numbers.access_token",
          number.accessToken,
        )) ?? "",
      file,
      mime,
      filename,
    });
    if (!meta.ok) {
      apiError(
        502,
        "meta_upload_failed",
        `WhatsApp refused the file: ${meta.error.message ?? meta.error.title}`,
      );
    }

    // Stored after Meta took it: an object here is always sendable. A Meta
    // upload whose R2 write fails is only an orphan Meta forgets in 30 days.
    // Registered with the conversation first, so a file never sent is deleted
    // (a crash between the two leaves at most a deletion with nothing to delete).
    const id = crypto.randomUUID();
    if (!(await c.env.CONVERSATION.getByName(conversationId).registerUpload(user.tenantId, id))) {
      refuse("conversationClosed");
    }
    await c.env.MEDIA.put(`${user.tenantId}/${id}`, file, {
      httpMetadata: { contentType: mime },
      customMetadata: {
        conversationId,
        filename,
        source: "upload",
        metaMediaId: meta.mediaId,
        kind: uploadKind,
      },
    });
    return c.json(
      {
        id,
        metaMediaId: meta.mediaId,
        mime,
        size: file.size,
        filename,
        kind: uploadKind,
      } satisfies UploadView,
      201,
    );
  },
);
