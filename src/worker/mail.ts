/**
 * E-mail over SMTP (worker-mailer on `cloudflare:sockets`) and the texts of
 * the mails Parley sends, in the recipient's language. Sending never throws:
 * callers get a value and decide (an invitation that could not be mailed is
 * kept, and the admin can resend it).
 */
import { LogLevel, WorkerMailer } from "worker-mailer";
import type { Language } from "../shared/protocol";
import type { MailConfig } from "./config";
import { apiError } from "./http";

/** One mail to one person. */
export interface OutgoingMail {
  to: { email: string; name: string };
  subject: string;
  text: string;
  html: string;
}

export type MailResult = { ok: true } | { ok: false; error: string };

/** Connecting and every server reply must each happen within this time. */
const SMTP_TIMEOUT_MS = 10_000;

/**
 * Names and subjects come from people; a CR/LF or quote in them must never
 * become a header of its own (header injection), so they are flattened.
 */
function headerSafe(text: string): string {
  return text.replace(/[\r\n\t\0"\\<>]+/g, " ").trim();
}

/**
 * Sends one mail. Resolves `{ ok: false }` with the reason when the server is
 * unreachable, refuses us or times out; never throws. Not idempotent: every
 * call sends.
 */
export async function sendMail(config: MailConfig, mail: OutgoingMail): Promise<MailResult> {
  try {
    await WorkerMailer.send(
      {
        host: config.host,
        port: config.port,
        secure: config.secure === "tls",
        // worker-mailer upgrades only when the server offers STARTTLS (a server that
        // does not gets plain text, hence "tls" is the default); "none" must not try.
        startTls: config.secure === "starttls",
        ...(config.credentials
          ? { credentials: config.credentials, authType: ["plain", "login"] as const }
          : {}),
        // Also the per-reply timeout: worker-mailer uses this value for both.
        socketTimeoutMs: SMTP_TIMEOUT_MS,
        responseTimeoutMs: SMTP_TIMEOUT_MS,
        logLevel: LogLevel.NONE,
      },
      {
        from: { name: "Parley", email: config.from },
        to: { name: headerSafe(mail.to.name), email: mail.to.email },
        subject: headerSafe(mail.subject),
        text: mail.text,
        html: mail.html,
      },
    );
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

// ---- texts -------------------------------------------------------------------

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

/** What an invitation says; `inviter` null when the platform operator created the tenant. */
export interface Invitation {
  name: string;
  tenantName: string;
  inviter: string | null;
  link: string;
  expiresInDays: number;
}

const INVITATION: Record<
  Language,
  { subject: (i: Invitation) => string; lines: (i: Invitation) => string[]; action: string }
> = {
  en: {
    subject: (i) => `You are invited to ${i.tenantName} on Parley`,
    lines: (i) => [
      `Hello ${i.name},`,
      i.inviter
        ? `${i.inviter} invited you to join ${i.tenantName} on Parley, the WhatsApp contact center.`
        : `You are invited to join ${i.tenantName} on Parley, the WhatsApp contact center, as its administrator.`,
      "Set your password to sign in:",
    ],
    action: "Set my password",
  },
  it: {
    subject: (i) => `Invito a ${i.tenantName} su Parley`,
    lines: (i) => [
      `Ciao ${i.name},`,
      i.inviter
        ? `${i.inviter} ti ha invitato a unirti a ${i.tenantName} su Parley, il contact center WhatsApp.`
        : `Sei invitato a unirti a ${i.tenantName} su Parley, il contact center WhatsApp, come amministratore.`,
      "Imposta la tua password per accedere:",
    ],
    action: "Imposta la password",
  },
};

function validity(language: Language, days: number): string {
  return language === "it"
    ? `Il link vale una sola volta e scade tra ${days} giorni. Se non aspettavi questa e-mail, ignorala.`
    : `The link works once and expires in ${days} days. If you did not expect this e-mail, ignore it.`;
}

/** The invitation mail with its set-password link, in `language`. Pure. */
export function invitationMail(
  language: Language,
  to: { email: string; name: string },
  invitation: Invitation,
): OutgoingMail {
  const t = INVITATION[language];
  const lines = t.lines(invitation);
  const footer = validity(language, invitation.expiresInDays);
  const text = [...lines.slice(0, -1), `${lines.at(-1)}\n${invitation.link}`, footer].join("\n\n");
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(invitation.link)}">${escapeHtml(t.action)}</a></p>`,
    `<p>${escapeHtml(invitation.link)}</p>`,
    `<p style="color:#666">${escapeHtml(footer)}</p>`,
  ].join("\n");
  return { to, subject: t.subject(invitation), text: `${text}\n`, html };
}

/**
 * Mails an invitation link (`${PUBLIC_URL}/welcome?token=…`) to `invitee` in
 * their language. Answers 502 when it cannot be sent — the caller has already
 * saved the invitee and the token, which stay, so the invitation can be resent.
 */
export async function mailInvitation(
  config: MailConfig | null,
  invitee: { email: string; name: string; language: Language },
  invitation: { tenantName: string; inviter: string | null; token: string; expiresInDays: number },
): Promise<void> {
  if (!config) {
    apiError(
      502,
      "mail_not_configured",
      "Saved, but e-mail is not configured on this server, so no invitation was sent.",
    );
  }
  const link = `${config.publicUrl}/welcome?token=${encodeURIComponent(invitation.token)}`;
  const mail = invitationMail(invitee.language, invitee, {
    name: invitee.name,
    tenantName: invitation.tenantName,
    inviter: invitation.inviter,
    link,
    expiresInDays: invitation.expiresInDays,
  });
  const sent = await sendMail(config, mail);
  if (!sent.ok) {
    console.error("invitation mail failed", invitee.email, sent.error);
    apiError(
      502,
      "mail_failed",
      `Saved, but the invitation e-mail to ${invitee.email} could not be sent (the mail server did not accept it). Try "Resend invitation" later.`,
    );
  }
}
