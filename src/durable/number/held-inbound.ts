/**
 * Messages kept to be routed later (table `held_inbound`), durably, once per
 * wamid and in arrival order, then routed oldest first as if they had just
 * arrived (their messages keep Meta's time):
 *
 * - a suspended tenant's, neither routed nor answered until the tenant is
 *   reactivated. The operator's suspension tells the number (so a Worker whose
 *   view of the tenant is older changes nothing), and so does the
 *   reactivation; should that call be lost, the alarm asks D1 every
 *   HELD_RECHECK_MS, and so does each delivery while messages are kept;
 * - a large batch's (`queue`): Meta's POST is acknowledged once its messages
 *   are written here, in one write, and the alarm routes them right after (and
 *   resumes a release this actor did not finish). Later deliveries queue
 *   behind them while any wait, so a customer's messages keep their order.
 */
import { eq } from "drizzle-orm";
import type { StatusUpdate } from "../../meta/webhook-payload";
import type { D1Db } from "../../platform/db/d1";
import { redacted } from "../../platform/db/errors";
import { tenants } from "../../platform/db/schema";
import type { NumberInfo, NumberItem } from "../contracts";
import { type ActorDb, type KvCell, StoredJson, sql } from "../sql";
import { statusesOf } from "./intake";

/**
 * While messages are kept for a suspended tenant, the alarm asks D1 this often
 * whether the tenant is back (should the operator's reactivation call be lost).
 */
const HELD_RECHECK_MS = 5 * 60 * 1000;
/** After a failed release of kept messages, the alarm tries again this soon. */
const HELD_RETRY_MS = 30 * 1000;
/** A delivery with this many messages or more is queued (acknowledged once kept), not routed first. */
export const QUEUE_FROM = 20;
/**
 * Kept messages are routed this many at a time, oldest first, with a breath
 * between batches: what arrives meanwhile is not kept waiting behind them.
 */
const RELEASE_BATCH = 10;
/**
 * The longest breath after a batch. Each batch is followed by a pause as long
 * as it took, so a release leaves at least half of the time to the rest. In
 * production a batch takes a few milliseconds (its conversations' calls), so a
 * 1,000-message POST is routed in about a second; where everything shares one
 * thread (local, the bench), a batch takes longer while that thread is busy
 * with the replies and statuses of the messages already routed, and the
 * release slows with it instead of piling work ahead of the next delivery's
 * acknowledgement (before: 300–1,000 ms to acknowledge a POST arriving
 * mid-burst; after: under 250 ms).
 */
const RELEASE_BREATH_MAX_MS = 100;

/** `held_inbound.item`: the webhook item as it arrived. */
const itemJson = new StoredJson<NumberItem>();

/** What keeping and releasing messages needs of the actor. */
export interface HeldInboundDeps {
  db: ActorDb;
  d1: D1Db;
  now: () => number;
  number: () => NumberInfo | null;
  /** When the alarm next asks whether the tenant is back (absent: nothing kept). */
  checkCell: KvCell<number>;
  /** Set when the platform told this number its tenant was suspended; gone once it is active. */
  suspendedCell: KvCell<true>;
  waitUntil: (promise: Promise<unknown>) => void;
  /** Routes items as a fresh delivery (intake.ts). */
  store: (items: NumberItem[]) => Promise<unknown>;
  applyStatuses: (statuses: StatusUpdate[]) => Promise<void>;
  /** Arms the actor's alarm for a changed check time (unless a routing pass will). */
  rearm: () => Promise<void>;
}

/** A suspended tenant's kept messages, and their release (one at a time). */
export class HeldInbound {
  /** Whether held_inbound may have rows (undefined: not read yet in this incarnation). */
  private mayHoldMessages: boolean | undefined;
  /** The release of kept messages in progress, which new messages wait for. */
  private releasing: Promise<void> | null = null;

  constructor(private readonly deps: HeldInboundDeps) {}

  /**
   * Keeps a suspended tenant's messages (once per wamid, in arrival order) and
   * applies its statuses. A message already routed before the suspension is
   * not kept again. Then asks D1 itself whether the tenant is still suspended:
   * the Worker's view may be seconds old, and a reactivation it missed must
   * not leave these messages waiting.
   */
  async hold(
    items: NumberItem[],
  ): Promise<{ messages: number; statuses: number; skipped: number; held: number }> {
    const { held, skipped } = this.keep(items);
    const statuses = statusesOf(items);
    await this.deps.applyStatuses(statuses);
    // Kept durably already: a failed release (logged, retried by the alarm) must not fail the delivery.
    await this.recheck().catch(() => undefined);
    return { messages: 0, statuses: statuses.length, skipped, held };
  }

  /**
   * An active tenant's delivery to route after acknowledging it: its messages
   * are kept (one write; once per wamid, a message routed before is not kept
   * again) and its statuses applied; the alarm, armed for now, then routes the
   * kept messages oldest first (as for a reactivated tenant: it asks D1 once
   * whether the tenant is active). Routing in the alarm rather than behind
   * this call lets the acknowledgement go first, and resumes by itself should
   * this actor stop midway.
   */
  async queue(
    items: NumberItem[],
  ): Promise<{ messages: number; statuses: number; skipped: number; held: number }> {
    const { held, skipped } = this.keep(items);
    const statuses = statusesOf(items);
    if (held > 0 && !this.releasing) {
      this.deps.checkCell.set(this.deps.now());
      await this.deps.rearm();
    }
    await this.deps.applyStatuses(statuses);
    return { messages: 0, statuses: statuses.length, skipped, held };
  }

