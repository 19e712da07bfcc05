/**
 * ConversationActor — one per conversation. It serialises the conversation's
 * messages, state and outbound sends. Inbound messages are deduplicated by
 * wamid, ticks only move forward, and every reply goes through a durable
 * outbox so it is retried on Meta's transient errors but never sent twice.
 * It is also the authority on the conversation's lifecycle: the rules on
 * arrival, the agents' actions and every timer. Routing stays with the
 * number actor: the conversation tells it what it needs (a RouteRequest).
 *
 * This file is the actor's surface only: its RPC methods (each delegates to
 * the module of its concern), its stored record, and its one alarm. The
 * modules receive what they use as `ConversationDeps` (deps.ts) and never
 * import this file.
 */
import { DurableObject } from "cloudflare:workers";
import type { OutboundContent } from "../../meta/graph";
import type { InboundMessage, StatusUpdate } from "../../meta/webhook-payload";
import { now } from "../../platform/clock";
import { count, meteredEnv } from "../../platform/meter";
import type { ConversationView, MessageView, Participant, SentMedia } from "../../shared/protocol";
import type {
  ConversationInit,
  NumberConfig,
  NumberInfo,
  NumberToken,
  OutgoingMessage,
  RouteRequest,
} from "../contracts";
import type { Env } from "../env";
import { ActorDb, Alarm, earliest, KvCell, migrate, sql } from "../sql";
import { AccessTokenCache } from "./access-token";
import { closeByAgent, sendCloseMailOnce } from "./close";
import { drainOnce, expireUnconfirmed } from "./delivery";
import { type ConversationDeps, type OneAtATime, oneAtATime } from "./deps";
import * as handover from "./handover";
import { archiveOnce, requestArchive } from "./history";
import { ARCHIVE_KEY, type ArchivePending } from "./history-archive";
import { appendInbound, configChanged } from "./inbound";
import * as media from "./media";
import { expireUploads, NEXT_CLEANUP_AT } from "./media-cleanup";
import { NEXT_MEDIA_JOB_AT } from "./media-fetch";
import { CONVERSATION_MIGRATIONS } from "./migrations";
import * as outbound from "./outbound-template";
import { nextSendAt } from "./outbox";
import { pageOf, readAfter, searchIn } from "./paging";
import {
  type ActionResult,
  type AgentRef,
  type CloseResult,
  CONFIG_KEY,
  type ConversationRecord,
  RECORD_KEY,
  type ResendResult,
  recordJson,
  type SendResult,
  type TransferRequest,
} from "./record";
import { markReadUpTo, resend, sendReply } from "./sending";
import { applyStatuses } from "./ticks";
import { nextTimerAt, runTimers } from "./timers";

export type { ActionResult, CloseResult, ResendResult, SendResult, TransferRequest };

/** After an alarm duty threw, the next alarm waits at least this long (no tight loop on a bug). */
const DUTY_RETRY_MS = 30_000;
/**
 * A reply's send is made by the drain that starts with it; the alarm backs it
 * up this much later, should this actor stop first.
 */
const SEND_BACKUP_MS = 30_000;

