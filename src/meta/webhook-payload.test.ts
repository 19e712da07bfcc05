import { describe, expect, it } from "vitest";
import type { InboundMessage, StatusName, WebhookItem } from "./webhook-payload.ts";
import { extractWebhookItems, statusRank } from "./webhook-payload.ts";

// ---------------------------------------------------------------------------
// Fixture builders (shapes from Meta's webhook reference, META-CONTRACT.md §4, §5, §8)
// ---------------------------------------------------------------------------

const WABA_ID = "102290129340398";
const PHONE_NUMBER_ID = "106540352242922";
const DISPLAY_PHONE = "15550783881";
const USER = "16505551234";
const TS = "1749416383";
const TS_MS = 1749416383000;

type Json = Record<string, unknown>;

function body(entries: unknown[]): Json {
  return { object: "whatsapp_business_account", entry: entries };
}

function entry(changes: unknown[], id = WABA_ID, extra: Json = {}): Json {
  return { id, changes, ...extra };
}

function messagesChange(value: Json, phoneNumberId: string = PHONE_NUMBER_ID): Json {
  return {
    field: "messages",
    value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: DISPLAY_PHONE, phone_number_id: phoneNumberId },
      ...value,
    },
  };
}

function contact(waId = USER, name = "Sheena Nelson"): Json {
  return { profile: { name }, wa_id: waId };
}

function inbound(messages: unknown[], contacts: Json[] = [contact()]): Json {
  return body([entry([messagesChange({ contacts, messages })])]);
}

function msg(id: string, type: string, part: Json, extra: Json = {}): Json {
  return { from: USER, id, timestamp: TS, type, ...part, ...extra };
}

function only<K extends WebhookItem["kind"]>(
  items: WebhookItem[],
  kind: K,
): Extract<WebhookItem, { kind: K }>[] {
  return items.filter((i): i is Extract<WebhookItem, { kind: K }> => i.kind === kind);
}

function messagesOf(b: unknown): InboundMessage[] {
  return only(extractWebhookItems(b).items, "message").map((i) => i.message);
}

/** Extracts a single-message body and returns that message, asserting no problems. */
function single(m: Json, contacts?: Json[]): InboundMessage {
  const result = extractWebhookItems(inbound([m], contacts));
  expect(result.problems).toEqual([]);
  const messages = only(result.items, "message");
  expect(messages).toHaveLength(1);
  return messages[0]!.message;
}

// ---------------------------------------------------------------------------
// Message types
// ---------------------------------------------------------------------------

