/**
 * NumberActor — one per managed number. It owns the mapping customer → open
 * conversation (one at a time), inbound dedupe, the routing queue and the
 * offers made to agents. Messages themselves live in ConversationActors.
 */
import { DurableObject } from "cloudflare:workers";
import type { InboundContact, InboundMessage, StatusUpdate } from "../../meta/webhook-payload";
import { now } from "../../platform/clock";
import { requireConfig } from "../../platform/config";
import { pipelineDb } from "../../platform/pipeline-db";
import type { WorkingTime } from "../../shared/admin";
import { alwaysOpenWorkingTime, readSettings } from "../../shared/number-settings";
import {
  customerWindowOpen,
  type OfferView,
  type WaitingItem,
  type WaitQueueKind,
} from "../../shared/protocol";
import { openState } from "../../shared/working-time";
import type { ContactState, OpenOutboundResult } from "../agent/outbound-start";
import {
  type ConversationInit,
  type CustomerRef,
  defaultNumberConfig,
  type NumberConfig,
  type NumberInfo,
  type NumberItem,
  type RouteRequest,
} from "../contracts";
import type { Env } from "../env";
import { Alarm, addMissingColumns, all, earliest, KV_TABLE, KvCell, one, run } from "../sql";
import { type AgentLive, planRouting, type WaitingConversation } from "./routing";

/**
 * A conversation of this number while it is open. States: `new` (first
 * message being stored), `bot` and `held` (not routed), `queued`, `offered`,
 * `assigned`, `parked` (wait queue), `outbound` (an agent's template awaiting
 * the customer's answer: theirs, not routed, not waiting).
 */
type ConversationRow = {
  id: string;
  contact_key: string;
  contact_json: string;
  state: "new" | "bot" | "held" | "queued" | "offered" | "assigned" | "parked" | "outbound";
  arrived_at: number;
  customer_json: string | null;
  /** The skillset the conversation asks for (customer default, bot choice); null = any. */
  skillset_id: string | null;
  offered_to: string | null;
  /** The skillset through which the current offer was made. */
  offered_skillset_id: string | null;
  /** The owner (assigned, left open), or who parked it (wait queue). */
  agent_id: string | null;
  agent_name: string | null;
  /** Routing offers it only to this agent (a transfer, a personal wait queue)… */
  target_agent_id: string | null;
  target_agent_name: string | null;
  /** …until then (null: until that agent refuses, for an immediate transfer). */
  fallback_at: number | null;
  transfer_mode: "immediate" | "exclusive" | null;
  /** Never offered to this agent (who transferred it away). */
  exclude_agent_id: string | null;
  kind: "new" | "transfer";
  from_agent_name: string | null;
  wait_kind: WaitQueueKind | null;
  /** Its agent logged out with it open. */
  left_open: number;
  /** When it entered its current state. */
  since: number | null;
};

type AgentRow = {
  id: string;
  status: AgentLive["status"];
  load: number;
  max_conversations: number;
  last_assigned_at: number | null;
};

type RoutingConfig = {
  skillsets: { id: string; name: string; priority: number }[];
  members: { agentId: string; skillsetId: string; agentPriority: number }[];
};

/** What the actor caches of D1: the number, its settings and its skillsets. */
type CachedConfig = {
  number: NumberInfo;
  config: NumberConfig;
  skillsets: { id: string; name: string }[];
  loadedAt: number;
};

/** A waiting conversation, as the Worker filters it (by skillset, for isolated agents). */
export type WaitingEntry = WaitingItem & { skillsetId: string | null };

/** Meta retries deliveries for up to 7 days; keep dedupe keys a day longer. */
const DEDUPE_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

/** Safety net: if the actor dies mid-routing, the alarm runs routing again. */
const ROUTING_WATCHDOG_MS = 10_000;

/** How often old dedupe keys are swept (not at every delivery). */
const FORGET_EVERY_MS = 10 * 60 * 1000;
/** Cached configuration is re-read at least this often, should a configChanged call be lost. */
const CONFIG_TTL_MS = 5 * 60 * 1000;

/**
 * While messages are kept for a suspended tenant, the alarm asks D1 this often
 * whether the tenant is back (should the operator's reactivation call be lost).
 */
const HELD_RECHECK_MS = 5 * 60 * 1000;
/** After a failed release of kept messages, the alarm tries again this soon. */
const HELD_RETRY_MS = 30 * 1000;
/** Kept messages are routed this many at a time, oldest first. */
const RELEASE_BATCH = 100;

const SCHEMA = [
  KV_TABLE,
  `CREATE TABLE IF NOT EXISTS inbound_seen (
     wamid TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seen_at INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS inbound_seen_at ON inbound_seen (seen_at)`,
  `CREATE TABLE IF NOT EXISTS conversations (
     id TEXT PRIMARY KEY, contact_key TEXT NOT NULL UNIQUE, contact_json TEXT NOT NULL,
     state TEXT NOT NULL, arrived_at INTEGER NOT NULL, customer_json TEXT,
     skillset_id TEXT, offered_to TEXT, offered_skillset_id TEXT, agent_id TEXT)`,
  `CREATE TABLE IF NOT EXISTS known_conversations (id TEXT PRIMARY KEY)`,
  // When each customer last wrote (ms, Meta's timestamp), kept after their conversations
  // close: the 24-hour window of a conversation an agent starts.
  `CREATE TABLE IF NOT EXISTS contact_inbound (contact_key TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS outbound (wamid TEXT PRIMARY KEY, conversation_id TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS orphan_statuses (
     wamid TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL,
     PRIMARY KEY (wamid, status))`,
  `CREATE TABLE IF NOT EXISTS agents (
     id TEXT PRIMARY KEY, status TEXT NOT NULL, load INTEGER NOT NULL,
     max_conversations INTEGER NOT NULL, last_assigned_at INTEGER)`,
  // Inbound messages of a suspended tenant, in arrival order (seq), once per
  // wamid: kept, not routed, until the tenant is reactivated.
  `CREATE TABLE IF NOT EXISTS held_inbound (
     seq INTEGER PRIMARY KEY, wamid TEXT NOT NULL UNIQUE, item TEXT NOT NULL,
     held_at INTEGER NOT NULL)`,
];

