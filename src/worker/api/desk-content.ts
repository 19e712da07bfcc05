/**
 * What the composer offers an agent besides typing: the tenant's predefined
 * locations and messages and its meeting URL (agent-readable; the admin API
 * edits them), and the resolution of a `SendContent` (our ids) into what Meta
 * is sent.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Env } from "../../durable/env";
import type { OutboundContent } from "../../meta/graph";
import { d1 } from "../../platform/db/d1";
import { locations, predefinedMessages, tenants } from "../../platform/db/schema";
import type { Interactive } from "../../shared/admin";
import { MediaKind, UploadKind } from "../../shared/media-limits";
import {
  DeskLocations,
  DeskMeeting,
  DeskPredefined,
  type SendContent,
  type SentMedia,
} from "../../shared/protocol";
import { apiError } from "../app/http";
import { refuse } from "../app/results";
import { Routes } from "../app/routes";

/** More than any tenant keeps; a picker filters them in the browser. */
const PICKER_MAX_ROWS = 1000;

const TAG = "composer";

/** GET /api/desk/… */
export const deskContent = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/desk/locations",
      summary: "The tenant's predefined locations, for the composer's location picker",
      tag: TAG,
      access: "tenant",
      response: DeskLocations,
    },
    async (c) => {
      const results = await d1(c.env.DB)
        .select({
          id: locations.id,
          name: locations.name,
          address: locations.address,
          latitude: locations.latitude,
          longitude: locations.longitude,
        })
        .from(locations)
        .where(eq(locations.tenantId, c.var.user.tenantId))
        .orderBy(sql`${locations.name} COLLATE NOCASE`, locations.id)
        .limit(PICKER_MAX_ROWS);
      return c.json({ items: results } satisfies DeskLocations);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/desk/predefined-messages",
      summary: "The tenant's predefined messages by category, for the composer's picker",
      tag: TAG,
      access: "tenant",
      response: DeskPredefined,
    },
    async (c) => {
      const results = await d1(c.env.DB)
        .select(predefinedColumns)
        .from(predefinedMessages)
        .where(eq(predefinedMessages.tenantId, c.var.user.tenantId))
        .orderBy(
          sql`${predefinedMessages.category} COLLATE NOCASE`,
          sql`${predefinedMessages.title} COLLATE NOCASE`,
          predefinedMessages.id,
        )
        .limit(PICKER_MAX_ROWS);
      return c.json({ items: results.map(predefinedView) } satisfies DeskPredefined);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/desk/meeting-url",
      summary: "The tenant's meeting URL for video-call links (empty when none is configured)",
      tag: TAG,
      access: "tenant",
      response: DeskMeeting,
    },
    async (c) => {
      const row = await d1(c.env.DB)
        .select({ meetingUrl: tenants.meetingUrl })
        .from(tenants)
        .where(eq(tenants.id, c.var.user.tenantId))
        .get();
      return c.json({ meetingUrl: row?.meetingUrl ?? "" } satisfies DeskMeeting);
    },
  );

/** What the composer reads of a predefined message. */
const predefinedColumns = {
  id: predefinedMessages.id,
  category: predefinedMessages.category,
  title: predefinedMessages.title,
  text: predefinedMessages.text,
  interactive: predefinedMessages.interactive,
};

type PredefinedRow = Pick<
  typeof predefinedMessages.$inferSelect,
  "id" | "category" | "title" | "text" | "interactive"
>;

function predefinedView(row: PredefinedRow): {
  id: string;
  category: string;
  title: string;
  text: string;
  interactive: Interactive | null;
} {
  return {
    id: row.id,
    category: row.category,
    title: row.title,
    text: row.text,
    interactive: row.interactive === null ? null : (JSON.parse(row.interactive) as Interactive),
  };
}

// ---- resolving what the agent sends -------------------------------------------------

/** What a `SendContent` becomes: the stored summary text and, unless plain text, what Meta gets. */
export interface ResolvedSend {
  text: string;
  outbound?: { content: OutboundContent; media?: SentMedia };
}

/** Reply ids name the predefined message and the choice, so an answer can be traced back. */
const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/**
 * Meta's interactive object for a predefined message with reply buttons or a
 * list (its text is the body). Pure.
 */