describe("extractWebhookItems — message types", () => {
  it("text", () => {
    const wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
    const result = extractWebhookItems(
      inbound([msg(wamid, "text", { text: { body: "Does it come in another color?" } })]),
    );
    expect(result.problems).toEqual([]);
    expect(result.items).toEqual([
      {
        kind: "message",
        phoneNumberId: PHONE_NUMBER_ID,
        displayPhone: DISPLAY_PHONE,
        contact: { waId: USER, userId: null, name: "Sheena Nelson" },
        message: {
          id: wamid,
          from: USER,
          fromUserId: null,
          timestampMs: TS_MS,
          type: "text",
          originalType: "text",
          text: "Does it come in another color?",
          payload: { body: "Does it come in another color?" },
          context: null,
          referral: null,
          errors: [],
        },
      },
    ]);
  });

  it("image with caption, and without caption", () => {
    const image = {
      caption: "Black jacket",
      mime_type: "image/jpeg",
      sha256: "1ZkmAHqvcqmcMYVjrEGKkOVo0qobYZrRCHX+mXJMqbU=",
      id: "1003383421387256",
      url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256",
    };
    const m = single(msg("wamid.img", "image", { image }));
    expect(m.type).toBe("image");
    expect(m.text).toBe("Black jacket");
    expect(m.payload).toEqual(image);

    const { caption: _c, ...bare } = image;
    expect(single(msg("wamid.img2", "image", { image: bare })).text).toBe("[image]");
  });

  it("audio voice note and plain audio", () => {
    const audio = {
      mime_type: "audio/ogg; codecs=opus",
      sha256: "BpBoHQ5BVhvPU3v9d4z5ZBHJkSs4VIGnpH0+w4mlRFI=",
      id: "1003383421387256",
      voice: true,
    };
    const voice = single(msg("wamid.voice", "audio", { audio }));
    expect(voice.type).toBe("audio");
    expect(voice.text).toBe("[voice message]");
    expect(voice.payload).toEqual(audio);
    expect(single(msg("wamid.aud", "audio", { audio: { ...audio, voice: false } })).text).toBe(
      "[audio]",
    );
  });

  it("video", () => {
    const video = {
      caption: "Look at this",
      mime_type: "video/mp4",
      sha256: "6+AUG5+zCv8wBfqDqdbx6gyHm5Ntq35xjk9L1ALQ7AE=",
      id: "1003383421387256",
    };
    const m = single(msg("wamid.vid", "video", { video }));
    expect(m.text).toBe("Look at this");
    expect(single(msg("wamid.vid2", "video", { video: { id: "1" } })).text).toBe("[video]");
  });

  it("document with filename", () => {
    const document = {
      filename: "receipt.pdf",
      mime_type: "application/pdf",
      sha256: "dzYRs6sBF1tQTgVq8MBEvV1NKW1DwjZ3cwFhZWgx4bE=",
      id: "1003383421387256",
    };
    const m = single(msg("wamid.doc", "document", { document }));
    expect(m.type).toBe("document");
    expect(m.text).toBe("[document] receipt.pdf");
    expect(
      single(msg("wamid.doc2", "document", { document: { ...document, caption: "My receipt" } }))
        .text,
    ).toBe("My receipt");
  });

  it("sticker (animated and static)", () => {
    const sticker = {
      mime_type: "image/webp",
      sha256: "u6Ov2mHkpDhJJnvbrMCjB4/i+4/3ZXnuAXP6e8rcXyI=",
      id: "1003383421387256",
      animated: true,
    };
    expect(single(msg("wamid.st", "sticker", { sticker })).text).toBe("[animated sticker]");
    expect(
      single(msg("wamid.st2", "sticker", { sticker: { ...sticker, animated: false } })).text,
    ).toBe("[sticker]");
  });

  it("location with name and address, and bare coordinates", () => {
    const location = {
      address: "1 Hacker Way, Menlo Park, CA 94025",
      latitude: 37.483307,
      longitude: -122.148981,
      name: "Main Street Beach",
      url: "https://www.facebook.com",
    };
    const m = single(msg("wamid.loc", "location", { location }));
    expect(m.type).toBe("location");
    expect(m.text).toBe(
      "[location] Main Street Beach, 1 Hacker Way, Menlo Park, CA 94025 (37.483307, -122.148981)",
    );
    expect(m.payload).toEqual(location);
    const bare = single(
      msg("wamid.loc2", "location", { location: { latitude: 1.5, longitude: 2 } }),
    );
    expect(bare.text).toBe("[location] (1.5, 2)");
  });

  it("contacts (shared vCards)", () => {
    const contacts = [
      {
        addresses: [{ city: "Menlo Park", type: "HOME" }],
        birthday: "1999-01-23",
        emails: [{ email: "bjohnson@example.com", type: "HOME" }],
        name: { first_name: "Barbara", last_name: "Johnson", formatted_name: "Barbara J. Johnson" },
        org: { company: "Lucky Shrub" },
        phones: [{ phone: "+1 (650) 555-1234", wa_id: "16505551234", type: "HOME" }],
        urls: [{ url: "https://www.luckyshrub.com", type: "WORK" }],
      },
      { name: { first_name: "John", last_name: "Doe" } },
    ];
    const m = single(msg("wamid.cts", "contacts", { contacts }));
    expect(m.type).toBe("contacts");
    expect(m.text).toBe("[contacts] Barbara J. Johnson, John Doe");
    expect(m.payload).toEqual(contacts);
    const one = single(
      msg("wamid.cts1", "contacts", { contacts: [{ phones: [{ phone: "+39" }] }] }),
    );
    expect(one.text).toBe("[contact] +39");
  });

  it("interactive button_reply, list_reply and nfm_reply", () => {
    const context = { from: DISPLAY_PHONE, id: "wamid.ours" };
    const button = single(
      msg(
        "wamid.ib",
        "interactive",
        { interactive: { type: "button_reply", button_reply: { id: "yes-1", title: "Yes" } } },
        { context },
      ),
    );
    expect(button.type).toBe("interactive");
    expect(button.originalType).toBe("interactive");
    expect(button.text).toBe("Yes");
    expect(button.context).toEqual(context);
    expect(button.payload).toEqual({
      type: "button_reply",
      button_reply: { id: "yes-1", title: "Yes" },
    });

    const list = single(
      msg("wamid.il", "interactive", {
        interactive: {
          type: "list_reply",
          list_reply: { id: "row-2", title: "Priority shipping", description: "Next day" },
        },
      }),
    );
    expect(list.text).toBe("Priority shipping");

    const flow = single(
      msg("wamid.if", "interactive", {
        interactive: {
          type: "nfm_reply",
          nfm_reply: { name: "flow", body: "Sent", response_json: '{"flow_token":"t"}' },
        },
      }),
    );
    expect(flow.type).toBe("interactive");
    expect(flow.originalType).toBe("interactive");
    expect(flow.text).toBe("[flow reply] Sent");
  });

  it("button (template quick reply)", () => {
    const m = single(
      msg(
        "wamid.btn",
        "button",
        { button: { payload: "STOP_PROMOS", text: "Stop promotions" } },
        { context: { from: DISPLAY_PHONE, id: "wamid.template" } },
      ),
    );
    expect(m.type).toBe("button");
    expect(m.text).toBe("Stop promotions");
    expect(m.context).toEqual({ from: DISPLAY_PHONE, id: "wamid.template" });
  });

  it("reaction added and removed", () => {
    const added = single(
      msg("wamid.r1", "reaction", { reaction: { message_id: "wamid.ours", emoji: "👍" } }),
    );
    expect(added.type).toBe("reaction");
    expect(added.text).toBe("[reaction 👍]");
    expect(added.payload).toEqual({ message_id: "wamid.ours", emoji: "👍" });
    const removed = single(msg("wamid.r2", "reaction", { reaction: { message_id: "wamid.ours" } }));
    expect(removed.text).toBe("[reaction removed]");
  });

  it("order", () => {
    const order = {
      catalog_id: "194836987003835",
      text: "Please deliver before 5pm",
      product_items: [
        { product_retailer_id: "di9ozbzfi4", quantity: 2, item_price: 30, currency: "USD" },
        { product_retailer_id: "nqryix03ez", quantity: 1, item_price: 25.5, currency: "USD" },
      ],
    };
    const m = single(msg("wamid.ord", "order", { order }));
    expect(m.type).toBe("order");
    expect(m.text).toBe("[order] 3 items, 85.50 USD: Please deliver before 5pm");
    expect(m.payload).toEqual(order);
  });

  it("system (user changed number), without contacts", () => {
    const system = {
      body: "User Sheena Nelson changed from 16505551234 to 16505553333",
      wa_id: "16505553333",
      type: "user_changed_number",
    };
    const m = single(msg("wamid.sys", "system", { system }), []);
    expect(m.type).toBe("system");
    expect(m.text).toBe(system.body);
    expect(m.payload).toEqual(system);
  });

  it("unsupported with errors 131051 keeps the inner type", () => {
    const raw = msg("wamid.uns", "unsupported", {
      errors: [
        {
          code: 131051,
          title: "Message type unknown",
          message: "Message type unknown",
          error_data: { details: "Message type is currently not supported." },
        },
      ],
      unsupported: { type: "edit" },
    });
    const m = single(raw);
    expect(m.type).toBe("unsupported");
    expect(m.originalType).toBe("edit");
    expect(m.text).toBe("[unsupported: edit]");
    expect(m.payload).toEqual(raw);
    expect(m.errors).toEqual([
      {
        code: 131051,
        title: "Message type unknown",
        message: "Message type unknown",
        details: "Message type is currently not supported.",
      },
    ]);
  });

  it("legacy type unknown", () => {
    const m = single(
      msg("wamid.unk", "unknown", {
        errors: [{ code: 131051, title: "Unsupported message type" }],
      }),
    );
    expect(m.type).toBe("unsupported");
    expect(m.originalType).toBe("unknown");
    expect(m.errors).toEqual([{ code: 131051, title: "Unsupported message type" }]);
  });

  it("unknown future type becomes unsupported, never dropped", () => {
    const raw = msg("wamid.fut", "future_type", { future_type: { anything: 1 } });
    const m = single(raw);
    expect(m).toMatchObject({
      id: "wamid.fut",
      type: "unsupported",
      originalType: "future_type",
      text: "[unsupported: future_type]",
      payload: raw,
    });
  });

  it("unknown interactive subtype becomes unsupported, with a problem note", () => {
    const result = extractWebhookItems(
      inbound([
        msg("wamid.icp", "interactive", {
          interactive: { type: "call_permission_reply", call_permission_reply: {} },
        }),
      ]),
    );
    const [item] = only(result.items, "message");
    expect(item?.message.type).toBe("unsupported");
    expect(item?.message.originalType).toBe("interactive");
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain("malformed interactive");
  });
});

