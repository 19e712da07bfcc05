/**
 * AgentActor — one per agent. It is the authority on the agent's status and
 * capacity (offers + assigned conversations), so capacity stays exact while
 * several number actors route at once. It also holds the desktop's WebSockets
 * (hibernation API) and a numbered event log so a reconnecting desktop gets
 * exactly what it missed.
 */
import { DurableObject } from "cloudflare:workers";
import { now } from "../../platform/clock";
import { assertNever } from "../../shared/assert-never";
import { maskJson } from "../../shared/masking";
import {
  type AgentView,
  ClientFrame,
  type ConversationView,
  type DesktopSnapshot,
  type MessageView,
  type OfferView,
  type SelectableStatus,
  type ServerEvent,
  type UnsequencedEvent,
} from "../../shared/protocol";
import type { Env } from "../env";
import type { AgentLive } from "../number/routing";
import { Alarm, all, earliest, KV_TABLE, KvCell, one, run } from "../sql";
import {
  type SeatBook,
  type StartOutboundRequest,
  type StartOutboundResult,
  startOutbound,
} from "./outbound-start";

/** `masked`: an agent of a tenant with masking on, whose desktops get sensitive data masked. */
type Profile = {
  id: string;
  tenantId: string;
  name: string;
  maxConversations: number;
  masked?: boolean;
};
type Presence = { status: AgentLive["status"]; lastAssignedAt: number | null };
type OfferRow = { conversation_id: string; number_id: string; view: string; expires_at: number };

/** Events kept for replay; a desktop further behind gets a fresh snapshot. */
const EVENT_LOG_SIZE = 1000;

/** At most this long between checks that open desktops' sessions are still valid. */
const SESSION_CHECK_MAX_MS = 10 * 60_000;
/** A desktop socket's tag naming the session it was opened with. */
const SESSION_TAG = "session:";

