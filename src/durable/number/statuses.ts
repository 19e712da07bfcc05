/**
 * Delivery statuses to the conversations whose messages they describe: by the
 * wamid a conversation registered after its send (`outbound`), else by our
 * callback data when it names a conversation of this number
 * (`known_conversations`). A status that names neither yet is kept
 * (`orphan_statuses`) until its send registers the wamid, since Meta may
 * report a status before our send call has returned.
 */
import { readCallbackData } from "../../meta/callback-data";
import type { StatusUpdate } from "../../meta/webhook-payload";
import type { Env } from "../env";
import { type ActorDb, StoredJson, sql } from "../sql";

/** `orphan_statuses.body`: the status as Meta reported it. */
const statusJson = new StoredJson<StatusUpdate>();

/** What applying statuses needs of the actor. */
export interface StatusDeps {
  db: ActorDb;
  env: Env;
  now: () => number;
}

/** Routes delivery statuses to their conversations; keeps those whose sender is not known yet. */
export async function applyStatuses(deps: StatusDeps, statuses: StatusUpdate[]): Promise<void> {
  const { db, env, now } = deps;
  const byConversation = new Map<string, { status: StatusUpdate; messageId: string | null }[]>();
  for (const status of statuses) {
    const target = statusTarget(db, status);
    if (!target) {
      db.run(
        sql`INSERT OR IGNORE INTO orphan_statuses (wamid, status, body, received_at)
            VALUES (${status.id}, ${status.status}, ${statusJson.write(status)}, ${now()})`,
      );
      continue;
    }
    const list = byConversation.get(target.conversationId) ?? [];
    list.push({ status, messageId: target.messageId });
    byConversation.set(target.conversationId, list);
  }
  await Promise.all(
    [...byConversation].map(([id, list]) => env.CONVERSATION.getByName(id).applyStatuses(list)),
  );
}

function statusTarget(
  db: ActorDb,
  status: StatusUpdate,
): { conversationId: string; messageId: string | null } | null {
  const known = db.one<{ conversation_id: string }>(
    sql`SELECT conversation_id FROM outbound WHERE wamid = ${status.id}`,
  );
  if (known) return { conversationId: known.conversation_id, messageId: null };
  const target = readCallbackData(status.bizOpaqueCallbackData);
  if (
    target &&
    db.one(sql`SELECT id FROM known_conversations WHERE id = ${target.conversationId}`)
  ) {
    return target;
  }
  return null;
}

/**
 * Records which conversation sent `wamid` and returns (and forgets) the
 * statuses that arrived for it before. Idempotent.
 */
export function registerOutbound(
  db: ActorDb,
  wamid: string,
  conversationId: string,
): StatusUpdate[] {
  db.run(
    sql`INSERT OR IGNORE INTO outbound (wamid, conversation_id) VALUES (${wamid}, ${conversationId})`,
  );
  const orphans = db.all<{ body: string }>(
    sql`SELECT body FROM orphan_statuses WHERE wamid = ${wamid}`,
  );
  db.run(sql`DELETE FROM orphan_statuses WHERE wamid = ${wamid}`);
  return orphans.map((o) => statusJson.read(o.body));
}

/** Drops kept statuses received before `cutoff` (ms): their send never registered. */
export function forgetOrphanStatuses(db: ActorDb, cutoff: number): void {
  db.run(sql`DELETE FROM orphan_statuses WHERE received_at < ${cutoff}`);
}

/**
 * Remembers a conversation this number opened (kept after it closes), so a
 * status whose callback data names it is recognised as ours.
 */
export function rememberConversation(db: ActorDb, conversationId: string): void {
  db.run(sql`INSERT OR IGNORE INTO known_conversations (id) VALUES (${conversationId})`);
}
