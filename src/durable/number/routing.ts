/**
 * The routing order of PRODUCT.md as a pure function. Given the conversations
 * waiting on one managed number, its skillsets, their members and the agents'
 * live state, it returns the offers to make, best first:
 *   1. customer priority (higher first), 2. arrival time (older first),
 *   3. skillset priority (higher first; overflow to the next skillsets when the
 *      higher ones have no agent with free capacity),
 *   4. agent priority in the skillset (higher first), 5. fewest current
 *      conversations, 6. longest idle since the last conversation.
 * Only Ready agents under their limit receive conversations.
 */
import type { AgentLive } from "../contracts";

export interface WaitingConversation {
  id: string;
  /** 1–9 */
  customerPriority: number;
  arrivedAt: number;
  /** A specific skillset (customer default, bot choice), or null for any of the number's. */
  skillsetId: string | null;
  /** Only this agent may receive it (a transfer to a user, a personal wait queue). */
  targetAgentId?: string | null;
  /** Never this agent (who transferred it away). */
  excludeAgentId?: string | null;
}

export interface SkillsetRank {
  id: string;
  /** 1–9 */
  priority: number;
}

export interface Membership {
  agentId: string;
  skillsetId: string;
  /** 1–9 */
  agentPriority: number;
}

export interface PlannedOffer {
  conversationId: string;
  agentId: string;
  skillsetId: string;
}

/** Orders waiting conversations by rules 1 and 2 (ties broken by id, for stability). */
export function queueOrder(a: WaitingConversation, b: WaitingConversation): number {
  return b.customerPriority - a.customerPriority || a.arrivedAt - b.arrivedAt || cmp(a.id, b.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasCapacity(agent: AgentLive): boolean {
  return agent.status === "ready" && agent.load < agent.maxConversations;
}

/** Rules 4–6 between two members of the same skillset. */
function agentOrder(
  a: { agent: AgentLive; priority: number },
  b: { agent: AgentLive; priority: number },
): number {
  const idleA = a.agent.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
  const idleB = b.agent.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
  return (
    b.priority - a.priority ||
    a.agent.load - b.agent.load ||
    (idleA === idleB ? 0 : idleA < idleB ? -1 : 1) ||
    cmp(a.agent.id, b.agent.id)
  );
}

/**
 * Plans offers for as many waiting conversations as capacity allows. Pure: the
 * inputs are not modified. `now` stamps planned offers as the agents' latest
 * assignment so one pass spreads conversations the way repeated passes would.
 */
export function planRouting(
  waiting: readonly WaitingConversation[],
  skillsets: readonly SkillsetRank[],
  members: readonly Membership[],
  agents: readonly AgentLive[],
  now: number,
): PlannedOffer[] {
  const live = new Map(agents.map((a) => [a.id, { ...a }]));
  const bySkillset = new Map<string, Membership[]>();
  for (const m of members) {
    const list = bySkillset.get(m.skillsetId) ?? [];
    list.push(m);
    bySkillset.set(m.skillsetId, list);
  }
  const skillsetOrder = [...skillsets].sort((a, b) => b.priority - a.priority || cmp(a.id, b.id));
  const known = new Set(skillsets.map((s) => s.id));
  const offers: PlannedOffer[] = [];

  for (const conversation of [...waiting].sort(queueOrder)) {
    if (conversation.targetAgentId) {
      const offer = planTargeted(conversation, conversation.targetAgentId, members, live);
      if (offer) {
        const agent = live.get(offer.agentId)!;
        agent.load += 1;
        agent.lastAssignedAt = now;
        offers.push(offer);
      }
      continue;
    }
    const candidates =
      conversation.skillsetId && known.has(conversation.skillsetId)
        ? skillsetOrder.filter((s) => s.id === conversation.skillsetId)
        : skillsetOrder;
    for (const skillset of candidates) {
      const eligible = (bySkillset.get(skillset.id) ?? [])
        .map((m) => ({ agent: live.get(m.agentId), priority: m.agentPriority }))
        .filter((c): c is { agent: AgentLive; priority: number } =>
          c.agent ? hasCapacity(c.agent) && c.agent.id !== conversation.excludeAgentId : false,
        );
      const best = eligible.sort(agentOrder)[0];
      if (!best) continue; // saturated: overflow to the next skillset
      best.agent.load += 1;
      best.agent.lastAssignedAt = now;
      offers.push({
        conversationId: conversation.id,
        agentId: best.agent.id,
        skillsetId: skillset.id,
      });
      break;
    }
  }
  return offers;
}

/**
 * The offer of a conversation meant for one agent: made when that agent is
 * Ready and under their limit, through the conversation's skillset when they
 * are in it, else through their first membership of this number.
 */
function planTargeted(
  conversation: WaitingConversation,
  agentId: string,
  members: readonly Membership[],
  live: ReadonlyMap<string, AgentLive>,
): PlannedOffer | null {
  const agent = live.get(agentId);
  if (!agent || !hasCapacity(agent)) return null;
  const theirs = members.filter((m) => m.agentId === agentId);
  const via =
    theirs.find((m) => m.skillsetId === conversation.skillsetId) ??
    [...theirs].sort((a, b) => b.agentPriority - a.agentPriority)[0];
  if (!via) return null;
  return { conversationId: conversation.id, agentId, skillsetId: via.skillsetId };
}
