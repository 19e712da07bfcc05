/**
 * What the ConversationActor lends its modules: its storage, its bindings, the
 * clock, its record, and the background runs it keeps one at a time. A module
 * names the part it uses (`Pick<ConversationDeps, …>`), so what it can touch
 * is written at its top; none imports the actor.
 */
import type { Env } from "../env";
import type { ActorDb, KvCell } from "../sql";
import type { ArchivePending } from "./history-archive";
import type { ConversationRecord } from "./record";

export interface ConversationDeps {
  db: ActorDb;
  env: Env;
  /** The clock (src/platform/clock.ts: tests move it forward). */
  now: () => number;
  /**
   * The record: a fresh copy at each call (callers change it and `save` it),
   * with the number's configuration attached. Null before the first message.
   */
  record(): ConversationRecord | null;
  save(record: ConversationRecord): void;
  /** Arms the actor's one alarm for the earliest deadline. */
  armAlarm(): Promise<void>;
  /**
   * Runs `work` (synchronous) as one SQLite transaction: all of its writes,
   * or none if it throws.
   */
  atomically<T>(work: () => T): T;
  /** Keeps the actor alive for background work after the call returns. */
  waitUntil(work: Promise<unknown>): void;
  /** The "history write pending" marker (history.ts), durable before any attempt. */
  archive: KvCell<ArchivePending>;
  /** Sends every due outbox row (outbox.ts). */
  drainOutbox(): Promise<void>;
  /** Writes the pending history to D1 (history.ts). */
  archiveHistory(): Promise<void>;
  /** Mails the transcript when it is due (close.ts). */
  sendCloseMail(): Promise<void>;
  /** Fetches the inbound files that are due into R2 (media.ts). */
  fetchMedia(): Promise<void>;
  /** Deletes from R2 the files whose deletion is due (media.ts). */
  purgeMedia(): Promise<void>;
  /** The number's Graph API token (access-token.ts); `fresh` reads it again. */
  accessToken(record: ConversationRecord, fresh?: boolean): Promise<string>;
  /**
   * This incarnation's sends: the outbox rows it is POSTing (others marked in
   * flight died with a previous incarnation), and whether those others were
   * settled already (once, by its first drain: later, none can appear).
   */
  sending: { ids: Set<string>; orphansSettled: boolean };
}

/**
 * `run`, at most one at a time: a call while one is under way joins it
 * instead of starting another. It starts once the caller's synchronous work
 * is done, so it reads what that work wrote, committed: a call made inside
 * `atomically` never acts on writes the transaction then rolls back.
 */
export function oneAtATime(run: () => Promise<void>): OneAtATime {
  let running: Promise<void> | null = null;
  const start = () => {
    if (!running) {
      running = Promise.resolve()
        .then(run)
        .finally(() => {
          running = null;
        });
    }
    return running;
  };
  return Object.assign(start, { busy: () => running !== null });
}

/** A run made one at a time; `busy`: one is under way (or about to start). */
export type OneAtATime = (() => Promise<void>) & { busy(): boolean };
