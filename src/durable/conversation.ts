/**
 * ConversationActor — one per conversation. It serialises the conversation's
 * messages, state and outbound sends. Inbound messages are deduplicated by
 * wamid, ticks only move forward, and every reply goes through a durable
 * outbox so it is retried on Meta's transient errors but never sent twice.
 * Taking and closing the conversation write the customer's history in D1,
 * retried by the alarm until D1 has it (see history-archive.ts).
 */
import { DurableObject } from "cloudflare:workers";
import {
  type ConversationView,
  customerWindowOpen,
  type MessageError,
  type MessageView,
  type Sender,
  type Tick,
} from "../shared/protocol";
import { requireConfig } from "../worker/config";
import type { Env } from "../worker/env";
import { markRead, sendText } from "../worker/meta/graph";
import { type InboundMessage, type StatusUpdate, statusRank } from "../worker/meta/webhook";
import {
  ARCHIVE_KEY,
  type ArchivedMessage,
  type ArchivePending,
  archiveRetryDelayMs,
  type HistorySnapshot,
  historyStatements,
} from "./history-archive";
import { all, getJson, KV_TABLE, one, putJson } from "./sql";
import type { ConversationInit } from "./types";

/** The conversation's own record (the `kv` row "conversation"). */
interface ConversationRecord extends ConversationInit {
  state: "queued" | "assigned" | "closed";
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
}

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
};

type OutboxRow = {
  message_id: string;
  attempts: number;
  next_at: number;
  state: "queued" | "inflight";
};

/** Attempts before a retryable error is shown as final. */
const MAX_SEND_ATTEMPTS = 6;

const SCHEMA = [
  KV_TABLE,
  `CREATE TABLE IF NOT EXISTS messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
     direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
     status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS outbox (
     message_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, state TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS status_log (
     wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (wamid, status))`,
];

export type SendResult =
  | { ok: true; message: MessageView }
  | { ok: false; code: "not_found" | "not_assigned" | "closed" | "window_closed" };
export type CloseResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "not_found" | "not_assigned" };

