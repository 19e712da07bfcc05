/**
 * NumberActor — one per managed number. It owns the mapping customer → open
 * conversation (one at a time), inbound dedupe, the routing queue and the
 * offers made to agents. Messages themselves live in ConversationActors.
 *
 * This file is its RPC surface, stored cells and alarm; the work is done by
 * the modules beside it: intake.ts (webhook messages, dedupe), held-inbound.ts
 * (a suspended tenant's messages), statuses.ts, customer-lookup.ts,
 * conversations.ts (the open conversations and their states), router.ts (on
 * the pure routing.ts), agents.ts, config-cache.ts, outbound-open.ts and
 * listings.ts.
 */
import { DurableObject } from "cloudflare:workers";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { count, meteredEnv } from "../../platform/meter";
import {
  type AgentLive,
  type ContactState,
  type CustomerRef,
  defaultNumberConfig,
  type NumberInfo,
  type NumberItem,
  type NumberToken,
  type OpenOutboundResult,
  type RouteRequest,
  type WaitingEntry,
} from "../contracts";
import type { Env } from "../env";
import { ActorDb, Alarm, KvCell, migrate, sql } from "../sql";
import { agentsLive, rememberAgent } from "./agents";
import { type CachedConfig, ConfigCache } from "./config-cache";
import * as conversations from "./conversations";
import { CustomerLookup } from "./customer-lookup";
import { HeldInbound } from "./held-inbound";
import { Intake } from "./intake";
import {
  type DashboardRow,
  dashboardRows,
  outboundOf,
  queueView,
  waitingEntries,
} from "./listings";
import { NUMBER_MIGRATIONS } from "./migrations";
import { contactStates, openOutbound } from "./outbound-open";
import { Router } from "./router";
import { applyStatuses } from "./statuses";

export class NumberActor extends DurableObject<Env> {
  private readonly db: ActorDb;
  private readonly numberCell: KvCell<NumberInfo>;
  private readonly configCell: KvCell<CachedConfig>;
  /** When a closed number opens again (routing waits for it). */
  private readonly reopenCell: KvCell<number>;
  /** When the alarm next asks whether a suspended tenant is back (messages are kept). */
  private readonly heldCheckCell: KvCell<number>;
  /** The platform told this number its tenant is suspended (until reactivated). */
  private readonly suspendedCell: KvCell<true>;
  private readonly nextAlarm: Alarm;

