/**
 * ConversationActor — one per conversation. It serialises the conversation's
 * messages, state and outbound sends. Inbound messages are deduplicated by
 * wamid, ticks only move forward, and every reply goes through a durable
 * outbox so it is retried on Meta's transient errors but never sent twice.
 * Taking and closing the conversation write the customer's history in D1,
 * retried by the alarm until D1 has it (see history-archive.ts).
 *
 * It is also the authority on the conversation's lifecycle: the rules on
 * arrival (unknown numbers, attachments, working time, welcome, softbot), the
 * agent's actions (transfer, wait queue, conference, close) and every timer
 * (lifecycle.ts). Routing stays with the number actor: the conversation tells
 * it what it needs (a RouteRequest). Automatic messages have fixed ids, so an
 * effect that runs twice (a repeated alarm, a retried call) sends nothing new.
 */
import { DurableObject } from "cloudflare:workers";
import {
  type SendResult as GraphSendResult,
  graphApiOf,
  markRead,
  type OutboundContent,
  type OutboundText,
  sendText,
} from "../meta/graph";
import { type InboundMessage, type StatusUpdate, statusRank } from "../meta/webhook-payload";
import { now } from "../platform/clock";
import { requireConfig } from "../platform/config";
import { type MailResult, sendMail, transcriptMail } from "../platform/mail";
import { pipelineDb } from "../platform/pipeline-db";
import { openSecret } from "../platform/secrets";
import { candidateLike, maskedContains } from "../shared/masked-search";
import {
  type ConversationView,
  CUSTOMER_WINDOW_MS,
  customerWindowOpen,
  type MessageError,
  type MessageView,
  NOT_PREPARED_ERROR,
  type Participant,
  type Sender,
  type SentMedia,
  type Tick,
  type TransferMode,
  type WaitQueueKind,
} from "../shared/protocol";
import { openState } from "../shared/working-time";
import {
  type ConversationInit,
  defaultNumberConfig,
  type NumberConfig,
  type NumberInfo,
  type OutgoingMessage,
  type RouteRequest,
} from "./contracts";
import type { Env } from "./env";
import {
  ARCHIVE_KEY,
  type ArchivedMessage,
  type ArchivePending,
  archiveRetryDelayMs,
  type HistorySnapshot,
  historyStatements,
} from "./history-archive";
import {
  dueTimers,
  type LifecycleState,
  nextTimer,
  type Timer,
  type TimerFacts,
} from "./lifecycle";
import {
  claimUpload,
  dropContents,
  expireUploads,
  MEDIA_CLEANUP_TABLES,
  NEXT_CLEANUP_AT,
  runPurges,
  trackUpload,
} from "./media-cleanup";
import { enqueueMediaJob, MEDIA_JOBS_TABLE, runMediaJobs } from "./media-fetch";
import { type NoticeCode, noticePayload, noticeText } from "./notices";
import {
  awaitConfirmation,
  enqueueSend,
  MAX_SEND_ATTEMPTS,
  OUTBOX_TABLE,
  type OutboxRow,
  sendRetryDelayMs,
  settledByStatus,
} from "./outbox";
import { menuContent, menuText, parseChoice } from "./softbot";
import { Alarm, addMissingColumns, all, earliest, KV_TABLE, KvCell, one } from "./sql";
import { viewExtras } from "./stored-content";

/** The conversation's own record (the `kv` row "conversation"). */
interface ConversationRecord extends Omit<ConversationInit, "config"> {
  /** Absent in records written before issue 5: the defaults apply. */
  config?: NumberConfig;
  state: LifecycleState;
  /** The owner: the agent who has it (assigned) or had it last. */
  agent: { id: string; name: string } | null;
  skillsetName: string | null;
  lastCustomerMessageAt: number | null;
  closedAt: number | null;
  closeReason: string | null;
  closedBy: string | null;
  closedByName?: string | null;
  closeNotes?: string | null;
  /**
   * The customer does not keep message history: texts and payloads were
   * removed at closing (and any message still sending loses its text once sent).
   */
  contentsRemoved?: boolean;
  /** Seq of the newest inbound message reported read to Meta. */
  readSeq?: number;
  /** When the current state began. */
  stateSince?: number;
  /** The latest message either way, for the inactivity timers. */
  lastActivityAt?: number;
  assignedAt?: number | null;
  /** The owner typed or wrote since `assignedAt` (cancels the welcome on assignment). */
  agentTyped?: boolean;
  /** The welcome on assignment was sent or cancelled (once per conversation). */
  welcomedOnAssignment?: boolean;
  /** When the current settings reached the conversation; timers never count from before. */
  settingsSince?: number;
  /** Conference guests. */
  participants?: Participant[];
  waitQueue?: ConversationView["waitQueue"];
  transfer?: ConversationView["transfer"];
  leftOpen?: boolean;
  /** How many times the softbot's menu was sent (the first included). */
  botAsked?: number;
  /** The automatic e-mail on close, until the mail server accepts it. */
  closeMail?: { to: string; attempts: number; dueAt: number } | null;
}

/** Inbound types that carry a file: refused when the number does not accept attachments. */
const ATTACHMENT_TYPES = new Set(["image", "document", "audio", "video", "sticker"]);

/** Why the system closed a conversation, as its history shows it. */
const SYSTEM_CLOSE_REASON: Record<Timer["kind"] | "unauthorized", string> = {
  welcome_on_assignment: "",
  to_wait_queue: "",
  bot_timeout: "",
  close_inactive: "Closed automatically: no activity",
  close_wait_queue: "Closed automatically: no activity in the wait queue",
  close_transfer: "Closed automatically: the transfer was not taken",
  close_24h: "Closed automatically: 24 hours after the customer's last message",
  close_end_of_day: "Closed automatically: end of the working day",
  close_no_reply: "No reply to the template",
  unauthorized: "Closed automatically: unauthorized number",
};

/** The transfer or wait-queue move an agent asks for, with names resolved by the Worker. */
export type TransferRequest =
  | { to: "agent"; agentId: string; agentName: string; mode: TransferMode }
  | { to: "skillset"; skillsetId: string; skillsetName: string }
  | { to: "wait_queue"; kind: WaitQueueKind };

type MessageRow = {
  seq: number;
  id: string;
  wamid: string | null;
  direction: "in" | "out";
  kind: string;
  text: string;
  payload: string | null;
  status: Tick | null;
  error: string | null;
  sender: string;
  created_at: number;
  /** Our messages: the id of the message the agent resent it as (see `resend`). */
  resent_as: string | null;
};

/** How long a conversation keeps its number's access token between D1 reads. */
const TOKEN_TTL_MS = 60_000;
/** Attempts at the e-mail on close before it is abandoned (with a note in the conversation). */
const CLOSE_MAIL_ATTEMPTS = 8;
/** Failed attempts at the history write after which the conversation says so (it keeps trying). */
const ARCHIVE_ATTEMPTS_BEFORE_NOTICE = 8;
/** After an alarm duty threw, the next alarm waits at least this long (no tight loop on a bug). */
const DUTY_RETRY_MS = 30_000;

const SCHEMA = [
  KV_TABLE,
  `CREATE TABLE IF NOT EXISTS messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
     direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
     status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL)`,
  OUTBOX_TABLE,
  `CREATE TABLE IF NOT EXISTS status_log (
     wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (wamid, status))`,
  MEDIA_JOBS_TABLE,
  ...MEDIA_CLEANUP_TABLES,
];

export type SendResult =
  | { ok: true; message: MessageView }
  | {
      ok: false;
      code: "not_found" | "not_assigned" | "closed" | "window_closed" | "upload_gone";
    };
/** `not_resendable`: the message is not ours, or its sending is not in doubt (nor failed). */
export type ResendResult =
  | { ok: true; message: MessageView }
  | {
      ok: false;
      code: "not_found" | "not_assigned" | "closed" | "window_closed" | "not_resendable";
    };
export type CloseResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "not_found" | "not_assigned" };
export type ActionResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "not_found" | "not_assigned" | "not_possible" };