/** The key that makes "one open conversation per customer": wa_id, else BSUID. */
export function contactKeyOf(contact: InboundContact, message: InboundMessage): string | null {
  const waId = message.from ?? contact.waId;
  if (waId) return waId;
  const userId = message.fromUserId ?? contact.userId;
  return userId ? `u:${userId}` : null;
}

export class NumberActor extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private routing = false;
  private rerouteRequested = false;
  /** In-flight customer lookups, so concurrent first messages share one. */
  private readonly customerLookups = new Map<string, Promise<ConversationInit>>();

  private readonly numberCell: KvCell<NumberInfo>;
  private readonly configCell: KvCell<CachedConfig>;
  private readonly reopenCell: KvCell<number>;
  /** When the alarm next asks whether a suspended tenant is back (messages are kept). */
  private readonly heldCheckCell: KvCell<number>;
  private readonly nextAlarm: Alarm;
  /** Whether held_inbound may have rows (undefined: not read yet in this incarnation). */
  private mayHoldMessages: boolean | undefined;
  /** The release of kept messages in progress, which new messages wait for. */
  private releasing: Promise<void> | null = null;
  /** When this incarnation last forgot old dedupe keys (at most every FORGET_EVERY_MS). */
  private forgotAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of SCHEMA) this.sql.exec(ddl);
    this.numberCell = new KvCell(this.sql, "number");
    this.configCell = new KvCell(this.sql, "config");
    this.reopenCell = new KvCell(this.sql, "reopenAt");
    this.heldCheckCell = new KvCell(this.sql, "heldCheckAt");
    this.nextAlarm = new Alarm(ctx.storage);
    addMissingColumns(this.sql, "conversations", {
      agent_name: "TEXT",
      target_agent_id: "TEXT",
      target_agent_name: "TEXT",
      fallback_at: "INTEGER",
      transfer_mode: "TEXT",
      exclude_agent_id: "TEXT",
      kind: "TEXT NOT NULL DEFAULT 'new'",
      from_agent_name: "TEXT",
      wait_kind: "TEXT",
      left_open: "INTEGER NOT NULL DEFAULT 0",
      since: "INTEGER",
    });
  }

  private get number(): NumberInfo | null {
    return this.numberCell.get();
  }

  /**
   * Stores a batch of webhook items for this number. Resolves only when every
   * message is durably stored by its conversation actor and every status is
   * applied, so the Worker can acknowledge Meta. Idempotent per wamid and
   * (wamid, status): a redelivered batch creates nothing new.
   *
   * For a `suspended` tenant the messages are kept here instead (durably,
   * before resolving), neither routed nor answered; statuses are applied as
   * usual. Messages kept earlier are routed before a later batch's, so a
   * customer's messages keep their order.
   */
  async ingest(
    number: NumberInfo,
    items: NumberItem[],
    options: { suspended?: boolean } = {},
  ): Promise<{ messages: number; statuses: number; skipped: number; held: number }> {
    this.numberCell.set(number);
    this.forgetOldDeliveries();
    if (options.suspended) return this.hold(items);
    if (this.releasing || this.holdsMessages()) await this.releaseHeld();
    return { ...(await this.store(items)), held: 0 };
  }

  /** Routes a batch of items (see `ingest`). */
  private async store(
    items: NumberItem[],
  ): Promise<{ messages: number; statuses: number; skipped: number }> {
    const byConversation = new Map<string, InboundMessage[]>();
    let skipped = 0;
    // Map every message to its conversation synchronously, before any await, so
    // 20 concurrent messages from one customer can never open two conversations.
    for (const item of items) {
      if (item.kind !== "message") continue;
      const conversationId = this.conversationFor(item.contact, item.message);
      if (!conversationId) {
        console.warn("inbound message without sender", item.message.id);
        skipped++;
        continue;
      }
      const list = byConversation.get(conversationId) ?? [];
      list.push(item.message);
      byConversation.set(conversationId, list);
    }
    const statuses = items.flatMap((i) => (i.kind === "status" ? [i.status] : []));
    await Promise.all([
      ...[...byConversation].map(([id, messages]) => this.deliverInbound(id, messages)),
      this.applyStatuses(statuses),
    ]);
    const messages = [...byConversation.values()].reduce((n, l) => n + l.length, 0);
    return { messages, statuses: statuses.length, skipped };
  }

  // ---- a suspended tenant's messages -------------------------------------------

  /**
   * Keeps a suspended tenant's messages (once per wamid, in arrival order) and
   * applies its statuses. A message already routed before the suspension is
   * not kept again. Then asks D1 itself whether the tenant is still suspended:
   * the Worker's view may be seconds old, and a reactivation it missed must
   * not leave these messages waiting.
   */
  private async hold(
    items: NumberItem[],
  ): Promise<{ messages: number; statuses: number; skipped: number; held: number }> {
    let held = 0;
    let skipped = 0;
    for (const item of items) {
      if (item.kind !== "message") continue;
      const id = item.message.id;
      if (
        one(this.sql, "SELECT 1 AS x FROM inbound_seen WHERE wamid = ?", id) ||
        one(this.sql, "SELECT 1 AS x FROM held_inbound WHERE wamid = ?", id)
      ) {
        skipped++;
        continue;
      }
      this.sql.exec(
        "INSERT INTO held_inbound (wamid, item, held_at) VALUES (?, ?, ?)",
        id,
        JSON.stringify(item),
        now(),
      );
      held++;
    }
    this.mayHoldMessages ||= held > 0;
    const statuses = items.flatMap((i) => (i.kind === "status" ? [i.status] : []));
    await this.applyStatuses(statuses);
    // Kept durably already: a failed release (logged, retried by the alarm) must not fail the delivery.
    await this.recheckHeld().catch(() => undefined);
    return { messages: 0, statuses: statuses.length, skipped, held };
  }

  private holdsMessages(): boolean {
    this.mayHoldMessages ??= one(this.sql, "SELECT 1 AS x FROM held_inbound LIMIT 1") !== null;
    return this.mayHoldMessages;
  }

  /**
   * If messages are kept, reads the tenant's status from D1: active → routes
   * them now; suspended (or D1 unreadable) → asks again at the next check.
   */
  private async recheckHeld(): Promise<void> {
    const number = this.number;
    if (!number || !this.holdsMessages()) {
      this.heldCheckCell.delete();
      return;
    }
    let status: string | null = null;
    try {
      status = await this.env.DB.prepare("SELECT status FROM tenants WHERE id = ?")
        .bind(number.tenantId)
        .first<string>("status");
    } catch (err) {
      console.error("kept messages: tenant status unreadable; asking again later", err);
    }
    if (status === "active") {
      await this.releaseHeld();
      return;
    }
    this.heldCheckCell.set(now() + HELD_RECHECK_MS);
    if (!this.routing) await this.armIdleAlarm();
  }

  /**
   * The tenant was reactivated: routes the messages kept while it was
   * suspended, oldest first, as if they had just arrived (their messages keep
   * Meta's time). Starts the release and returns how many wait; the alarm
   * finishes it should this actor stop midway. Idempotent.
   */
  async tenantReactivated(): Promise<{ held: number }> {
    const held = one<{ n: number }>(this.sql, "SELECT count(*) AS n FROM held_inbound")?.n ?? 0;
    if (held > 0) {
      this.heldCheckCell.set(now() + HELD_RETRY_MS);
      if (!this.routing) await this.armIdleAlarm();
      this.ctx.waitUntil(this.releaseHeld().catch(() => undefined));
    }
    return { held };
  }

  /** Routes every kept message (one release at a time; callers share it). */
  private releaseHeld(): Promise<void> {
    this.releasing ??= this.releaseAll().finally(() => {
      this.releasing = null;
    });
    return this.releasing;
  }

  private async releaseAll(): Promise<void> {
    try {
      for (;;) {
        const rows = all<{ seq: number; item: string }>(
          this.sql,
          "SELECT seq, item FROM held_inbound ORDER BY seq LIMIT ?",
          RELEASE_BATCH,
        );
        if (rows.length === 0) break;
        // Stored like a fresh delivery (deduped by wamid should a release be
        // repeated), and forgotten only once stored.
        await this.store(rows.map((r) => JSON.parse(r.item) as NumberItem));
        this.sql.exec("DELETE FROM held_inbound WHERE seq <= ?", rows.at(-1)!.seq);
      }
      this.mayHoldMessages = false;
      this.heldCheckCell.delete();
    } catch (err) {
      console.error("kept messages: release failed; the alarm retries", err);
      this.heldCheckCell.set(now() + HELD_RETRY_MS);
      if (!this.routing) await this.armIdleAlarm();
      throw err;
    }
  }

  /**
   * Meta retries a delivery for at most 7 days, so dedupe keys older than that
   * can go; statuses for wamids we never sent are dropped after the same time.
   */
  private forgetOldDeliveries(): void {
    if (now() - this.forgotAt < FORGET_EVERY_MS) return;
    this.forgotAt = now();
    const cutoff = now() - DEDUPE_RETENTION_MS;
    this.sql.exec("DELETE FROM inbound_seen WHERE seen_at < ?", cutoff);
    this.sql.exec("DELETE FROM orphan_statuses WHERE received_at < ?", cutoff);
  }

  /** The conversation a message belongs to: where it went before, else the open one, else a new one. */
  private conversationFor(contact: InboundContact, message: InboundMessage): string | null {
    const seen = one<{ conversation_id: string }>(
      this.sql,
      "SELECT conversation_id FROM inbound_seen WHERE wamid = ?",
      message.id,
    );
    if (seen) return seen.conversation_id;
    const contactKey = contactKeyOf(contact, message);
    if (!contactKey) return null;
    this.sql.exec(
      `INSERT INTO contact_inbound (contact_key, at) VALUES (?, ?)
       ON CONFLICT (contact_key) DO UPDATE SET at = max(at, excluded.at)`,
      contactKey,
      message.timestampMs,
    );
    let open = one<{ id: string }>(
      this.sql,
      "SELECT id FROM conversations WHERE contact_key = ?",
      contactKey,
    );
    if (!open) {
      open = { id: crypto.randomUUID() };
      this.sql.exec(
        `INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at)
         VALUES (?, ?, ?, 'new', ?)`,
        open.id,
        contactKey,
        JSON.stringify({ ...contact, waId: message.from ?? contact.waId }),
        now(),
      );
      this.sql.exec("INSERT INTO known_conversations (id) VALUES (?)", open.id);
    }
    this.sql.exec(
      "INSERT INTO inbound_seen (wamid, conversation_id, seen_at) VALUES (?, ?, ?)",
      message.id,
      open.id,
      now(),
    );
    return open.id;
  }

  private async deliverInbound(conversationId: string, messages: InboundMessage[]): Promise<void> {
    const row = this.conversationRow(conversationId);
    const stub = this.env.CONVERSATION.getByName(conversationId);
    if (!row) {
      // A redelivery of messages whose conversation has closed: the conversation
      // actor already has them and deduplicates.
      await stub.appendInbound(null, messages);
      return;
    }
    const init = await this.conversationInit(row);
    const { route } = await stub.appendInbound(init, messages);
    if (route) this.applyRoute(conversationId, route);
  }

  private conversationRow(id: string): ConversationRow | null {
    return one<ConversationRow>(this.sql, "SELECT * FROM conversations WHERE id = ?", id);
  }

  /** Finds or creates the customer in D1 (once per conversation) and builds the actor's init. */
  private async conversationInit(row: ConversationRow): Promise<ConversationInit> {
    const cached = await this.cachedConfig(this.number!);
    const number = cached?.number ?? this.number!;
    const config = cached?.config ?? defaultNumberConfig();
    if (row.customer_json) {
      return {
        id: row.id,
        tenantId: number.tenantId,
        number,
        customer: JSON.parse(row.customer_json) as CustomerRef,
        skillsetId: row.skillset_id,
        createdAt: row.arrived_at,
        config,
      };
    }
    let pending = this.customerLookups.get(row.id);
    if (!pending) {
      pending = this.lookUpCustomer(number, row, config).finally(() =>
        this.customerLookups.delete(row.id),
      );
      this.customerLookups.set(row.id, pending);
    }
    return pending;
  }

  /**
   * Reads the customer from D1, creating them with Meta's profile name unless
   * the number accepts only existing customers (then an unknown sender stays
   * unknown: `known` false, no record).
   */
  private async lookUpCustomer(
    number: NumberInfo,
    row: ConversationRow,
    config: NumberConfig,
  ): Promise<ConversationInit> {
    const contact = JSON.parse(row.contact_json) as InboundContact;
    const phone = contact.waId ? `+${contact.waId}` : null;
    const name = contact.name?.trim() || phone || "WhatsApp user";
    const db = pipelineDb(this.env.DB);
    if (!config.settings.details.acceptOnlyExistingCustomers) {
      await db
        .prepare(
          `INSERT INTO customers (id, tenant_id, contact_key, phone, name)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, contact_key) DO NOTHING`,
        )
        .bind(crypto.randomUUID(), number.tenantId, row.contact_key, phone, name)
        .run();
    }
    const customer = await db
      .prepare(
        `SELECT c.id, c.name, c.phone, c.priority, c.bypass_bot, s.id AS skillset_id
         FROM customers c
         LEFT JOIN skillsets s ON s.id = c.default_skillset_id AND s.tenant_id = c.tenant_id AND s.number_id = ?
         WHERE c.tenant_id = ? AND c.contact_key = ?`,
      )
      .bind(number.id, number.tenantId, row.contact_key)
      .first<{
        id: string;
        name: string;
        phone: string | null;
        priority: number;
        bypass_bot: number;
        skillset_id: string | null;
      }>();
    if (!customer && !config.settings.details.acceptOnlyExistingCustomers) {
      throw new Error(`customer ${row.contact_key} vanished`);
    }
    const ref: CustomerRef = {
      id: customer?.id ?? "",
      name: customer?.name ?? name,
      phone: customer?.phone ?? phone,
      contactKey: row.contact_key,
      recipient: row.contact_key.startsWith("u:") ? row.contact_key.slice(2) : row.contact_key,
      priority: customer?.priority ?? 5,
      known: customer !== null,
      bypassBot: customer?.bypass_bot === 1,
    };
    const skillsetId = customer?.skillset_id ?? null;
    this.sql.exec(
      "UPDATE conversations SET customer_json = ?, skillset_id = ? WHERE id = ?",
      JSON.stringify(ref),
      skillsetId,
      row.id,
    );
    return {
      id: row.id,
      tenantId: number.tenantId,
      number,
      customer: ref,
      skillsetId,
      createdAt: row.arrived_at,
      config,
    };
  }

  // ---- what the conversation asks of routing --------------------------------

  /**
   * Applies a conversation's routing request to its row: queue it (for a
   * skillset, or a target agent), hold it (softbot, unauthorized), park it
   * (wait queue) or forget it (closed). Idempotent.
   */
  private applyRoute(conversationId: string, route: RouteRequest): void {
    const at = now();
    switch (route.type) {
      case "closed":
        this.sql.exec("DELETE FROM conversations WHERE id = ?", conversationId);
        return;
      case "hold":
        this.sql.exec(
          `UPDATE conversations SET state = ?, since = ?, offered_to = NULL WHERE id = ? AND state IN ('new', 'bot', 'held')`,
          route.state,
          at,
          conversationId,
        );
        return;
      case "assigned":
        this.sql.exec(
          `UPDATE conversations SET state = 'assigned', since = ?, agent_id = ?, agent_name = ?
           WHERE id = ? AND state = 'outbound'`,
          at,
          route.agentId,
          route.agentName,
          conversationId,
        );
        return;
      case "park":
        this.sql.exec(
          `UPDATE conversations SET state = 'parked', since = ?, wait_kind = ?, agent_id = ?, agent_name = ?,
             offered_to = NULL, target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL,
             transfer_mode = NULL, exclude_agent_id = NULL, left_open = 0
           WHERE id = ?`,
          at,
          route.kind,
          route.agentId,
          route.agentName,
          conversationId,
        );
        return;
      case "queue": {
        const changed = run(
          this.sql,
          `UPDATE conversations SET state = 'queued', since = ?, skillset_id = ?, kind = ?,
             target_agent_id = ?, target_agent_name = ?, transfer_mode = ?, fallback_at = ?,
             exclude_agent_id = ?, from_agent_name = ?, offered_to = NULL, agent_id = NULL,
             agent_name = NULL, wait_kind = NULL, left_open = 0
           WHERE id = ? AND state <> 'offered'`,
          at,
          route.skillsetId,
          route.kind,
          route.targetAgentId ?? null,
          route.targetAgentName ?? null,
          route.mode ?? null,
          route.fallbackAt ?? null,
          route.excludeAgentId ?? null,
          route.fromAgentName ?? null,
          conversationId,
        );
        if (changed > 0) this.kickRouting();
        return;
      }
    }
  }

  /** The conversation's own decision (softbot answered or timed out, transfer, wait queue). */
  async routeRequest(conversationId: string, route: RouteRequest): Promise<void> {
    this.applyRoute(conversationId, route);
  }

  /**
   * An agent takes a conversation that is not being worked: waiting for
   * routing (even if offered to someone), held, parked, or left open by an
   * agent who logged out. `onlyParkedBy` restricts it to the agent's own wait
   * queue (unpause). Returns who had it before (an offer to withdraw, an owner
   * to release), or a refusal.
   */
  async claim(
    conversationId: string,
    agent: { id: string; name: string },
    onlyParkedBy: string | null = null,
  ): Promise<
    | {
        ok: true;
        skillsetId: string | null;
        offeredTo: string | null;
        previousOwner: string | null;
      }
    | { ok: false; code: "not_found" | "not_waiting" }
  > {
    const row = this.conversationRow(conversationId);
    if (!row) return { ok: false, code: "not_found" };
    const waiting =
      ["bot", "held", "queued", "offered", "parked"].includes(row.state) ||
      (row.state === "assigned" && row.left_open === 1 && row.agent_id !== agent.id);
    if (!waiting) return { ok: false, code: "not_waiting" };
    if (onlyParkedBy !== null && !(row.state === "parked" && row.agent_id === onlyParkedBy)) {
      return { ok: false, code: "not_waiting" };
    }
    const previousOwner = row.state === "assigned" ? row.agent_id : null;
    const offeredTo = row.state === "offered" ? row.offered_to : null;
    this.sql.exec(
      `UPDATE conversations SET state = 'assigned', since = ?, agent_id = ?, agent_name = ?,
         offered_to = NULL, target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL,
         transfer_mode = NULL, exclude_agent_id = NULL, wait_kind = NULL, left_open = 0
       WHERE id = ?`,
      now(),
      agent.id,
      agent.name,
      conversationId,
    );
    return { ok: true, skillsetId: row.skillset_id, offeredTo, previousOwner };
  }

  /** The owner logged out (`open` true) or came back (false): marks their conversations. Idempotent. */
  async leftOpen(conversationId: string, agentId: string, open: boolean): Promise<void> {
    this.sql.exec(
      "UPDATE conversations SET left_open = ? WHERE id = ? AND state = 'assigned' AND agent_id = ?",
      open ? 1 : 0,
      conversationId,
      agentId,
    );
  }

  /** The conversations of this number that no agent is working now, for the waiting list. */
  async waitingList(): Promise<WaitingEntry[]> {
    const number = this.number;
    if (!number) return [];
    const cached = this.configCell.get();
    const skillsetName = (id: string | null) =>
      cached?.skillsets.find((s) => s.id === id)?.name ?? null;
    const rows = all<ConversationRow>(
      this.sql,
      `SELECT * FROM conversations WHERE state IN ('bot', 'held', 'queued', 'offered', 'parked')
         OR (state = 'assigned' AND left_open = 1) ORDER BY arrived_at`,
    );
    return rows.map((row) => {
      const customer = JSON.parse(row.customer_json ?? "null") as CustomerRef | null;
      const state: WaitingItem["state"] =
        row.state === "parked"
          ? "wait_queue"
          : row.state === "held"
            ? "unauthorized"
            : row.state === "assigned"
              ? "left_open"
              : row.state === "queued" && row.kind === "transfer"
                ? "transfer"
                : (row.state as "bot" | "queued" | "offered");
      const agentId =
        row.state === "offered" ? row.offered_to : (row.target_agent_id ?? row.agent_id);
      return {
        conversationId: row.id,
        numberId: number.id,
        numberName: cached?.number.name ?? number.name,
        customerName: customer?.name ?? row.contact_key,
        customerPhone: customer?.phone ?? null,
        skillsetId: row.skillset_id,
        skillsetName: skillsetName(row.skillset_id),
        state,
        waitQueueKind: row.state === "parked" ? row.wait_kind : null,
        agentId,
        agentName: row.state === "offered" ? null : (row.target_agent_name ?? row.agent_name),
        arrivedAt: row.arrived_at,
        since: row.since ?? row.arrived_at,
      };
    });
  }

  /** The live state of the agents serving this number, as routing knows it. */
  async agentsLive(): Promise<AgentLive[]> {
    return all<AgentRow>(this.sql, "SELECT * FROM agents").map(toAgentLive);
  }

  /**
   * The agent of `skillsetId` routing would pick now (Ready, under their
   * limit, by the routing order), other than `exclude`; null when none is.
   */
  async pickAgent(skillsetId: string, exclude: string[]): Promise<string | null> {
    const number = this.number;
    if (!number) return null;
    const config = await this.routingConfig(number);
    await this.refreshUnknownAgents(number, config);
    const agents = all<AgentRow>(this.sql, "SELECT * FROM agents")
      .map(toAgentLive)
      .filter((a) => !exclude.includes(a.id));
    const [offer] = planRouting(
      [{ id: "pick", customerPriority: 5, arrivedAt: 0, skillsetId }],
      config.skillsets.filter((s) => s.id === skillsetId),
      config.members,
      agents,
      now(),
    );
    return offer?.agentId ?? null;
  }

  // ---- statuses -----------------------------------------------------------

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  /** Routes delivery statuses to the conversations whose messages they describe. */
  private async applyStatuses(statuses: StatusUpdate[]): Promise<void> {
    const byConversation = new Map<string, { status: StatusUpdate; messageId: string | null }[]>();
    for (const status of statuses) {
      const target = this.statusTarget(status);
      if (!target) {
        // Meta may report a status before our send call has returned its wamid.
        this.sql.exec(
          "INSERT OR IGNORE INTO orphan_statuses (wamid, status, body, received_at) VALUES (?, ?, ?, ?)",
          status.id,
          status.status,
          JSON.stringify(status),
          now(),
        );
        continue;
      }
      const list = byConversation.get(target.conversationId) ?? [];
      list.push({ status, messageId: target.messageId });
      byConversation.set(target.conversationId, list);
    }
    await Promise.all(
      [...byConversation].map(([id, list]) =>
        this.env.CONVERSATION.getByName(id).applyStatuses(list),
      ),
    );
  }

  private statusTarget(
    status: StatusUpdate,
  ): { conversationId: string; messageId: string | null } | null {
    const known = one<{ conversation_id: string }>(
      this.sql,
      "SELECT conversation_id FROM outbound WHERE wamid = ?",
      status.id,
    );
    if (known) return { conversationId: known.conversation_id, messageId: null };
    // We send `<conversationId>/<messageId>` as biz_opaque_callback_data; an automatic
    // message's id may itself hold a "/" (a wamid in its key), so split at the first one.
    const data = status.bizOpaqueCallbackData ?? "";
    const slash = data.indexOf("/");
    const conversationId = slash > 0 ? data.slice(0, slash) : "";
    const messageId = slash > 0 ? data.slice(slash + 1) : "";
    if (conversationId && messageId) {
      const ours = one(this.sql, "SELECT id FROM known_conversations WHERE id = ?", conversationId);
      if (ours) return { conversationId, messageId };
    }
    return null;
  }

  /**
   * Records which conversation sent `wamid` and returns statuses that arrived
   * for it before this call. Idempotent.
   */
  async registerOutbound(wamid: string, conversationId: string): Promise<StatusUpdate[]> {
    this.sql.exec(
      "INSERT OR IGNORE INTO outbound (wamid, conversation_id) VALUES (?, ?)",
      wamid,
      conversationId,
    );
    const orphans = all<{ body: string }>(
      this.sql,
      "SELECT body FROM orphan_statuses WHERE wamid = ?",
      wamid,
    );
    this.sql.exec("DELETE FROM orphan_statuses WHERE wamid = ?", wamid);
    return orphans.map((o) => JSON.parse(o.body) as StatusUpdate);
  }

  // ---- routing ------------------------------------------------------------

  /** Starts a routing pass now, or once the current one ends. */
  private kickRouting(): void {
    this.ctx.waitUntil(this.route());
  }

  override async alarm(): Promise<void> {
    this.nextAlarm.fired();
    const heldCheckAt = this.heldCheckCell.get();
    if (heldCheckAt !== null && heldCheckAt <= now()) {
      await this.recheckHeld().catch(() => undefined); // logged; re-armed below
    }
    await this.route();
  }

  private async route(): Promise<void> {
    if (this.routing) {
      this.rerouteRequested = true;
      return;
    }
    this.routing = true;
    await this.nextAlarm.set(now() + ROUTING_WATCHDOG_MS);
    try {
      do {
        this.rerouteRequested = false;
        await this.routeOnce();
      } while (this.rerouteRequested);
      await this.armIdleAlarm();
    } catch (err) {
      console.error("routing failed; the watchdog alarm retries", err);
    } finally {
      this.routing = false;
    }
  }

  /**
   * Between routing passes the alarm waits for the number to open (when
   * conversations wait for that), for a transfer's target to lapse, or to ask
   * again whether a suspended tenant is back.
   */
  private async armIdleAlarm(): Promise<void> {
    const reopenAt = this.reopenCell.get();
    const fallback = one<{ at: number | null }>(
      this.sql,
      "SELECT min(fallback_at) AS at FROM conversations WHERE state = 'queued' AND target_agent_id IS NOT NULL AND fallback_at > ?",
      now(),
    )?.at;
    await this.nextAlarm.set(earliest(reopenAt, fallback, this.heldCheckCell.get()));
  }

  /** Whether the number is open now per its working time; when closed, remembers when it opens. */
  private async isOpen(number: NumberInfo): Promise<boolean> {
    const hours = openState(await this.workingTime(number), now());
    if (!hours.open) {
      if (hours.nextChangeAt === null) this.reopenCell.delete();
      else this.reopenCell.set(hours.nextChangeAt);
    }
    return hours.open;
  }

  private async workingTime(number: NumberInfo): Promise<WorkingTime> {
    return (
      (await this.cachedConfig(number))?.config.settings.workingTime ?? alwaysOpenWorkingTime()
    );
  }

  /** The configuration, cached from D1 (reloaded by `configChanged` and after CONFIG_TTL_MS). */
  private async cachedConfig(number: NumberInfo): Promise<CachedConfig | null> {
    const cached = this.configCell.get();
    if (cached && now() - cached.loadedAt < CONFIG_TTL_MS) return cached;
    return (await this.loadConfig(number.id)) ?? cached;
  }

  /**
   * Reads the number's info, settings and skillsets from D1 into the cache. A
   * number that no longer exists is forgotten (nothing more is routed).
   */
  private async loadConfig(numberId: string): Promise<CachedConfig | null> {
    const [row, skillsets] = await Promise.all([
      this.env.DB.prepare(
        `SELECT id, tenant_id, phone_number_id, display_phone, name, settings
         FROM managed_numbers WHERE id = ?`,
      )
        .bind(numberId)
        .first<{
          id: string;
          tenant_id: string;
          phone_number_id: string;
          display_phone: string;
          name: string;
          settings: string;
        }>(),
      this.env.DB.prepare(
        `SELECT id, name, priority, is_default, bot_label FROM skillsets
         WHERE number_id = ? ORDER BY priority DESC, name, id`,
      )
        .bind(numberId)
        .all<{
          id: string;
          name: string;
          priority: number;
          is_default: number;
          bot_label: string | null;
        }>(),
    ]);
    if (!row) {
      this.numberCell.delete();
      this.configCell.delete();
      return null;
    }
    const number: NumberInfo = {
      id: row.id,
      tenantId: row.tenant_id,
      phoneNumberId: row.phone_number_id,
      displayPhone: row.display_phone,
      name: row.name,
    };
    const list = skillsets.results;
    const loaded: CachedConfig = {
      number,
      config: {
        settings: readSettings(row.settings),
        botOptions: list.flatMap((s) =>
          s.bot_label ? [{ skillsetId: s.id, label: s.bot_label }] : [],
        ),
        defaultSkillsetId: list.find((s) => s.is_default === 1)?.id ?? null,
      },
      skillsets: list.map((s) => ({ id: s.id, name: s.name })),
      loadedAt: now(),
    };
    this.numberCell.set(number);
    this.configCell.set(loaded);
    return loaded;
  }

  /**
   * An administrator changed this number, its skillsets or their members:
   * reloads what the actor caches from D1, hands the new settings to every
   * open conversation (their timers follow at once) and routes again.
   * Idempotent.
   */
  async configChanged(): Promise<void> {
    const numberId = this.ctx.id.name;
    if (!numberId) return;
    const loaded = await this.loadConfig(numberId);
    if (loaded) {
      const open = all<{ id: string }>(
        this.sql,
        "SELECT id FROM conversations WHERE state <> 'new'",
      );
      await Promise.all(
        open.map((c) =>
          this.env.CONVERSATION.getByName(c.id)
            .configChanged(loaded.number, loaded.config)
            .catch((err: unknown) => console.error("configChanged failed", c.id, err)),
        ),
      );
    }
    this.kickRouting();
  }

  private waiting(): (WaitingConversation & { row: ConversationRow })[] {
    const at = now();
    return all<ConversationRow>(this.sql, "SELECT * FROM conversations WHERE state = 'queued'").map(
      (row) => {
        const customer = JSON.parse(row.customer_json ?? "null") as CustomerRef | null;
        const targeted =
          row.target_agent_id !== null && (row.fallback_at === null || at < row.fallback_at);
        return {
          id: row.id,
          customerPriority: customer?.priority ?? 5,
          arrivedAt: row.arrived_at,
          skillsetId: row.skillset_id,
          targetAgentId: targeted ? row.target_agent_id : null,
          excludeAgentId: row.exclude_agent_id,
          row,
        };
      },
    );
  }

  private async routeOnce(): Promise<void> {
    const number = this.number;
    this.reopenCell.delete();
    if (!number || this.waiting().length === 0) return;
    // Closed (working time): queued conversations wait; the alarm wakes us at opening.
    if (!(await this.isOpen(number))) return;
    const config = await this.routingConfig(number);
    await this.refreshUnknownAgents(number, config);
    // Offer one conversation at a time and re-plan: each offer's answer updates
    // what we know of that agent, and other events may land while we await.
    for (;;) {
      const waiting = this.waiting();
      const agents = all<AgentRow>(this.sql, "SELECT * FROM agents").map(toAgentLive);
      const [next] = planRouting(waiting, config.skillsets, config.members, agents, now());
      if (!next) return;
      const conversation = waiting.find((w) => w.id === next.conversationId)!;
      const skillset = config.skillsets.find((s) => s.id === next.skillsetId);
      const offer = this.offerView(number, conversation.row, skillset?.name ?? null);
      this.sql.exec(
        "UPDATE conversations SET state = 'offered', offered_to = ?, offered_skillset_id = ? WHERE id = ?",
        next.agentId,
        next.skillsetId,
        next.conversationId,
      );
      const answer = await this.env.AGENT.getByName(next.agentId).offer(
        number.tenantId,
        number.id,
        offer,
      );
      this.rememberAgent(answer.agent);
      if (!answer.ok) {
        run(
          this.sql,
          "UPDATE conversations SET state = 'queued', offered_to = NULL WHERE id = ? AND state = 'offered' AND offered_to = ?",
          next.conversationId,
          next.agentId,
        );
      }
    }
  }

  private offerView(
    number: NumberInfo,
    row: ConversationRow,
    skillsetName: string | null,
  ): OfferView {
    const customer = JSON.parse(row.customer_json ?? "null") as CustomerRef | null;
    const at = now();
    return {
      conversationId: row.id,
      customerName: customer?.name ?? row.contact_key,
      customerPhone: customer?.phone ?? null,
      numberName: number.name,
      displayPhone: number.displayPhone,
      skillsetName,
      arrivedAt: row.arrived_at,
      offeredAt: at,
      expiresAt: at + requireConfig(this.env).offerTimeoutMs,
      kind: row.kind ?? "new",
      fromAgentName: row.from_agent_name,
    };
  }

  /** Skillsets of this number and their active members, read fresh from D1 each pass. */
  private async routingConfig(number: NumberInfo): Promise<RoutingConfig> {
    const { results } = await this.env.DB.prepare(
      `SELECT s.id AS skillset_id, s.name, s.priority, u.id AS user_id, m.agent_priority
       FROM skillsets s
       LEFT JOIN skillset_members m ON m.skillset_id = s.id AND m.tenant_id = s.tenant_id
       LEFT JOIN users u ON u.id = m.user_id AND u.tenant_id = s.tenant_id AND u.active = 1
       WHERE s.tenant_id = ? AND s.number_id = ?`,
    )
      .bind(number.tenantId, number.id)
      .all<{
        skillset_id: string;
        name: string;
        priority: number;
        user_id: string | null;
        agent_priority: number | null;
      }>();
    const skillsets = new Map<string, RoutingConfig["skillsets"][number]>();
    const members: RoutingConfig["members"] = [];
    for (const r of results) {
      skillsets.set(r.skillset_id, { id: r.skillset_id, name: r.name, priority: r.priority });
      if (r.user_id) {
        members.push({
          agentId: r.user_id,
          skillsetId: r.skillset_id,
          agentPriority: r.agent_priority ?? 5,
        });
      }
    }
    return { skillsets: [...skillsets.values()], members };
  }

  /** Asks agents we have never heard from for their state. */
  private async refreshUnknownAgents(number: NumberInfo, config: RoutingConfig): Promise<void> {
    const known = new Set(all<{ id: string }>(this.sql, "SELECT id FROM agents").map((r) => r.id));
    const unknown = [...new Set(config.members.map((m) => m.agentId))].filter(
      (id) => !known.has(id),
    );
    const states = await Promise.all(
      unknown.map((id) => this.env.AGENT.getByName(id).state(number.tenantId)),
    );
    for (const s of states) if (s) this.rememberAgent(s);
  }

  private rememberAgent(agent: AgentLive | null): void {
    if (!agent) return;
    this.sql.exec(
      `INSERT INTO agents (id, status, load, max_conversations, last_assigned_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, load = excluded.load,
         max_conversations = excluded.max_conversations, last_assigned_at = excluded.last_assigned_at`,
      agent.id,
      agent.status,
      agent.load,
      agent.maxConversations,
      agent.lastAssignedAt,
    );
  }

  /**
   * An agent's status or load changed. Routing re-runs at once when the agent
   * may take work, so no backlog waits for a sweep.
   */
  async agentChanged(agent: AgentLive): Promise<void> {
    this.rememberAgent(agent);
    if (agent.status === "ready" && agent.load < agent.maxConversations) this.kickRouting();
  }

  /**
   * The agent accepted our offer: the conversation is theirs. Returns false when
   * the offer is no longer valid (closed, picked up or re-offered meanwhile).
   */
  async offerAccepted(
    conversationId: string,
    agent: { id: string; name: string },
  ): Promise<{ ok: true; skillsetId: string | null } | { ok: false }> {
    const updated = run(
      this.sql,
      `UPDATE conversations SET state = 'assigned', since = ?, agent_id = ?, agent_name = ?, offered_to = NULL,
         target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL, transfer_mode = NULL,
         exclude_agent_id = NULL
       WHERE id = ? AND state = 'offered' AND offered_to = ?`,
      now(),
      agent.id,
      agent.name,
      conversationId,
      agent.id,
    );
    if (updated === 0) return { ok: false };
    return {
      ok: true,
      skillsetId: this.conversationRow(conversationId)?.offered_skillset_id ?? null,
    };
  }

  /**
   * The offer timed out (the agent is now RONA): the conversation waits again,
   * keeping its place. An immediate transfer stops waiting for its target and
   * falls back to the others; an exclusive one keeps waiting for that target.
   */
  async offerExpired(conversationId: string, agentId: string): Promise<void> {
    const requeued = run(
      this.sql,
      "UPDATE conversations SET state = 'queued', offered_to = NULL WHERE id = ? AND state = 'offered' AND offered_to = ?",
      conversationId,
      agentId,
    );
    this.sql.exec(
      `UPDATE conversations SET target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL
       WHERE id = ? AND target_agent_id = ? AND transfer_mode IS NOT 'exclusive'`,
      conversationId,
      agentId,
    );
    if (requeued > 0) this.kickRouting();
  }

  /**
   * The agent can no longer serve the conversation (deactivated): if it is
   * offered or assigned to them, it waits again, keeping its place in the
   * queue, and routing re-runs. Idempotent.
   */
  async handBack(conversationId: string, agentId: string): Promise<void> {
    const requeued = run(
      this.sql,
      `UPDATE conversations SET state = 'queued', offered_to = NULL, agent_id = NULL, agent_name = NULL,
         left_open = 0, target_agent_id = NULL, target_agent_name = NULL, fallback_at = NULL
       WHERE id = ? AND ((state = 'offered' AND offered_to = ?) OR (state = 'assigned' AND agent_id = ?))`,
      conversationId,
      agentId,
      agentId,
    );
    if (requeued > 0) this.kickRouting();
  }

  /** The conversation closed: the customer's next message opens a new one. Idempotent. */
  async conversationClosed(conversationId: string): Promise<void> {
    this.sql.exec("DELETE FROM conversations WHERE id = ?", conversationId);
  }

  /**
   * Every open conversation of this number as the dashboard counts it: its
   * routing state, whether it is a transfer, when it arrived (ms) and the
   * skillset it asks for. Read-only.
   */
  async dashboardLive(): Promise<
    {
      id: string;
      state: ConversationRow["state"];
      kind: "new" | "transfer";
      leftOpen: boolean;
      arrivedAt: number;
      skillsetId: string | null;
    }[]
  > {
    return all<ConversationRow>(this.sql, "SELECT * FROM conversations").map((r) => ({
      id: r.id,
      state: r.state,
      kind: r.kind,
      leftOpen: r.left_open === 1,
      arrivedAt: r.arrived_at,
      skillsetId: r.skillset_id,
    }));
  }

  // ---- conversations an agent starts (outbound.ts) ---------------------------

  /**
   * Opens the conversation an agent starts with `customer` under
   * `conversationId`, or finds the one already open (one per customer per
   * number). Checked and written with no await in between, so neither an
   * inbound message nor a colleague can open a second one. The caller's own
   * open conversation is returned to continue; someone else's, or one waiting
   * for routing, is refused. A new `assigned` one (a free message) needs the
   * customer's 24-hour window open, by when they last wrote to this number.
   * Idempotent for the same agent and customer.
   */
  async openOutbound(
    number: NumberInfo,
    conversationId: string,
    customer: CustomerRef,
    skillsetId: string | null,
    agent: { id: string; name: string },
    options: { state: "assigned" | "outbound"; mayCreate: boolean },
  ): Promise<OpenOutboundResult> {
    this.numberCell.set(number);
    const config = (await this.cachedConfig(number))?.config ?? defaultNumberConfig();
    // No await from here on: the check and the insert are one step.
    const row = one<ConversationRow>(
      this.sql,
      "SELECT * FROM conversations WHERE contact_key = ?",
      customer.contactKey,
    );
    if (row) {
      if ((row.state === "assigned" || row.state === "outbound") && row.agent_id === agent.id) {
        return { ok: true, created: false, conversationId: row.id, state: row.state };
      }
      if (row.state === "assigned" || row.state === "outbound") {
        return { ok: false, code: "already_open", agentName: row.agent_name };
      }
      return { ok: false, code: "waiting" };
    }
    const lastCustomerMessageAt = this.lastInbound(customer.contactKey);
    if (options.state === "assigned" && !customerWindowOpen(lastCustomerMessageAt, now())) {
      return { ok: false, code: "window_closed" };
    }
    if (!options.mayCreate) return { ok: false, code: "no_seat" };
    const at = now();
    const userId = customer.contactKey.startsWith("u:") ? customer.contactKey.slice(2) : null;
    this.sql.exec(
      `INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at, customer_json,
         skillset_id, agent_id, agent_name, since)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      conversationId,
      customer.contactKey,
      JSON.stringify({
        waId: userId ? null : customer.contactKey,
        userId,
        name: customer.name,
      } satisfies InboundContact),
      options.state,
      at,
      JSON.stringify(customer),
      skillsetId,
      agent.id,
      agent.name,
      at,
    );
    this.sql.exec("INSERT OR IGNORE INTO known_conversations (id) VALUES (?)", conversationId);
    const init: ConversationInit = {
      id: conversationId,
      tenantId: number.tenantId,
      number,
      customer,
      skillsetId,
      createdAt: at,
      config,
    };
    return { ok: true, created: true, init, lastCustomerMessageAt };
  }

  /** When the customer last wrote to this number (ms), as far as this actor has seen. */
  private lastInbound(contactKey: string): number | null {
    return (
      one<{ at: number }>(
        this.sql,
        "SELECT at FROM contact_inbound WHERE contact_key = ?",
        contactKey,
      )?.at ?? null
    );
  }

  /**
   * For each contact key: when the customer last wrote to this number, and the
   * conversation they have open here (whose, and whether it is being worked).
   * Read-only.
   */
  async contactState(contactKeys: string[]): Promise<Record<string, ContactState>> {
    const out: Record<string, ContactState> = {};
    for (const key of contactKeys) {
      const row = one<ConversationRow>(
        this.sql,
        "SELECT * FROM conversations WHERE contact_key = ?",
        key,
      );
      out[key] = {
        lastCustomerMessageAt: this.lastInbound(key),
        open: row
          ? {
              id: row.id,
              state: row.state === "assigned" || row.state === "outbound" ? row.state : "waiting",
              agentId: row.state === "assigned" || row.state === "outbound" ? row.agent_id : null,
              agentName:
                row.state === "assigned" || row.state === "outbound" ? row.agent_name : null,
            }
          : null,
      };
    }
    return out;
  }

  /** The conversations `agentId` started with a template that the customer has not answered. */
  async outboundOf(agentId: string): Promise<string[]> {
    return all<{ id: string }>(
      this.sql,
      "SELECT id FROM conversations WHERE state = 'outbound' AND agent_id = ? ORDER BY arrived_at",
      agentId,
    ).map((r) => r.id);
  }

  /** Test and diagnostics view of the queue. */
  async conversations(): Promise<
    {
      id: string;
      state: string;
      offeredTo: string | null;
      agentId: string | null;
      targetAgentId: string | null;
      skillsetId: string | null;
    }[]
  > {
    return all<ConversationRow>(this.sql, "SELECT * FROM conversations ORDER BY arrived_at").map(
      (r) => ({
        id: r.id,
        state: r.state,
        offeredTo: r.offered_to,
        agentId: r.agent_id,
        targetAgentId: r.target_agent_id,
        skillsetId: r.skillset_id,
      }),
    );
  }
}

function toAgentLive(row: AgentRow): AgentLive {
  return {
    id: row.id,
    status: row.status,
    load: row.load,
    maxConversations: row.max_conversations,
    lastAssignedAt: row.last_assigned_at,
  };
}