export class ConversationActor extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Outbox rows this incarnation is sending; others marked in-flight died with a previous one. */
  private readonly sending = new Set<string>();
  private draining: Promise<void> | null = null;
  private archiving: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of SCHEMA) this.sql.exec(ddl);
  }

  private get record(): ConversationRecord | null {
    return getJson<ConversationRecord>(this.sql, "conversation");
  }

  private save(record: ConversationRecord): void {
    putJson(this.sql, "conversation", record);
  }

  // ---- inbound --------------------------------------------------------------

  /**
   * Stores inbound messages, once each (by wamid). `init` creates the
   * conversation on first use and is ignored afterwards. Returns how many
   * messages were new. Durable when it resolves.
   */
  async appendInbound(
    init: ConversationInit | null,
    messages: InboundMessage[],
  ): Promise<{ inserted: number }> {
    let record = this.record;
    if (!record) {
      if (!init) return { inserted: 0 };
      record = {
        ...init,
        state: "queued",
        agent: null,
        skillsetName: null,
        lastCustomerMessageAt: null,
        closedAt: null,
        closeReason: null,
        closedBy: null,
      };
    }
    const inserted: MessageView[] = [];
    for (const m of messages) {
      const row = one<MessageRow>(
        this.sql,
        `INSERT INTO messages (id, wamid, direction, kind, text, payload, sender, created_at)
         VALUES (?, ?, 'in', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
        crypto.randomUUID(),
        m.id,
        m.type,
        m.text,
        JSON.stringify({
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
      inserted.push(toView(record.id, row));
      record.lastCustomerMessageAt = Math.max(record.lastCustomerMessageAt ?? 0, m.timestampMs);
    }
    this.save(record);
    if (record.state === "assigned") this.notifyAgent(record, inserted);
    return { inserted: inserted.length };
  }

  // ---- state ----------------------------------------------------------------

  /** The agent accepted the offer. Idempotent for the same agent. */
  async assign(agent: {
    id: string;
    name: string;
    skillsetId: string | null;
    skillsetName: string | null;
  }): Promise<ConversationView> {
    const record = this.record;
    if (!record) throw new Error("assign before the conversation exists");
    if (record.state !== "closed") {
      record.state = "assigned";
      record.agent = { id: agent.id, name: agent.name };
      record.skillsetId = agent.skillsetId;
      record.skillsetName = agent.skillsetName;
      this.save(record);
      // The history row makes the customer visible to the agent's skillsets.
      await this.requestArchive();
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
    record.state = "queued";
    record.agent = null;
    this.save(record);
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
      participants: [],
      waitQueue: null,
      transfer: null,
      leftOpen: false,
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
    return { conversation: this.view(record), messages: rows.map((r) => toView(record.id, r)) };
  }

  /**
   * Closes the conversation with a reason and optional notes: the number opens
   * a new one for the customer's next message, the agent's capacity frees up,
   * and the conversation is written to the customer's history in the
   * background (the answer never waits for D1). Idempotent.
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
      if (record.agent?.id !== agentId) return { ok: false, code: "not_assigned" };
      record.state = "closed";
      record.closedAt = Date.now();
      record.closeReason = reason;
      record.closeNotes = notes;
      record.closedBy = agentId;
      record.closedByName = record.agent.name;
      this.save(record);
      await this.requestArchive();
    }
    const view = this.view(record);
    await this.env.NUMBER.getByName(record.number.id).conversationClosed(record.id);
    if (record.agent) await this.env.AGENT.getByName(record.agent.id).release(record.id, view);
    return { ok: true, conversation: view };
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
        const ok = await markRead(config.graphApiBase, {
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
   * Queues an agent's text reply and starts sending it. Idempotent per
   * `clientId`: a retried request returns the same message and sends nothing new.
   */
  async sendText(
    tenantId: string,
    agent: { id: string; name: string },
    clientId: string,
    text: string,
  ): Promise<SendResult> {
    const record = this.record;
    if (!record || record.tenantId !== tenantId) return { ok: false, code: "not_found" };
    const existing = one<MessageRow>(this.sql, "SELECT * FROM messages WHERE id = ?", clientId);
    if (existing) return { ok: true, message: toView(record.id, existing) };
    if (record.state === "closed") return { ok: false, code: "closed" };
    if (record.state !== "assigned" || record.agent?.id !== agent.id) {
      return { ok: false, code: "not_assigned" };
    }
    // Meta would refuse it (131047): say so now, before anything is queued.
    if (!customerWindowOpen(record.lastCustomerMessageAt, Date.now())) {
      return { ok: false, code: "window_closed" };
    }
    const row = one<MessageRow>(
      this.sql,
      `INSERT INTO messages (id, direction, kind, text, status, sender, created_at)
       VALUES (?, 'out', 'text', ?, 'pending', ?, ?) RETURNING *`,
      clientId,
      text,
      JSON.stringify({ type: "agent", id: agent.id, name: agent.name } satisfies Sender),
      Date.now(),
    )!;
    this.sql.exec(
      "INSERT INTO outbox (message_id, attempts, next_at, state) VALUES (?, 0, ?, 'queued')",
      clientId,
      Date.now(),
    );
    const message = toView(record.id, row);
    this.notifyAgent(record, [message]);
    this.ctx.waitUntil(this.drainOutbox());
    return { ok: true, message };
  }

  /**
   * Sends due outbox rows and retries a pending history write. Both are safe to
   * repeat; a retry earlier than planned is only an earlier attempt.
   */
  override async alarm(): Promise<void> {
    await Promise.all([this.drainOutbox(), this.archiveHistory()]);
    await this.armAlarm();
  }

  /** Arms the one alarm for the earliest deadline: a queued send or a pending history write. */
  private async armAlarm(): Promise<void> {
    const outbox = one<{ at: number | null }>(
      this.sql,
      "SELECT min(next_at) AS at FROM outbox WHERE state = 'queued'",
    )?.at;
    const archive = getJson<ArchivePending>(this.sql, ARCHIVE_KEY)?.dueAt;
    const deadlines = [outbox, archive].filter((at): at is number => at != null);
    if (deadlines.length > 0) await this.ctx.storage.setAlarm(Math.min(...deadlines));
    else await this.ctx.storage.deleteAlarm();
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
        Date.now(),
      );
      if (!due) break;
      await this.sendOne(due);
    }
    await this.armAlarm();
  }

  /**
   * A row left in flight by a previous incarnation may or may not have reached
   * Meta. Resending could deliver it twice, so it is marked failed instead —
   * unless a status webhook already proved it was sent.
   */
  private abandonOrphanedSends(): void {
    for (const row of all<OutboxRow>(this.sql, "SELECT * FROM outbox WHERE state = 'inflight'")) {
      if (this.sending.has(row.message_id)) continue;
      this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
      const message = one<MessageRow>(
        this.sql,
        "SELECT * FROM messages WHERE id = ?",
        row.message_id,
      );
      if (message && message.status === "pending") {
        this.updateMessage(row.message_id, {
          status: "failed",
          error: { code: 0, title: "Not confirmed by WhatsApp; not resent to avoid a duplicate" },
        });
      }
    }
  }

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
    this.sql.exec("UPDATE outbox SET state = 'inflight' WHERE message_id = ?", row.message_id);
    this.sending.add(row.message_id);
    try {
      const config = requireConfig(this.env);
      const token = await this.accessToken(record);
      const result = await sendText(config.graphApiBase, {
        phoneNumberId: record.number.phoneNumberId,
        accessToken: token,
        to: record.customer.phone ?? record.customer.recipient,
        text: message.text,
        callbackData: `${record.id}/${message.id}`,
      });
      if (result.ok) {
        this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
        this.sql.exec(
          "UPDATE messages SET wamid = ? WHERE id = ? AND wamid IS NULL",
          result.wamid,
          message.id,
        );
        const early = await this.env.NUMBER.getByName(record.number.id).registerOutbound(
          result.wamid,
          record.id,
        );
        await this.applyStatuses(early.map((status) => ({ status, messageId: message.id })));
        return;
      }
      const attempts = row.attempts + 1;
      if (result.retryable && attempts < MAX_SEND_ATTEMPTS) {
        const backoff = config.outboundRetryBaseMs * 2 ** (attempts - 1);
        const jitter = Math.random() * config.outboundRetryBaseMs * 0.2;
        this.sql.exec(
          "UPDATE outbox SET state = 'queued', attempts = ?, next_at = ? WHERE message_id = ?",
          attempts,
          Date.now() + backoff + jitter,
          row.message_id,
        );
        return;
      }
      this.sql.exec("DELETE FROM outbox WHERE message_id = ?", row.message_id);
      this.updateMessage(message.id, {
        status: "failed",
        error: {
          code: result.error.code,
          title: result.error.title,
          message: result.error.message,
        },
      });
    } finally {
      this.sending.delete(row.message_id);
      // Its text was only kept to be sent: the customer keeps no message history.
      if (this.record?.contentsRemoved) {
        this.sql.exec(
          "UPDATE messages SET text = '', payload = NULL WHERE id = ? AND id NOT IN (SELECT message_id FROM outbox)",
          row.message_id,
        );
      }
    }
  }

  private async accessToken(record: ConversationRecord): Promise<string> {
    const row = await this.env.DB.prepare(
      "SELECT access_token FROM managed_numbers WHERE id = ? AND tenant_id = ?",
    )
      .bind(record.number.id, record.tenantId)
      .first<{ access_token: string | null }>();
    return row?.access_token ?? "";
  }

  // ---- history ------------------------------------------------------------

  /**
   * Records that D1's history must catch up with this conversation (durable
   * before any attempt, with the alarm as a backstop should the actor be
   * evicted), then tries in the background. Call after saving the state.
   */
  private async requestArchive(): Promise<void> {
    const pending = getJson<ArchivePending>(this.sql, ARCHIVE_KEY);
    putJson(this.sql, ARCHIVE_KEY, {
      generation: (pending?.generation ?? 0) + 1,
      attempts: pending?.attempts ?? 0,
      dueAt: Date.now() + archiveRetryDelayMs(1),
    } satisfies ArchivePending);
    await this.armAlarm();
    this.ctx.waitUntil(this.archiveHistory());
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
      const pending = getJson<ArchivePending>(this.sql, ARCHIVE_KEY);
      const record = this.record;
      if (!pending || !record) return;
      try {
        const done = await this.writeHistory(record.id);
        const now = getJson<ArchivePending>(this.sql, ARCHIVE_KEY);
        if (!done || now?.generation === pending.generation) {
          this.sql.exec("DELETE FROM kv WHERE key = ?", ARCHIVE_KEY);
          await this.armAlarm();
          return;
        }
        // A newer request came while we wrote: write again with the newer state.
      } catch (err) {
        console.warn("history write failed; the alarm retries", record.id, err);
        const now = getJson<ArchivePending>(this.sql, ARCHIVE_KEY) ?? pending;
        const attempts = now.attempts + 1;
        putJson(this.sql, ARCHIVE_KEY, {
          ...now,
          attempts,
          dueAt: Date.now() + archiveRetryDelayMs(attempts),
        } satisfies ArchivePending);
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
    if (!customer) {
      console.warn("customer gone; history dropped", conversationId);
      return false;
    }
    // Re-read after the await: the conversation may have closed meanwhile.
    let record = this.record!;
    if (record.state === "closed" && customer.keep_history !== 1 && !record.contentsRemoved) {
      this.removeContents(record);
      record = this.record!;
    }
    if (record.contentsRemoved && record.agent) {
      await this.env.AGENT.getByName(record.agent.id).forgetTexts(conversationId);
    }
    await this.env.DB.batch(historyStatements(this.env.DB, this.snapshot(record, customer.name)));
    return true;
  }

  /** Drops the texts and payloads of every message not still waiting to be sent. */
  private removeContents(record: ConversationRecord): void {
    this.sql.exec(
      `UPDATE messages SET text = '', payload = NULL
       WHERE id NOT IN (SELECT message_id FROM outbox)`,
    );
    record.contentsRemoved = true;
    this.save(record);
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
            at: record.closedAt ?? Date.now(),
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
      this.sql.exec(
        "INSERT OR IGNORE INTO status_log (wamid, status, at) VALUES (?, ?, ?)",
        status.id,
        status.status,
        status.timestampMs,
      );
      const current =
        message.status && message.status !== "pending" ? statusRank(message.status) : 0;
      const next = statusRank(status.status);
      if (next <= current || message.status === "failed") continue;
      const first = status.errors[0];
      this.updateMessage(message.id, {
        status: status.status,
        error: first
          ? { code: first.code, title: first.title, message: first.message ?? first.details }
          : null,
      });
    }
  }

  /** Writes a message's tick and error, then tells the assigned agent's desktops. */
  private updateMessage(id: string, change: { status: Tick; error: MessageError | null }): void {
    const row = one<MessageRow>(
      this.sql,
      "UPDATE messages SET status = ?, error = ? WHERE id = ? RETURNING *",
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      id,
    );
    const record = this.record;
    if (row && record) this.notifyAgent(record, [toView(record.id, row)]);
  }

  /** Pushes messages to the assigned agent's desktops, in order, after this call returns. */
  private notifyAgent(record: ConversationRecord, messages: MessageView[]): void {
    if (!record.agent || messages.length === 0) return;
    const agent = this.env.AGENT.getByName(record.agent.id);
    const conversationId = record.id;
    this.ctx.waitUntil(
      (async () => {
        for (const message of messages)
          await agent.notify({ type: "message", conversationId, message });
      })().catch((err: unknown) => console.error("notify failed", err)),
    );
  }
}

/** Who wrote a message, as the history shows it: the customer's or the agent's name, or "system". */
function senderName(row: MessageRow, customerName: string): string {
  if (row.direction === "in") return customerName;
  const sender = JSON.parse(row.sender) as Sender;
  return sender.type === "agent" ? sender.name : "system";
}

function toView(conversationId: string, row: MessageRow): MessageView {
  return {
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
  };
}
