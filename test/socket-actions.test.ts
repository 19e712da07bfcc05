/**
 * The desk's hot actions over its WebSocket, through the real Worker, agent and
 * conversation actors and the Meta simulator: accepting an offer, sending a
 * reply (idempotent by clientId) and reporting what was read, each answered by
 * a `result` frame with its ref — with no Worker request and no D1 query (the
 * socket was authenticated when it opened) — and refused as the HTTP routes
 * refuse, in the same words; a masked agent's results are masked.
 */
import { describe, expect, it } from "vitest";
import { refusal, refusalIn } from "../src/shared/refusals";
import { switchMasking } from "./kit/admin";
import { deskAgent, desktopOf, offerFor } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerWrites, relaySim } from "./kit/meta";
import { call, meterCounts, openSocket, socketAction } from "./kit/session";
import { phoneHolds, phoneThread } from "./kit/simulator";
import { openTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** An agent with the desk's socket open and an offer from a new customer. */
async function offered(masked = false) {
  const t = await openTenant();
  if (masked) await switchMasking(t.admin, true);
  const agent = await deskAgent(t, "Anna", ["care"]);
  const socket = await openSocket(agent, (await desktopOf(agent)).seq);
  const customer = phone();
  await customerWrites(t.phoneNumberId, customer, "Buongiorno");
  const offer = await offerFor(agent.userId, agent.tenantId);
  return { t, agent, socket, conversationId: offer.conversationId, customer };
}

describe("the desk's actions over its socket", () => {
  it("accept, send (once per clientId) and read, with no Worker request and no D1 query", async () => {
    const { t, agent, socket, conversationId, customer } = await offered();
    const accepted = await socketAction(socket, { type: "accept", conversationId });
    expect(accepted.error).toBeUndefined();
    expect(accepted.conversation).toMatchObject({ id: conversationId, agentId: agent.userId });

    await meterCounts(true);
    const clientId = crypto.randomUUID();
    const send = { type: "send", conversationId, clientId, text: "  Come posso aiutarla?  " };
    const sent = await socketAction(socket, send);
    expect(sent.error).toBeUndefined();
    expect(sent.message).toMatchObject({ direction: "out", text: "Come posso aiutarla?" });
    const counts = await meterCounts();
    // Only the meter's own read reached the Worker; the send read no session.
    expect(counts["worker.requests"]).toBe(1);
    expect(counts["d1.queries"] ?? 0).toBe(0);

    // The same clientId again (a desktop retrying after a lost answer): the same message, sent once.
    const again = await socketAction(socket, send);
    expect(again.message?.id).toBe(sent.message?.id);
    await phoneHolds(customer, 1);
    await relaySim(t.phoneNumberId);
    expect(await phoneThread(customer)).toHaveLength(1);

    const read = await socketAction(socket, {
      type: "read",
      conversationId,
      upToSeq: sent.message!.seq,
    });
    expect(read).toEqual({ type: "result", ref: read.ref });
    socket.ws.close();
  });

  it("refuses as the HTTP routes do, in the same words, and names a wrong field", async () => {
    const { socket, conversationId } = await offered();
    const notYours = await socketAction(socket, {
      type: "send",
      conversationId,
      clientId: crypto.randomUUID(),
      text: "not accepted yet",
    });
    const { status, code, message } = refusal("conversationNotYours");
    expect(notYours.error).toEqual({ status, code, message });

    const gone = await socketAction(socket, {
      type: "accept",
      conversationId: crypto.randomUUID(),
    });
    expect(gone.error).toMatchObject({ status: 409, code: "offer_gone" });

    socket.ws.send(
      JSON.stringify({
        type: "send",
        ref: "r1",
        conversationId,
        clientId: crypto.randomUUID(),
        text: "  ",
      }),
    );
    await eventually(async () =>
      socket.events.some(
        (e) => e.type === "error" && e.code === "bad_frame" && e.message.includes("text"),
      ),
    );
    expect(socket.events.some((e) => e.type === "result" && e.ref === "r1")).toBe(false);
    // The bad frame's answer carries its ref: the desk stops waiting and sends over HTTP.
    expect(socket.events.find((e) => e.type === "error")).toMatchObject({ ref: "r1" });
    socket.ws.close();
  });

  it("an Italian desktop's refusals are in Italian, over its socket and over HTTP alike", async () => {
    const t = await openTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const socket = await openSocket(agent, (await desktopOf(agent)).seq, "it");
    await customerWrites(t.phoneNumberId, phone(), "Buongiorno");
    const { conversationId } = await offerFor(agent.userId, agent.tenantId);
    const italian = refusalIn("it", "conversationNotYours");
    expect(italian.message).toBe("Nessuna conversazione così tra le tue");
    const overSocket = await socketAction(socket, {
      type: "send",
      conversationId,
      clientId: crypto.randomUUID(),
      text: "non ancora accettata",
    });
    expect(overSocket.error).toEqual({
      status: italian.status,
      code: italian.code,
      message: italian.message,
    });
    const overHttp = await call(
      agent,
      "POST",
      `/api/conversations/${conversationId}/messages`,
      { clientId: crypto.randomUUID(), text: "non ancora accettata" },
      { "Accept-Language": "it" },
    );
    expect(overHttp.status).toBe(italian.status);
    expect(((await overHttp.json()) as { error: { message: string } }).error.message).toBe(
      italian.message,
    );
    socket.ws.close();
  });

  it("a masked agent's results are masked, as the HTTP answers are", async () => {
    const { socket, conversationId, customer } = await offered(true);
    const accepted = await socketAction(socket, { type: "accept", conversationId });
    expect(accepted.conversation?.customer.phone).toBe(
      `${"*".repeat(customer.length - 3)}${customer.slice(-4)}`,
    );
    const sent = await socketAction(socket, {
      type: "send",
      conversationId,
      clientId: crypto.randomUUID(),
      text: "Write to melissa@gmail.com",
    });
    expect(sent.message?.text).toBe("Write to m******@gmail.com");
    socket.ws.close();
  });
});
