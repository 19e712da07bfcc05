/**
 * When customers are deleted (one by an admin, or those missing from a file
 * imported in delete mode), their conversations' actors must drop the contents
 * and delete the files from R2, which D1's cascade cannot reach. The deletion's
 * batch records the conversations in `customer_deletions` (all or nothing with
 * the deletion itself); each actor is then told (`customerDeleted`, which is
 * durable on the actor's side and idempotent) and its row removed. What was
 * not told at once (an error, an interrupted request) is told by the scheduled
 * sweep, so no file is left behind.
 */
import type { Env } from "../../durable/env";

/**
 * The statement, for the deletion's batch (before the DELETE), that records the
 * conversations of customer `customerId` of `tenantId`. Idempotent.
 */
export function recordCustomerDeletion(
  db: D1Database,
  tenantId: string,
  customerId: string,
  at: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO customer_deletions (conversation_id, tenant_id, deleted_at)
       SELECT id, tenant_id, ? FROM conversations WHERE tenant_id = ? AND customer_id = ?
       ON CONFLICT DO NOTHING`,
    )
    .bind(at, tenantId, customerId);
}

/** How many actors are told at once. */
const PARALLEL = 20;

/**
 * Tells the actors of recorded conversations (of `tenantId`, or of every
 * tenant) that their customer is gone, removing each row once its actor has
 * taken note; at most `limit` rows. Failures stay recorded for the next run.
 * Returns how many actors were told.
 */
export async function tellDeletedConversations(
  env: Env,
  opts: { tenantId?: string; limit?: number } = {},
): Promise<number> {
  const limit = opts.limit ?? 1000;
  const { results } = await (opts.tenantId
    ? env.DB.prepare(
        "SELECT conversation_id, tenant_id FROM customer_deletions WHERE tenant_id = ? ORDER BY deleted_at LIMIT ?",
      ).bind(opts.tenantId, limit)
    : env.DB.prepare(
        "SELECT conversation_id, tenant_id FROM customer_deletions ORDER BY deleted_at LIMIT ?",
      ).bind(limit)
  ).all<{ conversation_id: string; tenant_id: string }>();
  let told = 0;
  for (let i = 0; i < results.length; i += PARALLEL) {
    const batch = results.slice(i, i + PARALLEL);
    const outcomes = await Promise.allSettled(
      batch.map((row) =>
        env.CONVERSATION.getByName(row.conversation_id).customerDeleted(row.tenant_id),
      ),
    );
    const done = batch.filter((_, j) => outcomes[j]?.status === "fulfilled");
    for (const [j, outcome] of outcomes.entries()) {
      if (outcome.status === "rejected") {
        console.warn("customer deletion not told; the sweep retries", batch[j]?.conversation_id);
      }
    }
    if (done.length > 0) {
      await env.DB.prepare(
        "DELETE FROM customer_deletions WHERE conversation_id IN (SELECT value FROM json_each(?))",
      )
        .bind(JSON.stringify(done.map((row) => row.conversation_id)))
        .run();
    }
    told += done.length;
  }
  return told;
}
