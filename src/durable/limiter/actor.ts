/**
 * LimiterActor: one per throttled key (an account's e-mail, a client IP, a
 * user's mail or upload quota). It keeps the times of the key's recent events
 * and decides, in one place and one at a time, whether another is allowed, so
 * concurrent requests from many isolates cannot slip past a limit together.
 *
 * The platform's rate-limiting binding was not used: it counts every request
 * (a login limit must count failures, and a successful sign-in must clear the
 * account's count), it cannot say when to retry, and it is not available in
 * the test runtime.
 */
import { DurableObject } from "cloudflare:workers";
import { count, meteredEnv } from "../../platform/meter";
import type { Env } from "../env";
import { ActorDb, Alarm, KV_TABLE, KvCell, migrate } from "../sql";

/** At most `limit` events in any `windowMs`. */
export interface LimitRule {
  limit: number;
  windowMs: number;
}

/** `retryAfterMs` is how long until one more event would be allowed (0 when allowed now). */
export type LimitResult = { allowed: boolean; retryAfterMs: number };

export class LimiterActor extends DurableObject<Env> {
  private readonly events: KvCell<number[]>;
  private readonly nextAlarm: Alarm;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    env = this.env; // counted where the bench's hooks are on (platform/meter.ts)
    migrate(new ActorDb(ctx.storage.sql), [[KV_TABLE]]);
    this.events = new KvCell(ctx.storage.sql, "events");
    this.nextAlarm = new Alarm(ctx.storage);
  }

  /** The events still inside the window, oldest first. */
  private recent(rule: LimitRule, at: number): number[] {
    return (this.events.get() ?? []).filter((t) => t > at - rule.windowMs);
  }

  private result(list: number[], rule: LimitRule, at: number): LimitResult {
    if (list.length < rule.limit) return { allowed: true, retryAfterMs: 0 };
    // The event that must leave the window before one more fits.
    const oldest = list[list.length - rule.limit] ?? at;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + rule.windowMs - at) };
  }

  private async store(list: number[], rule: LimitRule): Promise<void> {
    if (list.length === 0) this.events.delete();
    else this.events.set(list);
    // Forgets the key once its newest event has left the window.
    const last = list[list.length - 1];
    await this.nextAlarm.set(last === undefined ? null : last + rule.windowMs);
  }

  /** Whether one more event would be allowed now, without counting one. */
  async check(rule: LimitRule): Promise<LimitResult> {
    const at = Date.now();
    return this.result(this.recent(rule, at), rule, at);
  }

  /**
   * Counts one event (a failed sign-in, a mail sent) and answers whether it was
   * allowed. A refused event is not counted, so waiting `retryAfterMs` is enough.
   */
  async take(rule: LimitRule): Promise<LimitResult> {
    const at = Date.now();
    const list = this.recent(rule, at);
    const verdict = this.result(list, rule, at);
    if (verdict.allowed) {
      list.push(at);
      // Kept to at most `limit` entries: older ones cannot matter any more.
      await this.store(list.slice(-rule.limit), rule);
    }
    return verdict;
  }

  /** Forgets every event of the key (a successful sign-in clears its failures). Idempotent. */
  async reset(): Promise<void> {
    this.events.delete();
    await this.nextAlarm.set(null);
  }

  override async alarm(): Promise<void> {
    count("actor.limiter.alarm");
    this.nextAlarm.fired();
    this.events.delete();
  }
}
