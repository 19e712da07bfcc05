/**
 * The rules on arrival, as a pure function of the conversation's record, its
 * number's configuration, the customer's new messages and the clock — like
 * `lifecycle.ts` for the timers. It decides; the actor applies (inbound.ts):
 * stores the record, queues the automatic messages (each once, by its key),
 * closes when told, and tells the number the route.
 *
 * - attachments: where the number refuses them, each gets its message;
 * - a new conversation: an unknown customer where only existing ones are
 *   accepted gets the unauthorized message and is closed (or held, not
 *   routed); otherwise the out-of-hours message while the number is closed
 *   (else the welcome), then the softbot's menu, or the routing queue;
 * - a later message: the out-of-hours message while closed (once per closed
 *   period) unless an agent has it; the softbot reads the answer (a valid
 *   choice queues it for that skillset, anything else gets the menu again);
 *   a parked conversation wakes (personal: back to its agent);
 * - the answer to an agent's template goes to that agent's seat (the actor
 *   asks it: not pure).
 */
import type { InboundMessage } from "../../meta/webhook-payload";
import type { StoredSettings } from "../../shared/number-settings";
import { openState } from "../../shared/working-time";
import type { NumberConfig, RouteRequest } from "../contracts";
import { SYSTEM_CLOSE_REASON } from "./lifecycle";
import { type ConversationRecord, enter, windowEnd } from "./record";
import type { AutomaticMessage } from "./sending";
import { type BotOption, menuContent, menuText, parseChoice } from "./softbot";

/** Inbound types that carry a file: refused when the number does not accept attachments. */
const ATTACHMENT_TYPES = new Set(["image", "document", "audio", "video", "sticker"]);

/** Whether the number refuses the message for its attachment (it is stored without its file). */
export function refusesAttachment(config: NumberConfig, message: { type: string }): boolean {
  return !config.settings.details.acceptAttachments && ATTACHMENT_TYPES.has(message.type);
}

/** What the rules decided. */
export interface Arrival {
  /** The record to store (a changed copy; the input is left as it was). */
  record: ConversationRecord;
  /** What routing should do now (null: nothing changes). */
  route: RouteRequest | null;
  /** To queue, in this order (blank texts and closed windows send nothing). */
  automatic: AutomaticMessage[];
  /** The system closes the conversation for this reason, without a close message. */
  close: string | null;
  /** The customer answered an agent's template: that agent's seat decides the route. */
  answered: boolean;
}

/**
 * The rules on arrival for the customer's new messages `fresh` (oldest first;
 * already counted in the record's `lastCustomerMessageAt`). `isNew`: these
 * messages open the conversation. Pure.
 */
export function arrival(
  stored: ConversationRecord,
  config: NumberConfig,
  inbound: { isNew: boolean; fresh: readonly InboundMessage[] },
  now: number,
): Arrival {
  const record: ConversationRecord = { ...stored };
  const outcome: Arrival = { record, route: null, automatic: [], close: null, answered: false };
  const last = inbound.fresh.at(-1);
  if (!inbound.isNew && !last) return outcome;
  const { settings } = config;
  for (const m of inbound.fresh) {
    if (refusesAttachment(config, m)) {
      outcome.automatic.push({
        key: `attachment_refused:${m.id}`,
        text: settings.messages.attachmentRejected,
      });
    }
  }
  if (inbound.isNew) {
    outcome.route = arrive(record, config, now, outcome);
  } else if (record.state === "outbound") {
    outcome.answered = true;
  } else if (last) {
    outcome.route = customerWrote(record, config, last, now, outcome.automatic);
  }
  return outcome;
}

/** A new conversation: the unauthorized rule, out of hours or the welcome, then bot or queue. */
function arrive(
  record: ConversationRecord,
  config: NumberConfig,
  now: number,
  outcome: Arrival,
): RouteRequest {
  const { settings, botOptions } = config;
  if (record.customer.known === false) {
    outcome.automatic.push({ key: "unauthorized", text: settings.messages.unauthorized });
    if (settings.autoClose.unauthorizedNumbers) {
      // The unauthorized message says it all: no close message after it.
      outcome.close = SYSTEM_CLOSE_REASON.unauthorized;
      return { type: "closed" };
    }
    enter(record, "unauthorized", now);
    return { type: "hold", state: "unauthorized" };
  }
  const closed = outOfHours(settings, now);
  if (closed) outcome.automatic.push(closed);
  else outcome.automatic.push({ key: "welcome", text: settings.messages.welcome });
  const wantsBot =
    settings.bot.enabled &&
    botOptions.length > 0 &&
    !record.customer.bypassBot &&
    record.skillsetId === null;
  if (wantsBot) {
    enter(record, "bot", now);
    outcome.automatic.push(askBot(record, config, "1"));
    return { type: "hold", state: "bot" };
  }
  enter(record, "queued", now);
  return { type: "queue", skillsetId: record.skillsetId, kind: "new" };
}

/** A customer's new message on an existing conversation: the softbot reads it, a wait queue wakes. */
function customerWrote(
  record: ConversationRecord,
  config: NumberConfig,
  last: InboundMessage,
  now: number,
  automatic: AutomaticMessage[],
): RouteRequest | null {
  const { settings, botOptions } = config;
  if (record.state !== "assigned" && record.state !== "closed") {
    const closed = outOfHours(settings, now);
    if (closed) automatic.push(closed);
  }
  switch (record.state) {
    case "bot": {
      const choice = parseChoice(last, botOptions);
      if (choice) return leaveBot(record, choice, botOptions, now);
      automatic.push({ key: `bot_invalid:${last.id}`, text: settings.bot.invalidChoice });
      automatic.push(askBot(record, config, last.id));
      return null;
    }
    case "wait_queue": {
      const queue = record.waitQueue;
      enter(record, "queued", now);
      record.waitQueue = null;
      if (queue?.kind === "personal" && queue.agentId) {
        return {
          type: "queue",
          skillsetId: record.skillsetId,
          kind: "new",
          targetAgentId: queue.agentId,
          targetAgentName: queue.agentName,
          mode: "exclusive",
          fallbackAt: windowEnd(record, now),
        };
      }
      return { type: "queue", skillsetId: record.skillsetId, kind: "new" };
    }
    default:
      return null;
  }
}

/**
 * The out-of-hours message when the number is closed at `now` (once per
 * closed period, by its key), or null while it is open.
 */
export function outOfHours(settings: StoredSettings, now: number): AutomaticMessage | null {
  const hours = openState(settings.workingTime, now);
  if (hours.open) return null;
  return {
    key: `out_of_hours:${hours.nextChangeAt ?? "later"}`,
    text: settings.messages.outOfHours,
  };
}

/** The softbot's menu (once per `key`), counted in the record. */
function askBot(record: ConversationRecord, config: NumberConfig, key: string): AutomaticMessage {
  const { settings, botOptions } = config;
  record.botAsked = (record.botAsked ?? 0) + 1;
  return {
    key: `bot_menu:${key}`,
    text: menuText(settings.bot, botOptions),
    content: menuContent(settings.bot, botOptions),
  };
}

/**
 * The softbot is done (a choice, or its timeout): the conversation queues for
 * the chosen (or default) skillset. Changes `record`; returns the route.
 */
export function leaveBot(
  record: ConversationRecord,
  skillsetId: string | null,
  botOptions: readonly BotOption[],
  now: number,
): RouteRequest {
  record.skillsetId = skillsetId;
  record.skillsetName = botOptions.find((o) => o.skillsetId === skillsetId)?.label ?? null;
  enter(record, "queued", now);
  return { type: "queue", skillsetId, kind: "new" };
}
