/**
 * What one customer message with the agent's reply costs (issue 18): the
 * meter's counts around the inbound webhook, the reply the desk sends on its
 * socket and Meta's statuses for it, on a conversation already assigned. The
 * bench measures the same under load; this test pins what must not come back.
 */
import { describe, expect, it } from "vitest";
import { deskAgent, desktopOf, offerFor } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerWrites, relaySim } from "./kit/meta";
import { meterCounts, openSocket, socketAction } from "./kit/session";
import { phoneHolds } from "./kit/simulator";
import { openTenant } from "./kit/tenant";

describe("one message with its reply", () => {
  it("runs no D1 query, and reaches the Worker only for Meta's webhooks", async () => {
    const t = await openTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const socket = await openSocket(agent, (await desktopOf(agent)).seq);
    const customer = phone();
    await customerWrites(t.phoneNumberId, customer, "first");
    const { conversationId } = await offerFor(agent.userId, agent.tenantId);
    expect((await socketAction(socket, { type: "accept", conversationId })).error).toBeUndefined();

    for (const [n, text] of [
      [1, "second"],
      [2, "third"],
    ] as const) {
      await meterCounts(true);
      await customerWrites(t.phoneNumberId, customer, text);
      const sent = await socketAction(socket, {
        type: "send",
        conversationId,
        clientId: crypto.randomUUID(),
        text: `answer ${n}`,
      });
      expect(sent.error).toBeUndefined();
      // The agent's own actor shows the reply on the desk: the conversation does not call back.
      const shown = socket.events.find(
        (e) => e.type === "message" && e.message.id === sent.message?.id,
      );
      expect(shown).toMatchObject({ conversationId, message: { text: `answer ${n}` } });
      await phoneHolds(customer, n);
      const statusWebhooks = await relaySim(t.phoneNumberId);
      const counts = await meterCounts();
      // The first reply of the conversation too: its number handed it the access token.
      expect(counts["d1.queries"] ?? 0).toBe(0);
      // The customer's webhook, Meta's status webhooks, and this read of the meter.
      expect(counts["worker.requests"]).toBe(1 + statusWebhooks + 1);
      expect(counts["actor.number.ingest"]).toBe(1);
      expect(counts["actor.conversation.sendText"]).toBe(1);
      // The customer's message, then each tick: never the reply itself.
      expect(counts["actor.agent.notify"]).toBe(1 + statusWebhooks);
      // The reply's send is made by the drain it starts: no alarm wakes for it.
      expect(counts["actor.conversation.alarm"] ?? 0).toBe(0);
    }
    socket.ws.close();
  });
});
