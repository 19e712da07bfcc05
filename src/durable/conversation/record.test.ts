import { describe, expect, it } from "vitest";
import { CUSTOMER_WINDOW_MS } from "../../shared/protocol";
import { defaultNumberConfig } from "../contracts";
import {
  type ConversationRecord,
  configOf,
  enter,
  mayWrite,
  newRecord,
  seatedIds,
  touched,
  windowEnd,
} from "./record";

function record(patch: Partial<ConversationRecord> = {}): ConversationRecord {
  const fresh = newRecord(
    {
      id: "c1",
      tenantId: "t1",
      number: { id: "n1", tenantId: "t1", phoneNumberId: "p1", displayPhone: "+1", name: "N" },
      customer: {
        id: "cu1",
        name: "Mario",
        phone: null,
        contactKey: "u:1",
        recipient: "u:1",
        priority: 5,
      },
      skillsetId: null,
      createdAt: 100,
      config: defaultNumberConfig(),
    },
    100,
  );
  return { ...fresh, ...patch };
}

const anna = { id: "anna", name: "Anna" };
const bruno = { id: "bruno", name: "Bruno" };

describe("the conversation's record", () => {
  it("starts queued, nobody's, every clock at its opening", () => {
    expect(record()).toMatchObject({
      state: "queued",
      agent: null,
      lastCustomerMessageAt: null,
      stateSince: 100,
      lastActivityAt: 100,
      settingsSince: 100,
    });
  });

  it("reads the defaults for a record written before its configuration was kept", () => {
    const { config: _, ...old } = record();
    expect(configOf(old)).toEqual(defaultNumberConfig());
  });

  it("notes since when it is in a state, and only moves its last activity forward", () => {
    const r = record();
    enter(r, "bot", 500);
    expect(r).toMatchObject({ state: "bot", stateSince: 500 });
    touched(r, 700);
    touched(r, 600);
    expect(r.lastActivityAt).toBe(700);
  });

  it("seats the owner and the guests only while assigned", () => {
    const assigned = record({ state: "assigned", agent: anna, participants: [bruno] });
    expect(seatedIds(assigned)).toEqual(["anna", "bruno"]);
    expect(seatedIds({ ...assigned, state: "transfer" })).toEqual([]);
    expect(seatedIds({ ...assigned, state: "outbound" })).toEqual([]);
  });

  it("lets the seated agents write, and for an unanswered template only its agent", () => {
    const assigned = record({ state: "assigned", agent: anna, participants: [bruno] });
    expect(mayWrite(assigned, "bruno")).toBe(true);
    expect(mayWrite(assigned, "carla")).toBe(false);
    const outbound = record({ state: "outbound", agent: anna, participants: [bruno] });
    expect(mayWrite(outbound, "anna")).toBe(true);
    expect(mayWrite(outbound, "bruno")).toBe(false);
  });

  it("ends the customer's window 24 hours after their last message (from now when they never wrote)", () => {
    expect(windowEnd(record({ lastCustomerMessageAt: 1_000 }), 5_000)).toBe(
      1_000 + CUSTOMER_WINDOW_MS,
    );
    expect(windowEnd(record(), 5_000)).toBe(5_000 + CUSTOMER_WINDOW_MS);
  });
});
