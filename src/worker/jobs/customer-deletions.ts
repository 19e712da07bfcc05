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
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Env } from "../../durable/env";
import { type D1Statement, d1 } from "../../platform/db/d1";
import { conversations, customerDeletions } from "../../platform/db/schema";

/**
 * The statement, for the deletion's batch (before the DELETE), that records the
 * conversations of customer `customerId` of `tenantId`. Idempotent.
 */
export function recordCustomerDeletion(
  db: D1Database,
  tenantId: string,
  customerId: string,
  at: number,
): D1Statement {
  const orm = d1(db);
  return orm
    .insert(customerDeletions)
    .select(
      orm
        .select({
          conversationId: conversations.id,
          tenantId: conversations.tenantId,
          deletedAt: sql<number>`${at}`.as("deleted_at"),
        })
        .from(conversations)
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.customerId, customerId))),
    )
    .onConflictDoNothing();
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
  const db = d1(env.DB);
  const results = await db
    .select({
      conversationId: customerDeletions.conversationId,
      tenantId: customerDeletions.tenantId,
    })
    .from(customerDeletions)
    .where(opts.tenantId ? eq(customerDeletions.tenantId, opts.tenantId) : undefined)
    .orderBy(asc(customerDeletions.deletedAt))
    .limit(limit);
  let told = 0;
  for (let i = 0; i < results.length; i += PARALLEL) {
    const batch = results.slice(i, i + PARALLEL);
    const outcomes = await Promise.allSettled(
      batch.map((row) =>
        env.CONVERSATION.getByName(row.conversationId).customerDeleted(row.tenantId),
      ),
    );
    const done = batch.filter((_, j) => outcomes[j]?.status === "fulfilled");
    for (const [j, outcome] of outcomes.entries()) {
      if (outcome.status === "rejected") {
        console.warn("customer deletion not told; the sweep retries", batch[j]?.conversationId);
      }
    }
    if (done.length > 0) {
      await db.delete(customerDeletions).where(
        inArray(
          customerDeletions.conversationId,
          done.map((row) => row.conversationId),
        ),
      );
    }
    told += done.length;
  }
  return told;
}
