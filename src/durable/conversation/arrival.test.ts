import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../meta/webhook-payload";
import {
  alwaysOpenWorkingTime,
  defaultNumberSettings,
  readSettings,
  type StoredSettings,
} from "../../shared/number-settings";
import { CUSTOMER_WINDOW_MS } from "../../shared/protocol";
import type { NumberConfig } from "../contracts";
import { arrival, outOfHours, refusesAttachment } from "./arrival";
import { SYSTEM_CLOSE_REASON } from "./lifecycle";
import { type ConversationRecord, newRecord } from "./record";

const HOUR = 60 * 60_000;
/** Monday 16 November 2026, 10:00 in Rome (UTC+1): open in the default office hours. */
const MONDAY_10 = Date.parse("2026-11-16T09:00:00Z");
/** Sunday 15 November 2026, 10:00 in Rome: closed until Monday 09:00. */
const SUNDAY_10 = Date.parse("2026-11-15T09:00:00Z");
const MONDAY_9 = Date.parse("2026-11-16T08:00:00Z");

const OPTIONS = [
  { skillsetId: "sales", label: "Sales" },
  { skillsetId: "care", label: "Customer care" },
];

function config(patch: (s: StoredSettings) => void = () => {}, botOptions = OPTIONS): NumberConfig {
  const settings: StoredSettings = {
    ...defaultNumberSettings(),
    details: readSettings("{}").details,
    workingTime: alwaysOpenWorkingTime(),
  };
  settings.messages = {
    ...settings.messages,
    welcome: "Welcome",
    outOfHours: "We are closed",
    unauthorized: "Not allowed",
    attachmentRejected: "No files, please",
  };
  patch(settings);
  return { settings, botOptions, defaultSkillsetId: "care" };
}

/** A stored conversation, as the actor has it once the messages are counted in. */
function stored(cfg: NumberConfig, patch: Partial<ConversationRecord> = {}): ConversationRecord {
  const record = newRecord(
    {
      id: "c1",
      tenantId: "t1",
      number: { id: "n1", tenantId: "t1", phoneNumberId: "p1", displayPhone: "+1", name: "N" },
      customer: {
        id: "cu1",
        name: "Mario",
        phone: "+39333",
        contactKey: "39333",
        recipient: "39333",
        priority: 5,
      },
      skillsetId: null,
      createdAt: 0,
      config: cfg,
    },
    0,
  );
  return { ...record, lastCustomerMessageAt: MONDAY_10, ...patch };
}

function message(id: string, patch: Partial<InboundMessage> = {}): InboundMessage {
  return {
    id,
    from: "39333",
    fromUserId: null,
    timestampMs: MONDAY_10,
    type: "text",
    originalType: "text",
    text: "hello",
    payload: { body: "hello" },
    context: null,
    referral: null,
    errors: [],
    ...patch,
  };
}

const keys = (a: { automatic: { key: string }[] }) => a.automatic.map((m) => m.key);

describe("attachments", () => {
  it("refuses the file types only where the number does not accept attachments", () => {
    const refusing = config((s) => (s.details.acceptAttachments = false));
    for (const type of ["image", "document", "audio", "video", "sticker"]) {
      expect(refusesAttachment(refusing, { type })).toBe(true);
      expect(refusesAttachment(config(), { type })).toBe(false);
    }
    expect(refusesAttachment(refusing, { type: "text" })).toBe(false);
    expect(refusesAttachment(refusing, { type: "location" })).toBe(false);
  });

  it("answers each refused file with its own message, before the other rules", () => {
    const cfg = config((s) => (s.details.acceptAttachments = false));
    const fresh = [
      message("w1", { type: "image" }),
      message("w2"),
      message("w3", { type: "audio" }),
    ];
    const a = arrival(stored(cfg), cfg, { isNew: true, fresh }, MONDAY_10);
    expect(keys(a)).toEqual(["attachment_refused:w1", "attachment_refused:w3", "welcome"]);
    expect(a.automatic[0]?.text).toBe("No files, please");
  });
});

