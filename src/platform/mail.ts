/**
 * E-mail over SMTP (worker-mailer on `cloudflare:sockets`) and the texts of
 * the mails Parley sends, in the recipient's language. Sending never throws:
 * callers get a value and decide (an invitation that could not be mailed is
 * kept, and the admin can resend it).
 */
import { LogLevel, WorkerMailer } from "worker-mailer";
import { maskPhone, maskText } from "../shared/masking";
import { type FileKind, fileKindToName } from "../shared/message-content";
import type { Language } from "../shared/protocol";
import { wallClock } from "../shared/working-time";
import type { MailConfig } from "./config";

/** One mail to one person. */
export interface OutgoingMail {
  to: { email: string; name: string };
  subject: string;
  text: string;
  html: string;
}

export type MailResult = { ok: true } | { ok: false; error: string };

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
        // Connecting, and each server reply (worker-mailer uses this value for both).
        socketTimeoutMs: config.timeoutMs,
        responseTimeoutMs: config.timeoutMs,
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

// ---- password reset ------------------------------------------------------------------

/** What a password-reset mail says. */
export interface PasswordReset {
  name: string;
  link: string;
  expiresInHours: number;
}

const RESET: Record<
  Language,
  { subject: string; lines: (r: PasswordReset) => string[]; action: string; footer: string }
> = {
  en: {
    subject: "Reset your Parley password",
    lines: (r) => [
      `Hello ${r.name},`,
      "Someone (we hope you) asked to reset the password of your Parley account.",
      `Choose a new password with this link, which works once and expires in ${r.expiresInHours} hours:`,
    ],
    action: "Choose a new password",
    footer: "If you did not ask for it, ignore this e-mail: your password stays as it is.",
  },
  it: {
    subject: "Reimposta la tua password di Parley",
    lines: (r) => [
      `Ciao ${r.name},`,
      "Qualcuno (speriamo tu) ha chiesto di reimpostare la password del tuo account Parley.",
      `Scegli una nuova password con questo link, che vale una sola volta e scade tra ${r.expiresInHours} ore:`,
    ],
    action: "Scegli una nuova password",
    footer: "Se non l'hai chiesto tu, ignora questa e-mail: la tua password resta quella di prima.",
  },
};

/** The password-reset mail with its link, in `language`. Pure. */
export function passwordResetMail(
  language: Language,
  to: { email: string; name: string },
  reset: PasswordReset,
): OutgoingMail {
  const t = RESET[language];
  const lines = t.lines(reset);
  const text = [...lines.slice(0, -1), `${lines.at(-1)}\n${reset.link}`, t.footer].join("\n\n");
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(reset.link)}">${escapeHtml(t.action)}</a></p>`,
    `<p>${escapeHtml(reset.link)}</p>`,
    `<p style="color:#666">${escapeHtml(t.footer)}</p>`,
  ].join("\n");
  return { to, subject: t.subject, text: `${text}\n`, html };
}

// ---- conversation transcripts ---------------------------------------------------

/** A closed (or open) conversation as its transcript shows it. Times are ms. */
export interface Transcript {
  conversationId: string;
  customer: { name: string; phone: string | null };
  number: { name: string | null; displayPhone: string | null };
  /** IANA zone the times are written in (the number's working-time zone). */
  timeZone: string;
  openedAt: number;
  closedAt: number | null;
  agentName: string | null;
  closedByName: string | null;
  closeReason: string | null;
  closeNotes: string | null;
  /**
   * `text` null when the customer's message history was not kept; `kind`: a file is
   * named before its caption ("[Image] Our logo").
   */
  messages: { senderName: string; text: string | null; createdAt: number; kind?: string }[];
}

const TRANSCRIPT: Record<
  Language,
  {
    subject: (customer: string, day: string) => string;
    title: string;
    customer: string;
    number: string;
    opened: string;
    closed: string;
    stillOpen: string;
    agent: string;
    closedBy: string;
    reason: string;
    notes: string;
    id: string;
    notKept: string;
    noMessages: string;
    timesIn: (zone: string) => string;
    kinds: Record<FileKind, string>;
  }
