/**
 * POST /api/conversations/:id/email: the desktop's details pane mails the
 * transcript of an open conversation the caller sits in (owner or conference
 * guest; 404 otherwise), read from the conversation actor as it is now.
 * Mounted through my-history.ts.
 */
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import type { Env } from "../../durable/env";
import { d1 } from "../../platform/db/d1";
import { managedNumbers, users } from "../../platform/db/schema";
import {
  type HistoryConversation,
  type HistoryMessage,
  TranscriptMailBody,
} from "../../shared/customer-history";
import { readSettings } from "../../shared/number-settings";
import type { MessageView } from "../../shared/protocol";
import type { AppEnv } from "../app/app-types";
import { mailTranscript } from "../app/mail-or-502";
import { refuse } from "../app/results";
import { Routes } from "../app/routes";
import { takeQuota } from "../security/limits";

/** A number as a transcript names it, and the zone its times are written in. */
export async function transcriptNumber(
  env: Env,
  tenantId: string,
  numberId: string,
): Promise<{ name: string | null; displayPhone: string | null; timeZone: string }> {
  const row = await d1(env.DB)
    .select({
      name: managedNumbers.name,
      displayPhone: managedNumbers.displayPhone,
      settings: managedNumbers.settings,
    })
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, numberId), eq(managedNumbers.tenantId, tenantId)))
    .get();
  return {
    name: row?.name ?? null,
    displayPhone: row?.displayPhone ?? null,
    timeZone: row ? readSettings(row.settings).workingTime.timeZone : "UTC",
  };
}

/**
 * Mails a stored (history) conversation's transcript as the caller asked
 * (`body`), once the caller's transcript quota allows it: what both history
 * routes do after finding a conversation the caller may read.
 */
export async function mailHistoryTranscript(
  c: Context<AppEnv>,
  body: TranscriptMailBody,
  customer: { name: string; phone: string | null },
  conversation: HistoryConversation,
  messages: HistoryMessage[],
): Promise<void> {
  const user = c.var.user;
  await takeQuota(c, { rule: "transcriptMail", subject: user.id });
  const number = await transcriptNumber(c.env, user.tenantId, conversation.numberId);
  await mailTranscript(
    c.var.config.mail,
    body.language ?? user.language,
    body.to,
    {
      conversationId: conversation.id,
      customer,
      number: { name: number.name, displayPhone: number.displayPhone },
      timeZone: number.timeZone,
      openedAt: conversation.openedAt,
      closedAt: conversation.closedAt,
      agentName: conversation.agentName,
      closedByName: conversation.closedByName,
      closeReason: conversation.closeReason,
      closeNotes: conversation.closeNotes,
      messages,
    },
    { masked: user.masked },
  );
}

/** Who wrote a message, as transcripts name them. Pure. */
export function senderOf(message: MessageView, customerName: string): string {
  if (message.direction === "in") return customerName;
  return message.sender.type === "agent" ? message.sender.name : "system";
}

const Params = z.object({ id: z.uuid() });

/** POST /api/conversations/:id/email. */
export const conversationEmail = new Routes().endpoint(
  {
    method: "post",
    path: "/api/conversations/:id/email",
    summary:
      "E-mail a readable transcript of an open conversation you own or were invited into, as it is now (in `language`, default yours); 502 when the mail server does not accept it",
    tag: "conversations",
    access: "user",
    params: Params,
    body: TranscriptMailBody,
    status: 202,
  },
  async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    // Seated now (owner or guest), and the tenant's: anything else is not the caller's to mail.
    const seated = await c.env.AGENT.getByName(user.id).owns(id);
    const read = seated ? await c.env.CONVERSATION.getByName(id).read(user.tenantId, 0) : null;
    if (!read) refuse("conversationNotYours");
    await takeQuota(c, { rule: "transcriptMail", subject: user.id });
    const { conversation, messages } = read;
    const [number, owner] = await Promise.all([
      transcriptNumber(c.env, user.tenantId, conversation.numberId),
      conversation.agentId
        ? d1(c.env.DB)
            .select({ name: users.name })
            .from(users)
            .where(and(eq(users.id, conversation.agentId), eq(users.tenantId, user.tenantId)))
            .get()
        : null,
    ]);
    await mailTranscript(
      c.var.config.mail,
      body.language ?? user.language,
      body.to,
      {
        conversationId: conversation.id,
        customer: { name: conversation.customer.name, phone: conversation.customer.phone },
        number: { name: number.name ?? conversation.numberName, displayPhone: number.displayPhone },
        timeZone: number.timeZone,
        openedAt: conversation.createdAt,
        closedAt: conversation.closedAt,
        agentName: owner?.name ?? null,
        closedByName: null,
        closeReason: conversation.closeReason,
        closeNotes: null,
        // Internal notes stay inside Parley, as in the e-mail on close.
        messages: messages
          .filter((m) => m.kind !== "note")
          .map((m) => ({
            senderName: senderOf(m, conversation.customer.name),
            text: m.text,
            createdAt: m.createdAt,
            kind: m.kind,
          })),
      },
      { masked: user.masked },
    );
    return c.body(null, 202);
  },
);
