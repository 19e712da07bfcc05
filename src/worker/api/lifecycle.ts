/**
 * The agents' lifecycle actions: transfer (to a user, a skillset or the wait
 * queue), conference, the waiting conversations with pick-up, "my wait queue"
 * with unpause, and the typing signal. The Worker checks who may do what in
 * the caller's tenant (isolated agents stay within their skillsets) and
 * resolves names; the actors decide and serialise.
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { WaitingEntry } from "../../durable/contracts";
import type { Env } from "../../durable/env";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { numberSkillsetMembers } from "../../platform/db/joins";
import { managedNumbers, skillsetMembers, skillsets, users } from "../../platform/db/schema";
import {
  ConferenceBody,
  ConversationView,
  TransferBody,
  TransferTargets,
  WaitingList,
} from "../../shared/protocol";
import type { SessionUser } from "../app/app-types";
import { apiError } from "../app/http";
import { refuse, refuseResult } from "../app/results";
import { Routes } from "../app/routes";

const TAG = "conversations";
const ConversationParams = z.object({ id: z.uuid() });

/** The conversation if the caller has a seat in it (owner or guest), with its number. */
async function seatedConversation(env: Env, user: SessionUser, id: string) {
  const seated = await env.AGENT.getByName(user.id).owns(id);
  if (!seated) refuse("conversationNotYours");
  const stub = env.CONVERSATION.getByName(id);
  const read = await stub.read(user.tenantId, Number.MAX_SAFE_INTEGER);
  if (!read) refuse("conversationNotYours");
  return { stub, conversation: read.conversation };
}

/** The skillsets the caller is limited to: null when they are not an isolated agent. */
export async function isolation(env: Env, user: SessionUser): Promise<Set<string> | null> {
  const db = d1(env.DB);
  const row = await db
    .select({ isolated: users.isolated, role: users.role })
    .from(users)
    .where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId)))
    .get();
  if (row?.role !== "agent" || !row.isolated) return null;
  const results = await db
    .select({ skillsetId: skillsetMembers.skillsetId })
    .from(skillsetMembers)
    .where(and(eq(skillsetMembers.tenantId, user.tenantId), eq(skillsetMembers.userId, user.id)));
  return new Set(results.map((r) => r.skillsetId));
}

type Member = { skillsetId: string; skillsetName: string; userId: string; userName: string };

/** The number's skillsets and their active members, within the caller's isolation. */
async function numberTeams(env: Env, user: SessionUser, numberId: string) {
  const limit = await isolation(env, user);
  const results = await numberSkillsetMembers(d1(env.DB), user.tenantId, numberId).orderBy(
    desc(skillsets.priority),
    skillsets.name,
    users.name,
  );
  const visible = results.filter((r) => !limit || limit.has(r.skillsetId));
  const names = new Map<string, string>();
  const members: Member[] = [];
  for (const r of visible) {
    names.set(r.skillsetId, r.skillsetName);
    if (r.userId && r.userName) {
      members.push({
        skillsetId: r.skillsetId,
        skillsetName: r.skillsetName,
        userId: r.userId,
        userName: r.userName,
      });
    }
  }
  return { skillsets: names, members };
}

/** An agent the caller may hand the conversation to, or 400 naming `agentId`. */
function requireAgent(members: Member[], agentId: string, self: string): Member {
  const member = members.find((m) => m.userId === agentId);
  if (!member || agentId === self) {
    apiError(400, "invalid_body", "Not an agent you can hand this conversation to", [
      { path: "agentId", message: "not an agent of this number's skillsets you may choose" },
    ]);
  }
  return member;
}

function requireSkillset(skillsets: Map<string, string>, skillsetId: string): string {
  const name = skillsets.get(skillsetId);
  if (name === undefined) {
    apiError(400, "invalid_body", "Not a skillset of this number you may choose", [
      { path: "skillsetId", message: "not a skillset of this number you may choose" },
    ]);
  }
  return name;
}

