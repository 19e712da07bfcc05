/**
 * Picking up a waiting conversation takes a seat, through the real Worker,
 * actors, D1 and the Meta simulator: at the agent's limit it is refused with
 * 409 `at_capacity` and nothing changes; concurrent pick-ups never take the
 * agent past the limit (the agent actor checks and reserves in one step).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationView, WaitingList } from "../src/shared/protocol";
import { deskAgent } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerWrites } from "./kit/meta";
import { call, callJson, type ErrorBody, type Session } from "./kit/session";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** A signed-in agent who is not Ready (so routing leaves conversations waiting), with `max` seats. */
async function agentWithLimit(t: HistoryTenant, name: string, max: number): Promise<Session> {
  const agent = await deskAgent(t, name, ["care"], { ready: false });
  await env.DB.prepare("UPDATE users SET max_conversations = ? WHERE id = ?")
    .bind(max, agent.userId)
    .run();
  // Setting a status reloads the agent actor's profile, limit included.
  await callJson(agent, "POST", "/api/me/status", { status: "back_office" }, 200);
  return agent;
}

/** `count` customers write; their conversations wait, nobody being Ready. Returns their ids. */
async function waitingConversations(
  t: HistoryTenant,
  agent: Session,
  count: number,
): Promise<string[]> {
  for (let i = 0; i < count; i++) await customerWrites(t.phoneNumberId, phone(), `hello ${i}`);
  const list = await eventually(async () => {
    const w = await callJson<WaitingList>(agent, "GET", "/api/waiting", undefined, 200);
    return w.items.length >= count ? w : null;
  });
  return list.items.map((i) => i.conversationId);
}

function pickUp(agent: Session, conversationId: string): Promise<Response> {
  return call(agent, "POST", `/api/conversations/${conversationId}/pick-up`);
}

async function loadOf(t: HistoryTenant, agent: Session): Promise<number> {
  return (await env.AGENT.getByName(agent.userId).state(t.tenantId))!.load;
}

describe("pick-up at the agent's limit", () => {
  it("is refused with 409 at_capacity at 5 of 5, and the agent stays at 5", async () => {
    const t = await historyTenant();
    const bruno = await agentWithLimit(t, "Bruno", 5);
    const ids = await waitingConversations(t, bruno, 6);
    for (const id of ids.slice(0, 5)) {
      await callJson<ConversationView>(
        bruno,
        "POST",
        `/api/conversations/${id}/pick-up`,
        undefined,
        200,
      );
    }
    expect(await loadOf(t, bruno)).toBe(5);

    const refused = await pickUp(bruno, ids[5]!);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("at_capacity");
    expect(await loadOf(t, bruno)).toBe(5);
    // The refused conversation is still waiting, for someone else.
    const still = await callJson<WaitingList>(bruno, "GET", "/api/waiting", undefined, 200);
    expect(still.items.map((i) => i.conversationId)).toEqual([ids[5]]);
  });

  it("lets exactly one of two concurrent pick-ups through at 4 of 5", async () => {
    const t = await historyTenant();
    const carla = await agentWithLimit(t, "Carla", 5);
    const ids = await waitingConversations(t, carla, 6);
    for (const id of ids.slice(0, 4)) {
      expect((await pickUp(carla, id)).status).toBe(200);
    }
    expect(await loadOf(t, carla)).toBe(4);

    const answers = await Promise.all([pickUp(carla, ids[4]!), pickUp(carla, ids[5]!)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(((await refused.json()) as ErrorBody).error.code).toBe("at_capacity");
    expect(await loadOf(t, carla)).toBe(5);
  });
});
