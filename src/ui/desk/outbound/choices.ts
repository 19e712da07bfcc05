/**
 * What the start dialog may offer for a customer on a number, and how a server refusal
 * reads. Pure, so the rules the dialog shows are tested apart from the screen.
 */
import type { OutboundCustomer } from "../../../shared/outbound.ts";
import type { MessageKey } from "../../i18n.ts";

type NumberFacts = OutboundCustomer["numbers"][number];

/** What the customer has on `numberId` (nothing known: window closed, nothing open). */
export function factsOn(customer: OutboundCustomer, numberId: string): NumberFacts {
  return (
    customer.numbers.find((n) => n.numberId === numberId) ?? {
      numberId,
      lastCustomerMessageAt: null,
      windowOpen: false,
      openConversation: null,
    }
  );
}

/** What can be sent to `customer` from `numberId` by me (`myId`), and why not when not. */
export interface Sendable {
  /** A free message: inside the 24-hour window, and not into a template still awaiting the answer. */
  text: boolean;
  /** A template: the customer authorised contact and I may send templates. */
  template: boolean;
  /** Why nothing may be started, when another agent has it or it waits for routing. */
  blocked: MessageKey | null;
}

/** The dialog's rules, mirroring the server's (which decides in the end). Pure. */
export function sendable(
  customer: OutboundCustomer,
  numberId: string,
  myId: string,
  templatesAllowed: boolean,
): Sendable {
  const facts = factsOn(customer, numberId);
  const open = facts.openConversation;
  if (open && open.state === "waiting")
    return { text: false, template: false, blocked: "outbound.openWaiting" };
  if (open && open.agentId !== myId) {
    return { text: false, template: false, blocked: "outbound.openByOther" };
  }
  const awaitingMyTemplate = open?.state === "outbound";
  return {
    text: facts.windowOpen && !awaitingMyTemplate,
    template: customer.authorized && templatesAllowed,
    blocked: null,
  };
}

/** Whether the customer can be picked at all: they can receive something from some number. Pure. */
export function selectable(customer: OutboundCustomer): boolean {
  return customer.authorized || customer.windowOpen;
}

const REFUSALS: Readonly<Record<string, MessageKey>> = {
  at_capacity: "outbound.error.at_capacity",
  already_open: "outbound.error.already_open",
  waiting: "outbound.error.waiting",
  awaiting_reply: "outbound.error.awaiting_reply",
  window_closed: "outbound.error.window_closed",
  not_authorized: "outbound.error.not_authorized",
  templates_disallowed: "outbound.error.templates_disallowed",
};

/** The dictionary key for a server refusal's code, or null to show the server's own message. */
export function refusalKey(code: string): MessageKey | null {
  return REFUSALS[code] ?? null;
}

/** The input a server field path names: `message.variables.body.2` → `var-body-2`. Pure. */
export function variableInputName(path: string): string | null {
  if (path === "message.variables.header") return "var-header";
  const match = /^message\.variables\.body\.(\d+)$/.exec(path);
  return match ? `var-body-${match[1]}` : null;
}
