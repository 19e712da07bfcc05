/**
 * Routing passes: while conversations are queued and the number is open
 * (working time), offer them one at a time, in the order of the pure
 * `planRouting` (routing.ts), to the agents routing knows (agents.ts), each
 * offer answered by the agent's actor before the next is planned. One pass
 * runs at a time; a request during a pass runs another after it. Between
 * passes the actor's alarm waits for what would change the plan: the number
 * opening, a transfer's target lapsing (or, from held-inbound.ts, a
 * suspended tenant's check).
 */
import { requireConfig } from "../../platform/config";
import type { D1Db } from "../../platform/db/d1";
import { redacted } from "../../platform/db/errors";
import { numberSkillsetMembers } from "../../platform/db/joins";
import type { WorkingTime } from "../../shared/admin";
import { openState } from "../../shared/working-time";
import type { NumberInfo } from "../contracts";
import type { Env } from "../env";
import { type ActorDb, type Alarm, earliest, type KvCell, sql } from "../sql";
import { agentsLive, knownAgentIds, rememberAgent } from "./agents";
import { type ConversationRow, customerOf, markOffered, requeueOffered } from "./conversations";
import { offerViewOf } from "./listings";
import { planRouting, type WaitingConversation } from "./routing";

/** Safety net: if the actor dies mid-routing, the alarm runs routing again. */
const ROUTING_WATCHDOG_MS = 10_000;

/** The number's skillsets and their active members, as routing ranks them. */
type RoutingConfig = {
  skillsets: { id: string; name: string; priority: number }[];
  members: { agentId: string; skillsetId: string; agentPriority: number }[];
};

/** What routing needs of the actor. */
export interface RouterDeps {
  db: ActorDb;
  d1: D1Db;
  env: Env;
  now: () => number;
  /** The number, once known (nothing is routed before). */
  number: () => NumberInfo | null;
  workingTime: (number: NumberInfo) => Promise<WorkingTime>;
  alarm: Alarm;
  /** When a closed number opens again (routing waits for it). */
  reopenCell: KvCell<number>;
  /** When the alarm must next ask whether a suspended tenant is back (held-inbound.ts). */
  heldCheckAt: () => number | null;
  waitUntil: (promise: Promise<unknown>) => void;
}

/** The number's routing passes, one at a time (see the module comment). */
export class Router {
  private routing = false;
  private rerouteRequested = false;

  constructor(private readonly deps: RouterDeps) {}

  /** Starts a routing pass now, or once the current one ends. */
  kick(): void {
    this.deps.waitUntil(this.run());
  }

  /**
   * Runs routing until nothing more can be offered, then arms the idle alarm.
   * A call during a pass makes that pass run once more. Never throws: a pass
   * that fails is retried by the watchdog alarm.
   */
  async run(): Promise<void> {
    if (this.routing) {
      this.rerouteRequested = true;
      return;
    }
    this.routing = true;
    await this.deps.alarm.set(this.deps.now() + ROUTING_WATCHDOG_MS);
    try {
      do {
        this.rerouteRequested = false;
        await this.routeOnce();
      } while (this.rerouteRequested);
      await this.armIdleAlarm();
    } catch (err) {
      console.error("routing failed; the watchdog alarm retries", redacted(err));
    } finally {
      this.routing = false;
    }
  }

  /** Arms the idle alarm for a changed deadline, unless a pass is running (it arms it at its end). */
  async rearm(): Promise<void> {
    if (!this.routing) await this.armIdleAlarm();
  }

  /**
   * Between routing passes the alarm waits for the number to open (when
   * conversations wait for that), for a transfer's target to lapse, or to ask
   * again whether a suspended tenant is back.
   */
  private async armIdleAlarm(): Promise<void> {
    const { db, now, reopenCell, heldCheckAt, alarm } = this.deps;
    const fallback = db.one<{ at: number | null }>(
      sql`SELECT min(fallback_at) AS at FROM conversations
          WHERE state = 'queued' AND target_agent_id IS NOT NULL AND fallback_at > ${now()}`,
    )?.at;
    await alarm.set(earliest(reopenCell.get(), fallback, heldCheckAt()));
  }

  /** Whether the number is open now per its working time; when closed, remembers when it opens. */
  private async isOpen(number: NumberInfo): Promise<boolean> {
    const hours = openState(await this.deps.workingTime(number), this.deps.now());
    if (!hours.open) {
      if (hours.nextChangeAt === null) this.deps.reopenCell.delete();
      else this.deps.reopenCell.set(hours.nextChangeAt);
    }
    return hours.open;
  }