/** Every waiting conversation of the tenant the caller may see. */
async function waitingEntries(env: Env, user: SessionUser): Promise<WaitingEntry[]> {
  const [limit, numbers] = await Promise.all([
    isolation(env, user),
    d1(env.DB)
      .select({ id: managedNumbers.id })
      .from(managedNumbers)
      .where(eq(managedNumbers.tenantId, user.tenantId)),
  ]);
  const lists = await Promise.all(numbers.map((n) => env.NUMBER.getByName(n.id).waitingList()));
  return lists
    .flat()
    .filter((e) => !limit || (e.skillsetId !== null && limit.has(e.skillsetId)))
    .sort((a, b) => a.arrivedAt - b.arrivedAt);
}

function publicItem({ skillsetId: _, ...item }: WaitingEntry) {
  return item;
}

export const lifecycle = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/conversations/:id/transfer-targets",
      summary:
        "Who a conversation can be transferred to or shared with: the number's agents with their live status, and its skillsets",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      response: TransferTargets,
    },
    async (c) => {
      const user = c.var.user;
      const { conversation } = await seatedConversation(c.env, user, c.req.valid("param").id);
      const [{ skillsets, members }, live] = await Promise.all([
        numberTeams(c.env, user, conversation.numberId),
        c.env.NUMBER.getByName(conversation.numberId).agentsLive(),
      ]);
      const byAgent = new Map<string, { name: string; skillsetIds: string[] }>();
      for (const m of members) {
        if (m.userId === user.id) continue;
        const entry = byAgent.get(m.userId) ?? { name: m.userName, skillsetIds: [] };
        entry.skillsetIds.push(m.skillsetId);
        byAgent.set(m.userId, entry);
      }
      const agents = [...byAgent].map(([id, a]) => {
        const state = live.find((l) => l.id === id);
        const status = state?.status ?? "offline";
        const load = state?.load ?? 0;
        const maxConversations = state?.maxConversations ?? 0;
        return {
          id,
          name: a.name,
          status,
          load,
          maxConversations,
          available: status === "ready" && load < maxConversations,
          skillsetIds: a.skillsetIds,
        };
      });
      return c.json({
        agents,
        skillsets: [...skillsets].map(([id, name]) => ({
          id,
          name,
          available: agents.filter((a) => a.available && a.skillsetIds.includes(id)).length,
        })),
      } satisfies TransferTargets);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/transfer",
      summary:
        "Transfer a conversation to a user (immediate or exclusive), a skillset, or the wait queue (public or personal)",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      body: TransferBody,
      response: ConversationView,
    },
    async (c) => {
      const user = c.var.user;
      const body = c.req.valid("json");
      const { stub, conversation } = await seatedConversation(c.env, user, c.req.valid("param").id);
      let request: Parameters<typeof stub.transfer>[2];
      if (body.to === "wait_queue") {
        request = body;
      } else {
        const { skillsets, members } = await numberTeams(c.env, user, conversation.numberId);
        if (body.to === "agent") {
          const agent = requireAgent(members, body.agentId, user.id);
          request = {
            to: "agent",
            agentId: agent.userId,
            agentName: agent.userName,
            mode: body.mode,
          };
        } else {
          request = {
            to: "skillset",
            skillsetId: body.skillsetId,
            skillsetName: requireSkillset(skillsets, body.skillsetId),
          };
        }
      }
      const result = await stub.transfer(user.tenantId, user.id, request);
      if (!result.ok) refuse("transferNotAssigned");
      return c.json(result.conversation);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/conference",
      summary:
        "Invite an agent, or the first available agent of a skillset, into a conversation (they accept like an offer)",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      body: ConferenceBody,
      response: z.object({ invited: z.object({ id: z.string(), name: z.string() }) }),
      status: 202,
    },
    async (c) => {
      const user = c.var.user;
      const body = c.req.valid("json");
      const id = c.req.valid("param").id;
      const { stub, conversation } = await seatedConversation(c.env, user, id);
      const { skillsets, members } = await numberTeams(c.env, user, conversation.numberId);
      let guestId: string;
      if (body.to === "agent") {
        guestId = requireAgent(members, body.agentId, user.id).userId;
      } else {
        requireSkillset(skillsets, body.skillsetId);
        const picked = await c.env.NUMBER.getByName(conversation.numberId).pickAgent(
          body.skillsetId,
          [user.id, ...conversation.participants.map((p) => p.id)],
        );
        if (!picked || !members.some((m) => m.userId === picked)) {
          refuse("nobodyAvailable");
        }
        guestId = picked;
      }
      const guest = members.find((m) => m.userId === guestId)!;
      const invitation = await stub.conferenceInvitation(user.tenantId, user.id, guestId);
      if (!invitation.ok) {
        if (invitation.code === "not_possible") refuse("alreadyIn", guest.userName);
        refuse("inviteNotAssigned");
      }
      const view = invitation.conversation;
      const at = now();
      const answer = await c.env.AGENT.getByName(guestId).offer(user.tenantId, view.numberId, {
        conversationId: view.id,
        customerName: view.customer.name,
        customerPhone: view.customer.phone,
        numberName: view.numberName,
        displayPhone: view.displayPhone,
        skillsetName: view.skillsetName,
        arrivedAt: view.createdAt,
        offeredAt: at,
        expiresAt: at + c.var.config.offerTimeoutMs,
        kind: "conference",
        fromAgentName: invitation.ownerName,
      });
      if (!answer.ok) refuse("guestNotAvailable", guest.userName);
      return c.json({ invited: { id: guestId, name: guest.userName } }, 202);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/leave",
      summary: "Leave a conference you were invited to; the owner keeps the conversation",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      status: 204,
    },
    async (c) => {
      const user = c.var.user;
      const { stub } = await seatedConversation(c.env, user, c.req.valid("param").id);
      const result = await stub.leave(user.tenantId, user.id);
      if (!result.ok) refuse("notAGuest");
      return c.body(null, 204);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/typing",
      summary: "The agent is typing (a pending welcome on assignment is then not sent)",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      status: 204,
    },
    async (c) => {
      const user = c.var.user;
      const { stub } = await seatedConversation(c.env, user, c.req.valid("param").id);
      await stub.agentTyping(user.id);
      return c.body(null, 204);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/waiting",
      summary:
        "The tenant's waiting conversations: awaiting assignment or transfer, in wait queues, left open by agents who logged out, unauthorized",
      tag: TAG,
      access: "user",
      response: WaitingList,
    },
    async (c) => {
      const items = await waitingEntries(c.env, c.var.user);
      return c.json({ items: items.map(publicItem) } satisfies WaitingList);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/wait-queue",
      summary: "My wait queue: the conversations I parked (personal and public)",
      tag: TAG,
      access: "user",
      response: WaitingList,
    },
    async (c) => {
      const user = c.var.user;
      const items = (await waitingEntries(c.env, user)).filter(
        (e) => e.state === "wait_queue" && e.agentId === user.id,
      );
      return c.json({ items: items.map(publicItem) } satisfies WaitingList);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/pick-up",
      summary:
        "Take a waiting conversation (from the waiting list); 409 at_capacity at my limit of conversations, 409 not_waiting when taken or closed meanwhile",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      response: ConversationView,
    },
    (c) => takeWaiting(c.env, c.var.user, c.req.valid("param").id, false).then((v) => c.json(v)),
  )
  .endpoint(
    {
      method: "post",
      path: "/api/conversations/:id/unpause",
      summary:
        "Take a conversation back from my wait queue; 409 at_capacity at my limit of conversations",
      tag: TAG,
      access: "user",
      params: ConversationParams,
      response: ConversationView,
    },
    (c) => takeWaiting(c.env, c.var.user, c.req.valid("param").id, true).then((v) => c.json(v)),
  );

/** Pick-up and unpause: the caller takes a waiting conversation they may see. */
async function takeWaiting(
  env: Env,
  user: SessionUser,
  id: string,
  ownWaitQueue: boolean,
): Promise<ConversationView> {
  const entry = (await waitingEntries(env, user)).find((e) => e.conversationId === id);
  if (!entry) {
    // Taken or closed meanwhile (409), or never the caller's to see (404).
    const exists = await env.CONVERSATION.getByName(id).read(
      user.tenantId,
      Number.MAX_SAFE_INTEGER,
    );
    refuse(exists ? "notWaiting" : "waitingMissing");
  }
  const result = await env.AGENT.getByName(user.id).pickUp(
    user.tenantId,
    id,
    entry.numberId,
    ownWaitQueue,
  );
  if (!result.ok) {
    refuseResult(result.code, {
      not_found: "notAnAgent",
      at_capacity: "atCapacityToTake",
      not_waiting: "notWaiting",
      offer_gone: "notWaiting",
    });
  }
  return result.conversation;
}