export function predefinedInteractive(
  id: string,
  text: string,
  interactive: Interactive,
): Record<string, unknown> {
  if (interactive.type === "buttons") {
    return {
      type: "button",
      body: { text: clip(text, 1024) },
      action: {
        buttons: interactive.buttons.map((b, i) => ({
          type: "reply",
          reply: { id: clip(`pre:${id}:${i}`, 256), title: b.title },
        })),
      },
    };
  }
  const several = interactive.sections.length > 1;
  return {
    type: "list",
    body: { text },
    action: {
      button: interactive.button,
      sections: interactive.sections.map((s, i) => ({
        // Meta requires a title on each section when there are several.
        ...(s.title || several
          ? { title: clip(s.title || `${interactive.button} ${i + 1}`, 24) }
          : {}),
        rows: s.rows.map((r, j) => ({
          id: clip(`pre:${id}:${i}.${j}`, 200),
          title: r.title,
          ...(r.description ? { description: r.description } : {}),
        })),
      })),
    },
  };
}

/** The summary agents read for a sent file, like the inbound ones ("[image]", "[document] a.pdf"). */
export function mediaSummary(
  kind: UploadKind,
  filename: string,
  caption: string | undefined,
): string {
  if (caption) return caption;
  if (kind === "voice") return "[voice message]";
  if (kind === "document") return `[document] ${filename}`;
  return `[${kind}]`;
}

const UploadMetadata = z.object({
  conversationId: z.string(),
  filename: z.string(),
  source: z.literal("upload"),
  metaMediaId: z.string().min(1),
  kind: UploadKind,
});

/**
 * Turns what the agent chose (our ids) into the message to send, reading only
 * the caller's tenant: an upload of this very conversation, a predefined location
 * or message. Unknown or foreign ids → 404; a caption where Meta takes none → 400.
 */
export async function resolveSend(
  env: Env,
  tenantId: string,
  conversationId: string,
  content: SendContent,
): Promise<ResolvedSend> {
  switch (content.type) {
    case "text":
      return { text: content.text };
    case "media":
      return resolveMedia(env, tenantId, conversationId, content.uploadId, content.caption);
    case "location": {
      const row = await d1(env.DB)
        .select({
          name: locations.name,
          address: locations.address,
          latitude: locations.latitude,
          longitude: locations.longitude,
        })
        .from(locations)
        .where(and(eq(locations.id, content.locationId), eq(locations.tenantId, tenantId)))
        .get();
      if (!row) apiError(404, "not_found", "No such predefined location");
      const label = [row.name, row.address].filter(Boolean).join(", ");
      return {
        text: `[location] ${label} (${row.latitude}, ${row.longitude})`,
        outbound: {
          content: {
            type: "location",
            latitude: row.latitude,
            longitude: row.longitude,
            name: row.name,
            ...(row.address ? { address: row.address } : {}),
          },
        },
      };
    }
    case "predefined": {
      const row = await d1(env.DB)
        .select(predefinedColumns)
        .from(predefinedMessages)
        .where(
          and(
            eq(predefinedMessages.id, content.predefinedId),
            eq(predefinedMessages.tenantId, tenantId),
          ),
        )
        .get();
      if (!row) apiError(404, "not_found", "No such predefined message");
      const view = predefinedView(row);
      if (!view.interactive) return { text: view.text };
      return {
        text: view.text,
        outbound: {
          content: {
            type: "interactive",
            interactive: predefinedInteractive(view.id, view.text, view.interactive),
          },
        },
      };
    }
  }
}

async function resolveMedia(
  env: Env,
  tenantId: string,
  conversationId: string,
  uploadId: string,
  caption: string | undefined,
): Promise<ResolvedSend> {
  const object = await env.MEDIA.head(`${tenantId}/${uploadId}`);
  const meta = UploadMetadata.safeParse(object?.customMetadata);
  // Another conversation's upload went to Meta through that conversation's number.
  if (!object || !meta.success || meta.data.conversationId !== conversationId) {
    refuse("uploadGone");
  }
  const { kind, filename, metaMediaId } = meta.data;
  const sendKind = kind === "voice" ? "audio" : MediaKind.parse(kind);
  const text = caption?.trim() || undefined;
  if (text && (sendKind === "audio" || sendKind === "sticker")) {
    apiError(400, "invalid_request", `A ${kind} cannot have a caption`, [
      { path: "content.caption", message: `WhatsApp sends no caption with a ${kind}` },
    ]);
  }
  const media: SentMedia = {
    id: uploadId,
    mime: object.httpMetadata?.contentType ?? "application/octet-stream",
    filename,
    size: object.size,
  };
  const content: OutboundContent =
    sendKind === "audio" || sendKind === "sticker"
      ? { type: sendKind, mediaId: metaMediaId }
      : sendKind === "document"
        ? { type: "document", mediaId: metaMediaId, filename, ...(text ? { caption: text } : {}) }
        : { type: sendKind, mediaId: metaMediaId, ...(text ? { caption: text } : {}) };
  return { text: mediaSummary(kind, filename, text), outbound: { content, media } };
}