> = {
  en: {
    subject: (customer, day) => `Conversation with ${customer} on ${day}`,
    title: "Conversation transcript",
    customer: "Customer",
    number: "Number",
    opened: "Opened",
    closed: "Closed",
    stillOpen: "still open",
    agent: "Agent",
    closedBy: "Closed by",
    reason: "Closing reason",
    notes: "Notes",
    id: "Conversation ID",
    notKept: "(contents not kept)",
    noMessages: "(no messages)",
    timesIn: (zone) => `Times are in ${zone}.`,
    kinds: {
      image: "Image",
      video: "Video",
      audio: "Audio",
      voice: "Voice message",
      document: "Document",
      sticker: "Sticker",
    },
  },
  it: {
    subject: (customer, day) => `Conversazione con ${customer} del ${day}`,
    title: "Trascrizione della conversazione",
    customer: "Cliente",
    number: "Numero",
    opened: "Aperta",
    closed: "Chiusa",
    stillOpen: "ancora aperta",
    agent: "Operatore",
    closedBy: "Chiusa da",
    reason: "Motivo di chiusura",
    notes: "Note",
    id: "ID conversazione",
    notKept: "(contenuto non conservato)",
    noMessages: "(nessun messaggio)",
    timesIn: (zone) => `Gli orari sono nel fuso ${zone}.`,
    kinds: {
      image: "Immagine",
      video: "Video",
      audio: "Audio",
      voice: "Messaggio vocale",
      document: "Documento",
      sticker: "Sticker",
    },
  },
};

/**
 * The transcript as a masked agent may send it: the customer's phone masked,
 * sensitive data in names, notes and messages masked (the business's number
 * stays). What an agent cannot see, they cannot mail. Pure.
 */
export function maskTranscript(t: Transcript): Transcript {
  const text = (s: string | null) => (s === null ? null : maskText(s));
  return {
    ...t,
    customer: {
      name: maskText(t.customer.name),
      phone: t.customer.phone === null ? null : maskPhone(t.customer.phone),
    },
    closeReason: text(t.closeReason),
    closeNotes: text(t.closeNotes),
    messages: t.messages.map((m) => ({
      ...m,
      senderName: maskText(m.senderName),
      text: text(m.text),
    })),
  };
}

/** "YYYY-MM-DD HH:MM" on the wall clock of `timeZone`. */
function wallTime(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * A readable transcript of a conversation, in `language`: a header (customer,
 * number, opened/closed, agent, who closed it, reason, notes) then one line per
 * message, "[time] sender: text". The HTML part escapes everything. Pure.
 */
/** A file's line names what it was before its caption ("[Image] Our logo"). */
function withFileKind(text: string, kind: string | undefined, names: Record<FileKind, string>) {
  const file = kind ? fileKindToName(kind, text) : null;
  return file ? `[${names[file]}] ${text}` : text;
}

export function transcriptMail(language: Language, to: string, t: Transcript): OutgoingMail {
  const l = TRANSCRIPT[language];
  const time = (at: number) => wallTime(at, t.timeZone);
  const withPhone = (name: string | null, phone: string | null) =>
    [name, phone && phone !== name ? `(${phone})` : null].filter(Boolean).join(" ") || "—";
  const header: [string, string][] = [
    [l.customer, withPhone(t.customer.name, t.customer.phone)],
    [l.number, withPhone(t.number.name, t.number.displayPhone)],
    [l.opened, time(t.openedAt)],
    [l.closed, t.closedAt === null ? l.stillOpen : time(t.closedAt)],
    [l.agent, t.agentName ?? "—"],
    [l.closedBy, t.closedByName ?? "—"],
    [l.reason, t.closeReason ?? "—"],
  ];
  if (t.closeNotes) header.push([l.notes, t.closeNotes]);
  header.push([l.id, t.conversationId]);
  const lines = t.messages.map((m) => ({
    at: `[${time(m.createdAt)}]`,
    sender: m.senderName,
    text: withFileKind(m.text ?? l.notKept, m.kind, l.kinds),
  }));
  const text = [
    l.title,
    "",
    ...header.map(([k, v]) => `${k}: ${v.replace(/\n/g, "\n    ")}`),
    l.timesIn(t.timeZone),
    "",
    ...(lines.length === 0
      ? [l.noMessages]
      : lines.map((m) => `${m.at} ${m.sender}: ${m.text.replace(/\n/g, "\n    ")}`)),
  ].join("\n");
  const br = (s: string) => escapeHtml(s).replace(/\n/g, "<br>");
  const html = [
    `<h2>${escapeHtml(l.title)}</h2>`,
    "<table>",
    ...header.map(
      ([k, v]) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td>${br(v)}</td></tr>`,
    ),
    "</table>",
    `<p style="color:#666">${escapeHtml(l.timesIn(t.timeZone))}</p>`,
    "<hr>",
    ...(lines.length === 0
      ? [`<p>${escapeHtml(l.noMessages)}</p>`]
      : lines.map(
          (m) =>
            `<p><span style="color:#666">${escapeHtml(m.at)}</span> <strong>${escapeHtml(m.sender)}</strong>: ${br(m.text)}</p>`,
        )),
  ].join("\n");
  return {
    to: { email: to, name: "" },
    subject: l.subject(t.customer.name, time(t.openedAt).slice(0, 10)),
    text: `${text}\n`,
    html,
  };
}