  /** The queued conversations, as `planRouting` takes them. */
  private waiting(): (WaitingConversation & { row: ConversationRow })[] {
    const at = this.deps.now();
    return this.deps.db
      .all<ConversationRow>(sql`SELECT * FROM conversations WHERE state = 'queued'`)
      .map((row) => {
        const targeted =
          row.target_agent_id !== null && (row.fallback_at === null || at < row.fallback_at);
        return {
          id: row.id,
          customerPriority: customerOf(row)?.priority ?? 5,
          arrivedAt: row.arrived_at,
          skillsetId: row.skillset_id,
          targetAgentId: targeted ? row.target_agent_id : null,
          excludeAgentId: row.exclude_agent_id,
          row,
        };
      });
  }

  private async routeOnce(): Promise<void> {
    const { db, env, now } = this.deps;
    const number = this.deps.number();
    this.deps.reopenCell.delete();
    if (!number || this.waiting().length === 0) return;
    // Closed (working time): queued conversations wait; the alarm wakes us at opening.
    if (!(await this.isOpen(number))) return;
    const config = await routingConfig(this.deps.d1, number);
    await this.refreshUnknownAgents(number, config);
    // Offer one conversation at a time and re-plan: each offer's answer updates
    // what we know of that agent, and other events may land while we await.
    for (;;) {
      const waiting = this.waiting();
      const [next] = planRouting(waiting, config.skillsets, config.members, agentsLive(db), now());
      if (!next) return;
      const conversation = waiting.find((w) => w.id === next.conversationId)!;
      const skillset = config.skillsets.find((s) => s.id === next.skillsetId);
      const offer = offerViewOf(
        number,
        conversation.row,
        skillset?.name ?? null,
        now(),
        requireConfig(env).offerTimeoutMs,
      );
      markOffered(db, next.conversationId, next.agentId, next.skillsetId);
      const answer = await env.AGENT.getByName(next.agentId).offer(
        number.tenantId,
        number.id,
        offer,
      );
      rememberAgent(db, answer.agent);
      if (!answer.ok) requeueOffered(db, next.conversationId, next.agentId);
    }
  }

  /**
   * The agent of `skillsetId` routing would pick now (Ready, under their
   * limit, by the routing order), other than `exclude`; null when none is.
   */
  async pickAgent(skillsetId: string, exclude: string[]): Promise<string | null> {
    const number = this.deps.number();
    if (!number) return null;
    const config = await routingConfig(this.deps.d1, number);
    await this.refreshUnknownAgents(number, config);
    const agents = agentsLive(this.deps.db).filter((a) => !exclude.includes(a.id));
    const [offer] = planRouting(
      [{ id: "pick", customerPriority: 5, arrivedAt: 0, skillsetId }],
      config.skillsets.filter((s) => s.id === skillsetId),
      config.members,
      agents,
      this.deps.now(),
    );
    return offer?.agentId ?? null;
  }

  /** Asks agents we have never heard from for their state. */
  private async refreshUnknownAgents(number: NumberInfo, config: RoutingConfig): Promise<void> {
    const known = knownAgentIds(this.deps.db);
    const unknown = [...new Set(config.members.map((m) => m.agentId))].filter(
      (id) => !known.has(id),
    );
    const states = await Promise.all(
      unknown.map((id) => this.deps.env.AGENT.getByName(id).state(number.tenantId)),
    );
    for (const s of states) if (s) rememberAgent(this.deps.db, s);
  }
}

/** Skillsets of this number and their active members, read fresh from D1 each pass. */
async function routingConfig(d1: D1Db, number: NumberInfo): Promise<RoutingConfig> {
  const rows = await numberSkillsetMembers(d1, number.tenantId, number.id);
  const ranked = new Map<string, RoutingConfig["skillsets"][number]>();
  const members: RoutingConfig["members"] = [];
  for (const r of rows) {
    ranked.set(r.skillsetId, { id: r.skillsetId, name: r.skillsetName, priority: r.priority });
    if (r.userId) {
      members.push({
        agentId: r.userId,
        skillsetId: r.skillsetId,
        agentPriority: r.agentPriority ?? 5,
      });
    }
  }
  return { skillsets: [...ranked.values()], members };
}
