/**
 * What the conversation tells the agents' desktops (through their actors):
 * new and changed messages, its own changed details, and that it left their
 * desk (their seats free up). Pushes go after the call returns, in order per
 * agent; a desktop that misses one catches up from its event log.
 */
import type { ConversationView, MessageView } from "../../shared/protocol";
import type { ConversationDeps } from "./deps";
import { conversationView } from "./paging";
import { type ConversationRecord, seatedIds } from "./record";

export type NotifyDeps = Pick<ConversationDeps, "db" | "env" | "waitUntil">;

/**
 * Pushes messages to the desktops of the owner and the guests, in order, after
 * this call returns; not to `except`, an agent whose actor made the call and
 * shows the messages itself (one call fewer).
 */
export function notifyAgents(
  deps: NotifyDeps,
  record: ConversationRecord,
  messages: MessageView[],
  except: string | null = null,
): void {
  if (messages.length === 0) return;
  const conversationId = record.id;
  for (const id of seatedIds(record)) {
    if (id === except) continue;
    const agent = deps.env.AGENT.getByName(id);
    deps.waitUntil(
      (async () => {
        for (const message of messages)
          await agent.notify({ type: "message", conversationId, message });
      })().catch((err: unknown) => console.error("notify failed", err)),
    );
  }
}

/** Tells the owner's and guests' desktops the conversation's details changed. */
export function notifyView(deps: NotifyDeps, record: ConversationRecord): void {
  const conversation = conversationView(deps.db, record);
  for (const id of seatedIds(record)) {
    deps.waitUntil(
      deps.env.AGENT.getByName(id)
        .notify({ type: "conversation", conversation })
        .catch((err: unknown) => console.error("notify failed", err)),
    );
  }
}

/** Frees the agents' seats and shows them the conversation's new state (it leaves their desktop). */
export async function releaseSeats(
  deps: Pick<ConversationDeps, "env">,
  record: ConversationRecord,
  agents: { id: string }[],
  view: ConversationView,
): Promise<void> {
  await Promise.all(agents.map((a) => deps.env.AGENT.getByName(a.id).release(record.id, view)));
}