describe("a new conversation", () => {
  it("is welcomed and queued for its skillset while the number is open", () => {
    const cfg = config();
    const a = arrival(
      stored(cfg, { skillsetId: "sales" }),
      cfg,
      { isNew: true, fresh: [message("w1")] },
      MONDAY_10,
    );
    expect(a.automatic).toEqual([{ key: "welcome", text: "Welcome" }]);
    expect(a.route).toEqual({ type: "queue", skillsetId: "sales", kind: "new" });
    expect(a.record).toMatchObject({ state: "queued", stateSince: MONDAY_10 });
    expect(a).toMatchObject({ close: null, answered: false });
  });

  it("gets the out-of-hours message instead of the welcome while the number is closed, and still queues", () => {
    const cfg = config((s) => (s.workingTime = defaultNumberSettings().workingTime));
    const record = stored(cfg, { lastCustomerMessageAt: SUNDAY_10 });
    const a = arrival(record, cfg, { isNew: true, fresh: [message("w1")] }, SUNDAY_10);
    expect(a.automatic).toEqual([{ key: `out_of_hours:${MONDAY_9}`, text: "We are closed" }]);
    expect(a.route).toEqual({ type: "queue", skillsetId: null, kind: "new" });
  });

  it("holds an unknown customer where only existing ones are accepted, unrouted", () => {
    const cfg = config();
    const record = stored(cfg);
    record.customer = { ...record.customer, known: false };
    const a = arrival(record, cfg, { isNew: true, fresh: [message("w1")] }, MONDAY_10);
    expect(a.automatic).toEqual([{ key: "unauthorized", text: "Not allowed" }]);
    expect(a.route).toEqual({ type: "hold", state: "unauthorized" });
    expect(a.record.state).toBe("unauthorized");
    expect(a.close).toBeNull();
  });

  it("closes an unknown customer's conversation when the number says so, with no welcome", () => {
    const cfg = config((s) => (s.autoClose.unauthorizedNumbers = true));
    const record = stored(cfg);
    record.customer = { ...record.customer, known: false };
    const a = arrival(record, cfg, { isNew: true, fresh: [message("w1")] }, MONDAY_10);
    expect(keys(a)).toEqual(["unauthorized"]);
    expect(a.route).toEqual({ type: "closed" });
    expect(a.close).toBe(SYSTEM_CLOSE_REASON.unauthorized);
  });

  it("enters the softbot: welcome, then the menu once, held for the customer's choice", () => {
    const cfg = config((s) => (s.bot.enabled = true));
    const a = arrival(stored(cfg), cfg, { isNew: true, fresh: [message("w1")] }, MONDAY_10);
    expect(keys(a)).toEqual(["welcome", "bot_menu:1"]);
    expect(a.automatic[1]?.text).toContain("1. Sales\n2. Customer care");
    expect(a.automatic[1]?.content).toMatchObject({ type: "text" });
    expect(a.route).toEqual({ type: "hold", state: "bot" });
    expect(a.record).toMatchObject({ state: "bot", botAsked: 1 });
  });

  it("skips the softbot for customers who bypass it, with a skillset already, or without options", () => {
    const cfg = config((s) => (s.bot.enabled = true));
    const bypass = stored(cfg);
    bypass.customer = { ...bypass.customer, bypassBot: true };
    const withSkillset = stored(cfg, { skillsetId: "care" });
    const noOptions = config((s) => (s.bot.enabled = true), []);
    for (const [record, c] of [
      [bypass, cfg],
      [withSkillset, cfg],
      [stored(noOptions), noOptions],
    ] as const) {
      const a = arrival(record, c, { isNew: true, fresh: [message("w1")] }, MONDAY_10);
      expect(keys(a)).toEqual(["welcome"]);
      expect(a.route).toMatchObject({ type: "queue", kind: "new" });
    }
  });
});