const SCHEMA = [
  KV_TABLE,
  `CREATE TABLE IF NOT EXISTS offers (
     conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, view TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS conversations (
     conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, view TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
  // Lapsed offers whose number has not yet been told (retried by the alarm until it is).
  `CREATE TABLE IF NOT EXISTS lapsed_offers (
     conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL)`,
];

type LapsedRow = { conversation_id: string; number_id: string; attempts: number; next_at: number };

/** Telling a number about a lapsed offer is retried after this, doubling up to five minutes. */
const LAPSED_RETRY_BASE_MS = 5_000;
const LAPSED_RETRY_MAX_MS = 5 * 60_000;

export type OfferAnswer = { ok: boolean; agent: AgentLive | null };
export type AcceptResult =
  | { ok: true; conversation: ConversationView }
  | { ok: false; code: "offer_gone" | "not_found" };

export class AgentActor extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly profileCell: KvCell<Profile>;
  private readonly presenceCell: KvCell<Presence>;
  /** When the open desktops' sessions are next checked (ms); absent without desktops. */
  private readonly sessionCheckCell: KvCell<number>;
  private readonly nextAlarm: Alarm;
  /** The last event's seq, kept in memory once read (only publish adds events). */
  private seq: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of SCHEMA) this.sql.exec(ddl);
    this.profileCell = new KvCell(this.sql, "profile");
    this.presenceCell = new KvCell(this.sql, "presence");
    this.sessionCheckCell = new KvCell(this.sql, "sessionCheckAt");
    this.nextAlarm = new Alarm(ctx.storage);
    // Answer pings without waking the actor from hibernation.
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'),
    );
  }

  // ---- profile and state --------------------------------------------------

  private get profile(): Profile | null {
    return this.profileCell.get();
  }

  private get presence(): Presence {
    return this.presenceCell.get() ?? { status: "offline", lastAssignedAt: null };
  }

  private set presence(p: Presence) {
    this.presenceCell.set(p);
  }

  /** Loads (or reloads) the agent's profile from D1. Null if the user is not an active agent of `tenantId`. */
  private async loadProfile(tenantId: string): Promise<Profile | null> {
    const userId = this.ctx.id.name;
    if (!userId) return null;
    const row = await this.env.DB.prepare(
      `SELECT u.id, u.tenant_id, u.name, u.max_conversations, u.role, t.mask_sensitive_data
       FROM users u JOIN tenants t ON t.id = u.tenant_id
       WHERE u.id = ? AND u.tenant_id = ? AND u.active = 1`,
    )
      .bind(userId, tenantId)
      .first<{
        id: string;
        tenant_id: string;
        name: string;
        max_conversations: number;
        role: string;
        mask_sensitive_data: number;
      }>();
    if (!row) return null;
    const profile: Profile = {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      maxConversations: row.max_conversations,
      masked: row.role === "agent" && row.mask_sensitive_data === 1,
    };
    this.profileCell.set(profile);
    return profile;
  }

  private async profileFor(tenantId: string): Promise<Profile | null> {
    const p = this.profile;
    if (p) return p.tenantId === tenantId ? p : null;
    return this.loadProfile(tenantId);
  }

  private load(): number {
    const row = one<{ n: number }>(
      this.sql,
      "SELECT (SELECT count(*) FROM offers) + (SELECT count(*) FROM conversations) AS n",
    );
    return row?.n ?? 0;
  }

  private live(profile: Profile): AgentLive {
    const presence = this.presence;
    return {
      id: profile.id,
      status: presence.status,
      load: this.load(),
      maxConversations: profile.maxConversations,
      lastAssignedAt: presence.lastAssignedAt,
    };
  }

  private view(profile: Profile): AgentView {
    const live = this.live(profile);
    return {
      id: profile.id,
      name: profile.name,
      status: live.status,
      load: live.load,
      maxConversations: live.maxConversations,
    };
  }

  /** Live state for routing; null if this is not an active agent of the tenant. */
  async state(tenantId: string): Promise<AgentLive | null> {
    const profile = await this.profileFor(tenantId);
    return profile ? this.live(profile) : null;
  }

  /** Sets Ready / Back office / Break (leaving RONA too). Routing re-runs where the agent serves. */
  async setStatus(
    tenantId: string,
    status: SelectableStatus | "offline",
  ): Promise<AgentView | null> {
    const profile = await this.loadProfile(tenantId);
    if (!profile) return null;
    this.presence = { ...this.presence, status };
    await this.agentChanged(profile);
    return this.view(profile);
  }

  /** A desktop connected: an offline agent becomes Back office (never Ready by itself). */
  private async cameOnline(profile: Profile): Promise<void> {
    if (this.presence.status !== "offline") return;
    this.presence = { ...this.presence, status: "back_office" };
    await this.markLeftOpen(false);
    await this.agentChanged(profile);
  }

  /**
   * Marks (logout) or clears (back online) "left open" on the conversations
   * this agent owns, so colleagues can pick them up meanwhile.
   */
  private async markLeftOpen(open: boolean): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    const seats = all<{ conversation_id: string; number_id: string }>(
      this.sql,
      "SELECT conversation_id, number_id FROM conversations",
    );
    await Promise.all(
      seats.map(async (seat) => {
        await this.env.NUMBER.getByName(seat.number_id).leftOpen(
          seat.conversation_id,
          profile.id,
          open,
        );
        await this.env.CONVERSATION.getByName(seat.conversation_id).setLeftOpen(profile.id, open);
      }),
    );
  }

  /** Publishes the agent's new state to its desktops and to every number it serves. */
  private async agentChanged(profile: Profile): Promise<void> {
    this.publish({ type: "agent", agent: this.view(profile) });
    const live = this.live(profile);
    const { results } = await this.env.DB.prepare(
      `SELECT DISTINCT s.number_id FROM skillset_members m
       JOIN skillsets s ON s.id = m.skillset_id AND s.tenant_id = m.tenant_id
       WHERE m.tenant_id = ? AND m.user_id = ?`,
    )
      .bind(profile.tenantId, profile.id)
      .all<{ number_id: string }>();
    await Promise.all(
      results.map((r) =>
        this.env.NUMBER.getByName(r.number_id)
          .agentChanged(live)
          .catch((err: unknown) => console.error("agentChanged failed", r.number_id, err)),
      ),
    );
  }

  /**
   * An administrator changed the user (name, limit, memberships, reactivation):
   * reloads the profile from D1 and re-announces the agent to every number it
   * now serves, so the next routing decision follows the change. A user who is
   * no longer an active agent of the tenant is treated as deactivated. Idempotent.
   */
  async profileChanged(tenantId: string): Promise<void> {
    const profile = await this.loadProfile(tenantId);
    if (!profile) {
      await this.deactivated(tenantId);
      return;
    }
    await this.agentChanged(profile);
  }

  /**
   * The user was deactivated (their sessions are already gone): the agent goes
   * offline, its desktops are disconnected (4001, like logout), and every offer
   * and assigned conversation goes back to its number's routing. The profile is
   * forgotten, so no offer can reach this actor until a reactivation reloads it.
   * Idempotent.
   */
  async deactivated(tenantId: string): Promise<void> {
    const profile = this.profile;
    if (!profile || profile.tenantId !== tenantId) return;
    this.presence = { ...this.presence, status: "offline" };
    const offers = all<OfferRow>(this.sql, "SELECT * FROM offers");
    const assigned = all<{ conversation_id: string; number_id: string }>(
      this.sql,
      "SELECT conversation_id, number_id FROM conversations",
    );
    this.sql.exec("DELETE FROM offers");
    this.sql.exec("DELETE FROM conversations");
    for (const o of offers) {
      this.publish({
        type: "offer_withdrawn",
        conversationId: o.conversation_id,
        reason: "closed",
      });
    }
    this.publish({ type: "agent", agent: this.view(profile) });
    for (const ws of this.ctx.getWebSockets()) ws.close(4001, "deactivated");
    // Numbers first learn the agent is offline, so re-routing never picks it again.
    await this.agentChanged(profile);
    this.profileCell.delete();
    await Promise.all([
      ...offers.map((o) =>
        this.env.NUMBER.getByName(o.number_id).handBack(o.conversation_id, profile.id),
      ),
      ...assigned.map((a) => this.handBack(a.conversation_id, a.number_id, profile.id)),
    ]);
    await this.armAlarm();
  }

  /** Gives an assigned conversation back to routing: unassigned first, then requeued. Idempotent. */
  private async handBack(conversationId: string, numberId: string, agentId: string): Promise<void> {
    await this.env.CONVERSATION.getByName(conversationId).unassign(agentId);
    await this.env.NUMBER.getByName(numberId).handBack(conversationId, agentId);
  }

  // ---- offers and conversations -------------------------------------------

  /**
   * Reserves capacity for a conversation and shows the offer, if the agent is
   * Ready and under the limit. Always returns the agent's current live state so
   * the number actor can correct its view. Idempotent per conversation.
   */
  async offer(tenantId: string, numberId: string, offer: OfferView): Promise<OfferAnswer> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return { ok: false, agent: null };
    if (
      one(this.sql, "SELECT 1 AS x FROM offers WHERE conversation_id = ?", offer.conversationId)
    ) {
      return { ok: true, agent: this.live(profile) };
    }
    const live = this.live(profile);
    if (live.status !== "ready" || live.load >= live.maxConversations) {
      return { ok: false, agent: live };
    }
    const view: OfferView = {
      conversationId: offer.conversationId,
      customerName: offer.customerName,
      customerPhone: offer.customerPhone,
      numberName: offer.numberName,
      displayPhone: offer.displayPhone,
      skillsetName: offer.skillsetName,
      arrivedAt: offer.arrivedAt,
      offeredAt: offer.offeredAt,
      expiresAt: offer.expiresAt,
      kind: offer.kind,
      fromAgentName: offer.fromAgentName,
    };
    this.sql.exec(
      "INSERT INTO offers (conversation_id, number_id, view, expires_at) VALUES (?, ?, ?, ?)",
      view.conversationId,
      numberId,
      JSON.stringify(view),
      view.expiresAt,
    );
    this.presence = { ...this.presence, lastAssignedAt: view.offeredAt };
    await this.armAlarm();
    this.publish({ type: "offer", offer: view });
    this.publish({ type: "agent", agent: this.view(profile) });
    return { ok: true, agent: this.live(profile) };
  }

  /**
   * Accepts an offer: the conversation becomes the agent's. The acceptance is
   * committed here first, so an expiry alarm landing meanwhile finds no offer.
   */
  async accept(tenantId: string, conversationId: string): Promise<AcceptResult> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return { ok: false, code: "not_found" };
    const existing = one<{ view: string }>(
      this.sql,
      "SELECT view FROM conversations WHERE conversation_id = ?",
      conversationId,
    );
    if (existing) return { ok: true, conversation: JSON.parse(existing.view) as ConversationView };
    const offer = one<OfferRow>(
      this.sql,
      "SELECT * FROM offers WHERE conversation_id = ?",
      conversationId,
    );
    if (!offer || offer.expires_at <= now()) return { ok: false, code: "offer_gone" };
    const offerView = JSON.parse(offer.view) as OfferView;
    if (offerView.kind === "conference") return this.joinConference(profile, offer);
    this.sql.exec("DELETE FROM offers WHERE conversation_id = ?", conversationId);
    // Reserve the seat now; the view is filled in once the conversation actor answers.
    this.sql.exec(
      "INSERT INTO conversations (conversation_id, number_id, view) VALUES (?, ?, '{}')",
      conversationId,
      offer.number_id,
    );
    const number = this.env.NUMBER.getByName(offer.number_id);
    const granted = await number.offerAccepted(conversationId, {
      id: profile.id,
      name: profile.name,
    });
    if (!granted.ok) {
      this.sql.exec("DELETE FROM conversations WHERE conversation_id = ?", conversationId);
      this.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
      return { ok: false, code: "offer_gone" };
    }
    const conversation = await this.env.CONVERSATION.getByName(conversationId).assign({
      id: profile.id,
      name: profile.name,
      skillsetId: granted.skillsetId,
      skillsetName: offerView.skillsetName,
    });
    // The agent may have been deactivated while we awaited: its seats are gone,
    // so this conversation goes back to routing instead.
    if (!this.seated(conversationId)) {
      await this.handBack(conversationId, offer.number_id, profile.id);
      return { ok: false, code: "offer_gone" };
    }
    return this.seatTaken(conversation);
  }

  /** The accepted conversation fills its reserved seat; the desktops swap the offer for it. */
  private seatTaken(conversation: ConversationView): AcceptResult {
    const conversationId = conversation.id;
    this.sql.exec(
      "UPDATE conversations SET view = ? WHERE conversation_id = ?",
      JSON.stringify(conversation),
      conversationId,
    );
    this.publish({ type: "offer_withdrawn", conversationId, reason: "accepted" });
    this.publish({ type: "conversation", conversation });
    return { ok: true, conversation };
  }

  /** Accepting an invitation to a conference: the seat stays, the conversation adds us as a guest. */
  private async joinConference(profile: Profile, offer: OfferRow): Promise<AcceptResult> {
    const conversationId = offer.conversation_id;
    this.sql.exec("DELETE FROM offers WHERE conversation_id = ?", conversationId);
    this.sql.exec(
      "INSERT INTO conversations (conversation_id, number_id, view) VALUES (?, ?, '{}')",
      conversationId,
      offer.number_id,
    );
    const conversation = await this.env.CONVERSATION.getByName(conversationId).join({
      id: profile.id,
      name: profile.name,
    });
    if (!conversation) {
      this.sql.exec("DELETE FROM conversations WHERE conversation_id = ?", conversationId);
      this.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
      await this.agentChanged(profile);
      return { ok: false, code: "offer_gone" };
    }
    return this.seatTaken(conversation);
  }

  /**
   * The agent takes a waiting conversation by hand (pick-up from the waiting
   * list, or unpause from their own wait queue when `ownWaitQueue`): the
   * number grants it, whoever had it is told, and it opens on this desktop.
   * Manual, so it is not limited by status; but it takes a seat, so it is
   * refused (`at_capacity`) when the agent is at their limit. The seat is
   * checked and reserved in one synchronous step, so concurrent pick-ups can
   * never take more seats than the limit.
   */
  async pickUp(
    tenantId: string,
    conversationId: string,
    numberId: string,
    ownWaitQueue: boolean,
  ): Promise<AcceptResult | { ok: false; code: "not_waiting" | "at_capacity" }> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return { ok: false, code: "not_found" };
    const seat = one<{ view: string }>(
      this.sql,
      "SELECT view FROM conversations WHERE conversation_id = ?",
      conversationId,
    );
    if (seat) {
      const view = JSON.parse(seat.view) as ConversationView;
      if (view.id && view.agentId === profile.id) return { ok: true, conversation: view };
    }
    // No await from here to the INSERT: the check and the reservation are one step.
    // A seat or an offer this agent already has for the conversation becomes the new seat.
    const offered = one<{ n: number }>(
      this.sql,
      "SELECT count(*) AS n FROM offers WHERE conversation_id = ?",
      conversationId,
    )?.n;
    const others = this.load() - (seat ? 1 : 0) - (offered ?? 0);
    if (others >= profile.maxConversations) return { ok: false, code: "at_capacity" };
    this.sql.exec(
      "INSERT OR REPLACE INTO conversations (conversation_id, number_id, view) VALUES (?, ?, '{}')",
      conversationId,
      numberId,
    );
    const granted = await this.env.NUMBER.getByName(numberId).claim(
      conversationId,
      { id: profile.id, name: profile.name },
      ownWaitQueue ? profile.id : null,
    );
    if (!granted.ok) {
      this.sql.exec("DELETE FROM conversations WHERE conversation_id = ?", conversationId);
      return { ok: false, code: granted.code === "not_found" ? "not_found" : "not_waiting" };
    }
    if (granted.offeredTo && granted.offeredTo !== profile.id) {
      await this.env.AGENT.getByName(granted.offeredTo).withdrawOffer(conversationId);
    }
    this.sql.exec("DELETE FROM offers WHERE conversation_id = ?", conversationId);
    const conversation = await this.env.CONVERSATION.getByName(conversationId).assign({
      id: profile.id,
      name: profile.name,
      skillsetId: granted.skillsetId,
      skillsetName: null,
    });
    if (granted.previousOwner && granted.previousOwner !== profile.id) {
      await this.env.AGENT.getByName(granted.previousOwner).release(conversationId, conversation);
    }
    this.sql.exec(
      "UPDATE conversations SET view = ? WHERE conversation_id = ?",
      JSON.stringify(conversation),
      conversationId,
    );
    this.presence = { ...this.presence, lastAssignedAt: now() };
    this.publish({ type: "conversation", conversation });
    await this.agentChanged(profile);
    return { ok: true, conversation };
  }

  // ---- conversations the agent starts (outbound.ts) -------------------------------

  /**
   * Starts a conversation with a customer (a free message takes a seat, a
   * template does not until the customer answers), or continues the one the
   * agent already has open with them. Idempotent per `request.clientId`.
   */
  async startOutbound(
    tenantId: string,
    request: StartOutboundRequest,
  ): Promise<StartOutboundResult> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return { ok: false, code: "not_an_agent" };
    const seats: SeatBook = {
      reserve: (conversationId, numberId) => {
        if (this.load() >= profile.maxConversations) return false;
        this.sql.exec(
          "INSERT INTO conversations (conversation_id, number_id, view) VALUES (?, ?, '{}')",
          conversationId,
          numberId,
        );
        return true;
      },
      cancel: (conversationId) => {
        this.sql.exec(
          "DELETE FROM conversations WHERE conversation_id = ? AND view = '{}'",
          conversationId,
        );
      },
      fill: async (conversation) => {
        this.sql.exec(
          "UPDATE conversations SET view = ? WHERE conversation_id = ?",
          JSON.stringify(conversation),
          conversation.id,
        );
        this.presence = { ...this.presence, lastAssignedAt: now() };
        this.publish({ type: "conversation", conversation });
        await this.agentChanged(profile);
      },
    };
    return startOutbound(this.env, { id: profile.id, name: profile.name }, request, seats);
  }

  /**
   * The customer answered this agent's template: takes a seat for it unless the
   * agent is offline or at their limit (then it is routed like any other).
   * The conversation fills the seat's view once assigned. Idempotent.
   */
  async seatAnswered(tenantId: string, numberId: string, conversationId: string): Promise<boolean> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return false;
    if (this.seated(conversationId)) return true;
    if (this.presence.status === "offline" || this.load() >= profile.maxConversations) return false;
    this.sql.exec(
      "INSERT INTO conversations (conversation_id, number_id, view) VALUES (?, ?, '{}')",
      conversationId,
      numberId,
    );
    this.presence = { ...this.presence, lastAssignedAt: now() };
    await this.agentChanged(profile);
    return true;
  }

  /** Someone else took the conversation offered to us: the offer goes, capacity frees up. Idempotent. */
  async withdrawOffer(conversationId: string): Promise<void> {
    const removed = this.sql.exec(
      "DELETE FROM offers WHERE conversation_id = ?",
      conversationId,
    ).rowsWritten;
    const profile = this.profile;
    if (removed === 0 || !profile) return;
    this.publish({ type: "offer_withdrawn", conversationId, reason: "closed" });
    await this.armAlarm();
    await this.agentChanged(profile);
  }

  /**
   * A conversation of this agent ended (closed or transferred away): capacity
   * frees up and routing re-runs. Idempotent.
   */
  async release(conversationId: string, conversation: ConversationView): Promise<void> {
    const profile = this.profile;
    const removed = this.sql.exec(
      "DELETE FROM conversations WHERE conversation_id = ?",
      conversationId,
    ).rowsWritten;
    if (!profile || removed === 0) return;
    this.publish({ type: "conversation", conversation });
    await this.agentChanged(profile);
  }

  /**
   * Delivers a conversation event (new message, tick, updated details) to the
   * desktops, if the conversation is this agent's.
   */
  async notify(
    event:
      | {
          type: "message";
          conversationId: string;
          message: MessageView;
        }
      | { type: "conversation"; conversation: ConversationView },
  ): Promise<void> {
    // One statement both checks the seat and keeps the conversation's label current.
    const seated =
      event.type === "conversation"
        ? run(
            this.sql,
            "UPDATE conversations SET view = ? WHERE conversation_id = ?",
            JSON.stringify(event.conversation),
            event.conversation.id,
          )
        : run(
            this.sql,
            // A customer's message also moves their window (null keeps it as it is).
            `UPDATE conversations SET view = CASE WHEN json_extract(view, '$.id') IS NULL THEN view
               ELSE json_set(view, '$.lastSeq', max(json_extract(view, '$.lastSeq'), ?),
                 '$.lastCustomerMessageAt', coalesce(?, json_extract(view, '$.lastCustomerMessageAt'))) END
             WHERE conversation_id = ?`,
            event.message.seq,
            event.message.direction === "in" ? event.message.createdAt : null,
            event.conversationId,
          );
    if (seated === 0) return;
    this.publish(event);
  }

  /**
   * Blanks the texts of a conversation's messages in the replay log: its
   * customer keeps no message history, so contents must not linger here.
   * Event seqs stay, so desktops resume as before. Idempotent.
   */
  async forgetTexts(conversationId: string): Promise<void> {
    this.sql.exec(
      `UPDATE events SET body = json_set(body, '$.message.text', '', '$.message.content', NULL, '$.message.replyTo', NULL)
       WHERE json_extract(body, '$.type') = 'message' AND json_extract(body, '$.conversationId') = ?`,
      conversationId,
    );
  }

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  /** Whether `conversationId` is currently assigned to this agent. */
  async owns(conversationId: string): Promise<boolean> {
    return this.seated(conversationId);
  }

  private seated(conversationId: string): boolean {
    return (
      one(
        this.sql,
        "SELECT 1 AS x FROM conversations WHERE conversation_id = ?",
        conversationId,
      ) !== null
    );
  }

  // ---- offer expiry (RONA) ------------------------------------------------

  private async armAlarm(): Promise<void> {
    const next = one<{ at: number | null }>(
      this.sql,
      `SELECT min(at) AS at FROM (
         SELECT min(expires_at) AS at FROM offers
         UNION ALL SELECT min(next_at) FROM lapsed_offers)`,
    );
    await this.nextAlarm.set(earliest(next?.at, this.sessionCheckCell.get()));
  }

  /**
   * Expires offers not accepted in time: the agent goes to RONA and each
   * conversation goes back to its number's queue. Each number is told on its
   * own: one that fails is retried by the alarm (the lapse is recorded first),
   * and the alarm is always armed again. Safe to run twice.
   */
  override async alarm(): Promise<void> {
    this.nextAlarm.fired();
    try {
      try {
        const check = this.sessionCheckCell.get();
        if (check !== null && check <= now()) await this.checkSessions();
      } catch (err) {
        // D1 unavailable: checked again shortly; offers still expire below.
        console.error("session check failed", err);
        this.sessionCheckCell.set(now() + 60_000);
      }
      const expired = all<OfferRow>(this.sql, "SELECT * FROM offers WHERE expires_at <= ?", now());
      const profile = this.profile;
      if (expired.length > 0 && profile) {
        this.sql.exec("DELETE FROM offers WHERE expires_at <= ?", now());
        this.presence = { ...this.presence, status: "rona" };
        for (const o of expired) {
          this.publish({
            type: "offer_withdrawn",
            conversationId: o.conversation_id,
            reason: "expired",
          });
          // An unanswered conference invitation just lapses; the conversation stays with its owner.
          if ((JSON.parse(o.view) as OfferView).kind !== "conference") {
            this.sql.exec(
              `INSERT INTO lapsed_offers (conversation_id, number_id, attempts, next_at)
               VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING`,
              o.conversation_id,
              o.number_id,
              now(),
            );
          }
        }
        this.publish({ type: "agent", agent: this.view(profile) });
      }
      await this.tellNumbersOfLapses();
    } finally {
      await this.armAlarm();
    }
  }

  /** Tells each number about its lapsed offers, each call on its own; failures wait for the alarm. */
  private async tellNumbersOfLapses(): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    const due = all<LapsedRow>(this.sql, "SELECT * FROM lapsed_offers WHERE next_at <= ?", now());
    await Promise.all(
      due.map(async (row) => {
        try {
          await this.env.NUMBER.getByName(row.number_id).offerExpired(
            row.conversation_id,
            profile.id,
          );
          this.sql.exec("DELETE FROM lapsed_offers WHERE conversation_id = ?", row.conversation_id);
        } catch (err) {
          console.error("telling the number of a lapsed offer failed; retrying", row, err);
          const attempts = row.attempts + 1;
          this.sql.exec(
            "UPDATE lapsed_offers SET attempts = ?, next_at = ? WHERE conversation_id = ?",
            attempts,
            now() + Math.min(LAPSED_RETRY_BASE_MS * 2 ** (attempts - 1), LAPSED_RETRY_MAX_MS),
            row.conversation_id,
          );
        }
      }),
    );
  }

  // ---- desktop: snapshot, events, WebSockets --------------------------------

  private lastSeq(): number {
    this.seq ??=
      one<{ seq: number | null }>(this.sql, "SELECT max(seq) AS seq FROM events")?.seq ?? 0;
    return this.seq;
  }

  /** Everything the desktop shows, current to the returned seq. */
  async snapshot(tenantId: string): Promise<DesktopSnapshot | null> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return null;
    await this.cameOnline(profile);
    return {
      seq: this.lastSeq(),
      agent: this.view(profile),
      offers: all<OfferRow>(this.sql, "SELECT * FROM offers ORDER BY expires_at").map(
        (o) => JSON.parse(o.view) as OfferView,
      ),
      conversations: all<{ view: string }>(this.sql, "SELECT view FROM conversations")
        .map((r) => JSON.parse(r.view) as ConversationView)
        .filter((c) => c.id),
    };
  }

  /** Numbers an event, keeps it for replay and sends it to every open desktop. */
  private publish(event: UnsequencedEvent): void {
    const seq = this.lastSeq() + 1;
    const body = JSON.stringify({ ...event, seq } as ServerEvent);
    this.sql.exec("INSERT INTO events (seq, body) VALUES (?, ?)", seq, body);
    this.seq = seq;
    // The log keeps the last EVENT_LOG_SIZE events (trimmed every 50, not at each one).
    if (seq % 50 === 0) this.sql.exec("DELETE FROM events WHERE seq <= ?", seq - EVENT_LOG_SIZE);
    const sent = this.forDesktop(body);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(sent);
      } catch {
        // A socket closing under us; its desktop resumes from its last seq.
      }
    }
  }

  /** Upgrades the desktop's request (already authenticated by the Worker) to a hibernatable WebSocket. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const tenantId = request.headers.get("X-Parley-Tenant") ?? "";
    const sessionId = request.headers.get("X-Parley-Session") ?? "";
    // Reloaded at each connection, so the masking flag is current even if a
    // settings notification was lost.
    const cached = this.profile;
    const profile =
      cached && cached.tenantId !== tenantId ? null : await this.loadProfile(tenantId);
    if (!profile) return new Response("forbidden", { status: 403 });
    // Online first, then the socket: what coming online publishes reaches the
    // desktop through its `resume`, in order, rather than live ahead of it.
    await this.cameOnline(profile);
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [tenantId, `${SESSION_TAG}${sessionId}`]);
    // Its session is checked when it could next end (expiry or idle time).
    const check = this.sessionCheckCell.get();
    if (check === null || check > now() + SESSION_CHECK_MAX_MS) {
      this.sessionCheckCell.set(now() + SESSION_CHECK_MAX_MS);
      await this.armAlarm();
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const read = readClientFrame(data);
    if (!read.ok) {
      ws.send(
        JSON.stringify({
          type: "error",
          code: "bad_frame",
          message: read.message,
        } satisfies ServerEvent),
      );
      return;
    }
    const frame = read.frame;
    switch (frame.type) {
      case "ping":
        ws.send(JSON.stringify({ type: "pong" } satisfies ServerEvent));
        return;
      case "resume":
        await this.resume(ws, frame.lastSeq);
        return;
      case "typing":
        if (this.seated(frame.conversationId)) {
          await this.env.CONVERSATION.getByName(frame.conversationId).agentTyping(
            this.profile?.id ?? "",
          );
        }
        return;
      default:
        assertNever(frame);
    }
  }

  /** Replays events after `lastSeq`, or sends a snapshot when that gap is no longer in the log. */
  private async resume(ws: WebSocket, lastSeq: number | null): Promise<void> {
    const oldest = one<{ seq: number | null }>(this.sql, "SELECT min(seq) AS seq FROM events")?.seq;
    const current = this.lastSeq();
    const canReplay =
      lastSeq !== null &&
      lastSeq <= current &&
      (lastSeq >= (oldest ?? 1) - 1 || lastSeq === current);
    if (canReplay) {
      for (const row of all<{ body: string }>(
        this.sql,
        "SELECT body FROM events WHERE seq > ? ORDER BY seq",
        lastSeq,
      )) {
        ws.send(this.forDesktop(row.body));
      }
      return;
    }
    const tenantId = this.ctx.getTags(ws)[0] ?? "";
    const snapshot = await this.snapshot(tenantId);
    if (snapshot) {
      ws.send(
        this.forDesktop(JSON.stringify({ type: "snapshot", snapshot } satisfies ServerEvent)),
      );
    }
  }

  /**
   * A frame as this agent's desktops may see it: masked when the agent must
   * see sensitive data masked. The event log keeps frames clear and masking
   * happens at send time, so replays follow the tenant's current setting.
   */
  private forDesktop(body: string): string {
    if (!this.profile?.masked) return body;
    return JSON.stringify(maskJson(JSON.parse(body) as Parameters<typeof maskJson>[0]));
  }

  /**
   * The tenant turned masking on or off: reloads the flag with the profile
   * and, when it changed, sends every open desktop a fresh snapshot (its
   * offers and conversation labels follow at once; messages already on screen
   * follow at the desktop's next load). Nothing to do for an actor that has
   * no profile yet: it reads the flag when it loads one. Idempotent.
   */
  async maskingChanged(tenantId: string): Promise<void> {
    const before = this.profile;
    if (!before || before.tenantId !== tenantId) return;
    const after = await this.loadProfile(tenantId);
    if (!after || Boolean(after.masked) === Boolean(before.masked)) return;
    // Only open desktops need telling (and a snapshot would bring an offline agent online).
    if (this.ctx.getWebSockets().length === 0) return;
    const snapshot = await this.snapshot(tenantId);
    if (!snapshot) return;
    const body = this.forDesktop(
      JSON.stringify({ type: "snapshot", snapshot } satisfies ServerEvent),
    );
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(body);
      } catch {
        // A socket closing under us; its desktop resumes with a snapshot or replay.
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      // already closed
    }
  }

  /** Logout: the agent goes offline; desktops are disconnected. */
  async loggedOut(tenantId: string): Promise<void> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return;
    await this.goOffline(profile);
    for (const ws of this.ctx.getWebSockets()) ws.close(4001, "logged out");
  }

  /** Offline as on logout: routing stops offering, open conversations are left open. */
  private async goOffline(profile: Profile): Promise<void> {
    this.presence = { ...this.presence, status: "offline" };
    await this.markLeftOpen(true);
    await this.agentChanged(profile);
  }

  private sessionOf(ws: WebSocket): string | null {
    const tag = this.ctx.getTags(ws).find((t) => t.startsWith(SESSION_TAG));
    return tag ? tag.slice(SESSION_TAG.length) || null : null;
  }

  /**
   * Closes the desktops whose session is not `keep` (every desktop for null): a
   * password changed or reset, or a session that ended. When no desktop is
   * left open, the agent goes offline as on logout. Idempotent.
   */
  async sessionsEnded(tenantId: string, keep: string | null): Promise<void> {
    const profile = await this.profileFor(tenantId);
    if (!profile) return;
    await this.closeDesktops((session) => session !== null && session === keep, profile);
  }

  /** Closes every desktop whose session `valid` refuses; offline when that leaves none. */
  private async closeDesktops(
    valid: (session: string | null) => boolean,
    profile: Profile | null,
  ): Promise<void> {
    let closed = 0;
    let left = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (valid(this.sessionOf(ws))) {
        left++;
        continue;
      }
      closed++;
      try {
        ws.close(4001, "session ended");
      } catch {
        // already closing
      }
    }
    if (closed > 0 && left === 0 && profile && this.presence.status !== "offline") {
      await this.goOffline(profile);
    }
  }

  /**
   * Checks the open desktops' sessions against D1: a desktop whose session was
   * deleted, expired or idle too long is disconnected (sessions end without
   * telling anyone when they time out). The next check is due when the
   * earliest remaining session could end.
   */
  private async checkSessions(): Promise<void> {
    const open = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    const ids = [...new Set(open.map((ws) => this.sessionOf(ws)).filter((id) => id !== null))];
    const at = now();
    const deadlines = new Map<string, number>();
    if (ids.length > 0) {
      const { results } = await this.env.DB.prepare(
        `SELECT s.id, min(s.expires_at,
                coalesce(s.last_seen_at, s.created_at) + t.session_idle_minutes * 60000) AS ends_at
         FROM sessions s
         JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id AND u.active = 1
         JOIN tenants t ON t.id = s.tenant_id AND t.status = 'active'
         WHERE s.id IN (${ids.map(() => "?").join(", ")})`,
      )
        .bind(...ids)
        .all<{ id: string; ends_at: number }>();
      for (const r of results) if (r.ends_at > at) deadlines.set(r.id, r.ends_at);
    }
    await this.closeDesktops((session) => session !== null && deadlines.has(session), this.profile);
    if (deadlines.size === 0) this.sessionCheckCell.delete();
    else
      this.sessionCheckCell.set(Math.min(at + SESSION_CHECK_MAX_MS, ...deadlines.values()) + 1000);
  }
}

/**
 * A desktop's frame parsed against the protocol, or the fixed text that a
 * `bad_frame` answer carries: it names at most the fields that are wrong
 * (zod's paths), never an exception's message or stack, which could echo the
 * frame back or describe the runtime. Pure.
 */
export function readClientFrame(
  data: string | ArrayBuffer,
): { ok: true; frame: ClientFrame } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  } catch {
    return { ok: false, message: "The frame is not JSON" };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const fields = [
    ...new Set(
      parsed.error.issues
        .map((issue) => issue.path.filter((p) => typeof p !== "symbol").join("."))
        .filter((path) => /^[\w.]{1,64}$/.test(path)),
    ),
  ].slice(0, 5);
  return {
    ok: false,
    message:
      fields.length > 0
        ? `The frame does not fit the protocol (fields: ${fields.join(", ")})`
        : "The frame does not fit the protocol",
  };
}
