import { describe, expect, it } from "vitest";
import { extractWebhookItems, type InboundMessage } from "../../meta/webhook-payload";
import {
  type ContentRow,
  contentOf,
  excerpt,
  pendingMediaOf,
  quotedWamid,
  withStoredMedia,
} from "./stored-content";

/** The row ConversationActor.appendInbound stores for a raw Meta message object. */
function inboundRow(raw: Record<string, unknown>): ContentRow {
  const { items } = extractWebhookItems({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              metadata: { phone_number_id: "100" },
              messages: [{ from: "393331234567", id: "wamid.X", timestamp: "1700000000", ...raw }],
            },
          },
        ],
      },
    ],
  });
  const item = items[0];
  if (item?.kind !== "message") throw new Error("no message");
  const m: InboundMessage = item.message;
  return {
    direction: "in",
    kind: m.type,
    text: m.text,
    payload: JSON.stringify({
      payload: m.payload,
      context: m.context,
      referral: m.referral,
      errors: m.errors,
      originalType: m.originalType,
    }),
  };
}

const lookup = (wamid: string) =>
  wamid === "wamid.OURS" ? { id: "our-id", text: "Hello", direction: "out" as const } : null;

describe("contentOf, inbound", () => {
  it("maps text, media of every kind, and the file once stored or failed", () => {
    expect(contentOf(inboundRow({ type: "text", text: { body: "Ciao" } }))).toEqual({
      type: "text",
      body: "Ciao",
    });
    const image = inboundRow({
      type: "image",
      image: { id: "m1", mime_type: "image/jpeg", caption: "Foto" },
    });
    expect(contentOf(image)).toEqual({
      type: "media",
      kind: "image",
      mediaId: null,
      mime: "image/jpeg",
      filename: null,
      caption: "Foto",
      size: null,
      failed: false,
    });
    const stored = {
      ...image,
      payload: withStoredMedia(image.payload, {
        media: { id: "ours", mime: "image/jpeg", filename: null, size: 12 },
      }),
    };
    expect(contentOf(stored)).toMatchObject({ mediaId: "ours", size: 12, failed: false });
    expect(pendingMediaOf(stored)).toBeNull();
    expect(pendingMediaOf(image)).toEqual({
      metaMediaId: "m1",
      mime: "image/jpeg",
      filename: null,
    });
    const failed = { ...image, payload: withStoredMedia(image.payload, { failed: true }) };
    expect(contentOf(failed)).toMatchObject({ mediaId: null, failed: true });

    const voice = inboundRow({
      type: "audio",
      audio: { id: "a", mime_type: "audio/ogg", voice: true },
    });
    expect(contentOf(voice)).toMatchObject({ kind: "voice" });
    const audio = inboundRow({ type: "audio", audio: { id: "a", mime_type: "audio/mpeg" } });
    expect(contentOf(audio)).toMatchObject({ kind: "audio" });
    const video = inboundRow({ type: "video", video: { id: "v", mime_type: "video/mp4" } });
    expect(contentOf(video)).toMatchObject({ kind: "video", caption: null });
    const doc = inboundRow({
      type: "document",
      document: { id: "d", mime_type: "application/pdf", filename: "a.pdf" },
    });
    expect(contentOf(doc)).toMatchObject({ kind: "document", filename: "a.pdf" });
    const sticker = inboundRow({
      type: "sticker",
      sticker: { id: "s", mime_type: "image/webp", animated: false },
    });
    expect(contentOf(sticker)).toMatchObject({ kind: "sticker", mime: "image/webp" });
  });

  it("maps locations, contacts, reactions, replies, system and unsupported messages", () => {
    expect(
      contentOf(
        inboundRow({
          type: "location",
          location: { latitude: 45.46, longitude: "9.19", name: "Duomo", address: "Milano" },
        }),
      ),
    ).toEqual({
      type: "location",
      latitude: 45.46,
      longitude: 9.19,
      name: "Duomo",
      address: "Milano",
    });
    expect(
      contentOf(
        inboundRow({
          type: "contacts",
          contacts: [
            {
              name: { first_name: "Anna", last_name: "Neri" },
              phones: [{ phone: "+39 333 1", type: "CELL" }],
              emails: [{ email: "anna@example.com" }],
              org: { company: "ACME" },
            },
          ],
        }),
      ),
    ).toEqual({
      type: "contacts",
      contacts: [
        { name: "Anna Neri", phones: ["+39 333 1"], emails: ["anna@example.com"], org: "ACME" },
      ],
    });
    const reaction = inboundRow({
      type: "reaction",
      reaction: { message_id: "wamid.OURS", emoji: "❤️" },
    });
    expect(contentOf(reaction, lookup)).toEqual({
      type: "reaction",
      emoji: "❤️",
      targetId: "our-id",
    });
    expect(contentOf(reaction)).toEqual({ type: "reaction", emoji: "❤️", targetId: null });
    const removed = inboundRow({ type: "reaction", reaction: { message_id: "wamid.OURS" } });
    expect(contentOf(removed, lookup)).toEqual({
      type: "reaction",
      emoji: null,
      targetId: "our-id",
    });
    expect(quotedWamid(reaction)).toBeNull();

    const button = inboundRow({
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "yes", title: "Sì" } },
      context: { from: "100", id: "wamid.OURS" },
    });
    expect(contentOf(button)).toEqual({
      type: "reply",
      kind: "button",
      replyId: "yes",
      title: "Sì",
      description: null,
    });
    expect(quotedWamid(button)).toBe("wamid.OURS");
    expect(
      contentOf(
        inboundRow({
          type: "interactive",
          interactive: {
            type: "list_reply",
            list_reply: { id: "r2", title: "Ritiro", description: "In negozio" },
          },
        }),
      ),
    ).toMatchObject({ kind: "list", replyId: "r2", title: "Ritiro", description: "In negozio" });
    expect(
      contentOf(inboundRow({ type: "button", button: { payload: "STOP", text: "Stop" } })),
    ).toMatchObject({ type: "reply", kind: "template_button", replyId: "STOP", title: "Stop" });
    expect(
      contentOf(
        inboundRow({
          type: "system",
          system: { body: "Changed number", type: "user_changed_number" },
        }),
      ),
    ).toEqual({ type: "note", body: "Changed number" });
    expect(
      contentOf(
        inboundRow({
          type: "unsupported",
          unsupported: { type: "edit" },
          errors: [{ code: 131051, title: "Message type unknown" }],
        }),
      ),
    ).toEqual({ type: "unsupported", originalType: "edit" });
    expect(contentOf(inboundRow({ type: "poll", poll: {} }))).toEqual({
      type: "unsupported",
      originalType: "poll",
    });
  });

  it("gives null content once the payload is gone", () => {
    expect(contentOf({ direction: "in", kind: "image", text: "", payload: null })).toBeNull();
    expect(withStoredMedia(null, { failed: true })).toBeNull();
  });
});

