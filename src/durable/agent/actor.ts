/**
 * AgentActor — one per agent. It is the authority on the agent's status and
 * capacity (offers + assigned conversations), so capacity stays exact while
 * several number actors route at once. It also holds the desktop's WebSockets
 * (hibernation API) and a numbered event log so a reconnecting desktop gets
 * exactly what it missed.
 *
 * This file is its RPC surface, stored cells and alarm; the work is done by
 * the modules beside it: profile.ts, presence.ts (status, going on- and
 * offline, deactivation), offers.ts, seats.ts, outbound-start.ts,
 * event-log.ts, desktops.ts and socket-actions.ts, over the tables of tables.ts.
 */
import { DurableObject } from "cloudflare:workers";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { count, meteredEnv } from "../../platform/meter";
import type {
  AgentView,
  ConversationView,
  DesktopSnapshot,
  OfferView,
  SelectableStatus,
} from "../../shared/protocol";
import type {
  AcceptResult,
  AgentLive,
  OfferAnswer,
  StartOutboundRequest,
  StartOutboundResult,
} from "../contracts";
import type { Env } from "../env";
import { ActorDb, Alarm, earliest, KvCell, migrate } from "../sql";
import { Desktops } from "./desktops";
import { EventLog } from "./event-log";
import { AGENT_MIGRATIONS } from "./migrations";
import * as offers from "./offers";
import { startOutbound } from "./outbound-start";
import { Presence, type PresenceState } from "./presence";
import { type Profile, Profiles } from "./profile";
import * as seats from "./seats";
import { runSocketAction } from "./socket-actions";
import { nextOfferDeadline, offerViews, seated, seatViews } from "./tables";

export class AgentActor extends DurableObject<Env> {
  private readonly db: ActorDb;
  /** When the open desktops' sessions are next checked (ms); absent without desktops. */
  private readonly sessionCheckCell: KvCell<number>;
  private readonly nextAlarm: Alarm;