describe("a later message", () => {
  const bot = config((s) => {
    s.bot.enabled = true;
    s.bot.invalidChoice = "Please choose";
  });

  it("to the softbot: a valid choice queues the conversation for that skillset", () => {
    const record = stored(bot, { state: "bot", botAsked: 1 });
    const a = arrival(
      record,
      bot,
      { isNew: false, fresh: [message("w2", { text: "2" })] },
      MONDAY_10,
    );
    expect(a.automatic).toEqual([]);
    expect(a.route).toEqual({ type: "queue", skillsetId: "care", kind: "new" });
    expect(a.record).toMatchObject({
      state: "queued",
      skillsetId: "care",
      skillsetName: "Customer care",
      stateSince: MONDAY_10,
    });
  });

  it("to the softbot: anything else gets the invalid-choice message and the menu again", () => {
    const record = stored(bot, { state: "bot", botAsked: 1 });
    const a = arrival(
      record,
      bot,
      { isNew: false, fresh: [message("w2", { text: "what?" })] },
      MONDAY_10,
    );
    expect(keys(a)).toEqual(["bot_invalid:w2", "bot_menu:w2"]);
    expect(a.automatic[0]?.text).toBe("Please choose");
    expect(a.route).toBeNull();
    expect(a.record).toMatchObject({ state: "bot", botAsked: 2 });
  });

  it("wakes a personal wait queue: back to its agent only, until the customer's window ends", () => {
    const cfg = config();
    const record = stored(cfg, {
      state: "wait_queue",
      skillsetId: "care",
      waitQueue: { kind: "personal", agentId: "a1", agentName: "Anna", since: 0 },
    });
    const a = arrival(record, cfg, { isNew: false, fresh: [message("w2")] }, MONDAY_10);
    expect(a.route).toEqual({
      type: "queue",
      skillsetId: "care",
      kind: "new",
      targetAgentId: "a1",
      targetAgentName: "Anna",
      mode: "exclusive",
      fallbackAt: MONDAY_10 + CUSTOMER_WINDOW_MS,
    });
    expect(a.record).toMatchObject({ state: "queued", waitQueue: null });
  });

  it("wakes a public wait queue: to the first available agent", () => {
    const cfg = config();
    const record = stored(cfg, {
      state: "wait_queue",
      waitQueue: { kind: "public", agentId: "a1", agentName: "Anna", since: 0 },
    });
    const a = arrival(record, cfg, { isNew: false, fresh: [message("w2")] }, MONDAY_10);
    expect(a.route).toEqual({ type: "queue", skillsetId: null, kind: "new" });
  });

  it("while the number is closed: the out-of-hours message, unless an agent has the conversation", () => {
    const cfg = config((s) => (s.workingTime = defaultNumberSettings().workingTime));
    const fresh = [message("w2", { timestampMs: SUNDAY_10 })];
    const queued = stored(cfg, { state: "queued", lastCustomerMessageAt: SUNDAY_10 });
    const a = arrival(queued, cfg, { isNew: false, fresh }, SUNDAY_10);
    expect(keys(a)).toEqual([`out_of_hours:${MONDAY_9}`]);
    expect(a.route).toBeNull();
    const assigned = stored(cfg, { state: "assigned", lastCustomerMessageAt: SUNDAY_10 });
    expect(arrival(assigned, cfg, { isNew: false, fresh }, SUNDAY_10).automatic).toEqual([]);
  });

  it("answering an agent's template: the agent's seat decides, refused files still answered", () => {
    const cfg = config((s) => (s.details.acceptAttachments = false));
    const record = stored(cfg, { state: "outbound" });
    const a = arrival(
      record,
      cfg,
      { isNew: false, fresh: [message("w2", { type: "video" })] },
      MONDAY_10,
    );
    expect(a).toMatchObject({ answered: true, route: null });
    expect(keys(a)).toEqual(["attachment_refused:w2"]);
  });

  it("changes nothing when no message was new", () => {
    const cfg = config();
    const record = stored(cfg, { state: "wait_queue" });
    const a = arrival(record, cfg, { isNew: false, fresh: [] }, MONDAY_10);
    expect(a).toEqual({ record, route: null, automatic: [], close: null, answered: false });
  });

  it("leaves the record it was given as it was", () => {
    const record = stored(bot, { state: "bot", botAsked: 1 });
    const before = structuredClone(record);
    arrival(record, bot, { isNew: false, fresh: [message("w2", { text: "no" })] }, MONDAY_10);
    expect(record).toEqual(before);
  });
});

describe("out of hours", () => {
  it("is keyed by the next opening, so it is sent once per closed period", () => {
    const s = config((x) => (x.workingTime = defaultNumberSettings().workingTime)).settings;
    expect(outOfHours(s, SUNDAY_10)).toEqual({
      key: `out_of_hours:${MONDAY_9}`,
      text: "We are closed",
    });
    expect(outOfHours(s, SUNDAY_10 + HOUR)?.key).toBe(`out_of_hours:${MONDAY_9}`);
    expect(outOfHours(s, MONDAY_10)).toBeNull();
  });
});