export class ConversationActor extends DurableObject<Env> {
  private readonly db: ActorDb;
  /** The record as stored (without its number's configuration), read once. */
  private readonly recordCell: KvCell<ConversationRecord>;
  /** The number's configuration, kept apart from the record: large, and changed rarely. */
  private readonly configCell: KvCell<NumberConfig>;
  private readonly nextAlarm: Alarm;
  /** What the modules are lent (deps.ts). */
  private readonly deps: ConversationDeps;
  /** The outbox's drain (delivery.ts), one at a time. */
  private readonly drain: OneAtATime;
  /** The number's access token, as its number hands it (access-token.ts). */
  private readonly tokens: AccessTokenCache;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    env = this.env; // counted where the bench's hooks are on (platform/meter.ts)
    this.db = new ActorDb(ctx.storage.sql);
    migrate(this.db, CONVERSATION_MIGRATIONS);
    this.recordCell = new KvCell(ctx.storage.sql, RECORD_KEY);
    this.configCell = new KvCell(ctx.storage.sql, CONFIG_KEY);
    // Lazy: every duty of the alarm is safe to run early or for nothing (see `alarm`).
    this.nextAlarm = new Alarm(ctx.storage, { lazy: true });
    // Declared before `deps`, which lends it; it reads `deps` only when it runs.
    const drain = oneAtATime(() => drainOnce(deps));
    this.drain = drain;
    const tokens = new AccessTokenCache(env);
    this.tokens = tokens;
    const deps: ConversationDeps = {
      db: this.db,
      env,
      now,
      record: () => this.record(),
      save: (record) => this.save(record),
      armAlarm: () => this.armAlarm(),
      atomically: (work) => ctx.storage.transactionSync(work),
      waitUntil: (work) => ctx.waitUntil(work),
      archive: new KvCell<ArchivePending>(ctx.storage.sql, ARCHIVE_KEY),
      drainOutbox: drain,
      archiveHistory: oneAtATime(() => archiveOnce(deps)),
      sendCloseMail: oneAtATime(() => sendCloseMailOnce(deps)),
      fetchMedia: oneAtATime(() => media.fetchDueMedia(deps)),
      purgeMedia: oneAtATime(() => media.purgeDueMedia(deps)),
      accessToken: (record, fresh) => tokens.get(record, fresh),
      sending: { ids: new Set(), orphansSettled: false },
    };
    this.deps = deps;
  }

  /**
   * The conversation's record: a fresh copy at each call (callers change it and
   * `save` it), with the number's configuration attached (shared: never changed
   * in place, replaced by `configChanged`).
   */
  private record(): ConversationRecord | null {
    const text = this.recordCell.text();
    if (text === null) return null;
    const record = recordJson.read(text);
    // Records written before the split carry their configuration inline.
    if (record.config) return record;
    const config = this.configCell.get();
    return config ? { ...record, config } : record;
  }

  private save(record: ConversationRecord): void {
    const { config, ...rest } = record;
    if (config && config !== this.configCell.get()) this.configCell.set(config);
    this.recordCell.set(rest);
  }

  /** Asks for D1's history to catch up with the conversation. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the history tests repeat a write through it.
  private requestArchive(): Promise<void> {
    return requestArchive(this.deps);
  }

  // ---- inbound (inbound.ts, arrival.ts) ----------------------------------------

  /**
   * Stores inbound messages, once each (by wamid), and applies the rules on
   * arrival. `init` creates the conversation on first use and is ignored
   * afterwards. Returns how many messages were new and what routing should do
   * now (null: nothing changes). Durable when it resolves.
   */
  async appendInbound(
    init: ConversationInit | null,
    messages: InboundMessage[],
    token: NumberToken | null = null,
  ): Promise<{ inserted: number; route: RouteRequest | null }> {
    if (token) this.tokens.offer(token);
    return appendInbound(this.deps, init, messages);
  }

  /** The number's configuration (or access token) changed: the conversation follows it from now on. */
  async configChanged(
    number: NumberInfo,
    config: NumberConfig,
    token: NumberToken | null = null,
  ): Promise<void> {
    if (token) this.tokens.offer(token);
    await configChanged(this.deps, number, config);
  }

  // ---- who has it (handover.ts) -------------------------------------------------

  /** An agent takes the conversation (accepted an offer, or picked it up). Idempotent for the same agent. */
  async assign(
    agent: AgentRef & { skillsetId: string | null; skillsetName: string | null },
  ): Promise<ConversationView> {
    return handover.assign(this.deps, agent);
  }

  /** The agent can no longer serve it (deactivated): it waits for routing again. Idempotent. */
  async unassign(agentId: string): Promise<void> {
    await handover.unassign(this.deps, agentId);
  }

  /** The owner typed (or wrote): a pending welcome on assignment is not sent. Idempotent. */
  async agentTyping(agentId: string): Promise<void> {
    await handover.agentTyping(this.deps, agentId);
  }

  /** The owner logged out (`open`) or came back: the conversation shows as left open meanwhile. */
  async setLeftOpen(agentId: string, open: boolean): Promise<void> {
    handover.setLeftOpen(this.deps, agentId, open);
  }

  /** The owner hands the conversation on: to a user, a skillset, or the wait queue. */
  async transfer(
    tenantId: string,
    agentId: string,
    request: TransferRequest,
  ): Promise<ActionResult> {
    return handover.transfer(this.deps, tenantId, agentId, request);
  }

  /** Whether `ownerId` may invite `guestId` into the conference, and what the invitation shows. */
  async conferenceInvitation(
    tenantId: string,
    ownerId: string,
    guestId: string,
  ): Promise<ReturnType<typeof handover.conferenceInvitation>> {
    return handover.conferenceInvitation(this.deps, tenantId, ownerId, guestId);
  }

  /** The guest accepted the invitation: they see and write in the conversation too. Idempotent. */
  async join(guest: Participant): Promise<ConversationView | null> {
    return handover.join(this.deps, guest);
  }

  /** A guest leaves the conference; the conversation goes on with its owner. */
  async leave(tenantId: string, guestId: string): Promise<ActionResult> {
    return handover.leave(this.deps, tenantId, guestId);
  }

  // ---- what the desktop reads (paging.ts) ----------------------------------------

  /** The conversation and its messages after `afterSeq`, if it belongs to `tenantId`. */
  async read(
    tenantId: string,
    afterSeq = 0,
  ): Promise<{ conversation: ConversationView; messages: MessageView[] } | null> {
    const record = this.record();
    if (!record || record.tenantId !== tenantId) return null;
    return readAfter(this.db, record, afterSeq);
  }

  /** The newest `limit` messages with `after < seq < before`, oldest first. Null when not `tenantId`'s. */
  async page(
    tenantId: string,
    range: { after: number; before?: number | undefined; limit: number },
  ): Promise<{ messages: MessageView[]; hasMore: boolean } | null> {
    const record = this.record();
    if (!record || record.tenantId !== tenantId) return null;
    return pageOf(this.db, record, range);
  }

  /** Messages whose text contains `q` (as a `masked` agent sees them), newest first. */
  async search(
    tenantId: string,
    q: string,
    limit: number,
    masked = false,
  ): Promise<MessageView[] | null> {
    const record = this.record();
    if (!record || record.tenantId !== tenantId) return null;
    return searchIn(this.db, record, q, limit, masked);
  }

  // ---- files (media.ts) ---------------------------------------------------------

  /** An agent uploaded a file here: deleted unless a message names it within a day. */
  async registerUpload(tenantId: string, mediaId: string): Promise<boolean> {
    return media.registerUpload(this.deps, tenantId, mediaId);
  }

  /** The customer was deleted: once D1 confirms it, the contents and files go. Idempotent. */
  async customerDeleted(tenantId: string): Promise<void> {
    await media.customerDeleted(this.deps, tenantId);
  }

  // ---- closing (close.ts) -------------------------------------------------------

  /** The owner closes the conversation with a reason and optional notes. Idempotent. */
  async close(
    tenantId: string,
    agentId: string,
    reason: string,
    notes: string | null = null,
  ): Promise<CloseResult> {
    return closeByAgent(this.deps, tenantId, agentId, reason, notes);
  }

  // ---- sending (sending.ts) -----------------------------------------------------

  /** The assigned agent has seen the messages up to `upToSeq`: tells Meta once. Idempotent. */
  async markRead(tenantId: string, agentId: string, upToSeq: number): Promise<{ ok: boolean }> {
    return markReadUpTo(this.deps, tenantId, agentId, upToSeq);
  }

  /**
   * Queues an agent's reply (text, or `outbound.content`) and starts sending it.
   * Idempotent per `clientId`. `senderShows`: the caller is the agent's own
   * actor, which shows the reply on its desktops itself.
   */
  async sendText(
    tenantId: string,
    agent: AgentRef,
    clientId: string,
    text: string,
    outbound?: { content: OutboundContent; media?: SentMedia },
    senderShows = false,
  ): Promise<SendResult> {
    return sendReply(this.deps, tenantId, agent, clientId, text, outbound, senderShows);
  }

  /** Sends again, once, a message of ours that was not confirmed or failed, as `clientId`. */
  async resend(
    tenantId: string,
    agent: AgentRef,
    messageId: string,
    clientId: string,
  ): Promise<ResendResult> {
    return resend(this.deps, tenantId, agent, messageId, clientId);
  }

  // ---- conversations an agent starts (outbound-template.ts) ------------------------

  /** Creates the conversation an agent starts, with its first message. Idempotent per `clientId`. */
  async startOutbound(
    init: ConversationInit,
    start: outbound.OutboundStart,
  ): Promise<outbound.OutboundStarted> {
    return outbound.startOutbound(this.deps, init, start);
  }

  /** Sends another template into a conversation of `agent`. Idempotent per `clientId`. */
  async sendOutboundTemplate(
    tenantId: string,
    agent: AgentRef,
    clientId: string,
    message: OutgoingMessage,
  ): Promise<SendResult> {
    return outbound.sendOutboundTemplate(this.deps, tenantId, agent, clientId, message);
  }

  /** The agent withdraws an unanswered template: it closes silently. Idempotent once closed. */
  async withdrawOutbound(tenantId: string, agentId: string): Promise<CloseResult> {
    return outbound.withdrawOutbound(this.deps, tenantId, agentId);
  }

  /** The unanswered template as "Sent templates" lists it, or null. */
  async outboundSummary(tenantId: string): Promise<ReturnType<typeof outbound.outboundSummary>> {
    return outbound.outboundSummary(this.deps, tenantId);
  }

  // ---- statuses (ticks.ts) ------------------------------------------------------

  /**
   * Statuses the Worker routed here by their callback data
   * (`<conversation>/<message>`), without the number actor: applied only if
   * this conversation is that number's.
   */
  async statusesFromMeta(
    numberId: string,
    list: { status: StatusUpdate; messageId: string }[],
  ): Promise<void> {
    if (this.record()?.number.id !== numberId) return;
    await applyStatuses(this.deps, list);
  }

  /** Applies delivery statuses; ticks only move forward. */
  async applyStatuses(list: { status: StatusUpdate; messageId: string | null }[]): Promise<void> {
    await applyStatuses(this.deps, list);
  }

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  // ---- the alarm ----------------------------------------------------------------

  /**
   * Applies the lifecycle timers that are due, sends due outbox rows, retries
   * a pending history write, the e-mail on close and the files' duties. All
   * are safe to repeat; a retry earlier than planned is only an earlier attempt.
   */
  override async alarm(): Promise<void> {
    count("actor.conversation.alarm");
    this.nextAlarm.fired();
    // Woken early or for nothing (the lazy alarm left a send's backup that has
    // since gone): nothing is due, so no duty has work; the alarm is armed for
    // what is pending, if anything. Unsent uploads, which arm no alarm of their
    // own, still expire at any wake.
    const due = this.deadline();
    if (due === null || due > now()) {
      expireUploads(this.db, now());
      await this.nextAlarm.set(due);
      return;
    }
    const deps = this.deps;
    let failed = false;
    // Each duty on its own: one that throws (a bug, a corrupt row) never keeps the
    // others from running, and the alarm is always armed again.
    const duty = async (name: string, run: () => Promise<void> | void) => {
      try {
        await run();
      } catch (err) {
        failed = true;
        console.error(`alarm duty "${name}" failed`, this.record()?.id, err);
      }
    };
    try {
      await duty("timers", () => runTimers(deps));
      await duty("unconfirmed sends", () => expireUnconfirmed(deps));
      await duty("unsent uploads", () => expireUploads(this.db, now()));
      await Promise.all([
        duty("outbox", () => deps.drainOutbox()),
        duty("history", () => deps.archiveHistory()),
        duty("close e-mail", () => deps.sendCloseMail()),
        duty("media", () => deps.fetchMedia()),
        duty("media cleanup", () => deps.purgeMedia()),
      ]);
    } finally {
      await this.armAlarm(failed ? now() + DUTY_RETRY_MS : null);
    }
  }

  /**
   * Arms the one alarm for the earliest deadline: a send (or the wait for its
   * status), a media download, a history write, the e-mail, a timer. After a
   * duty failed, not before `notBefore`. A deadline that cannot be computed
   * (corrupt settings) counts as due then too, so it is never forgotten.
   */
  private async armAlarm(notBefore: number | null = null): Promise<void> {
    const at = this.deadline();
    await this.nextAlarm.set(at === null || notBefore === null ? at : Math.max(at, notBefore));
  }

  /**
   * The earliest deadline of all (see `armAlarm`), or null when nothing at all
   * is pending: no send or wait for a status, no media job or cleanup, no
   * history write, no e-mail, no timer.
   */
  private deadline(): number | null {
    const at0 = now();
    const drain = this.drain.busy() ? { now: at0, backupAt: at0 + SEND_BACKUP_MS } : null;
    const queued = this.db.one<{ at: number | null }>(
      sql`SELECT min(at) AS at FROM (${nextSendAt(drain)}
            UNION ALL ${NEXT_MEDIA_JOB_AT} UNION ALL ${NEXT_CLEANUP_AT})`,
    )?.at;
    const archive = this.deps.archive.get()?.dueAt;
    const record = this.record();
    const mail = record?.closeMail?.dueAt;
    let timer: number | null = null;
    try {
      timer = record ? nextTimerAt(record, now()) : null;
    } catch (err) {
      console.error("timers could not be computed", record?.id, err);
      timer = now() + DUTY_RETRY_MS;
    }
    return earliest(queued, archive, mail, timer);
  }
}
