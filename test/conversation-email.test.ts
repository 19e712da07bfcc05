/**
 * POST /api/conversations/:id/email through the real Worker, actors and the
 * SMTP sink: the transcript of an open conversation, as it is now, reaches the
 * address; only someone seated in it (owner or conference guest) may send it.
 */
import { describe, expect, it } from "vitest";
import { deskAgent, offerFor, reply, setReady, takeConversation } from "./kit/conversation";
import { emailAddress, phone } from "./kit/ids";
import { mailsArrived, mailsTo } from "./kit/mail";
import { customerWrites } from "./kit/meta";
import { badFields, call, type Session } from "./kit/session";
import { openTenant } from "./kit/tenant";

function email(session: Session, id: string, body: unknown): Promise<Response> {
  return call(session, "POST", `/api/conversations/${id}/email`, body);
}

describe("e-mail of the open conversation", () => {
  it("sends the transcript so far, in the requested language, to the address", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "Il pacco non è arrivato", "Lucia Bianchi");
    await customerWrites(t.phoneNumberId, from, "Ordine 4411");
    await reply(anna, id, "Controllo subito");

    const to = emailAddress("boss");
    expect((await email(anna, id, { to, language: "it" })).status).toBe(202);
    const [mail] = await mailsArrived(to);
    expect(mail!.subject).toContain("Lucia Bianchi");
    expect(mail!.text).toContain("Trascrizione della conversazione");
    expect(mail!.text).toContain("Lucia Bianchi: Il pacco non è arrivato");
    expect(mail!.text).toContain("Lucia Bianchi: Ordine 4411");
    expect(mail!.text).toContain("Anna: Controllo subito");
    expect(mail!.text).toContain("ancora aperta");
  });

  it("is refused (404) to anyone not seated in it, and to another tenant", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await takeConversation(t, anna, phone(), "Salve");
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const to = emailAddress("nobody");
    expect((await email(bruno, id, { to })).status).toBe(404);
    expect((await email(t.admin, id, { to })).status).toBe(404);
    const other = await openTenant();
    expect((await email(other.admin, id, { to })).status).toBe(404);
    expect((await email(anna, crypto.randomUUID(), { to })).status).toBe(404);
    expect(await mailsTo(to)).toEqual([]);
  });

  it("lets a conference guest send it too", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const id = await takeConversation(t, anna, phone(), "Serve aiuto");
    await setReady(bruno);
    const invited = await call(anna, "POST", `/api/conversations/${id}/conference`, {
      to: "agent",
      agentId: bruno.userId,
    });
    expect(invited.status).toBe(202);
    const offer = await offerFor(bruno.userId, bruno.tenantId);
    expect((await call(bruno, "POST", `/api/offers/${offer.conversationId}/accept`)).status).toBe(
      200,
    );
    const to = emailAddress("guest");
    expect((await email(bruno, id, { to })).status).toBe(202);
    expect((await mailsArrived(to))[0]!.text).toContain("Serve aiuto");
  });

  it("answers 400 naming `to` when the address is missing or invalid", async () => {
    const t = await openTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await takeConversation(t, anna, phone(), "Ciao");
    expect(await badFields(await email(anna, id, { to: "not-an-address" }))).toEqual(["to"]);
    expect(await badFields(await email(anna, id, {}))).toEqual(["to"]);
    expect((await email(anna, "not-a-uuid", { to: emailAddress("x") })).status).toBe(400);
  });
});