  private readonly config: ConfigCache;
  private readonly router: Router;
  private readonly intake: Intake;
  private readonly held: HeldInbound;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    env = this.env; // counted where the bench's hooks are on (platform/meter.ts)
    this.db = new ActorDb(ctx.storage.sql);
    migrate(this.db, NUMBER_MIGRATIONS);
    this.numberCell = new KvCell(ctx.storage.sql, "number");
    this.configCell = new KvCell(ctx.storage.sql, "config");
    this.reopenCell = new KvCell(ctx.storage.sql, "reopenAt");
    this.heldCheckCell = new KvCell(ctx.storage.sql, "heldCheckAt");
    this.suspendedCell = new KvCell(ctx.storage.sql, "tenantSuspended");
    this.nextAlarm = new Alarm(ctx.storage);
    const db = this.db;
    // D1 through drizzle: one handle for the actor's life.
    const data = d1(env.DB);
    const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
    const number = () => this.numberCell.get();
    this.config = new ConfigCache({
      d1: data,
      now,
      numberCell: this.numberCell,
      configCell: this.configCell,
    });
    this.router = new Router({
      db,
      d1: data,
      env,
      now,
      number,
      workingTime: (n) => this.config.workingTime(n),
      alarm: this.nextAlarm,
      reopenCell: this.reopenCell,
      heldCheckAt: () => this.heldCheckCell.get(),
      waitUntil,
    });
    const customers = new CustomerLookup({
      db,
      env,
      number: () => this.numberCell.get()!,
      config: (n) => this.config.get(n),
    });
    this.intake = new Intake({
      db,
      env,
      now,
      number,
      conversationInit: (row) => customers.init(row),
      token: () => this.token(),
      routeRequested: (id, route) => this.applyRoute(id, route),
    });
    this.held = new HeldInbound({
      db,
      d1: data,
      now,
      number,
      checkCell: this.heldCheckCell,
      suspendedCell: this.suspendedCell,
      waitUntil,
      store: (items) => this.intake.store(items),
      applyStatuses: (statuses) => applyStatuses({ env, number }, statuses),
      rearm: () => this.router.rearm(),
    });
  }

  /** The access token as cached with the configuration (null before it is). */
  private token(): NumberToken | null {
    const cached = this.config.peek();
    if (!cached || cached.sealedToken === undefined) return null;
    return { numberId: cached.number.id, sealed: cached.sealedToken };
  }

  // ---- inbound --------------------------------------------------------------

  /**
   * Stores a batch of webhook items for this number. Resolves only when every
   * message is durable and every status is applied, so the Worker can
   * acknowledge Meta. Idempotent per wamid and (wamid, status): a redelivered
   * batch creates nothing new. A batch of a few messages is stored by its
   * conversations before resolving; a large one (QUEUE_FROM messages or more)
   * is kept here in one write, and routed right after (held-inbound.ts).
   *
   * For a `suspended` tenant (as the Worker saw it, or as the platform told
   * this number) the messages are kept here too, neither routed nor answered
   * until it is reactivated; statuses are applied as usual.
   * Messages kept earlier are routed before a later batch's (which queues
   * behind them), so a customer's messages keep their order.
   */
  async ingest(
    number: NumberInfo,
    items: NumberItem[],
    options: { suspended?: boolean } = {},
  ): Promise<{ messages: number; statuses: number; skipped: number; held: number }> {
    this.numberCell.set(number);
    this.intake.forgetOldDeliveries();
    if (options.suspended || this.held.toldSuspended()) return this.held.hold(items);
    // A large batch, or one behind kept messages: acknowledged once kept, routed right after.
    if (this.held.shouldQueue(items)) return this.held.queue(items);
    return { ...(await this.intake.store(items)), held: 0 };
  }

  /**
   * The platform suspended the tenant: this number keeps every message from
   * now on, even one a Worker still believing the tenant active hands over.
   * Idempotent.
   */
  async tenantSuspended(): Promise<void> {
    this.held.suspend();
  }

  /**
   * The tenant was reactivated: routes the messages kept while it was
   * suspended, oldest first, as if they had just arrived (their messages keep
   * Meta's time). Starts the release and returns how many wait; the alarm
   * finishes it should this actor stop midway. Idempotent.
   */
  async tenantReactivated(): Promise<{ held: number }> {
    return this.held.reactivated();
  }

  // ---- what the conversation and the agents ask ------------------------------

  /** Applies a routing request to the conversation's row, and routes when it was queued. */
  private applyRoute(conversationId: string, route: RouteRequest): void {
    if (conversations.applyRoute(this.db, conversationId, route, now())) this.router.kick();
  }

  /** The conversation's own decision (softbot answered or timed out, transfer, wait queue). */
  async routeRequest(conversationId: string, route: RouteRequest): Promise<void> {
    this.applyRoute(conversationId, route);
  }

  /**
   * An agent takes a conversation that is not being worked: waiting for
   * routing (even if offered to someone), unauthorized, in a wait queue, or
   * left open by an agent who logged out. `onlyParkedBy` restricts it to the
   * agent's own wait queue (unpause). Returns who had it before (an offer to
   * withdraw, an owner to release), or a refusal.
   */
  async claim(
    conversationId: string,
    agent: { id: string; name: string },
    onlyParkedBy: string | null = null,
  ): Promise<conversations.ClaimResult> {
    return conversations.claim(this.db, conversationId, agent, onlyParkedBy, now());
  }

  /** The owner logged out (`open` true) or came back (false): marks their conversations. Idempotent. */
  async leftOpen(conversationId: string, agentId: string, open: boolean): Promise<void> {
    conversations.markLeftOpen(this.db, conversationId, agentId, open);
  }

  /**
   * The agent accepted our offer: the conversation is theirs. Returns false when
   * the offer is no longer valid (closed, picked up or re-offered meanwhile).
   */
  async offerAccepted(
    conversationId: string,
    agent: { id: string; name: string },
  ): Promise<{ ok: true; skillsetId: string | null } | { ok: false }> {
    const accepted = conversations.acceptOffer(this.db, conversationId, agent, now());
    return accepted ? { ok: true, skillsetId: accepted.skillsetId } : { ok: false };
  }

  /**
   * The offer timed out (the agent is now RONA): the conversation waits again,
   * keeping its place. An immediate transfer stops waiting for its target and
   * falls back to the others; an exclusive one keeps waiting for that target.
   */
  async offerExpired(conversationId: string, agentId: string): Promise<void> {
    if (conversations.offerLapsed(this.db, conversationId, agentId)) this.router.kick();
  }

  /**
   * The agent can no longer serve the conversation (deactivated): if it is
   * offered or assigned to them, it waits again, keeping its place in the
   * queue, and routing re-runs. Idempotent.
   */
  async handBack(conversationId: string, agentId: string): Promise<void> {
    if (conversations.handBack(this.db, conversationId, agentId)) this.router.kick();
  }

  /** The conversation closed: the customer's next message opens a new one. Idempotent. */
  async conversationClosed(conversationId: string): Promise<void> {
    conversations.forget(this.db, conversationId);
  }

  /**
   * An agent's status or load changed. Routing re-runs at once when the agent
   * may take work, so no backlog waits for a sweep.
   */
  async agentChanged(agent: AgentLive): Promise<void> {
    rememberAgent(this.db, agent);
    if (agent.status === "ready" && agent.load < agent.maxConversations) this.router.kick();
  }

  /**
   * The agent of `skillsetId` routing would pick now (Ready, under their
   * limit, by the routing order), other than `exclude`; null when none is.
   */
  async pickAgent(skillsetId: string, exclude: string[]): Promise<string | null> {
    return this.router.pickAgent(skillsetId, exclude);
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
    const loaded = await this.config.load(numberId);
    if (loaded) {
      const open = this.db.all<{ id: string }>(
        sql`SELECT id FROM conversations WHERE state <> 'new'`,
      );
      await Promise.all(
        open.map((c) =>
          this.env.CONVERSATION.getByName(c.id)
            .configChanged(loaded.number, loaded.config, this.token())
            .catch((err: unknown) => console.error("configChanged failed", c.id, err)),
        ),
      );
    }
    this.router.kick();
  }

  // ---- conversations an agent starts (../agent/outbound-start.ts) -------------

  /**
   * Opens the conversation an agent starts with `customer` under
   * `conversationId`, or finds the one already open (one per customer per
   * number); see outbound-open.ts. Idempotent for the same agent and customer.
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
    const config = (await this.config.get(number))?.config ?? defaultNumberConfig();
    // No await from here on: the check and the insert are one step.
    const request = { conversationId, customer, skillsetId, agent };
    return openOutbound(this.db, now(), number, config, request, options);
  }

  /**
   * For each contact key: when the customer last wrote to this number, and the
   * conversation they have open here (whose, and whether it is being worked).
   * Read-only.
   */
  async contactState(contactKeys: string[]): Promise<Record<string, ContactState>> {
    return contactStates(this.db, contactKeys);
  }

  /** The conversations `agentId` started with a template that the customer has not answered. */
  async outboundOf(agentId: string): Promise<string[]> {
    return outboundOf(this.db, agentId);
  }

  // ---- read-only views --------------------------------------------------------

  /** The conversations of this number that no agent is working now, for the waiting list. */
  async waitingList(): Promise<WaitingEntry[]> {
    const number = this.numberCell.get();
    if (!number) return [];
    const cached = this.config.peek();
    const skillsetName = (id: string | null) =>
      cached?.skillsets.find((s) => s.id === id)?.name ?? null;
    return waitingEntries(
      this.db,
      { id: number.id, name: cached?.number.name ?? number.name },
      skillsetName,
    );
  }

  /** The live state of the agents serving this number, as routing knows it. */
  async agentsLive(): Promise<AgentLive[]> {
    return agentsLive(this.db);
  }

  /**
   * Every open conversation of this number as the dashboard counts it: its
   * routing state, whether it is a transfer, when it arrived (ms) and the
   * skillset it asks for. Read-only.
   */
  async dashboardLive(): Promise<DashboardRow[]> {
    return dashboardRows(this.db);
  }

  /** Test and diagnostics view of the queue. */
  async conversations(): Promise<ReturnType<typeof queueView>> {
    return queueView(this.db);
  }

  /** Drills only (see src/worker/app/drill-hooks.ts): dies mid-flow, as an eviction would. */
  async drillAbort(): Promise<void> {
    this.ctx.abort("drill");
  }

  // ---- alarm ----------------------------------------------------------------

  /**
   * Asks D1 whether a suspended tenant is back when that check is due, then
   * routes (which arms the alarm again: the number opening, a transfer's
   * target lapsing, the next check, or the routing watchdog).
   */
  override async alarm(): Promise<void> {
    count("actor.number.alarm");
    this.nextAlarm.fired();
    const heldCheckAt = this.heldCheckCell.get();
    if (heldCheckAt !== null && heldCheckAt <= now()) {
      await this.held.recheck().catch(() => undefined); // logged; re-armed below
    }
    await this.router.run();
  }
}
