import { describe, expect, it } from "vitest";
import { MessageSettings, NumberDetails } from "../../../shared/admin.ts";
import {
  detailsToDraft,
  draftToDetails,
  draftToMessages,
  EMPTY_NEW_NUMBER,
  newNumberBody,
} from "./drafts.ts";

describe("number details draft", () => {
  it("sends blanks as null and trims, in a shape the contract accepts", () => {
    const details = draftToDetails({
      ...EMPTY_NEW_NUMBER,
      name: "  Support ",
      displayPhone: "+39 02 1234 5678",
      phoneNumberId: " 123456789012 ",
      wabaId: "  ",
      closeEmailTo: "",
      externalId: " crm-7 ",
      waitQueueAfterMinutes: 15,
    });
    expect(details).toMatchObject({
      name: "Support",
      phoneNumberId: "123456789012",
      wabaId: null,
      closeEmailTo: null,
      externalId: "crm-7",
      waitQueueAfterMinutes: 15,
    });
    expect(NumberDetails.safeParse(details).success).toBe(true);
  });

  it("round-trips a view", () => {
    const view = {
      name: "Sales",
      displayPhone: "+1 555 0100",
      phoneNumberId: "10000000001",
      wabaId: "20000000002",
      waitQueueAfterMinutes: null,
      acceptOnlyExistingCustomers: true,
      agentsMayEditCustomers: false,
      acceptAttachments: false,
      closeEmailTo: "log@example.com",
      externalId: null,
    };
    expect(draftToDetails(detailsToDraft(view))).toEqual(view);
  });

  it("sends only the credentials that were typed on create", () => {
    const base = { ...EMPTY_NEW_NUMBER, name: "A", displayPhone: "+1 5", phoneNumberId: "12345" };
    expect(newNumberBody(base)).not.toHaveProperty("accessToken");
    expect(newNumberBody({ ...base, accessToken: " tok-0123456789 " })).toMatchObject({
      accessToken: "tok-0123456789",
    });
    expect(newNumberBody(base)).not.toHaveProperty("appSecret");
  });
});

describe("messages draft", () => {
  it("sends blank texts as null and keeps a text's own spacing", () => {
    const messages = draftToMessages({
      welcome: "  Hello!\n",
      welcomeOnAssignment: "",
      welcomeOnAssignmentDelaySeconds: 20,
      welcomeAsAgent: true,
      outOfHours: "   ",
      transfer: "",
      close: "Bye",
      waitingAtClosingTime: "",
      unauthorized: "",
      attachmentRejected: "",
    });
    expect(messages.welcome).toBe("  Hello!\n");
    expect(messages.outOfHours).toBeNull();
    expect(messages.transfer).toBeNull();
    expect(MessageSettings.safeParse(messages).success).toBe(true);
  });
});