// ---------------------------------------------------------------------------
// Context, referral, identity
// ---------------------------------------------------------------------------

describe("extractWebhookItems — context, referral and contacts", () => {
  it("reply context", () => {
    const m = single(
      msg(
        "wamid.reply",
        "text",
        { text: { body: "this one" } },
        { context: { from: DISPLAY_PHONE, id: "wamid.quoted" } },
      ),
    );
    expect(m.context).toEqual({ from: DISPLAY_PHONE, id: "wamid.quoted" });
  });

  it("forwarded and frequently forwarded", () => {
    const m = single(
      msg(
        "wamid.fwd",
        "text",
        { text: { body: "chain letter" } },
        { context: { forwarded: true, frequently_forwarded: true } },
      ),
    );
    expect(m.context).toEqual({ forwarded: true, frequentlyForwarded: true });
  });

  it("malformed context fields are dropped, not fatal", () => {
    const m = single(
      msg("wamid.cx", "text", { text: { body: "x" } }, { context: { id: 5, forwarded: "yes" } }),
    );
    expect(m.context).toEqual({});
    expect(single(msg("wamid.cx2", "text", { text: { body: "x" } }, { context: 7 })).context).toBe(
      null,
    );
  });

  it("referral from a click-to-WhatsApp ad", () => {
    const referral = {
      source_url: "https://fb.me/3cr4Wqqkv",
      source_id: "120226305854810726",
      source_type: "ad",
      body: "Summer succulents are here!",
      headline: "Chat with us",
      media_type: "image",
      image_url: "https://scontent.xx.fbcdn.net/v/t45.1600-4/example.jpg",
      thumbnail_url: "https://scontent.xx.fbcdn.net/v/t45.1600-4/thumb.jpg",
      ctwa_clid:
        "Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iRIxJNX0KlcBD_TNkc",
      welcome_message: { text: "Hi there! Let us know how we can help." },
    };
    const m = single(msg("wamid.ad", "text", { text: { body: "Hi!" } }, { referral }));
    expect(m.referral).toEqual(referral);
    expect(m.text).toBe("Hi!");
  });

  it("matches contacts by wa_id across several senders", () => {
    const result = extractWebhookItems(
      inbound(
        [
          msg("wamid.a", "text", { text: { body: "a" } }, { from: "111" }),
          msg("wamid.b", "text", { text: { body: "b" } }, { from: "222" }),
        ],
        [contact("222", "Bob"), contact("111", "Alice")],
      ),
    );
    expect(only(result.items, "message").map((i) => i.contact)).toEqual([
      { waId: "111", userId: null, name: "Alice" },
      { waId: "222", userId: null, name: "Bob" },
    ]);
  });

  it("matches contacts by BSUID when the sender has no phone", () => {
    const raw = {
      id: "wamid.bsuid",
      timestamp: TS,
      from_user_id: "US.13491208655302741918",
      type: "text",
      text: { body: "hello" },
    };
    const contacts = [
      contact("999", "Someone else"),
      { profile: { name: "Ada", username: "ada" }, user_id: "US.13491208655302741918", wa_id: "" },
    ];
    const result = extractWebhookItems(inbound([raw], contacts));
    expect(result.problems).toEqual([]);
    const [item] = only(result.items, "message");
    expect(item?.message.from).toBe(null);
    expect(item?.message.fromUserId).toBe("US.13491208655302741918");
    expect(item?.contact).toEqual({ waId: null, userId: "US.13491208655302741918", name: "Ada" });
  });

  it("falls back to the single contact when wa_id differs from from", () => {
    const m = extractWebhookItems(
      inbound(
        [msg("wamid.br", "text", { text: { body: "oi" } }, { from: "5511912345678" })],
        [contact("551112345678", "Brazil")],
      ),
    );
    expect(only(m.items, "message")[0]?.contact).toEqual({
      waId: "551112345678",
      userId: null,
      name: "Brazil",
    });
  });

  it("without any contact uses the message identity", () => {
    const m = extractWebhookItems(inbound([msg("wamid.nc", "text", { text: { body: "x" } })], []));
    expect(only(m.items, "message")[0]?.contact).toEqual({ waId: USER, userId: null, name: null });
  });
});

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

