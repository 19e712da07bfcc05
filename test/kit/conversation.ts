/**
 * Conversations in workerd tests: offers, seats and the agent's desk, driven either
 * straight through the actors' RPC (seeded agents) or through the desktop API as a
 * signed-in agent does (Ready, accept, reply, close).
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type {
  ConversationView,
  DesktopSnapshot,
  MessageView,
  UploadView,
} from "../../src/shared/protocol";
import { phone } from "./ids";
import { customerWrites } from "./meta";
import { BASE, call, callJson, type Session, signIn } from "./session";
import type { HistoryTenant } from "./tenant";
import { eventually } from "./wait";

// ---- through the actors ----------------------------------------------------------

/** The agent's offers right now. */
export async function offersOf(agentId: string, tenantId: string) {
  return (await env.AGENT.getByName(agentId).snapshot(tenantId))!.offers;
}

/** Waits for the agent's first offer (a signed-in agent: `offerFor(s.userId, s.tenantId)`). */
export async function offerFor(agentId: string, tenantId: string) {
  return eventually(async () => (await offersOf(agentId, tenantId))[0]);
}

/** The agent's conversations (assigned or as a guest) right now. */
export async function conversationsOf(agentId: string, tenantId: string) {
  return (await env.AGENT.getByName(agentId).snapshot(tenantId))!.conversations;
}

/**
 * A customer writes, `agentId` (made Ready) gets the offer and accepts it.
 * Returns the conversation's id.
 */
export async function acceptedConversation(
  t: { tenantId: string; phoneNumberId: string },
  agentId: string,
  customer = phone(),
  text = "Buongiorno",
): Promise<{ conversationId: string; customer: string }> {
  await env.AGENT.getByName(agentId).setStatus(t.tenantId, "ready");
  await customerWrites(t.phoneNumberId, customer, text);
  const offer = await offerFor(agentId, t.tenantId);
  const accepted = await env.AGENT.getByName(agentId).accept(t.tenantId, offer.conversationId);
  if (!accepted.ok) throw new Error("the offer was not accepted");
  return { conversationId: offer.conversationId, customer };
}

/** The conversation's view and messages (the tenant's view). */
export async function conversationRead(tenantId: string, conversationId: string) {
  return (await env.CONVERSATION.getByName(conversationId).read(tenantId))!;
}

// ---- through the desktop API ------------------------------------------------------

/** A signed-in agent in `skills`, set Ready unless `ready` is false. */
export async function deskAgent(
  t: HistoryTenant,
  name: string,
  skills: string[],
  opts: { isolated?: boolean; ready?: boolean } = {},
): Promise<Session> {
  const agent = await signIn("agent", t.tenantId, { name });
  for (const skill of skills) {
    await env.DB.prepare(
      "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, 5)",
    )
      .bind(t.tenantId, t.skillsets[skill]!, agent.userId)
      .run();
  }
  if (opts.isolated) {
    await env.DB.prepare("UPDATE users SET isolated = 1 WHERE id = ?").bind(agent.userId).run();
  }
  if (opts.ready !== false) await setStatus(agent, "ready");
  return agent;
}

/** The agent sets a status through the desktop API (200 or the test fails). */
export function setStatus(
  agent: Session,
  status: "ready" | "back_office" | "break",
): Promise<unknown> {
  return callJson(agent, "POST", "/api/me/status", { status }, 200);
}

/** The agent sets Ready through the desktop API. */
export function setReady(agent: Session): Promise<unknown> {
  return setStatus(agent, "ready");
}

/** The agent's desk: offers, conversations, status. */
export function desktopOf(agent: Session): Promise<DesktopSnapshot> {
  return callJson<DesktopSnapshot>(agent, "GET", "/api/desktop", undefined, 200);
}

/** The agent accepts the offer of `conversationId` (200 or the test fails). */
export function accept(agent: Session, conversationId: string): Promise<ConversationView> {
  return callJson<ConversationView>(
    agent,
    "POST",
    `/api/offers/${conversationId}/accept`,
    undefined,
    200,
  );
}

/** The customer writes `text`; `agent` gets the offer and accepts it. Returns the conversation id. */
export async function takeConversation(
  t: HistoryTenant,
  agent: Session,
  from: string,
  text: string,
  name = "Mario Rossi",
): Promise<string> {
  await customerWrites(t.phoneNumberId, from, text, name);
  const offer = await offerFor(agent.userId, agent.tenantId);
  await accept(agent, offer.conversationId);
  return offer.conversationId;
}

/** The conversation's messages as the agent (or a session cookie) reads them through the API. */
export async function messagesOf(
  agent: Session | string,
  conversationId: string,
): Promise<MessageView[]> {
  const read = await callJson<{ messages: MessageView[] }>(
    agent,
    "GET",
    `/api/conversations/${conversationId}`,
    undefined,
    200,
  );
  return read.messages;
}

/** The agent replies through the desktop API. */
export function reply(agent: Session, conversationId: string, text: string): Promise<unknown> {
  return callJson(
    agent,
    "POST",
    `/api/conversations/${conversationId}/messages`,
    { clientId: crypto.randomUUID(), text },
    201,
  );
}

/** The agent sends `body` (a text or content) to the conversation; the answer is not checked. */
export function send(agent: Session, conversationId: string, body: unknown): Promise<Response> {
  return call(agent, "POST", `/api/conversations/${conversationId}/messages`, body);
}

/** The agent closes through the desktop API. */
export function closeConversation(
  agent: Session,
  conversationId: string,
  reason: string,
  notes?: string,
): Promise<unknown> {
  return callJson(
    agent,
    "POST",
    `/api/conversations/${conversationId}/close`,
    { reason, ...(notes === undefined ? {} : { notes }) },
    200,
  );
}

/** A file the agent attaches: its bytes, type, name and (optionally) the kind asked for. */
export interface UploadFile {
  data: Uint8Array<ArrayBuffer>;
  type: string;
  name: string;
  kind?: string;
}

/** POSTs multipart form data with the session cookie (fetch sets the boundary). */
export function postForm(session: Session, path: string, form: FormData): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { Cookie: session.cookie },
    body: form,
  });
}

/** Uploads `file` to the conversation as the composer does; the answer, not checked. */
export function uploadRequest(
  session: Session,
  conversationId: string,
  file: UploadFile,
): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([file.data], file.name, { type: file.type }));
  if (file.kind) form.set("kind", file.kind);
  return postForm(session, `/api/conversations/${conversationId}/uploads`, form);
}

/** Uploads `file` to the conversation (201 or the test fails); the upload. */
export async function uploadFile(
  session: Session,
  conversationId: string,
  file: UploadFile,
): Promise<UploadView> {
  const res = await uploadRequest(session, conversationId, file);
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as UploadView;
}
