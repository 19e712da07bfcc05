import { describe, expect, it } from "vitest";
import { maskJson } from "./masking";

describe("maskJson", () => {
  it("masks the listed keys at any depth and leaves ids, times, states and the business's phone alone", () => {
    const answer = {
      conversations: [
        {
          id: "550e8400-e29b-41d4-a716-446655440000",
          numberId: "100000000000001",
          displayPhone: "+1 555 010 0001",
          customer: { id: "c-1", name: "+447966197542", phone: "+447966197542" },
          createdAt: 1763712000000,
          state: "assigned",
        },
      ],
      messages: [
        {
          id: "wamid.HBgLNDQ3OTY2MTk3NTQyFQIAEhg",
          text: "mail melissa@gmail.com",
          content: {
            type: "contacts",
            contacts: [{ name: "Ann", phones: ["+39 333 123 4567"], emails: ["ann@x.it"] }],
          },
          replyTo: { id: "m-0", excerpt: "card 4111 1111 1111 1111", direction: "in" },
        },
      ],
      properties: { vip: true, code: "IT60X0542811101000000123456", visits: 12 },
      matches: ["\u{E000}melissa\u{E001}@gmail.com"],
    };
    expect(maskJson(answer)).toEqual({
      conversations: [
        {
          id: "550e8400-e29b-41d4-a716-446655440000",
          numberId: "100000000000001",
          displayPhone: "+1 555 010 0001",
          customer: { id: "c-1", name: "*********7542", phone: "*********7542" },
          createdAt: 1763712000000,
          state: "assigned",
        },
      ],
      messages: [
        {
          id: "wamid.HBgLNDQ3OTY2MTk3NTQyFQIAEhg",
          text: "mail m******@gmail.com",
          content: {
            type: "contacts",
            contacts: [{ name: "Ann", phones: ["*** *** *** 4567"], emails: ["a**@x.it"] }],
          },
          replyTo: { id: "m-0", excerpt: "card **** **** **** 1111", direction: "in" },
        },
      ],
      properties: { vip: true, code: "***********************3456", visits: 12 },
      matches: ["\u{E000}m******\u{E001}@gmail.com"],
    });
  });

  it("masks the address in a notice about a transcript that could not be mailed", () => {
    const note = {
      content: {
        type: "note",
        body: "The transcript of this conversation could not be e-mailed to melissa@gmail.com.",
        notice: "close_mail_failed",
        detail: "melissa@gmail.com",
      },
    };
    expect(maskJson(note)).toEqual({
      content: {
        type: "note",
        body: "The transcript of this conversation could not be e-mailed to m******@gmail.com.",
        notice: "close_mail_failed",
        detail: "m******@gmail.com",
      },
    });
  });

  it("is idempotent and leaves null and scalars as they are", () => {
    const once = maskJson({ phone: "+447966197542", notes: null, priority: 5, ok: true });
    expect(once).toEqual({ phone: "*********7542", notes: null, priority: 5, ok: true });
    expect(maskJson(once)).toEqual(once);
  });
});