describe("extractWebhookItems — malformed input", () => {
  it("malformed known type with an id becomes unsupported and is noted", () => {
    const raw = msg("wamid.badimg", "image", { image: { mime_type: "image/jpeg" } });
    const result = extractWebhookItems(inbound([raw]));
    const [item] = only(result.items, "message");
    expect(item?.message).toMatchObject({
      id: "wamid.badimg",
      type: "unsupported",
      originalType: "image",
      text: "[unsupported: image]",
      payload: raw,
    });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain("malformed image");
  });

  it("text without body and message without type become unsupported", () => {
    const ms = messagesOf(
      inbound([
        msg("wamid.t", "text", { text: {} }),
        { id: "wamid.nt", from: USER, timestamp: TS },
      ]),
    );
    expect(ms.map((m) => [m.type, m.originalType])).toEqual([
      ["unsupported", "text"],
      ["unsupported", "unknown"],
    ]);
  });

  it("a message without an id is a problem; the others are still parsed", () => {
    const result = extractWebhookItems(
      inbound([
        msg("wamid.1", "text", { text: { body: "one" } }),
        { from: USER, timestamp: TS, type: "text", text: { body: "no id" } },
        msg("wamid.3", "text", { text: { body: "three" } }),
        "not even an object",
        { ...msg("x", "text", { text: { body: "numeric id" } }), id: 42 },
      ]),
    );
    expect(only(result.items, "message").map((i) => i.message.id)).toEqual(["wamid.1", "wamid.3"]);
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toContain("entry[0].changes[0].value.messages[1]");
  });

  it("accepts numeric timestamps and falls back to entry.time for missing ones", () => {
    const result = extractWebhookItems(
      body([
        entry(
          [
            messagesChange({
              contacts: [contact()],
              messages: [
                { ...msg("wamid.n", "text", { text: { body: "n" } }), timestamp: 1700000000 },
                { ...msg("wamid.m", "text", { text: { body: "m" } }), timestamp: "soon" },
              ],
            }),
          ],
          WABA_ID,
          { time: 1700000100 },
        ),
      ]),
    );
    const ms = only(result.items, "message").map((i) => i.message.timestampMs);
    expect(ms).toEqual([1700000000000, 1700000100000]);
    expect(result.problems).toEqual([
      "entry[0].changes[0].value.messages[1]: missing or invalid timestamp",
    ]);
  });

  it("keeps extra fields Meta may add (loose objects)", () => {
    const m = single(
      msg("wamid.extra", "image", { image: { id: "9", brand_new: { x: 1 } } }, { group_id: "g" }),
    );
    expect(m.type).toBe("image");
    expect(m.payload).toEqual({ id: "9", brand_new: { x: 1 } });
  });

  it("summaries are capped at 4096 chars and stripped of control characters", () => {
    const long = single(msg("wamid.long", "text", { text: { body: "😀".repeat(5000) } }));
    expect(long.text.length).toBeLessThanOrEqual(4096);
    expect(long.text.endsWith("…")).toBe(true);
    expect(long.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const ctl = single(msg("wamid.ctl", "text", { text: { body: "a\u0000b\r\nc\u0007\td" } }));
    expect(ctl.text).toBe("ab\nc\td");
    // the payload itself is untouched
    expect(ctl.payload).toEqual({ body: "a\u0000b\r\nc\u0007\td" });
  });

  it("missing phone_number_id is a problem and skips that change only", () => {
    const result = extractWebhookItems(
      body([
        entry([
          {
            field: "messages",
            value: { messages: [msg("wamid.x", "text", { text: { body: "x" } })] },
          },
          messagesChange({ messages: [msg("wamid.y", "text", { text: { body: "y" } })] }),
        ]),
      ]),
    );
    expect(only(result.items, "message").map((i) => i.message.id)).toEqual(["wamid.y"]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain("phone_number_id");
  });

  it("non-array messages/statuses and non-object values are problems", () => {
    const result = extractWebhookItems(
      body([
        entry([
          messagesChange({ messages: { not: "array" } }),
          { field: "messages", value: "nope" },
          "garbage change",
        ]),
        "garbage entry",
        { id: "1" },
      ]),
    );
    expect(result.items).toEqual([]);
    expect(result.problems).toHaveLength(5);
  });

  it("unknown change fields produce a problem and no item", () => {
    const result = extractWebhookItems(
      body([
        entry([
          { field: "account_update", value: { event: "VERIFIED_ACCOUNT" } },
          {
            field: "message_template_quality_update",
            value: {
              previous_quality_score: "GREEN",
              new_quality_score: "YELLOW",
              message_template_id: 806312974732579,
              message_template_name: "welcome",
              message_template_language: "en_US",
            },
          },
        ]),
      ]),
    );
    expect(result.items).toEqual([]);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toContain("account_update");
    expect(result.problems[1]).toContain("message_template_quality_update");
  });

  it("ignores unknown top-level fields", () => {
    const b = { ...inbound([msg("wamid.tl", "text", { text: { body: "x" } })]), extra: 1 };
    const result = extractWebhookItems(b);
    expect(result.problems).toEqual([]);
    expect(result.items).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------

describe("extractWebhookItems — envelope", () => {
  it("non-whatsapp object yields no items and a problem", () => {
    const result = extractWebhookItems({
      object: "page",
      entry: [entry([messagesChange({ messages: [msg("w", "text", { text: { body: "x" } })] })])],
    });
    expect(result.items).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain("page");
  });

  it.each([null, undefined, 42, "string", [], true, { object: "whatsapp_business_account" }])(
    "non-object or entry-less body %j never throws",
    (b) => {
      const result = extractWebhookItems(b);
      expect(result.items).toEqual([]);
      expect(result.problems).toHaveLength(1);
    },
  );

  it("empty entry array is fine", () => {
    expect(extractWebhookItems(body([]))).toEqual({ items: [], problems: [] });
  });

  it("iterates every entry × change × item", () => {
    const textMsg = (id: string) => msg(id, "text", { text: { body: id } });
    const st = (id: string, status: string) => ({
      id,
      status,
      timestamp: TS,
      recipient_id: USER,
    });
    const result = extractWebhookItems(
      body([
        entry([
          messagesChange({ contacts: [contact()], messages: [textMsg("m1"), textMsg("m2")] }),
          messagesChange({ statuses: [st("s1", "sent"), st("s2", "delivered")] }, "PNID-2"),
        ]),
        entry(
          [
            messagesChange(
              { contacts: [contact()], messages: [textMsg("m3"), textMsg("m3"), textMsg("m4")] },
              "PNID-3",
            ),
            messagesChange({ errors: [{ code: 130429, title: "Rate limit hit" }] }, "PNID-4"),
          ],
          "WABA-2",
        ),
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(
      result.items.map((i) =>
        i.kind === "message"
          ? `${i.phoneNumberId}:msg:${i.message.id}`
          : i.kind === "status"
            ? `${i.phoneNumberId}:st:${i.status.id}:${i.status.status}`
            : i.kind === "error"
              ? `${i.phoneNumberId}:err:${i.errors.map((e) => e.code).join(",")}`
              : "template",
      ),
    ).toEqual([
      `${PHONE_NUMBER_ID}:msg:m1`,
      `${PHONE_NUMBER_ID}:msg:m2`,
      "PNID-2:st:s1:sent",
      "PNID-2:st:s2:delivered",
      "PNID-3:msg:m3",
      "PNID-3:msg:m3", // duplicates in one POST are kept; dedupe is the consumer's job
      "PNID-3:msg:m4",
      "PNID-4:err:130429",
    ]);
  });

  it("handles a 1000-item batch", () => {
    const messages = Array.from({ length: 600 }, (_, i) =>
      msg(`wamid.${i}`, "text", { text: { body: `message ${i}` } }, { from: `39${i}` }),
    );
    const statuses = Array.from({ length: 400 }, (_, i) => ({
      id: `wamid.out.${i}`,
      status: i % 2 === 0 ? "delivered" : "read",
      timestamp: String(1700000000 + i),
      recipient_id: `39${i}`,
    }));
    const contacts = messages.map((_, i) => contact(`39${i}`, `User ${i}`));
    const result = extractWebhookItems(
      body([entry([messagesChange({ contacts, messages }), messagesChange({ statuses })])]),
    );
    expect(result.problems).toEqual([]);
    expect(result.items).toHaveLength(1000);
    const ms = only(result.items, "message");
    expect(ms[599]?.contact.name).toBe("User 599");
    expect(ms[599]?.message.text).toBe("message 599");
    expect(only(result.items, "status")[399]?.status.timestampMs).toBe(1700000399000);
  });
});

// ---------------------------------------------------------------------------
// Statuses and errors
// ---------------------------------------------------------------------------

describe("extractWebhookItems — statuses", () => {
  const sentStatus = {
    id: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA",
    status: "sent",
    timestamp: "1750263773",
    recipient_id: USER,
    conversation: {
      id: "6ceb9d929c1a9e3a8d9b5ae7d2b7b4a2",
      expiration_timestamp: "1750350180",
      origin: { type: "utility" },
    },
    pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" },
    biz_opaque_callback_data: "ticket-42",
  };

  function statusesOf(statuses: Json[]) {
    const result = extractWebhookItems(body([entry([messagesChange({ statuses })])]));
    return { result, statuses: only(result.items, "status") };
  }

  it("sent, delivered, read, played, deleted", () => {
    const names: StatusName[] = ["sent", "delivered", "read", "played", "deleted"];
    const { result, statuses } = statusesOf(names.map((status) => ({ ...sentStatus, status })));
    expect(result.problems).toEqual([]);
    expect(statuses.map((s) => s.status.status)).toEqual(names);
    expect(statuses[0]).toEqual({
      kind: "status",
      phoneNumberId: PHONE_NUMBER_ID,
      status: {
        id: sentStatus.id,
        status: "sent",
        timestampMs: 1750263773000,
        recipientId: USER,
        errors: [],
        bizOpaqueCallbackData: "ticket-42",
      },
    });
  });

  it("failed with errors", () => {
    const { statuses } = statusesOf([
      {
        id: "wamid.failed",
        status: "failed",
        timestamp: "1750263773",
        recipient_id: USER,
        errors: [
          {
            code: 131049,
            title: "This message was not delivered to maintain healthy ecosystem engagement.",
            message: "This message was not delivered to maintain healthy ecosystem engagement.",
            error_data: { details: "In order to maintain a healthy ecosystem engagement..." },
            href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
          },
        ],
      },
    ]);
    expect(statuses[0]?.status).toEqual({
      id: "wamid.failed",
      status: "failed",
      timestampMs: 1750263773000,
      recipientId: USER,
      errors: [
        {
          code: 131049,
          title: "This message was not delivered to maintain healthy ecosystem engagement.",
          message: "This message was not delivered to maintain healthy ecosystem engagement.",
          details: "In order to maintain a healthy ecosystem engagement...",
        },
      ],
      bizOpaqueCallbackData: null,
    });
  });

  it("unknown status string or missing id skips only that item", () => {
    const { result, statuses } = statusesOf([
      { ...sentStatus, status: "warning" },
      { ...sentStatus, id: undefined },
      { ...sentStatus, status: "read" },
    ]);
    expect(statuses.map((s) => s.status.status)).toEqual(["read"]);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toContain('unknown status "warning"');
  });

  it("accepts numeric timestamps and missing recipient_id", () => {
    const { statuses } = statusesOf([
      { id: "wamid.n", status: "delivered", timestamp: 1750263773 },
    ]);
    expect(statuses[0]?.status.timestampMs).toBe(1750263773000);
    expect(statuses[0]?.status.recipientId).toBe(null);
  });

  it("value-level errors become one error item", () => {
    const result = extractWebhookItems(
      body([
        entry([
          messagesChange({
            errors: [
              {
                code: 130429,
                title: "Rate limit hit",
                message: "(#130429) Rate limit hit",
                error_data: { details: "Cloud API message throughput has been reached." },
                href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
              },
              { code: 131000 },
              { title: "no code" },
            ],
          }),
        ]),
      ]),
    );
    expect(result.items).toEqual([
      {
        kind: "error",
        phoneNumberId: PHONE_NUMBER_ID,
        errors: [
          {
            code: 130429,
            title: "Rate limit hit",
            message: "(#130429) Rate limit hit",
            details: "Cloud API message throughput has been reached.",
          },
          { code: 131000, title: "" },
        ],
      },
    ]);
    expect(result.problems).toHaveLength(1);
  });

  it("value-level errors without metadata have a null phone number id", () => {
    const result = extractWebhookItems(
      body([entry([{ field: "messages", value: { errors: [{ code: 1, title: "x" }] } }])]),
    );
    expect(result.items).toEqual([
      { kind: "error", phoneNumberId: null, errors: [{ code: 1, title: "x" }] },
    ]);
    expect(result.problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

describe("extractWebhookItems — template status updates", () => {
  const approved = {
    event: "APPROVED",
    message_template_id: 806312974732579,
    message_template_name: "welcome_template",
    message_template_language: "en_US",
    reason: "NONE",
    message_template_category: "MARKETING",
  };

  it("message_template_status_update", () => {
    const result = extractWebhookItems(
      body([
        entry([{ field: "message_template_status_update", value: approved }], WABA_ID, {
          time: 1674864290,
        }),
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(result.items).toEqual([
      {
        kind: "template_status",
        wabaId: WABA_ID,
        update: {
          event: "APPROVED",
          templateId: "806312974732579",
          name: "welcome_template",
          language: "en_US",
          reason: "NONE",
          category: "MARKETING",
          timestampMs: 1674864290000,
        },
      },
    ]);
  });

  it("rejected with null reason, string id, no category and no entry time", () => {
    const { message_template_category: _c, ...rest } = approved;
    const result = extractWebhookItems(
      body([
        entry([
          {
            field: "message_template_status_update",
            value: { ...rest, event: "REJECTED", reason: null, message_template_id: "123" },
          },
        ]),
      ]),
    );
    expect(result.items).toEqual([
      {
        kind: "template_status",
        wabaId: WABA_ID,
        update: {
          event: "REJECTED",
          templateId: "123",
          name: "welcome_template",
          language: "en_US",
          reason: null,
          category: null,
          timestampMs: null,
        },
      },
    ]);
  });

  it("detects a template status update under a mislabelled field", () => {
    const result = extractWebhookItems(
      body([entry([{ field: "messages", value: { ...approved, event: "PAUSED" } }])]),
    );
    expect(only(result.items, "template_status")[0]?.update.event).toBe("PAUSED");
    expect(result.problems).toEqual([]);
  });

  it("quality update mislabelled as a status update is ignored with a problem", () => {
    const result = extractWebhookItems(
      body([
        entry([
          {
            field: "message_template_status_update",
            value: {
              previous_quality_score: "GREEN",
              new_quality_score: "YELLOW",
              message_template_id: 806312974732579,
              message_template_name: "welcome_template",
              message_template_language: "en_US",
            },
          },
        ]),
      ]),
    );
    expect(result.items).toEqual([]);
    expect(result.problems).toHaveLength(1);
  });

  it("malformed template update is a problem", () => {
    const result = extractWebhookItems(
      body([
        entry([
          {
            field: "message_template_status_update",
            value: { event: "APPROVED", message_template_id: 1 },
          },
        ]),
      ]),
    );
    expect(result.items).toEqual([]);
    expect(result.problems).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// statusRank
// ---------------------------------------------------------------------------

describe("statusRank", () => {
  it("orders ticks monotonically", () => {
    expect(statusRank("sent")).toBe(1);
    expect(statusRank("delivered")).toBe(2);
    expect(statusRank("read")).toBe(3);
    expect(statusRank("played")).toBe(3);
    expect(statusRank("sent")).toBeLessThan(statusRank("delivered"));
    expect(statusRank("delivered")).toBeLessThan(statusRank("read"));
  });

  it("failed is terminal and deleted is ignored", () => {
    const all: StatusName[] = ["sent", "delivered", "read", "played", "failed", "deleted"];
    for (const s of all) {
      if (s !== "failed") expect(statusRank("failed")).toBeGreaterThan(statusRank(s));
    }
    expect(statusRank("failed")).toBe(99);
    expect(statusRank("deleted")).toBe(0);
  });
});
