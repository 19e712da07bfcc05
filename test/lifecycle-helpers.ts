/** Fixtures for the conversation-lifecycle tests: settings, conversations, the phone's thread. */
import { env } from "cloudflare:workers";
import type { NumberSettings } from "../src/shared/admin";
import {
  defaultNumberSettings,
  type NumberExtras,
  readSettings,
} from "../src/shared/number-settings";
import { customerWrites, eventually, sim } from "./helpers";

/** A random Italian mobile, as Meta's wa_id digits. */
export function phone(): string {
  return `39333${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Stores a number's settings: the defaults (always open unless `workingTime`
 * says otherwise) with `patch` over them, then tells the number actor, as the
 * admin API does.
 */
export async function setSettings(
  numberId: string,
  patch: DeepPartial<NumberSettings> & { details?: Partial<NumberExtras> },
): Promise<void> {
  const defaults = { ...defaultNumberSettings(), details: readSettings("{}").details };
  defaults.workingTime = { ...defaults.workingTime, alwaysOpen: true };
  const merged = {
    details: { ...defaults.details, ...patch.details },
    autoClose: {
      ...defaults.autoClose,
      ...patch.autoClose,
      endOfDay: { ...defaults.autoClose.endOfDay, ...patch.autoClose?.endOfDay },
    },
    messages: { ...defaults.messages, ...patch.messages },
    workingTime: { ...defaults.workingTime, ...patch.workingTime },
    profiling: { ...defaults.profiling, ...patch.profiling },
    bot: { ...defaults.bot, ...patch.bot },
  };
  await env.DB.prepare("UPDATE managed_numbers SET settings = ? WHERE id = ?")
    .bind(JSON.stringify(merged), numberId)
    .run();
  await env.NUMBER.getByName(numberId).configChanged();
}

/** The texts the customer's phone received from the business, oldest first. */
export async function phoneReceived(customer: string): Promise<string[]> {
  const res = await sim(`/_sim/threads/${customer}`);
  if (res.status === 404) return [];
  const thread = (await res.json()) as { messages: { direction: string; text: string }[] };
  return thread.messages.filter((m) => m.direction === "out").map((m) => m.text);
}

/** Waits until the phone has received a message containing `text`; returns all it received. */
export async function phoneGets(customer: string, text: string): Promise<string[]> {
  return eventually(async () => {
    const got = await phoneReceived(customer);
    return got.some((t) => t.includes(text)) ? got : null;
  });
}

/** The agent's offers right now. */
export async function offersOf(agentId: string, tenantId: string) {
  return (await env.AGENT.getByName(agentId).snapshot(tenantId))!.offers;
}

/** Waits for the agent's first offer. */
export async function offerFor(agentId: string, tenantId: string) {
  return eventually(async () => (await offersOf(agentId, tenantId))[0]);
}

/** The agent's conversations (assigned or as a guest) right now. */
export async function conversationsOf(agentId: string, tenantId: string) {
  return (await env.AGENT.getByName(agentId).snapshot(tenantId))!.conversations;
}

/**
 * A customer writes, `agentId` (made Ready) gets the offer and accepts it.
 * Returns the conversation's id.
 */
export async function acceptedConversation(
  t: { tenantId: string; phoneNumberId: string },
  agentId: string,
  customer = phone(),
  text = "Buongiorno",
): Promise<{ conversationId: string; customer: string }> {
  await env.AGENT.getByName(agentId).setStatus(t.tenantId, "ready");
  await customerWrites(t.phoneNumberId, customer, text);
  const offer = await offerFor(agentId, t.tenantId);
  const accepted = await env.AGENT.getByName(agentId).accept(t.tenantId, offer.conversationId);
  if (!accepted.ok) throw new Error("the offer was not accepted");
  return { conversationId: offer.conversationId, customer };
}

/** The conversation's view and messages (the tenant's view). */
export async function conversationRead(tenantId: string, conversationId: string) {
  return (await env.CONVERSATION.getByName(conversationId).read(tenantId))!;
}
