/** The start dialog's rules: what may be sent to whom, from which number. */
import { describe, expect, it } from "vitest";
import type { OutboundCustomer } from "../../../shared/outbound.ts";
import { refusalKey, selectable, sendable, variableInputName } from "./choices.ts";

function customer(
  over: Partial<OutboundCustomer> = {},
  facts: Partial<OutboundCustomer["numbers"][number]> = {},
): OutboundCustomer {
  const windowOpen = facts.windowOpen ?? false;
  return {
    id: "c1",
    name: "Giulia",
    phone: "+393480000001",
    authorized: true,
    windowOpen,
    numbers: [
      { numberId: "n1", lastCustomerMessageAt: null, windowOpen, openConversation: null, ...facts },
    ],
    ...over,
  };
}

describe("sendable", () => {
  it("offers templates to authorised customers and free messages inside the window only", () => {
    expect(sendable(customer(), "n1", "me", true)).toEqual({
      text: false,
      template: true,
      blocked: null,
    });
    expect(sendable(customer({}, { windowOpen: true }), "n1", "me", true)).toEqual({
      text: true,
      template: true,
      blocked: null,
    });
    expect(
      sendable(customer({ authorized: false }, { windowOpen: true }), "n1", "me", true),
    ).toEqual({
      text: true,
      template: false,
      blocked: null,
    });
    expect(sendable(customer(), "n1", "me", false).template).toBe(false);
    // Another number of the tenant knows nothing of this customer.
    expect(sendable(customer({}, { windowOpen: true }), "n2", "me", true).text).toBe(false);
  });

  it("is blocked by someone else's or a waiting conversation; my pending template allows only templates", () => {
    const open = (state: "assigned" | "outbound" | "waiting", agentId: string | null) =>
      customer(
        {},
        { windowOpen: true, openConversation: { id: "x", state, agentId, agentName: "Bruno" } },
      );
    expect(sendable(open("assigned", "bruno"), "n1", "me", true).blocked).toBe(
      "outbound.openByOther",
    );
    expect(sendable(open("waiting", null), "n1", "me", true).blocked).toBe("outbound.openWaiting");
    expect(sendable(open("outbound", "me"), "n1", "me", true)).toEqual({
      text: false,
      template: true,
      blocked: null,
    });
    expect(sendable(open("assigned", "me"), "n1", "me", true).text).toBe(true);
  });

  it("lets only customers who can receive something be chosen", () => {
    expect(selectable(customer())).toBe(true);
    expect(selectable(customer({ authorized: false }))).toBe(false);
    expect(selectable(customer({ authorized: false }, { windowOpen: true }))).toBe(true);
  });
});

describe("server answers", () => {
  it("maps refusal codes and variable paths", () => {
    expect(refusalKey("window_closed")).toBe("outbound.error.window_closed");
    expect(refusalKey("something_else")).toBeNull();
    expect(variableInputName("message.variables.header")).toBe("var-header");
    expect(variableInputName("message.variables.body.3")).toBe("var-body-3");
    expect(variableInputName("clientId")).toBeNull();
  });
});
