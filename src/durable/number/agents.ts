/**
 * The agents serving this number as routing knows them (table `agents`): each
 * one's status, load and limit as its agent actor last reported them (with
 * every offer's answer, and whenever they change). The agent actor stays the
 * authority: an offer it cannot take is refused and corrects this view.
 */
import type { AgentLive } from "../contracts";
import { type ActorDb, sql } from "../sql";

type AgentRow = {
  id: string;
  status: AgentLive["status"];
  load: number;
  max_conversations: number;
  last_assigned_at: number | null;
};

function toAgentLive(row: AgentRow): AgentLive {
  return {
    id: row.id,
    status: row.status,
    load: row.load,
    maxConversations: row.max_conversations,
    lastAssignedAt: row.last_assigned_at,
  };
}

/** Every agent this number has heard from. */
export function agentsLive(db: ActorDb): AgentLive[] {
  return db.all<AgentRow>(sql`SELECT * FROM agents`).map(toAgentLive);
}

/** The ids of the agents this number has heard from. */
export function knownAgentIds(db: ActorDb): Set<string> {
  return new Set(db.all<{ id: string }>(sql`SELECT id FROM agents`).map((r) => r.id));
}

/** Keeps the agent's latest state (null: nothing to keep). */
export function rememberAgent(db: ActorDb, agent: AgentLive | null): void {
  if (!agent) return;
  db.run(
    sql`INSERT INTO agents (id, status, load, max_conversations, last_assigned_at)
        VALUES (${agent.id}, ${agent.status}, ${agent.load}, ${agent.maxConversations}, ${agent.lastAssignedAt})
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, load = excluded.load,
          max_conversations = excluded.max_conversations, last_assigned_at = excluded.last_assigned_at`,
  );
}