export class ConversationActor extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Outbox rows this incarnation is sending; others marked in-flight died with a previous one. */
  private readonly sending = new Set<string>();
  private draining: Promise<void> | null = null;
  private archiving: Promise<void> | null = null;
  private mailing: Promise<void> | null = null;
  private fetchingMedia: Promise<void> | null = null;
  private purgingMedia: Promise<void> | null = null;

  /** The record as stored (without its number's configuration), read once. */
  private readonly recordCell: KvCell<ConversationRecord>;
  /** The number's configuration, kept apart from the record: large, and changed rarely. */
  private readonly configCell: KvCell<NumberConfig>;
  private readonly archiveCell: KvCell<ArchivePending>;
  private readonly nextAlarm: Alarm;
  private token: { value: string; numberId: string; until: number } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of SCHEMA) this.sql.exec(ddl);
    addMissingColumns(this.sql, "messages", { resent_as: "TEXT" });
    this.recordCell = new KvCell(this.sql, "conversation");
    this.configCell = new KvCell(this.sql, "config");
    this.archiveCell = new KvCell(this.sql, ARCHIVE_KEY);
    this.nextAlarm = new Alarm(ctx.storage);
  }

  /**
   * The conversation's record: a fresh copy at each call (callers change it and
   * `save` it), with the number's configuration attached (shared: never changed
   * in place, replaced by `configChanged`).
   */
  private get record(): ConversationRecord | null {
    const text = this.recordCell.text();
    if (text === null) return null;
    const record = JSON.parse(text) as ConversationRecord;
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

  // ---- inbound --------------------------------------------------------------

  /**
   * Stores inbound messages, once each (by wamid), and applies the rules on
   * arrival. `init` creates the conversation on first use and is ignored
   * afterwards. Returns how many messages were new and what routing should do
   * now (null: nothing changes). Durable when it resolves.
   */
  async appendInbound(
    init: ConversationInit | null,
    messages: InboundMessage[],
  ): Promise<{ inserted: number; route: RouteRequest | null }> {
    let record = this.record;
    const isNew = !record;
    if (!record) {
      if (!init) return { inserted: 0, route: null };
      const at = now();
      record = {
        ...init,
        state: "queued",
        agent: null,
        skillsetName: null,
        lastCustomerMessageAt: null,
        closedAt: null,
        closeReason: null,
        closedBy: null,
        stateSince: at,
        lastActivityAt: at,
        settingsSince: at,
      };
    }
    const settings = this.settings(record);
    const inserted: MessageView[] = [];
    const fresh: InboundMessage[] = [];
    const refused: InboundMessage[] = [];
    for (const m of messages) {
      const refuse = !settings.details.acceptAttachments && ATTACHMENT_TYPES.has(m.type);
      const row = one<MessageRow>(
        this.sql,
        `INSERT INTO messages (id, wamid, direction, kind, text, payload, sender, created_at)
         VALUES (?, ?, 'in', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
        crypto.randomUUID(),
        m.id,
        m.type,
        refuse ? `[attachment refused] ${m.text}` : m.text,
        refuse
          ? null
          : JSON.stringify({
              payload: m.payload,
              context: m.context,
              referral: m.referral,
              errors: m.errors,
              originalType: m.originalType,
            }),
        JSON.stringify({ type: "customer" } satisfies Sender),
        m.timestampMs,
      );
      if (!row) continue;
      inserted.push(toView(record.id, row, this.sql));
      if (enqueueMediaJob(this.sql, row, now())) this.ctx.waitUntil(this.fetchMedia());
      fresh.push(m);
      if (refuse) refused.push(m);
      record.lastCustomerMessageAt = Math.max(record.lastCustomerMessageAt ?? 0, m.timestampMs);
      record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, now());
    }
    this.save(record);
    this.notifyAgents(record, inserted);
    if (inserted.length === 0 && !isNew) return { inserted: 0, route: null };
    for (const m of refused) {
      this.sendAutomatic(
        record,
        `attachment_refused:${m.id}`,
        settings.messages.attachmentRejected,
      );
    }
    // The answer to an agent's template goes to that agent (outboundAnswered), after saving.
    const answered = !isNew && record.state === "outbound";
    const route = isNew
      ? this.arrive(record)
      : answered
        ? null
        : this.customerWrote(record, fresh.at(-1)!);
    this.save(record);
    await this.armAlarm();
    if (answered) return { inserted: inserted.length, route: await this.outboundAnswered() };
    return { inserted: inserted.length, route };
  }

  /**
   * The rules on arrival, for a new conversation: an unknown customer where
   * only existing ones are accepted gets the unauthorized message (and is
   * closed, or held unrouted); otherwise the welcome (or the out-of-hours
   * message while closed), then the softbot's menu or the routing queue.
   */
  private arrive(record: ConversationRecord): RouteRequest {
    const { settings, botOptions } = this.config(record);
    if (record.customer.known === false) {
      this.sendAutomatic(record, "unauthorized", settings.messages.unauthorized);
      if (settings.autoClose.unauthorizedNumbers) {
        // The unauthorized message says it all: no close message after it.
        this.finish(record, SYSTEM_CLOSE_REASON.unauthorized, null, null, null);
        return { type: "closed" };
      }
      this.enter(record, "unauthorized");
      return { type: "hold", state: "unauthorized" };
    }
    if (!this.outOfHours(record)) this.sendAutomatic(record, "welcome", settings.messages.welcome);
    const wantsBot =
      settings.bot.enabled &&
      botOptions.length > 0 &&
      !record.customer.bypassBot &&
      record.skillsetId === null;
    if (wantsBot) {
      this.enter(record, "bot");
      this.askBot(record, "1");
      return { type: "hold", state: "bot" };
    }
    this.enter(record, "queued");
    return { type: "queue", skillsetId: record.skillsetId, kind: "new" };
  }

  /** A customer's new message on an existing conversation: the softbot reads it, a wait queue wakes. */
  private customerWrote(record: ConversationRecord, last: InboundMessage): RouteRequest | null {
    const { settings, botOptions } = this.config(record);
    if (record.state !== "assigned" && record.state !== "closed") this.outOfHours(record);
    switch (record.state) {
      case "bot": {
        const choice = parseChoice(last, botOptions);
        if (choice) return this.leaveBot(record, choice);
        this.sendAutomatic(record, `bot_invalid:${last.id}`, settings.bot.invalidChoice);
        this.askBot(record, last.id);
        return null;
      }
      case "wait_queue": {
        const queue = record.waitQueue;
        this.enter(record, "queued");
        record.waitQueue = null;
        if (queue?.kind === "personal" && queue.agentId) {
          return {
            type: "queue",
            skillsetId: record.skillsetId,
            kind: "new",
            targetAgentId: queue.agentId,
            targetAgentName: queue.agentName,
            mode: "exclusive",
            fallbackAt: this.windowEnd(record),
          };
        }
        return { type: "queue", skillsetId: record.skillsetId, kind: "new" };
      }
      default:
        return null;
    }
  }

  /**
   * Sends the out-of-hours message once per closed period when the number is
   * closed now. Returns whether it is closed.
   */
  private outOfHours(record: ConversationRecord): boolean {
    const { settings } = this.config(record);
    const hours = openState(settings.workingTime, now());
    if (hours.open) return false;
    this.sendAutomatic(
      record,
      `out_of_hours:${hours.nextChangeAt ?? "later"}`,
      settings.messages.outOfHours,
    );
    return true;
  }

  /** Sends the softbot's menu (once per `key`). */
  private askBot(record: ConversationRecord, key: string): void {
    const { settings, botOptions } = this.config(record);
    record.botAsked = (record.botAsked ?? 0) + 1;
    const content = menuContent(settings.bot, botOptions);
    this.sendAutomatic(record, `bot_menu:${key}`, menuText(settings.bot, botOptions), {
      content,
    });
  }

  /** The softbot is done: the conversation queues for the chosen (or default) skillset. */
  private leaveBot(record: ConversationRecord, skillsetId: string | null): RouteRequest {
    record.skillsetId = skillsetId;
    record.skillsetName =
      this.config(record).botOptions.find((o) => o.skillsetId === skillsetId)?.label ?? null;
    this.enter(record, "queued");
    return { type: "queue", skillsetId, kind: "new" };
  }

  /** Moves to a state, noting since when (the timers count from there). */
  private enter(record: ConversationRecord, state: LifecycleState): void {
    record.state = state;
    record.stateSince = now();
  }

  /** The end of the customer's 24-hour window (now when they never wrote). */
  private windowEnd(record: ConversationRecord): number {
    return (record.lastCustomerMessageAt ?? now()) + CUSTOMER_WINDOW_MS;
  }

  private config(record: ConversationRecord): NumberConfig {
    return record.config ?? defaultNumberConfig();
  }

  private settings(record: ConversationRecord) {
    return this.config(record).settings;
  }

  /**
   * The number's configuration changed: the conversation follows it from now
   * on (its timers re-arm; none counts from before this moment).
   */
  async configChanged(number: NumberInfo, config: NumberConfig): Promise<void> {
    const record = this.record;
    if (!record || record.state === "closed") return;
    record.number = number;
    record.config = config;
    record.settingsSince = now();
    this.save(record);
    await this.armAlarm();
  }

  // ---- automatic messages ---------------------------------------------------

  /**
   * Queues an automatic message once per `key` (a repeat finds the same id and
   * sends nothing). Blank texts are not sent; neither is anything outside the
   * customer's 24-hour window, where Meta would refuse it.
   */
  private sendAutomatic(
    record: ConversationRecord,
    key: string,
    text: string | null,
    options: { content?: OutboundContent; sender?: Sender } = {},
  ): void {
    if (!text?.trim()) return;
    if (!customerWindowOpen(record.lastCustomerMessageAt, now())) return;
    const id = `auto:${key}`;
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
       VALUES (?, 'out', ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      id,
      options.content?.type ?? "text",
      text,
      options.content ? JSON.stringify({ content: options.content }) : null,
      JSON.stringify(options.sender ?? ({ type: "system" } satisfies Sender)),
      now(),
    );
    if (!row) return;
    enqueueSend(this.sql, id, now());
    record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, now());
    this.notifyAgents(record, [toView(record.id, row)]);
    this.ctx.waitUntil(this.drainOutbox());
  }

  /** A note in the conversation for the agents (a colleague joined or left); never sent. */
  private addNote(record: ConversationRecord, key: string, text: string): void {
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, sender, created_at)
       VALUES (?, 'out', 'note', ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      `note:${key}`,
      text,
      JSON.stringify({ type: "system" } satisfies Sender),
      now(),
    );
    if (row) this.notifyAgents(record, [toView(record.id, row)]);
  }

  // ---- state ----------------------------------------------------------------

  /**
   * An agent takes the conversation: they accepted an offer (new or
   * transferred) or picked it up. Idempotent for the same agent.
   */
  async assign(agent: {
    id: string;
    name: string;
    skillsetId: string | null;
    skillsetName: string | null;
  }): Promise<ConversationView> {
    const record = this.record;
    if (!record) throw new Error("assign before the conversation exists");
    if (
      record.state !== "closed" &&
      !(record.state === "assigned" && record.agent?.id === agent.id)
    ) {
      const at = now();
      this.enter(record, "assigned");
      record.agent = { id: agent.id, name: agent.name };
      record.skillsetId = agent.skillsetId ?? record.skillsetId;
      record.skillsetName = agent.skillsetName ?? record.skillsetName;
      record.assignedAt = at;
      record.agentTyped = false;
      record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, at);
      record.transfer = null;
      record.waitQueue = null;
      record.leftOpen = false;
      record.participants = (record.participants ?? []).filter((p) => p.id !== agent.id);
      this.save(record);
      // The history row makes the customer visible to the agent's skillsets.
      await this.requestArchive();
      await this.armAlarm();
    }
    return this.view(record);
  }

  /**
   * The agent can no longer serve the conversation (deactivated): it waits for
   * routing again and that agent may no longer send or close. Idempotent; a
   * conversation meanwhile taken by someone else is left alone.
   */
  async unassign(agentId: string): Promise<void> {
    const record = this.record;
    if (record?.state !== "assigned" || record.agent?.id !== agentId) return;
    this.enter(record, "queued");
    record.agent = null;
    this.save(record);
    await this.armAlarm();
  }

  /** The owner typed (or wrote): a pending welcome on assignment is not sent. Idempotent. */
  async agentTyping(agentId: string): Promise<void> {
    const record = this.record;
    if (record?.state !== "assigned" || record.agent?.id !== agentId || record.agentTyped) return;
    record.agentTyped = true;
    this.save(record);
    await this.armAlarm();
  }

  /** The owner logged out (`open`) or came back: the conversation shows as left open meanwhile. */
  async setLeftOpen(agentId: string, open: boolean): Promise<void> {
    const record = this.record;
    if (record?.state !== "assigned" || record.agent?.id !== agentId) return;
    if ((record.leftOpen ?? false) === open) return;
    record.leftOpen = open;
    this.save(record);
  }

  /**
   * The owner hands the conversation on: to a user (immediate or exclusive),
   * to a skillset, or to the wait queue (public or personal). It leaves the
   * owner's desktop (and the conference guests') at once; the transfer
   * message goes to the customer; routing does the rest.
   */
  async transfer(
    tenantId: string,
    agentId: string,
    request: TransferRequest,
  ): Promise<ActionResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    if (record.state !== "assigned" || record.agent?.id !== agentId) {
      return { ok: false, code: "not_assigned" };
    }
    const from = record.agent;
    const guests = record.participants ?? [];
    record.participants = [];
    record.leftOpen = false;
    let route: RouteRequest;
    if (request.to === "wait_queue") {
      route = this.park(record, request.kind, from);
    } else {
      this.enter(record, "transfer");
      const at = record.stateSince!;
      record.transfer = {
        toAgentId: request.to === "agent" ? request.agentId : null,
        toAgentName: request.to === "agent" ? request.agentName : null,
        toSkillsetId: request.to === "skillset" ? request.skillsetId : null,
        toSkillsetName: request.to === "skillset" ? request.skillsetName : null,
        mode: request.to === "agent" ? request.mode : "immediate",
        fromAgentName: from.name,
        since: at,
      };
      record.agent = null;
      this.sendAutomatic(record, `transfer:${at}`, this.settings(record).messages.transfer);
      route =
        request.to === "agent"
          ? {
              type: "queue",
              skillsetId: record.skillsetId,
              kind: "transfer",
              targetAgentId: request.agentId,
              targetAgentName: request.agentName,
              mode: request.mode,
              fallbackAt:
                request.mode === "exclusive"
                  ? this.windowEnd(record)
                  : at + requireConfig(this.env).offerTimeoutMs,
              fromAgentName: from.name,
            }
          : {
              type: "queue",
              skillsetId: request.skillsetId,
              kind: "transfer",
              excludeAgentId: from.id,
              fromAgentName: from.name,
            };
      if (request.to === "skillset") {
        record.skillsetId = request.skillsetId;
        record.skillsetName = request.skillsetName;
      }
    }
    this.save(record);
    await this.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
    const view = this.view(record);
    await this.releaseSeats(record, [from, ...guests], view);
    await this.armAlarm();
    return { ok: true, conversation: view };
  }

  /** Parks the conversation in the wait queue of `owner`; returns what routing must do. */
  private park(
    record: ConversationRecord,
    kind: WaitQueueKind,
    owner: { id: string; name: string },
  ): RouteRequest {
    this.enter(record, "wait_queue");
    record.waitQueue = {
      kind,
      agentId: owner.id,
      agentName: owner.name,
      since: record.stateSince!,
    };
    record.agent = null;
    return { type: "park", kind, agentId: owner.id, agentName: owner.name };
  }

  /** Frees the agents' seats and shows them the conversation's new state (it leaves their desktop). */
  private async releaseSeats(
    record: ConversationRecord,
    agents: { id: string }[],
    view: ConversationView,
  ): Promise<void> {
    await Promise.all(agents.map((a) => this.env.AGENT.getByName(a.id).release(record.id, view)));
  }

  /**
   * Checks that `ownerId` may invite `guest` into the conference and returns
   * what the guest's invitation shows.
   */
  async conferenceInvitation(
    tenantId: string,
    ownerId: string,
    guestId: string,
  ): Promise<
    | { ok: true; numberId: string; conversation: ConversationView; ownerName: string }
    | { ok: false; code: "not_found" | "not_assigned" | "not_possible" }
  > {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    if (record.state !== "assigned" || record.agent?.id !== ownerId) {
      return { ok: false, code: "not_assigned" };
    }
    if (guestId === ownerId || (record.participants ?? []).some((p) => p.id === guestId)) {
      return { ok: false, code: "not_possible" };
    }
    return {
      ok: true,
      numberId: record.number.id,
      conversation: this.view(record),
      ownerName: record.agent.name,
    };
  }

  /** The guest accepted the invitation: they see and write in the conversation too. Idempotent. */
  async join(guest: Participant): Promise<ConversationView | null> {
    const record = this.record;
    if (record?.state !== "assigned") return null;
    const participants = record.participants ?? [];
    if (record.agent?.id !== guest.id && !participants.some((p) => p.id === guest.id)) {
      record.participants = [...participants, guest];
      this.save(record);
      this.addNote(record, `joined:${guest.id}:${now()}`, `${guest.name} joined the conversation`);
      this.notifyView(record);
    }
    return this.view(record);
  }

  /** A guest leaves the conference; the conversation goes on with its owner. */
  async leave(tenantId: string, guestId: string): Promise<ActionResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    const participants = record.participants ?? [];
    const guest = participants.find((p) => p.id === guestId);
    if (!guest) return { ok: false, code: "not_assigned" };
    record.participants = participants.filter((p) => p.id !== guestId);
    this.save(record);
    this.addNote(record, `left:${guestId}:${now()}`, `${guest.name} left the conversation`);
    const view = this.view(record);
    await this.releaseSeats(record, [guest], view);
    this.notifyView(record);
    return { ok: true, conversation: view };
  }

  private lastSeq(): number {
    return one<{ seq: number | null }>(this.sql, "SELECT max(seq) AS seq FROM messages")?.seq ?? 0;
  }

  private view(record: ConversationRecord): ConversationView {
    return {
      id: record.id,
      numberId: record.number.id,
      numberName: record.number.name,
      displayPhone: record.number.displayPhone,
      customer: {
        id: record.customer.id,
        name: record.customer.name,
        phone: record.customer.phone,
      },
      skillsetId: record.skillsetId,
      skillsetName: record.skillsetName,
      state: record.state,
      agentId: record.agent?.id ?? null,
      createdAt: record.createdAt,
      lastCustomerMessageAt: record.lastCustomerMessageAt,
      lastSeq: this.lastSeq(),
      closedAt: record.closedAt,
      closeReason: record.closeReason,
      participants: record.participants ?? [],
      waitQueue: record.state === "wait_queue" ? (record.waitQueue ?? null) : null,
      transfer: record.state === "transfer" ? (record.transfer ?? null) : null,
      leftOpen: record.leftOpen ?? false,
      assignedAt: record.state === "assigned" ? (record.assignedAt ?? null) : null,
    };
  }

  /** The conversation and its messages after `afterSeq`, if it belongs to `tenantId`. */
  async read(
    tenantId: string,
    afterSeq = 0,
  ): Promise<{ conversation: ConversationView; messages: MessageView[] } | null> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return null;
    const rows = all<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE seq > ? ORDER BY seq",
      afterSeq,
    );
    return {
      conversation: this.view(record),
      messages: rows.map((r) => toView(record.id, r, this.sql)),
    };
  }

  /**
   * A page of messages, oldest first: with `after < seq < before` (before
   * omitted: no upper bound), the newest `limit` of them; `hasMore` says
   * whether older ones remain in that range. Null when not `tenantId`'s.
   */
  async page(
    tenantId: string,
    range: { after: number; before?: number | undefined; limit: number },
  ): Promise<{ messages: MessageView[]; hasMore: boolean } | null> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return null;
    const rows = all<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?",
      range.after,
      range.before ?? Number.MAX_SAFE_INTEGER,
      range.limit + 1,
    );
    const hasMore = rows.length > range.limit;
    const page = rows.slice(0, range.limit).reverse();
    return { messages: page.map((r) => toView(record.id, r, this.sql)), hasMore };
  }

  /**
   * Messages whose text contains `q` (case-insensitive for ASCII; `%`, `_`
   * and `\` match themselves), newest first, at most `limit`. Notes included.
   * For an agent who sees masked data (`masked`), only what they see matches
   * (shared/masked-search.ts): the clear texts that may match are checked as
   * masked. Null when not `tenantId`'s.
   */
  async search(
    tenantId: string,
    q: string,
    limit: number,
    masked = false,
  ): Promise<MessageView[] | null> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return null;
    if (masked) {
      return all<MessageRow>(
        this.sql,
        "SELECT * FROM messages WHERE text LIKE ? ESCAPE '\\' ORDER BY seq DESC",
        candidateLike(q),
      )
        .filter((r) => maskedContains(r.text, q))
        .slice(0, limit)
        .map((r) => toView(record.id, r, this.sql));
    }
    const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    return all<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE text LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT ?",
      pattern,
      limit,
    ).map((r) => toView(record.id, r, this.sql));
  }

  /** Deletes from R2 the files whose deletion is due (media-cleanup.ts); one run at a time. */
  private purgeMedia(): Promise<void> {
    const record = this.record;
    if (!record) return Promise.resolve();
    if (!this.purgingMedia) {
      this.purgingMedia = runPurges({
        sql: this.sql,
        bucket: this.env.MEDIA,
        tenantId: record.tenantId,
        now,
      })
        .then(() => this.armAlarm())
        .catch((err: unknown) => console.error("media purge failed", record.id, err))
        .finally(() => {
          this.purgingMedia = null;
        });
    }
    return this.purgingMedia;
  }

  /**
   * An agent uploaded a file to this conversation (uploads.ts, before storing
   * it in R2): unless a message names it within a day, its file is deleted.
   * False when the conversation is not `tenantId`'s or is closed (nothing can
   * be sent any more). Idempotent.
   */
  async registerUpload(tenantId: string, mediaId: string): Promise<boolean> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId || record.state === "closed") return false;
    trackUpload(this.sql, mediaId, now());
    await this.armAlarm();
    return true;
  }

  /**
   * The conversation's customer was deleted (customers.ts, the import's delete
   * mode): D1's history is checked again, durably (the alarm retries), and once
   * the customer is confirmed gone a closed conversation loses its contents and
   * files; an open one does when it closes. Idempotent; harmless when the
   * customer still exists.
   */
  async customerDeleted(tenantId: string): Promise<void> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return;
    await this.requestArchive();
  }

  /** Fetches the inbound files that are due from Meta into R2; one run at a time. */
  private fetchMedia(): Promise<void> {
    const record = this.record;
    if (!record) return Promise.resolve();
    if (!this.fetchingMedia) {
      const config = requireConfig(this.env);
      this.fetchingMedia = runMediaJobs({
        sql: this.sql,
        bucket: this.env.MEDIA,
        graph: graphApiOf(config),
        policy: {
          hosts: config.mediaHosts,
          allowHttp: config.mediaAllowHttp,
          timeoutMs: config.mediaTimeoutMs,
        },
        retryBaseMs: config.outboundRetryBaseMs,
        tenantId: record.tenantId,
        conversationId: record.id,
        accessToken: () => this.accessToken(record),
        now,
        armAlarm: () => this.armAlarm(),
        changed: (messageId) => {
          const row = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE id = ?", messageId);
          const latest = this.record;
          if (row && latest) this.notifyAgents(latest, [toView(latest.id, row, this.sql)]);
        },
      })
        .then(() => this.armAlarm())
        .catch((err: unknown) => console.error("media jobs failed", record.id, err))
        .finally(() => {
          this.fetchingMedia = null;
        });
    }
    return this.fetchingMedia;
  }

  /**
   * The owner closes the conversation with a reason and optional notes: the
   * number opens a new one for the customer's next message, the agents'
   * capacity frees up, the close message goes out, and the conversation is
   * written to the customer's history (and mailed, when the number says so)
   * in the background. Idempotent.
   */
  async close(
    tenantId: string,
    agentId: string,
    reason: string,
    notes: string | null = null,
  ): Promise<CloseResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    if (record.state !== "closed") {
      if (record.state !== "assigned" || record.agent?.id !== agentId) {
        return { ok: false, code: "not_assigned" };
      }
      this.finish(record, reason, record.agent, notes);
    }
    await this.afterFinish(record);
    return { ok: true, conversation: this.view(record) };
  }

  /**
   * The agent withdraws a template the customer has not answered: the
   * conversation closes silently (no close message) and leaves Sent templates.
   * Idempotent once closed.
   */
  async withdrawOutbound(tenantId: string, agentId: string): Promise<CloseResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    if (record.agent?.id !== agentId) return { ok: false, code: "not_assigned" };
    if (record.state !== "closed") {
      if (record.state !== "outbound") return { ok: false, code: "not_assigned" };
      this.finish(record, "Template withdrawn", record.agent, null, null);
    }
    await this.afterFinish(record);
    return { ok: true, conversation: this.view(record) };
  }

  /**
   * Closes the record (by an agent, or by the system when `by` is null): the
   * close message goes out, the history and the e-mail on close are queued.
   * Synchronous; `afterFinish` tells the other actors.
   */
  private finish(
    record: ConversationRecord,
    reason: string,
    by: { id: string; name: string } | null,
    notes: string | null = null,
    message: string | null = this.settings(record).messages.close,
  ): void {
    if (record.state === "closed") return;
    this.sendAutomatic(record, "close", message);
    this.enter(record, "closed");
    record.closedAt = record.stateSince!;
    record.closeReason = reason;
    record.closeNotes = notes;
    record.closedBy = by?.id ?? null;
    record.closedByName = by?.name ?? null;
    const mailTo = this.settings(record).details.closeEmailTo;
    if (mailTo) record.closeMail = { to: mailTo, attempts: 0, dueAt: now() };
    this.save(record);
    if (record.customer.id) this.markArchivePending();
  }

  /** After closing: routing forgets it, the agents' seats free up; history and mail start. */
  private async afterFinish(record: ConversationRecord): Promise<void> {
    const view = this.view(record);
    await this.env.NUMBER.getByName(record.number.id).conversationClosed(record.id);
    const seated = [...(record.agent ? [record.agent] : []), ...(record.participants ?? [])];
    await this.releaseSeats(record, seated, view);
    await this.armAlarm();
    if (this.archiveCell.get()) this.ctx.waitUntil(this.archiveHistory());
    if (record.closeMail) this.ctx.waitUntil(this.sendCloseMail());
  }

  /** Tells the owner's and guests' desktops the conversation's details changed. */
  private notifyView(record: ConversationRecord): void {
    const conversation = this.view(record);
    for (const id of this.seatedIds(record)) {
      this.ctx.waitUntil(
        this.env.AGENT.getByName(id)
          .notify({ type: "conversation", conversation })
          .catch((err: unknown) => console.error("notify failed", err)),
      );
    }
  }

  private seatedIds(record: ConversationRecord): string[] {
    if (record.state !== "assigned") return [];
    return [
      ...(record.agent ? [record.agent.id] : []),
      ...(record.participants ?? []).map((p) => p.id),
    ];
  }

  /**
   * The assigned agent has seen the messages up to `upToSeq`: tells Meta once
   * (it marks every earlier message read too). Idempotent.
   */
  async markRead(tenantId: string, agentId: string, upToSeq: number): Promise<{ ok: boolean }> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId || record.agent?.id !== agentId)
      return { ok: false };
    const newest = one<{ seq: number; wamid: string }>(
      this.sql,
      `SELECT seq, wamid FROM messages
       WHERE direction = 'in' AND wamid IS NOT NULL AND seq <= ? ORDER BY seq DESC LIMIT 1`,
      upToSeq,
    );
    if (!newest || newest.seq <= (record.readSeq ?? 0)) return { ok: true };
    record.readSeq = newest.seq;
    this.save(record);
    const config = requireConfig(this.env);
    this.ctx.waitUntil(
      this.accessToken(record).then(async (accessToken) => {
        const ok = await markRead(graphApiOf(config), {
          phoneNumberId: record.number.phoneNumberId,
          accessToken,
          wamid: newest.wamid,
        });
        if (!ok) console.warn("mark-as-read refused", record.id, newest.wamid);
      }),
    );
    return { ok: true };
  }

  // ---- outbound ---------------------------------------------------------------

  /**
   * Queues an agent's reply and starts sending it: `text`, or `outbound.content`
   * (a file, a location, an interactive message) which `text` then summarises;
   * stored as `payload = { content, media? }` with kind = the content's type.
   * Idempotent per `clientId`: a retried request returns the same message and
   * sends nothing new. The 24-hour window applies to every kind.
   */
  async sendText(
    tenantId: string,
    agent: { id: string; name: string },
    clientId: string,
    text: string,
    outbound?: { content: OutboundContent; media?: SentMedia },
  ): Promise<SendResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    const existing = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE id = ?", clientId);
    if (existing) return { ok: true, message: toView(record.id, existing) };
    if (record.state === "closed") return { ok: false, code: "closed" };
    if (!this.seatedIds(record).includes(agent.id)) return { ok: false, code: "not_assigned" };
    // Meta would refuse it (131047): say so now, before anything is queued.
    if (!customerWindowOpen(record.lastCustomerMessageAt, now())) {
      return { ok: false, code: "window_closed" };
    }
    // The upload's file is kept from now on, unless it was already deleted unsent.
    if (outbound?.media && !claimUpload(this.sql, outbound.media.id)) {
      return { ok: false, code: "upload_gone" };
    }
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
       VALUES (?, 'out', ?, ?, ?, 'pending', ?, ?) RETURNING *`,
      clientId,
      outbound?.content.type ?? "text",
      text,
      outbound ? JSON.stringify(outbound) : null,
      JSON.stringify({ type: "agent", id: agent.id, name: agent.name } satisfies Sender),
      now(),
    )!;
    enqueueSend(this.sql, clientId, now());
    const message = toView(record.id, row);
    record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, now());
    if (record.agent?.id === agent.id) record.agentTyped = true;
    this.save(record);
    this.notifyAgents(record, [message]);
    this.ctx.waitUntil(this.drainOutbox());
    await this.armAlarm();
    return { ok: true, message };
  }

  /**
   * The agent sends again one of our messages whose sending is in doubt
   * ("not confirmed": no answer and no status from Meta) or failed: a new
   * message `clientId` with the same content, from that agent, queued like any
   * reply. The original is marked resent, so it is resent once at most: a
   * repeated request (any clientId) returns the same new message. For the
   * conversation's seated agents (for a template awaiting its answer, its
   * agent); the 24-hour window applies except to templates.
   */
  async resend(
    tenantId: string,
    agent: { id: string; name: string },
    messageId: string,
    clientId: string,
  ): Promise<ResendResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    const original = one<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE id = ? AND direction = 'out' AND kind <> 'note'",
      messageId,
    );
    if (!original) return { ok: false, code: "not_found" };
    const mine =
      record.state === "outbound"
        ? record.agent?.id === agent.id
        : this.seatedIds(record).includes(agent.id);
    if (original.resent_as) {
      const again = one<MessageRow>(
        this.sql,
        "SELECT * FROM messages WHERE id = ?",
        original.resent_as,
      );
      if (again && mine) return { ok: true, message: toView(record.id, again, this.sql) };
    }
    if (record.state === "closed") return { ok: false, code: "closed" };
    if (!mine) return { ok: false, code: "not_assigned" };
    if (original.status !== "unconfirmed" && original.status !== "failed") {
      return { ok: false, code: "not_resendable" };
    }
    if (original.kind !== "template" && !customerWindowOpen(record.lastCustomerMessageAt, now())) {
      return { ok: false, code: "window_closed" };
    }
    const at = now();
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
       VALUES (?, 'out', ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      clientId,
      original.kind,
      original.text,
      original.payload,
      JSON.stringify({ type: "agent", id: agent.id, name: agent.name } satisfies Sender),
      at,
    );
    // The clientId already names another message.
    if (!row) return { ok: false, code: "not_resendable" };
    enqueueSend(this.sql, clientId, at);
    const marked = one<MessageRow>(
      this.sql,
      "UPDATE messages SET resent_as = ? WHERE id = ? RETURNING *",
      clientId,
      original.id,
    )!;
    record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, at);
    if (record.agent?.id === agent.id) record.agentTyped = true;
    this.save(record);
    const message = toView(record.id, row);
    this.notifyAgents(record, [toView(record.id, marked, this.sql), message]);
    this.ctx.waitUntil(this.drainOutbox());
    await this.armAlarm();
    return { ok: true, message };
  }

  /**
   * Sends due outbox rows, retries a pending history write and the e-mail on
   * close, and applies the lifecycle timers that are due. All are safe to
   * repeat; a retry earlier than planned is only an earlier attempt.
   */
  override async alarm(): Promise<void> {
    this.nextAlarm.fired();
    let failed = false;
    // Each duty on its own: one that throws (a bug, a corrupt row) never keeps the
    // others from running, and the alarm is always armed again.
    const duty = async (name: string, run: () => Promise<void> | void) => {
      try {
        await run();
      } catch (err) {
        failed = true;
        console.error(`alarm duty "${name}" failed`, this.record?.id, err);
      }
    };
    try {
      await duty("timers", () => this.runTimers());
      await duty("unconfirmed sends", () => this.expireUnconfirmed());
      await duty("unsent uploads", () => expireUploads(this.sql, now()));
      await Promise.all([
        duty("outbox", () => this.drainOutbox()),
        duty("history", () => this.archiveHistory()),
        duty("close e-mail", () => this.sendCloseMail()),
        duty("media", () => this.fetchMedia()),
        duty("media cleanup", () => this.purgeMedia()),
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
    // The outbox's, the media jobs' and the files' cleanup's next deadlines in one query.
    const queued = one<{ at: number | null }>(
      this.sql,
      `SELECT min(at) AS at FROM (
         SELECT min(next_at) AS at FROM outbox WHERE state IN ('queued', 'unconfirmed')
         UNION ALL SELECT min(next_at) FROM media_jobs WHERE state = 'queued'
         UNION ALL ${NEXT_CLEANUP_AT})`,
    )?.at;
    const archive = this.archiveCell.get()?.dueAt;
    const record = this.record;
    const mail = record?.closeMail?.dueAt;
    let timer: number | null = null;
    try {
      timer = record ? this.nextTimerAt(record) : null;
    } catch (err) {
      console.error("timers could not be computed", record?.id, err);
      timer = now() + DUTY_RETRY_MS;
    }
    const at = earliest(queued, archive, mail, timer);
    await this.nextAlarm.set(at === null || notBefore === null ? at : Math.max(at, notBefore));
  }

  // ---- timers -----------------------------------------------------------------

  private facts(record: ConversationRecord): TimerFacts {
    const since = record.stateSince ?? record.createdAt;
    return {
      state: record.state,
      stateSince: since,
      lastActivityAt: record.lastActivityAt ?? since,
      lastCustomerMessageAt: record.lastCustomerMessageAt,
      assignedAt: record.assignedAt ?? null,
      agentTyped: record.agentTyped ?? false,
      welcomedOnAssignment: record.welcomedOnAssignment ?? false,
      settingsSince: record.settingsSince ?? record.createdAt,
    };
  }

  /** The next timer deadline (a due one counts as now). */
  private nextTimerAt(record: ConversationRecord): number | null {
    const settings = this.settings(record);
    const facts = this.facts(record);
    const at = now();
    if (dueTimers(facts, settings, at).length > 0) return at;
    return nextTimer(facts, settings, at);
  }

  /**
   * Applies every timer due now, one at a time: each effect changes the
   * state, so the next is recomputed from the new one (a closed conversation
   * has none left). An effect repeated by a second alarm finds its state
   * already changed, or its automatic message already there.
   */
  private async runTimers(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const record = this.record;
      if (!record || record.state === "closed") return;
      const [timer] = dueTimers(this.facts(record), this.settings(record), now());
      if (!timer) return;
      await this.applyTimer(record, timer);
    }
  }

  private async applyTimer(record: ConversationRecord, timer: Timer): Promise<void> {
    const { settings, defaultSkillsetId } = this.config(record);
    switch (timer.kind) {
      case "welcome_on_assignment": {
        const agent = record.agent;
        record.welcomedOnAssignment = true;
        this.sendAutomatic(
          record,
          `welcome_on_assignment:${record.assignedAt}`,
          settings.messages.welcomeOnAssignment,
          settings.messages.welcomeAsAgent && agent
            ? { sender: { type: "agent", id: agent.id, name: agent.name } }
            : {},
        );
        this.save(record);
        return;
      }
      case "to_wait_queue": {
        const owner = record.agent!;
        const guests = record.participants ?? [];
        record.participants = [];
        const route = this.park(record, "personal", owner);
        this.save(record);
        await this.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
        await this.releaseSeats(record, [owner, ...guests], this.view(record));
        return;
      }
      case "bot_timeout": {
        const route = this.leaveBot(record, defaultSkillsetId);
        this.save(record);
        await this.env.NUMBER.getByName(record.number.id).routeRequest(record.id, route);
        return;
      }
      default: {
        // At the end of the day, customers still waiting get the closing-time message.
        const waiting = record.state !== "assigned";
        // A template nobody answered closes silently: the customer never wrote.
        const message =
          timer.kind === "close_no_reply"
            ? null
            : timer.kind === "close_end_of_day" && waiting && settings.messages.waitingAtClosingTime
              ? settings.messages.waitingAtClosingTime
              : settings.messages.close;
        this.finish(record, SYSTEM_CLOSE_REASON[timer.kind], null, null, message);
        await this.afterFinish(record);
      }
    }
  }

  // ---- conversations an agent starts (outbound.ts) -----------------------------

  /**
   * Creates the conversation an agent starts and queues its first message in
   * the outbox: `assigned` (a free message; on their desk) or `outbound` (a
   * template awaiting the answer; no seat). Refused (`busy`) when the
   * conversation already exists otherwise: a customer's message opened it an
   * instant before. Idempotent per `clientId`.
   */
  async startOutbound(
    init: ConversationInit,
    start: {
      agent: { id: string; name: string };
      state: "assigned" | "outbound";
      skillsetName: string | null;
      lastCustomerMessageAt: number | null;
      clientId: string;
      message: OutgoingMessage;
    },
  ): Promise<
    { ok: true; conversation: ConversationView; message: MessageView } | { ok: false; code: "busy" }
  > {
    const existing = this.record;
    if (existing) {
      const sent = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE id = ?", start.clientId);
      if (!sent || existing.tenantId !== init.tenantId) return { ok: false, code: "busy" };
      return { ok: true, conversation: this.view(existing), message: toView(existing.id, sent) };
    }
    const at = now();
    const record: ConversationRecord = {
      ...init,
      state: start.state,
      agent: start.agent,
      skillsetName: start.skillsetName,
      lastCustomerMessageAt: start.lastCustomerMessageAt,
      closedAt: null,
      closeReason: null,
      closedBy: null,
      stateSince: at,
      lastActivityAt: at,
      settingsSince: at,
      assignedAt: start.state === "assigned" ? at : null,
      // The agent wrote first: no welcome on assignment, now or when the customer answers.
      agentTyped: true,
      welcomedOnAssignment: true,
    };
    const message = this.queueAgentMessage(record, start.agent, start.clientId, start.message);
    this.save(record);
    this.ctx.waitUntil(this.drainOutbox());
    // The history row: the customer's history (and an isolated colleague) sees it at once.
    await this.requestArchive();
    await this.armAlarm();
    return { ok: true, conversation: this.view(record), message };
  }

  /**
   * Sends another template into a conversation of `agent`: on their desk, or
   * still awaiting the answer to a template of theirs. Templates may go outside
   * the 24-hour window. Idempotent per `clientId`.
   */
  async sendOutboundTemplate(
    tenantId: string,
    agent: { id: string; name: string },
    clientId: string,
    message: OutgoingMessage,
  ): Promise<SendResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    const existing = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE id = ?", clientId);
    if (existing) return { ok: true, message: toView(record.id, existing) };
    if (record.state === "closed") return { ok: false, code: "closed" };
    const mine =
      record.state === "outbound"
        ? record.agent?.id === agent.id
        : this.seatedIds(record).includes(agent.id);
    if (!mine) return { ok: false, code: "not_assigned" };
    const view = this.queueAgentMessage(record, agent, clientId, message);
    this.save(record);
    this.ctx.waitUntil(this.drainOutbox());
    await this.armAlarm();
    return { ok: true, message: view };
  }

  /** Inserts an agent's message with its outbox row; the caller saves `record`, then drains. */
  private queueAgentMessage(
    record: ConversationRecord,
    agent: { id: string; name: string },
    clientId: string,
    message: OutgoingMessage,
  ): MessageView {
    const at = now();
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
       VALUES (?, 'out', ?, ?, ?, 'pending', ?, ?) RETURNING *`,
      clientId,
      message.kind,
      message.text,
      message.content
        ? JSON.stringify({ content: message.content, templateName: message.templateName })
        : null,
      JSON.stringify({ type: "agent", id: agent.id, name: agent.name } satisfies Sender),
      at,
    )!;
    enqueueSend(this.sql, clientId, at);
    record.lastActivityAt = Math.max(record.lastActivityAt ?? 0, at);
    const view = toView(record.id, row);
    this.notifyAgents(record, [view]);
    return view;
  }

  /**
   * The customer answered the agent's template: the agent takes it onto their
   * desk at once unless they are offline or at their limit; then it is routed
   * like any new conversation. Reads the saved record; safe to repeat.
   */
  private async outboundAnswered(): Promise<RouteRequest | null> {
    const record = this.record;
    if (record?.state !== "outbound" || !record.agent) return null;
    const owner = record.agent;
    const seated = await this.env.AGENT.getByName(owner.id).seatAnswered(
      record.tenantId,
      record.number.id,
      record.id,
    );
    // Re-read: a timer or another batch may have moved it while we asked.
    const latest = this.record!;
    if (latest.state !== "outbound") {
      if (seated && latest.state !== "assigned") {
        await this.releaseSeats(latest, [owner], this.view(latest));
      }
      return null;
    }
    if (seated) {
      this.enter(latest, "assigned");
      latest.assignedAt = latest.stateSince!;
      latest.leftOpen = false;
      this.save(latest);
      this.showAnswered(latest, owner.id);
      await this.requestArchive();
      await this.armAlarm();
      return { type: "assigned", agentId: owner.id, agentName: owner.name };
    }
    this.enter(latest, "queued");
    latest.agent = null;
    this.save(latest);
    await this.armAlarm();
    return { type: "queue", skillsetId: latest.skillsetId, kind: "new" };
  }

  /**
   * Puts the answered conversation on the owner's desktops live: the conversation
   * first, then its messages (the template and the answer), in order, so the
   * unread badge counts the answer without a reload.
   */
  private showAnswered(record: ConversationRecord, ownerId: string): void {
    const conversation = this.view(record);
    const messages = all<MessageRow>(this.sql, "SELECT * FROM messages ORDER BY seq").map((row) =>
      toView(record.id, row),
    );
    const agent = this.env.AGENT.getByName(ownerId);
    this.ctx.waitUntil(
      (async () => {
        await agent.notify({ type: "conversation", conversation });
        for (const message of messages) {
          await agent.notify({ type: "message", conversationId: record.id, message });
        }
      })().catch((err: unknown) => console.error("notify failed", err)),
    );
  }

  /**
   * A template of `outbound` state as "templates I sent without reply" lists
   * it: the latest template, when it was sent and its tick. Null once the
   * customer answered or it closed, or for another tenant.
   */
  async outboundSummary(tenantId: string): Promise<{
    conversation: ConversationView;
    templateName: string;
    text: string;
    sentAt: number;
    status: Tick | null;
  } | null> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId || record.state !== "outbound") return null;
    const row = one<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE direction = 'out' AND kind = 'template' ORDER BY seq DESC LIMIT 1",
    );
    if (!row) return null;
    const payload = row.payload ? (JSON.parse(row.payload) as { templateName?: string }) : {};
    return {
      conversation: this.view(record),
      templateName: payload.templateName ?? "",
      text: row.text,
      sentAt: row.created_at,
      status: row.status,
    };
  }

  // ---- e-mail on close ----------------------------------------------------------

  /**
   * Mails the transcript to the number's "e-mail on close" address. Retried by
   * the alarm with backoff until the mail server accepts it (at most 8 tries);
   * a crash between sending and recording it may send it twice, never zero times.
   */
  private sendCloseMail(): Promise<void> {
    if (!this.mailing) {
      this.mailing = this.sendCloseMailOnce().finally(() => {
        this.mailing = null;
      });
    }
    return this.mailing;
  }

  private async sendCloseMailOnce(): Promise<void> {
    const record = this.record;
    const pending = record?.closeMail;
    if (!record || !pending || pending.dueAt > now()) return;
    let result: MailResult;
    try {
      const config = requireConfig(this.env).mail;
      result = config
        ? await sendMail(
            config,
            transcriptMail(await this.tenantLanguage(record), pending.to, this.transcript(record)),
          )
        : { ok: false, error: "e-mail is not configured" };
    } catch (err) {
      // Reading the language or building the transcript failed: an attempt like any other.
      result = { ok: false, error: String(err) };
    }
    const latest = this.record!;
    const attempts = pending.attempts + 1;
    if (result.ok || attempts >= CLOSE_MAIL_ATTEMPTS) {
      latest.closeMail = null;
      this.save(latest);
      if (!result.ok) {
        console.error("close e-mail abandoned", record.id, result.error);
        // Said in the conversation, and so in the customer's history, which is written again.
        await this.addNotice(latest, "close_mail_failed", pending.to);
        if (latest.customer.id) this.markArchivePending();
        this.ctx.waitUntil(this.archiveHistory());
      }
    } else {
      console.warn("close e-mail failed; retrying", record.id, result.error);
      latest.closeMail = { ...pending, attempts, dueAt: now() + archiveRetryDelayMs(attempts) };
      this.save(latest);
    }
    await this.armAlarm();
  }

  /** The tenant's default language (rejects when D1 fails). */
  private async tenantLanguage(record: ConversationRecord): Promise<"en" | "it"> {
    const row = await this.env.DB.prepare("SELECT default_language FROM tenants WHERE id = ?")
      .bind(record.tenantId)
      .first<{ default_language: string }>();
    return row?.default_language === "it" ? "it" : "en";
  }

  /**
   * A note saying what failed in the background (see notices.ts), once per
   * `code` and `detail`; its text in the tenant's language (English when D1
   * cannot be read), shown on the seated agents' desks.
   */
  private async addNotice(
    record: ConversationRecord,
    code: NoticeCode,
    detail: string,
  ): Promise<void> {
    const language = await this.tenantLanguage(record).catch(() => "en" as const);
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, payload, sender, created_at)
       VALUES (?, 'out', 'note', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      `note:${code}:${detail}`,
      noticeText(code, language, detail),
      noticePayload(code, detail),
      JSON.stringify({ type: "system" } satisfies Sender),
      now(),
    );
    const latest = this.record;
    if (row && latest) this.notifyAgents(latest, [toView(latest.id, row)]);
  }

  private transcript(record: ConversationRecord) {
    const kept = !record.contentsRemoved;
    return {
      conversationId: record.id,
      customer: { name: record.customer.name, phone: record.customer.phone },
      number: { name: record.number.name, displayPhone: record.number.displayPhone },
      timeZone: this.settings(record).workingTime.timeZone,
      openedAt: record.createdAt,
      closedAt: record.closedAt,
      agentName: record.agent?.name ?? null,
      closedByName: record.closedByName ?? null,
      closeReason: record.closeReason,
      closeNotes: record.closeNotes ?? null,
      messages: all<MessageRow>(
        this.sql,
        "SELECT * FROM messages WHERE kind <> 'note' ORDER BY seq",
      ).map((row) => ({
        senderName: senderName(row, record.customer.name),
        text: kept ? row.text : null,
        createdAt: row.created_at,
      })),
    };
  }

  /** Sends every due outbox row; one drain at a time. */
  private drainOutbox(): Promise<void> {
    if (!this.draining) {
      this.draining = this.drainOnce().finally(() => {
        this.draining = null;
      });
    }
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    this.abandonOrphanedSends();
    for (;;) {
      const due = one<OutboxRow>(
        this.sql,
        "SELECT * FROM outbox WHERE state = 'queued' AND next_at <= ? ORDER BY next_at LIMIT 1",
        now(),
      );
      if (!due) break;
      await this.sendOne(due);
    }
    await this.armAlarm();
  }

  /**
   * A row left in flight by a previous incarnation may or may not have reached
   * Meta. Resending could deliver it twice, so it waits for Meta's status like
   * any send without an answer (see outbox.ts).
   */
  private abandonOrphanedSends(): void {
    for (const row of all<OutboxRow>(this.sql, "SELECT * FROM outbox WHERE state = 'inflight'")) {
      if (this.sending.has(row.message_id)) continue;
      this.outcomeUnknown(row.message_id);
    }
  }

  /**
   * One attempt at sending an outbox row; Meta's answer decides what follows.
   * Accepted: the row goes. Refused (or the request could not even be made):
   * retried with backoff while that may pass, else the message shows the
   * error. No answer: the outcome is unknown, so it is never POSTed again and
   * waits for Meta's status (`outcomeUnknown`). Never throws for a bad row.
   */
  private async sendOne(row: OutboxRow): Promise<void> {
    const record = this.record!;
    const message = one<MessageRow>(
      this.sql,
      "SELECT * FROM messages WHERE id = ?",
      row.message_id,
    );
    if (!message) {
      this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
      return;
    }
    const config = requireConfig(this.env);
    const api = graphApiOf(config);
    let request: OutboundText;
    try {
      request = {
        phoneNumberId: record.number.phoneNumberId,
        accessToken: await this.accessToken(record),
        to: record.customer.phone ?? record.customer.recipient,
        text: message.text,
        content: message.payload
          ? (JSON.parse(message.payload) as { content?: OutboundContent }).content
          : undefined,
        callbackData: `${record.id}/${message.id}`,
      };
    } catch (err) {
      // Nothing reached Meta (D1 unreachable, an unreadable row): an attempt that can be repeated.
      console.error("send not prepared", record.id, message.id, err);
      this.sendRefused(row, {
        retryable: true,
        error: { code: NOT_PREPARED_ERROR, title: "The message could not be prepared for sending" },
      });
      return;
    }
    this.sql.exec("UPDATE outbox SET state = 'inflight' WHERE message_id = ?", row.message_id);
    this.sending.add(row.message_id);
    try {
      let result: GraphSendResult = await sendText(api, request);
      // Refused for its token (Meta sent nothing): the credentials may have just changed.
      if (!result.ok && result.outcome === "not_sent" && result.error.httpStatus === 401) {
        const fresh = await this.accessToken(record, true).catch(() => null);
        if (fresh !== null) result = await sendText(api, { ...request, accessToken: fresh });
      }
      if (result.ok) {
        await this.sent(record, message.id, result.wamid);
      } else if (result.outcome === "unknown") {
        console.warn("send got no answer; waiting for Meta's status", record.id, message.id);
        this.outcomeUnknown(message.id);
      } else {
        this.sendRefused(row, result);
      }
    } finally {
      this.sending.delete(row.message_id);
      this.forgetSentText(row.message_id);
    }
  }

  /** Meta accepted the message: the row goes, and statuses that came first apply. */
  private async sent(record: ConversationRecord, messageId: string, wamid: string): Promise<void> {
    this.sql.exec("DELETE FROM outbox WHERE message_id = ?", messageId);
    this.sql.exec("UPDATE messages SET wamid = ? WHERE id = ? AND wamid IS NULL", wamid, messageId);
    try {
      const early = await this.env.NUMBER.getByName(record.number.id).registerOutbound(
        wamid,
        record.id,
      );
      await this.applyStatuses(early.map((status) => ({ status, messageId })));
    } catch (err) {
      // Sent all the same: statuses carry our callback data and find the message without it.
      console.error("registering a sent message failed", record.id, messageId, err);
    }
  }

  /**
   * Meta refused the attempt (or it could not be made): retried with backoff
   * while the error may pass and attempts remain, else the message is failed
   * with the reason.
   */
  private sendRefused(
    row: OutboxRow,
    result: { retryable: boolean; error: MessageError & { httpStatus?: number | null } },
  ): void {
    const attempts = row.attempts + 1;
    if (result.retryable && attempts < MAX_SEND_ATTEMPTS) {
      this.sql.exec(
        "UPDATE outbox SET state = 'queued', attempts = ?, next_at = ? WHERE message_id = ?",
        attempts,
        now() + sendRetryDelayMs(requireConfig(this.env).outboundRetryBaseMs, attempts),
        row.message_id,
      );
      return;
    }
    this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
    const { code, title, message } = result.error;
    this.updateMessage(row.message_id, {
      status: "failed",
      error: { code, title, ...(message !== undefined ? { message } : {}) },
    });
  }

  /**
   * A send without an answer: it may have reached Meta, so it is not sent
   * again. Meta's status settles it; without one by the deadline the agent
   * sees it "not confirmed" (`expireUnconfirmed`). A status may already have
   * come while we waited for the answer: then there is nothing to wait for.
   */
  private outcomeUnknown(messageId: string): void {
    const message = one<{ status: Tick | null }>(
      this.sql,
      "SELECT status FROM messages WHERE id = ?",
      messageId,
    );
    if (message?.status !== "pending") {
      this.sql.exec("DELETE FROM outbox WHERE message_id = ?", messageId);
      return;
    }
    awaitConfirmation(this.sql, messageId, now() + requireConfig(this.env).sendConfirmWaitMs);
  }

  /**
   * Sends whose outcome stayed unknown past their deadline without a status:
   * the agent sees them "not confirmed", with Resend. Idempotent.
   */
  private expireUnconfirmed(): void {
    const due = all<OutboxRow>(
      this.sql,
      "SELECT * FROM outbox WHERE state = 'unconfirmed' AND next_at <= ?",
      now(),
    );
    for (const row of due) {
      this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
      const message = one<{ status: Tick | null }>(
        this.sql,
        "SELECT status FROM messages WHERE id = ?",
        row.message_id,
      );
      if (message?.status === "pending") {
        this.updateMessage(row.message_id, { status: "unconfirmed", error: null });
      }
      this.forgetSentText(row.message_id);
    }
  }

  /**
   * Its text (and file) was only kept to be sent: the customer keeps no message
   * history, so they go once Meta has it.
   */
  private forgetSentText(messageId: string): void {
    if (!this.record?.contentsRemoved) return;
    dropContents(this.sql, now(), messageId);
    this.ctx.waitUntil(this.purgeMedia());
  }

  /**
   * The number's access token, read from D1 at most once a minute: a send that
   * Meta refuses for its token reads it again at once (see `sendOne`), so new
   * credentials apply from the next send, and within a minute otherwise.
   */
  private async accessToken(record: ConversationRecord, fresh = false): Promise<string> {
    const cached = this.token;
    if (!fresh && cached?.numberId === record.number.id && cached.until > Date.now()) {
      return cached.value;
    }
    const row = await this.env.DB.prepare(
      "SELECT access_token FROM managed_numbers WHERE id = ? AND tenant_id = ?",
    )
      .bind(record.number.id, record.tenantId)
      .first<{ access_token: string | null }>();
    const value =
      (await openSecret(
        requireConfig(this.env).dataKey,
        "managed_numbers.access_token",
        row?.access_token,
      )) ?? "";
    this.token = { value, numberId: record.number.id, until: Date.now() + TOKEN_TTL_MS };
    return value;
  }

  // ---- history ------------------------------------------------------------

  /**
   * Records that D1's history must catch up with this conversation (durable
   * before any attempt, with the alarm as a backstop should the actor be
   * evicted), then tries in the background. Call after saving the state.
   */
  private async requestArchive(): Promise<void> {
    if (!this.record?.customer.id) return;
    this.markArchivePending();
    await this.armAlarm();
    this.ctx.waitUntil(this.archiveHistory());
  }

  /** Notes, durably, that D1's history is behind (the alarm retries until it is not). */
  private markArchivePending(): void {
    const pending = this.archiveCell.get();
    this.archiveCell.set({
      generation: (pending?.generation ?? 0) + 1,
      attempts: pending?.attempts ?? 0,
      dueAt: now() + archiveRetryDelayMs(1),
    } satisfies ArchivePending);
  }

  /** Writes the pending history, one write at a time; failures wait for the alarm. */
  private archiveHistory(): Promise<void> {
    if (!this.archiving) {
      this.archiving = this.archiveOnce().finally(() => {
        this.archiving = null;
      });
    }
    return this.archiving;
  }

  private async archiveOnce(): Promise<void> {
    for (;;) {
      const pending = this.archiveCell.get();
      const record = this.record;
      if (!pending || !record) return;
      try {
        const done = await this.writeHistory(record.id);
        const latest = this.archiveCell.get();
        if (!done || latest?.generation === pending.generation) {
          this.archiveCell.delete();
          await this.armAlarm();
          return;
        }
        // A newer request came while we wrote: write again with the newer state.
      } catch (err) {
        console.warn("history write failed; the alarm retries", record.id, err);
        const latest = this.archiveCell.get() ?? pending;
        const attempts = latest.attempts + 1;
        this.archiveCell.set({
          ...latest,
          attempts,
          dueAt: now() + archiveRetryDelayMs(attempts),
        } satisfies ArchivePending);
        // It keeps trying (the history is never given up), but from now on it says so.
        if (attempts === ARCHIVE_ATTEMPTS_BEFORE_NOTICE) {
          console.error("history write keeps failing", record.id, attempts);
          await this.addNotice(this.record ?? record, "history_failed", "");
        }
        await this.armAlarm();
        return;
      }
    }
  }

  /**
   * One attempt at making D1's history match this conversation. Throws when D1
   * fails. Resolves false when the customer no longer exists: there is no
   * history to write, ever.
   */
  private async writeHistory(conversationId: string): Promise<boolean> {
    const first = this.record;
    if (!first) return false;
    const customer = await this.env.DB.prepare(
      "SELECT name, keep_history FROM customers WHERE id = ? AND tenant_id = ?",
    )
      .bind(first.customer.id, first.tenantId)
      .first<{ name: string; keep_history: number }>();
    // Re-read after the await: the conversation may have closed meanwhile.
    let record = this.record!;
    // A deleted customer's history went with them: a closed conversation keeps nothing either.
    const keep = customer ? customer.keep_history === 1 : false;
    if (record.state === "closed" && !keep && !record.contentsRemoved) {
      this.removeContents(record);
      record = this.record!;
    }
    if (record.contentsRemoved && record.agent) {
      await this.env.AGENT.getByName(record.agent.id).forgetTexts(conversationId);
    }
    if (!customer) {
      console.warn("customer gone; history dropped", conversationId);
      return false;
    }
    const db = pipelineDb(this.env.DB);
    await db.batch(historyStatements(db, this.snapshot(record, customer.name)));
    return true;
  }

  /**
   * Drops the texts and payloads of every message not still waiting to be
   * sent, and queues the deletion of their files and of the uploads never
   * sent (media-cleanup.ts), in one synchronous step; the files go in the
   * background, retried by the alarm.
   */
  private removeContents(record: ConversationRecord): void {
    const at = now();
    dropContents(this.sql, at);
    expireUploads(this.sql, Number.POSITIVE_INFINITY);
    record.contentsRemoved = true;
    this.save(record);
    this.ctx.waitUntil(this.purgeMedia());
  }

  /** The history's view of this conversation; messages only once closed. */
  private snapshot(record: ConversationRecord, customerName: string): HistorySnapshot {
    const closed = record.state === "closed";
    const kept = !record.contentsRemoved;
    const messages: ArchivedMessage[] = closed
      ? all<MessageRow>(this.sql, "SELECT * FROM messages ORDER BY seq").map((row) => ({
          seq: row.seq,
          direction: row.direction,
          senderName: senderName(row, customerName),
          kind: row.kind,
          text: kept ? row.text : null,
          createdAt: row.created_at,
          status: row.direction === "out" && row.kind !== "note" ? row.status : null,
        }))
      : [];
    return {
      id: record.id,
      tenantId: record.tenantId,
      numberId: record.number.id,
      customerId: record.customer.id,
      skillsetId: record.skillsetId,
      agent: record.agent,
      openedAt: record.createdAt,
      closed: closed
        ? {
            at: record.closedAt ?? now(),
            by: record.closedBy,
            byName: record.closedByName ?? null,
            reason: record.closeReason,
            notes: record.closeNotes ?? null,
          }
        : null,
      messagesKept: kept,
      messages,
    };
  }

  // ---- statuses -----------------------------------------------------------

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  /**
   * Statuses the Worker routed here by their callback data
   * (`<conversation>/<message>`, which we send with every message), without
   * the number actor: applied only if this conversation is that number's.
   */
  async statusesFromMeta(
    numberId: string,
    list: { status: StatusUpdate; messageId: string }[],
  ): Promise<void> {
    if (this.record?.number.id !== numberId) return;
    await this.applyStatuses(list);
  }

  /**
   * Applies delivery statuses. Ticks only move forward (sent < delivered <
   * read/played; failed is terminal); duplicates and late arrivals change nothing.
   */
  async applyStatuses(list: { status: StatusUpdate; messageId: string | null }[]): Promise<void> {
    for (const { status, messageId } of list) {
      if (status.status === "deleted") continue;
      let message = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE wamid = ?", status.id);
      if (!message && messageId) {
        message = one<MessageRow>(
          this.sql,
          "SELECT * FROM messages WHERE id = ? AND direction = 'out'",
          messageId,
        );
        if (message && !message.wamid) {
          this.sql.exec("UPDATE messages SET wamid = ? WHERE id = ?", status.id, message.id);
        }
      }
      if (!message) continue;
      // Meta has it: an attempt without an answer is settled, and nothing is sent again.
      settledByStatus(this.sql, message.id);
      this.sql.exec(
        "INSERT OR IGNORE INTO status_log (wamid, status, at) VALUES (?, ?, ?)",
        status.id,
        status.status,
        status.timestampMs,
      );
      // Records written before "unconfirmed" existed marked such a send failed with
      // code 0 (the answer never came): Meta's status proves it sent, so it is not failed.
      const legacyUnconfirmed =
        message.status === "failed" &&
        status.status !== "failed" &&
        (JSON.parse(message.error ?? "{}") as { code?: number }).code === 0;
      const current =
        message.status &&
        message.status !== "pending" &&
        message.status !== "unconfirmed" &&
        !legacyUnconfirmed
          ? statusRank(message.status)
          : 0;
      const next = statusRank(status.status);
      if (next <= current || (message.status === "failed" && !legacyUnconfirmed)) continue;
      const first = status.errors[0];
      this.updateMessage(message.id, {
        status: status.status,
        error: first
          ? { code: first.code, title: first.title, message: first.message ?? first.details }
          : null,
      });
    }
  }

  /**
   * Writes a message's tick and error, then tells the assigned agent's desktops.
   * A closed conversation's history shows "not confirmed" and "failed": such a
   * change after closing is written to it again.
   */
  private updateMessage(id: string, change: { status: Tick; error: MessageError | null }): void {
    const row = one<MessageRow>(
      this.sql,
      "UPDATE messages SET status = ?, error = ? WHERE id = ? RETURNING *",
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      id,
    );
    const record = this.record;
    if (!row || !record) return;
    this.notifyAgents(record, [toView(record.id, row, this.sql)]);
    const shownInHistory = change.status === "unconfirmed" || change.status === "failed";
    if (shownInHistory && record.state === "closed" && record.customer.id) {
      this.markArchivePending();
      this.ctx.waitUntil(this.archiveHistory());
    }
  }

  /** Pushes messages to the desktops of the owner and the guests, in order, after this call returns. */
  private notifyAgents(record: ConversationRecord, messages: MessageView[]): void {
    if (messages.length === 0) return;
    const conversationId = record.id;
    for (const id of this.seatedIds(record)) {
      const agent = this.env.AGENT.getByName(id);
      this.ctx.waitUntil(
        (async () => {
          for (const message of messages)
            await agent.notify({ type: "message", conversationId, message });
        })().catch((err: unknown) => console.error("notify failed", err)),
      );
    }
  }
}

/** Who wrote a message, as the history shows it: the customer's or the agent's name, or "system". */
function senderName(row: MessageRow, customerName: string): string {
  if (row.direction === "in") return customerName;
  const sender = JSON.parse(row.sender) as Sender;
  return sender.type === "agent" ? sender.name : "system";
}

/**
 * The desktop's view of a row. With `sql`, the quoted message, a reaction's
 * target and the ticks' times are looked up; without it (a message just
 * created, which has none of them) they stay empty.
 */
function toView(
  conversationId: string,
  row: MessageRow,
  sql: SqlStorage | null = null,
): MessageView {
  return {
    ...viewExtras(row, sql),
    id: row.id,
    conversationId,
    seq: row.seq,
    direction: row.direction,
    kind: row.kind,
    text: row.text,
    status: row.status,
    error: row.error ? (JSON.parse(row.error) as MessageError) : null,
    sender: JSON.parse(row.sender) as Sender,
    createdAt: row.created_at,
    resentAs: row.resent_as ?? null,
  };
}