  /**
   * The platform suspended the tenant: from now on this number keeps every
   * message, whatever a Worker's (possibly older) view says. Idempotent.
   */
  suspend(): void {
    this.deps.suspendedCell.set(true);
  }

  /** Whether the platform told this number its tenant is suspended (and no reactivation since). */
  toldSuspended(): boolean {
    return this.deps.suspendedCell.get() === true;
  }

  /** Whether a delivery must queue behind kept messages (or be queued, being large). */
  shouldQueue(items: NumberItem[]): boolean {
    if (this.releasing || this.holdsMessages()) return true;
    let messages = 0;
    for (const item of items) if (item.kind === "message") messages++;
    return messages >= QUEUE_FROM;
  }

  /** Keeps the items' messages, once per wamid and not if routed before: one statement each. */
  private keep(items: NumberItem[]): { held: number; skipped: number } {
    const { db, now } = this.deps;
    let held = 0;
    let skipped = 0;
    for (const item of items) {
      if (item.kind !== "message") continue;
      const id = item.message.id;
      const written = db.run(
        sql`INSERT OR IGNORE INTO held_inbound (wamid, item, held_at)
            SELECT ${id}, ${itemJson.write(item)}, ${now()}
            WHERE NOT EXISTS (SELECT 1 FROM inbound_seen WHERE wamid = ${id})`,
      );
      if (written > 0) held++;
      else skipped++;
    }
    this.mayHoldMessages ||= held > 0;
    return { held, skipped };
  }

  private holdsMessages(): boolean {
    this.mayHoldMessages ??=
      this.deps.db.one(sql`SELECT 1 AS x FROM held_inbound LIMIT 1`) !== null;
    return this.mayHoldMessages;
  }

  /**
   * If messages are kept, reads the tenant's status from D1: active → routes
   * them now; suspended (or D1 unreadable) → asks again at the next check.
   */
  async recheck(): Promise<void> {
    const { now, checkCell } = this.deps;
    const number = this.deps.number();
    if (!number || !this.holdsMessages()) {
      checkCell.delete();
      return;
    }
    let status: string | null = null;
    try {
      const tenant = await this.deps.d1
        .select({ status: tenants.status })
        .from(tenants)
        .where(eq(tenants.id, number.tenantId))
        .get();
      status = tenant?.status ?? null;
    } catch (err) {
      console.error("kept messages: tenant status unreadable; asking again later", redacted(err));
    }
    if (status === "active") {
      this.deps.suspendedCell.delete();
      await this.release();
      return;
    }
    checkCell.set(now() + HELD_RECHECK_MS);
    await this.deps.rearm();
  }

  /**
   * The tenant was reactivated: starts routing the kept messages and returns
   * how many wait; the alarm finishes should this actor stop midway.
   * Idempotent.
   */
  async reactivated(): Promise<{ held: number }> {
    this.deps.suspendedCell.delete();
    const held =
      this.deps.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM held_inbound`)?.n ?? 0;
    if (held > 0) {
      this.deps.checkCell.set(this.deps.now() + HELD_RETRY_MS);
      await this.deps.rearm();
      this.deps.waitUntil(this.release().catch(() => undefined));
    }
    return { held };
  }

  /** Routes every kept message (one release at a time; callers share it). */
  private release(): Promise<void> {
    this.releasing ??= this.releaseAll().finally(() => {
      this.releasing = null;
    });
    return this.releasing;
  }

  private async releaseAll(): Promise<void> {
    const { db, now, checkCell } = this.deps;
    try {
      for (;;) {
        const rows = db.all<{ seq: number; item: string }>(
          sql`SELECT seq, item FROM held_inbound ORDER BY seq LIMIT ${RELEASE_BATCH}`,
        );
        if (rows.length === 0) break;
        // Stored like a fresh delivery (deduped by wamid should a release be
        // repeated), and forgotten only once stored.
        const started = Date.now();
        await this.deps.store(rows.map((r) => itemJson.read(r.item)));
        const took = Date.now() - started;
        db.run(sql`DELETE FROM held_inbound WHERE seq <= ${rows.at(-1)!.seq}`);
        // A breath between batches, as long as the batch took: a release
        // takes at most half the time, and what comes meanwhile (the next
        // delivery to acknowledge, agents' replies, Meta's statuses) is not
        // kept waiting behind it — nor behind the work it started elsewhere
        // on a shared thread (see RELEASE_BREATH_MAX_MS).
        await new Promise((resolve) => setTimeout(resolve, Math.min(took, RELEASE_BREATH_MAX_MS)));
      }
      this.mayHoldMessages = false;
      checkCell.delete();
    } catch (err) {
      console.error("kept messages: release failed; the alarm retries", redacted(err));
      checkCell.set(now() + HELD_RETRY_MS);
      await this.deps.rearm();
      throw err;
    }
  }
}