describe("contentOf, outbound", () => {
  const out = (kind: string, payload: unknown, text = "summary"): ContentRow => ({
    direction: "out",
    kind,
    text,
    payload: payload === null ? null : JSON.stringify(payload),
  });

  it("maps our text, files, locations, interactive messages, templates and notes", () => {
    expect(contentOf(out("text", null, "Ciao"))).toEqual({ type: "text", body: "Ciao" });
    expect(
      contentOf(
        out("document", {
          content: {
            type: "document",
            document: { id: "meta", caption: "Fattura", filename: "f.pdf" },
          },
          media: { id: "ours", mime: "application/pdf", filename: "f.pdf", size: 99 },
        }),
      ),
    ).toEqual({
      type: "media",
      kind: "document",
      mediaId: "ours",
      mime: "application/pdf",
      filename: "f.pdf",
      caption: "Fattura",
      size: 99,
      failed: false,
    });
    expect(
      contentOf(
        out("location", { content: { type: "location", location: { latitude: 1, longitude: 2 } } }),
      ),
    ).toEqual({ type: "location", latitude: 1, longitude: 2, name: null, address: null });
    expect(
      contentOf(
        out("interactive", {
          content: {
            type: "interactive",
            interactive: {
              type: "button",
              body: { text: "Scegli" },
              action: { buttons: [{ type: "reply", reply: { id: "1", title: "Uno" } }] },
            },
          },
        }),
      ),
    ).toEqual({ type: "interactive", body: "Scegli", options: ["Uno"] });
    expect(
      contentOf(out("template", { content: { type: "template", template: { name: "promo" } } })),
    ).toEqual({ type: "template", name: "promo" });
    expect(contentOf(out("note", null, "Bruno joined"))).toEqual({
      type: "note",
      body: "Bruno joined",
    });
  });

  it("cuts excerpts to one short line", () => {
    expect(excerpt("a\n  b")).toBe("a b");
    expect(excerpt("x".repeat(300))).toHaveLength(120);
  });
});