  private readonly profiles: Profiles;
  private readonly presence: Presence;
  private readonly log: EventLog;
  private readonly desktops: Desktops;
  /** What the offer and seat flows are lent (offers.ts, seats.ts). */
  private readonly deps: offers.OfferDeps & seats.SeatDeps;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    env = this.env; // counted where the bench's hooks are on (platform/meter.ts)
    this.db = new ActorDb(ctx.storage.sql);
    migrate(this.db, AGENT_MIGRATIONS);
    this.sessionCheckCell = new KvCell(ctx.storage.sql, "sessionCheckAt");
    this.nextAlarm = new Alarm(ctx.storage);
    const db = this.db;
    // D1 through drizzle: one handle for the actor's life.
    const data = d1(env.DB);
    this.profiles = new Profiles({
      d1: data,
      userId: ctx.id.name,
      profileCell: new KvCell<Profile>(ctx.storage.sql, "profile"),
    });
    this.log = new EventLog({
      db,
      sockets: () => ctx.getWebSockets(),
      masked: () => Boolean(this.profiles.current()?.masked),
    });
    const publish = this.log.publish.bind(this.log);
    this.presence = new Presence({
      db,
      d1: data,
      env,
      presenceCell: new KvCell<PresenceState>(ctx.storage.sql, "presence"),
      profile: () => this.profiles.current(),
      publish,
    });
    const armAlarm = () => this.armAlarm();
    this.deps = { db, env, now, presence: this.presence, publish, armAlarm };
    this.desktops = new Desktops({
      sockets: ctx,
      env,
      d1: data,
      now,
      sessionCheckCell: this.sessionCheckCell,
      armAlarm,
      profiles: this.profiles,
      presence: this.presence,
      log: this.log,
      snapshot: (tenantId) => this.snapshot(tenantId),
      seated: (conversationId) => seated(db, conversationId),
      act: (tenantId, action, language) =>
        runSocketAction(
          {
            env,
            profile: () => this.profiles.current(),
            seated: (conversationId) => seated(db, conversationId),
            accept: (t, conversationId) => this.accept(t, conversationId),
            show: (conversationId, message) =>
              this.show({ type: "message", conversationId, message }),
          },
          tenantId,
          action,
          language,
        ),
    });
    // Answer pings without waking the actor from hibernation.
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'),
    );
  }

  // ---- status -----------------------------------------------------------------

  /** Live state for routing; null if this is not an active agent of the tenant. */
  async state(tenantId: string): Promise<AgentLive | null> {
    const profile = await this.profiles.forTenant(tenantId);
    return profile ? this.presence.live(profile) : null;
  }

  /** Sets Ready / Back office / Break (leaving RONA too). Routing re-runs where the agent serves. */
  async setStatus(
    tenantId: string,
    status: SelectableStatus | "offline",
  ): Promise<AgentView | null> {
    const profile = await this.profiles.load(tenantId);
    if (!profile) return null;
    this.presence.update({ status });
    await this.presence.announce(profile);
    return this.presence.view(profile);
  }

  /**
   * An administrator changed the user (name, limit, memberships, reactivation):
   * reloads the profile from D1 and re-announces the agent to every number it
   * now serves, so the next routing decision follows the change. A user who is
   * no longer an active agent of the tenant is treated as deactivated. Idempotent.
   */
  async profileChanged(tenantId: string): Promise<void> {
    const profile = await this.profiles.load(tenantId);
    if (!profile) {
      await this.deactivated(tenantId);
      return;
    }
    await this.presence.announce(profile);
  }

  /**
   * The user was deactivated (their sessions are already gone): the agent goes
   * offline, its desktops are disconnected (4001, like logout), and every offer
   * and assigned conversation goes back to its number's routing. The profile is
   * forgotten, so no offer can reach this actor until a reactivation reloads it.
   * Idempotent.
   */
  async deactivated(tenantId: string): Promise<void> {
    const profile = this.profiles.current();
    if (!profile || profile.tenantId !== tenantId) return;
    await this.presence.deactivate(
      profile,
      () => this.desktops.closeAll(4001, "deactivated"),
      () => this.profiles.forget(),
    );
    await this.armAlarm();
  }

  /** Logout: the agent goes offline; desktops are disconnected. */
  async loggedOut(tenantId: string): Promise<void> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return;
    await this.presence.goOffline(profile);
    this.desktops.closeAll(4001, "logged out");
  }

  // ---- offers -------------------------------------------------------------------

  /**
   * Reserves capacity for a conversation and shows the offer, if the agent is
   * Ready and under the limit. Always returns the agent's current live state so
   * the number actor can correct its view. Idempotent per conversation.
   */
  async offer(tenantId: string, numberId: string, offer: OfferView): Promise<OfferAnswer> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return { ok: false, agent: null };
    return offers.offer(this.deps, profile, numberId, offer);
  }

  /**
   * Accepts an offer: the conversation becomes the agent's. The acceptance is
   * committed here first, so an expiry alarm landing meanwhile finds no offer.
   */
  async accept(tenantId: string, conversationId: string): Promise<AcceptResult> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return { ok: false, code: "not_found" };
    return offers.accept(this.deps, profile, conversationId);
  }

  /** Someone else took the conversation offered to us: the offer goes, capacity frees up. Idempotent. */
  async withdrawOffer(conversationId: string): Promise<void> {
    await offers.withdrawOffer(this.deps, this.profiles.current(), conversationId);
  }

  // ---- seats --------------------------------------------------------------------

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
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return { ok: false, code: "not_found" };
    return seats.pickUp(this.deps, profile, conversationId, numberId, ownWaitQueue);
  }

  /**
   * Starts a conversation with a customer (a free message takes a seat, a
   * template does not until the customer answers), or continues the one the
   * agent already has open with them. Idempotent per `request.clientId`.
   */
  async startOutbound(
    tenantId: string,
    request: StartOutboundRequest,
  ): Promise<StartOutboundResult> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return { ok: false, code: "not_an_agent" };
    const agent = { id: profile.id, name: profile.name };
    return startOutbound(this.env, agent, request, seats.seatBook(this.deps, profile));
  }

  /**
   * The customer answered this agent's template: takes a seat for it unless the
   * agent is offline or at their limit (then it is routed like any other).
   * The conversation fills the seat's view once assigned. Idempotent.
   */
  async seatAnswered(tenantId: string, numberId: string, conversationId: string): Promise<boolean> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return false;
    return seats.seatAnswered(this.deps, profile, numberId, conversationId);
  }

  /**
   * A conversation of this agent ended (closed or transferred away): capacity
   * frees up and routing re-runs. Idempotent.
   */
  async release(conversationId: string, conversation: ConversationView): Promise<void> {
    await seats.release(this.deps, this.profiles.current(), conversationId, conversation);
  }

  /** Whether `conversationId` is currently assigned to this agent. */
  async owns(conversationId: string): Promise<boolean> {
    return seated(this.db, conversationId);
  }

  // ---- desktops -----------------------------------------------------------------

  /**
   * Delivers a conversation event (new message, tick, updated details) to the
   * desktops, if the conversation is this agent's.
   */
  async notify(event: seats.SeatEvent): Promise<void> {
    this.show(event);
  }

  private show(event: seats.SeatEvent): void {
    if (seats.seatEvent(this.db, event)) this.log.publish(event);
  }

  /**
   * Blanks the texts of a conversation's messages in the replay log: its
   * customer keeps no message history, so contents must not linger here.
   * Event seqs stay, so desktops resume as before. Idempotent.
   */
  async forgetTexts(conversationId: string): Promise<void> {
    this.log.forgetTexts(conversationId);
  }

  /** Everything the desktop shows, current to the returned seq. */
  async snapshot(tenantId: string): Promise<DesktopSnapshot | null> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return null;
    await this.presence.cameOnline(profile);
    return {
      seq: this.log.lastSeq(),
      agent: this.presence.view(profile),
      offers: offerViews(this.db),
      conversations: seatViews(this.db),
    };
  }

  /**
   * The tenant turned masking on or off: reloads the flag with the profile
   * and, when it changed, sends every open desktop a fresh snapshot (its
   * offers and conversation labels follow at once; messages already on screen
   * follow at the desktop's next load). Nothing to do for an actor that has
   * no profile yet: it reads the flag when it loads one. Idempotent.
   */
  async maskingChanged(tenantId: string): Promise<void> {
    const before = this.profiles.current();
    if (!before || before.tenantId !== tenantId) return;
    const after = await this.profiles.load(tenantId);
    if (!after || Boolean(after.masked) === Boolean(before.masked)) return;
    // Only open desktops need telling (and a snapshot would bring an offline agent online).
    if (this.desktops.count() === 0) return;
    const snapshot = await this.snapshot(tenantId);
    if (!snapshot) return;
    this.log.broadcast(this.log.snapshotFrame(snapshot));
  }

  /**
   * Closes the desktops whose session is not `keep` (every desktop for null): a
   * password changed or reset, or a session that ended. When no desktop is
   * left open, the agent goes offline as on logout. Idempotent.
   */
  async sessionsEnded(tenantId: string, keep: string | null): Promise<void> {
    const profile = await this.profiles.forTenant(tenantId);
    if (!profile) return;
    await this.desktops.sessionsEnded(profile, keep);
  }

  /** Upgrades the desktop's request (already authenticated by the Worker) to a hibernatable WebSocket. */
  override async fetch(request: Request): Promise<Response> {
    return this.desktops.connect(request);
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    count("actor.agent.webSocketMessage");
    await this.desktops.message(ws, data);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.desktops.closed(ws, code);
  }

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  // ---- alarm --------------------------------------------------------------------

  private async armAlarm(): Promise<void> {
    await this.nextAlarm.set(earliest(nextOfferDeadline(this.db), this.sessionCheckCell.get()));
  }

  /**
   * Checks the desktops' sessions when due, then expires offers not accepted
   * in time (the agent goes to RONA and each conversation goes back to its
   * number's queue). Each number is told on its own: one that fails is retried
   * by the alarm (the lapse is recorded first), and the alarm is always armed
   * again. Safe to run twice.
   */
  override async alarm(): Promise<void> {
    count("actor.agent.alarm");
    this.nextAlarm.fired();
    try {
      try {
        const check = this.sessionCheckCell.get();
        if (check !== null && check <= now()) await this.desktops.checkSessions();
      } catch (err) {
        // D1 unavailable: checked again shortly; offers still expire below.
        console.error("session check failed", err);
        this.sessionCheckCell.set(now() + 60_000);
      }
      offers.expireOffers(this.deps, this.profiles.current());
      await offers.tellNumbersOfLapses(this.deps, this.profiles.current());
    } finally {
      await this.armAlarm();
    }
  }
}
