import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../meta/webhook-payload";
import { contactKeyOf } from "./intake";

function message(from: string | null, fromUserId: string | null): InboundMessage {
  return { id: "wamid.1", from, fromUserId } as InboundMessage;
}

describe("contactKeyOf", () => {
  it("is the wa_id, from the message or else its contact", () => {
    const contact = { waId: "393330000000", userId: "US.1", name: null };
    expect(contactKeyOf(contact, message("393331111111", "US.2"))).toBe("393331111111");
    expect(contactKeyOf(contact, message(null, "US.2"))).toBe("393330000000");
  });

  it("is u:<BSUID> for a user without a phone, and null without either", () => {
    const noPhone = { waId: null, userId: "US.1", name: null };
    expect(contactKeyOf(noPhone, message(null, "US.2"))).toBe("u:US.2");
    expect(contactKeyOf(noPhone, message(null, null))).toBe("u:US.1");
    expect(contactKeyOf({ waId: null, userId: null, name: null }, message(null, null))).toBeNull();
  });
});
