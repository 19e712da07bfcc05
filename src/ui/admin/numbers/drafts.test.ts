import { describe, expect, it } from "vitest";
import {
  BotSettings,
  CreateNumberBody,
  MessageSettings,
  NumberDetails,
  type NumberView,
} from "../../../shared/admin.ts";
import { defaultNumberSettings } from "../../../shared/number-settings.ts";
import {
  type BotSkillset,
  botPreview,
  botToDraft,
  detailsToDraft,
  draftToBot,
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

  it("always sends the WABA id and access token on create (they prove the number), the app secret only if typed", () => {
    const base = { ...EMPTY_NEW_NUMBER, name: "A", displayPhone: "+1 5", phoneNumberId: "12345" };
    // Blank, they go as typed: the server names them, instead of a missing field.
    expect(newNumberBody(base)).toMatchObject({ wabaId: "", accessToken: "" });
    const filled = newNumberBody({
      ...base,
      wabaId: " 20000000001 ",
      accessToken: " tok-0123456789 ",
    });
    expect(filled).toMatchObject({ wabaId: "20000000001", accessToken: "tok-0123456789" });
    expect(CreateNumberBody.safeParse(filled).success).toBe(true);
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

describe("softbot draft and preview", () => {
  const skillset = (
    name: string,
    priority: number,
    botLabel: string | null,
    isDefault = false,
  ): BotSkillset => ({ id: name, name, priority, botLabel, isDefault });

  it("round-trips the settings; a blank invalid-choice text is null", () => {
    const bot = { ...defaultNumberSettings().bot, invalidChoice: "Sorry?" };
    const view = { settings: { ...defaultNumberSettings(), bot } } as NumberView;
    const draft = botToDraft(view);
    expect(draftToBot(draft)).toEqual(bot);
    const blank = draftToBot({ ...draft, invalidChoice: "  " });
    expect(blank.invalidChoice).toBeNull();
    expect(BotSettings.safeParse(blank).success).toBe(true);
    expect(botToDraft({ settings: defaultNumberSettings() } as NumberView).invalidChoice).toBe("");
  });

  it("lists labelled skillsets by priority then name, with no warning when all is well", () => {
    const { options, warnings } = botPreview(
      [
        skillset("Sales", 5, "Buy"),
        skillset("General", 4, null, true),
        skillset("Billing", 5, "Bills"),
        skillset("VIP", 9, "Premium"),
      ],
      "buttons",
    );
    expect(options.map((o) => o.botLabel)).toEqual(["Premium", "Bills", "Buy"]);
    expect(warnings).toEqual([]);
  });

  it("warns when the style shows fewer options or shorter titles, or nothing is labelled, or there is no default", () => {
    const four = ["A", "B", "C", "D"].map((n) => skillset(n, 5, n));
    expect(botPreview(four, "buttons").warnings).toEqual([
      { kind: "tooManyOptions", count: 4, max: 3 },
      { kind: "noDefault" },
    ]);
    expect(botPreview(four, "list").warnings).toEqual([{ kind: "noDefault" }]);
    const eleven = Array.from({ length: 11 }, (_, i) => skillset(`S${i}`, 5, `L${i}`, i === 0));
    expect(botPreview(eleven, "list").warnings).toEqual([
      { kind: "tooManyOptions", count: 11, max: 10 },
    ]);
    expect(botPreview(eleven, "text").warnings).toEqual([]);
    const long = [skillset("Tech", 5, "Assistenza tecnica 24h", true)];
    expect(botPreview(long, "buttons").warnings).toEqual([
      { kind: "titleTooLong", label: "Assistenza tecnica 24h", max: 20 },
    ]);
    expect(botPreview(long, "list").warnings).toEqual([]);
    expect(botPreview([skillset("General", 5, null, true)], "text").warnings).toEqual([
      { kind: "noOptions" },
    ]);
  });
});
