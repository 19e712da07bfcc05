/**
 * Delivery statuses that reached the number's actor rather than their
 * conversation. The Worker sends a status straight to its conversation when
 * it carries our callback data (`<conversation>/<message>`, see
 * src/meta/callback-data.ts): every message we send carries it and Meta
 * repeats it in each status of that message, so the conversation finds the
 * message by its id even before the send call has returned. What comes here
 * is a status without our callback data — a message another app sent from
 * this number, or a stranger's data — which names no message of ours: it is
 * counted in the log and dropped. One with our data (a caller that did not
 * split the batch) still goes to its conversation, which checks that it is
 * this number's.
 */
import { readCallbackData } from "../../meta/callback-data";
import type { StatusUpdate } from "../../meta/webhook-payload";
import type { NumberInfo } from "../contracts";
import type { Env } from "../env";

/** What applying statuses needs of the actor. */
export interface StatusDeps {
  env: Env;
  number: () => NumberInfo | null;
}

/** Sends statuses with our callback data to their conversations; drops the others. */
export async function applyStatuses(deps: StatusDeps, statuses: StatusUpdate[]): Promise<void> {
  const number = deps.number();
  const byConversation = new Map<string, { status: StatusUpdate; messageId: string }[]>();
  let foreign = 0;
  for (const status of statuses) {
    const target = readCallbackData(status.bizOpaqueCallbackData);
    if (!target || !number) {
      foreign++;
      continue;
    }
    const list = byConversation.get(target.conversationId) ?? [];
    list.push({ status, messageId: target.messageId });
    byConversation.set(target.conversationId, list);
  }
  if (foreign > 0) {
    console.warn(`statuses without our callback data: ${foreign} ignored (not our messages)`);
  }
  if (!number) return;
  await Promise.all(
    [...byConversation].map(([id, list]) =>
      deps.env.CONVERSATION.getByName(id).statusesFromMeta(number.id, list),
    ),
  );
}
