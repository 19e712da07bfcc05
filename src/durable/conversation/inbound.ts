/**
 * The customer's messages arriving: stored once each (by wamid), their files
 * queued for fetching, the desks told, then the rules on arrival (the pure
 * `arrival.ts`) applied — the record stored, the automatic messages queued,
 * the system's close, the route for the number. Also the number's new
 * configuration reaching the conversation.
 */
import type { InboundMessage } from "../../meta/webhook-payload";
import type { MessageView } from "../../shared/protocol";
import type { ConversationInit, NumberConfig, NumberInfo, RouteRequest } from "../contracts";
import { arrival, refusesAttachment } from "./arrival";
import { finish } from "./close";
import type { ConversationDeps } from "./deps";
import { enqueueMediaJob } from "./media-fetch";
import { insertInbound, toView } from "./message-rows";
import { notifyAgents } from "./notify";
import { type OutboundDeps, outboundAnswered } from "./outbound-template";
import { configOf, newRecord, touched } from "./record";
import type { AutomaticDeps } from "./sending";
import { sendAutomatic } from "./sending";

export type InboundDeps = OutboundDeps &
  AutomaticDeps &
  Pick<ConversationDeps, "fetchMedia" | "atomically">;

/**
 * Stores inbound messages, once each (by wamid), and applies the rules on
 * arrival. `init` creates the conversation on first use and is ignored
 * afterwards. Returns how many messages were new and what routing should do
 * now (null: nothing changes). Durable when it resolves.
 */
export async function appendInbound(
  deps: InboundDeps,
  init: ConversationInit | null,
  messages: InboundMessage[],
): Promise<{ inserted: number; route: RouteRequest | null }> {
  const stored = deps.record();
  const isNew = stored === null;
  const initial = stored ?? (init ? newRecord(init, deps.now()) : null);
  if (!initial) return { inserted: 0, route: null };
  // The messages, the record and what arrival decides, in one transaction: the
  // record is written once, and a failure leaves nothing half done (the number
  // delivers again).
  const outcome = deps.atomically(() => {
    let record = initial;
    const config = configOf(record);
    const inserted: MessageView[] = [];
    const fresh: InboundMessage[] = [];
    for (const m of messages) {
      const row = insertInbound(deps.db, m, refusesAttachment(config, m));
      if (!row) continue;
      inserted.push(toView(record.id, row, deps.db));
      // Fetched now when the conversation already exists, else by the alarm.
      if (enqueueMediaJob(deps.db, row, deps.now())) deps.waitUntil(deps.fetchMedia());
      fresh.push(m);
      record.lastCustomerMessageAt = Math.max(record.lastCustomerMessageAt ?? 0, m.timestampMs);
      touched(record, deps.now());
    }
    notifyAgents(deps, record, inserted);
    if (inserted.length === 0 && !isNew) {
      deps.save(record);
      return null;
    }
    const decided = arrival(record, config, { isNew, fresh }, deps.now());
    record = decided.record;
    for (const message of decided.automatic) sendAutomatic(deps, record, message);
    if (decided.close !== null) finish(deps, record, decided.close, null, null, null);
    deps.save(record);
    return { ...decided, inserted: inserted.length };
  });
  if (!outcome) return { inserted: 0, route: null };
  await deps.armAlarm();
  // The answer to an agent's template goes to that agent, after saving.
  if (outcome.answered) return { inserted: outcome.inserted, route: await outboundAnswered(deps) };
  return { inserted: outcome.inserted, route: outcome.route };
}

/**
 * The number's configuration changed: the conversation follows it from now
 * on (its timers re-arm; none counts from before this moment).
 */
export async function configChanged(
  deps: Pick<ConversationDeps, "now" | "record" | "save" | "armAlarm">,
  number: NumberInfo,
  config: NumberConfig,
): Promise<void> {
  const record = deps.record();
  if (!record || record.state === "closed") return;
  record.number = number;
  record.config = config;
  record.settingsSince = deps.now();
  deps.save(record);
  await deps.armAlarm();
}
