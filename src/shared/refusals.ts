/**
 * The API's expected refusals, by name, each with its HTTP status, error code
 * and message, in one table: the Worker's routes answer them over HTTP
 * (src/worker/app/results.ts) and the agent actor answers the same ones to a
 * desktop's actions over its WebSocket (src/durable/agent/socket-actions.ts),
 * so a refusal reads the same whichever way the action came. Pure.
 */
import type { ApiError } from "./protocol";

type Fields = NonNullable<ApiError["error"]["fields"]>;

/** The HTTP statuses refusals answer with. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 502 | 503;

/** What a refusal answers. */
export interface Refusal {
  status: RefusalStatus;
  code: string;
  message: string;
  fields?: Fields;
}

const answer = (
  status: RefusalStatus,
  code: string,
  message: string,
  fields?: Fields,
): Refusal => ({ status, code, message, ...(fields ? { fields } : {}) });

export const REFUSALS = {
  // ---- who may call --------------------------------------------------------------
  unauthenticated: answer(401, "unauthenticated", "Sign in first"),
  adminsOnly: answer(403, "forbidden", "Only administrators may do this"),
  operatorOnly: answer(403, "forbidden", "Only the platform operator may do this"),
  tenantsOnly: answer(403, "forbidden", "Customers belong to tenants"),
  notAnAgent: answer(403, "not_an_agent", "This user cannot take conversations"),
  /** A part the action needs did not answer; the action may be repeated (a send is idempotent). */
  unavailable: answer(503, "unavailable", "The service did not answer: try again in a moment"),

  // ---- conversations -------------------------------------------------------------
  /** Not the tenant's, or not assigned to (or shared with) the caller: the same 404, it must not tell. */
  conversationNotYours: answer(404, "not_found", "No such conversation among yours"),
  conversationMissing: answer(404, "not_found", "No such conversation"),
  conversationClosed: answer(409, "closed", "The conversation is closed"),
  /** A reply (not a template) more than 24 hours after the customer's last message. */
  replyWindowClosed: answer(
    409,
    "window_closed",
    "More than 24 hours have passed since the customer's last message: only a template can be sent",
  ),
  uploadGone: answer(404, "not_found", "No such upload in this conversation"),
  messageNotYours: answer(404, "not_found", "No such message in your conversations"),
  notResendable: answer(
    409,
    "not_resendable",
    "Only a message that is not confirmed or that failed can be resent",
  ),
  offerGone: answer(409, "offer_gone", "This offer has expired or was withdrawn"),
  fileMissing: answer(404, "not_found", "No such file"),

  // ---- handover: transfer, conference, waiting conversations -----------------------
  transferNotAssigned: answer(
    409,
    "not_assigned",
    "Only the agent who has the conversation can transfer it",
  ),
  inviteNotAssigned: answer(
    409,
    "not_assigned",
    "Only the agent who has the conversation can invite",
  ),
  alreadyIn: (guestName: string) =>
    answer(409, "already_in", `${guestName} is already in this conversation`),
  guestNotAvailable: (guestName: string) =>
    answer(409, "not_available", `${guestName} is not available (not Ready, or at their limit)`),
  nobodyAvailable: answer(409, "nobody_available", "Nobody in that skillset can join right now"),
  notAGuest: answer(
    409,
    "not_a_guest",
    "Only an invited agent can leave; the owner closes or transfers",
  ),
  notWaiting: answer(
    409,
    "not_waiting",
    "Someone else took this conversation, or it is no longer waiting",
  ),
  waitingMissing: answer(404, "not_found", "No such waiting conversation"),
  atCapacityToTake: answer(
    409,
    "at_capacity",
    "You are at your limit of conversations: close one before taking another",
  ),

  // ---- starting conversations (outbound) -------------------------------------------
  atCapacityToStart: answer(
    409,
    "at_capacity",
    "You are at your limit of conversations: close one before starting another",
  ),
  alreadyOpen: (agentName?: string | null) =>
    answer(
      409,
      "already_open",
      `${agentName ?? "Another agent"} already has a conversation open with this customer on this number`,
    ),
  customerWaiting: answer(
    409,
    "waiting",
    "This customer's conversation on this number is waiting for an agent: pick it up from the waiting conversations",
  ),
  awaitingReply: answer(
    409,
    "awaiting_reply",
    "The customer has not answered your template yet: only another template can be sent",
  ),
  /** Starting with a free message outside the customer's 24-hour window. */
  startWindowClosed: answer(
    409,
    "window_closed",
    "The customer has not written in the last 24 hours: only a template can be sent",
  ),
  notPending: answer(409, "not_pending", "This is not a template of yours waiting for a reply"),

  // ---- the tenant's records ---------------------------------------------------------
  tenantMissing: answer(404, "not_found", "No such tenant"),
  /** `path`: the body's field holding the address. */
  emailTaken: (path: string) =>
    answer(409, "conflict", "This e-mail address already has an account", [
      { path, message: "already has an account" },
    ]),
} satisfies Record<string, Refusal | ((...args: never[]) => Refusal)>;

/**
 * The refusals' messages in Italian, by the same names (the status, code and fields
 * stay those of REFUSALS). A field's message is translated too.
 */
const MESSAGES_IT: {
  [N in keyof typeof REFUSALS]: (typeof REFUSALS)[N] extends (...args: infer A) => Refusal
    ? (...args: A) => string
    : string;
} = {
  unauthenticated: "Accedi prima",
  adminsOnly: "Solo gli amministratori possono farlo",
  operatorOnly: "Solo l'operatore della piattaforma può farlo",
  tenantsOnly: "I clienti appartengono alle aziende",
  notAnAgent: "Questo utente non può prendere conversazioni",
  unavailable: "Il servizio non ha risposto: riprova tra un momento",
  conversationNotYours: "Nessuna conversazione così tra le tue",
  conversationMissing: "Nessuna conversazione così",
  conversationClosed: "La conversazione è chiusa",
  replyWindowClosed:
    "Sono passate più di 24 ore dall'ultimo messaggio del cliente: si può inviare solo un template",
  uploadGone: "Nessun file caricato così in questa conversazione",
  messageNotYours: "Nessun messaggio così nelle tue conversazioni",
  notResendable: "Si può reinviare solo un messaggio non confermato o non riuscito",
  offerGone: "Questa offerta è scaduta o è stata ritirata",
  fileMissing: "Nessun file così",
  transferNotAssigned: "Solo l'operatore che ha la conversazione può trasferirla",
  inviteNotAssigned: "Solo l'operatore che ha la conversazione può invitare",
  alreadyIn: (guestName) => `${guestName} è già in questa conversazione`,
  guestNotAvailable: (guestName) =>
    `${guestName} non è disponibile (non è Pronto, o è al suo limite)`,
  nobodyAvailable: "Nessuno di quello skillset può entrare adesso",
  notAGuest:
    "Solo un operatore invitato può uscire; chi ha la conversazione la chiude o la trasferisce",
  notWaiting: "Qualcun altro ha preso questa conversazione, o non è più in attesa",
  waitingMissing: "Nessuna conversazione in attesa così",
  atCapacityToTake:
    "Hai raggiunto il tuo limite di conversazioni: chiudine una prima di prenderne un'altra",
  atCapacityToStart:
    "Hai raggiunto il tuo limite di conversazioni: chiudine una prima di avviarne un'altra",
  alreadyOpen: (agentName) =>
    `${agentName ?? "Un altro operatore"} ha già una conversazione aperta con questo cliente su questo numero`,
  customerWaiting:
    "La conversazione di questo cliente su questo numero aspetta un operatore: prendila dalle conversazioni in attesa",
  awaitingReply:
    "Il cliente non ha ancora risposto al tuo template: si può inviare solo un altro template",
  startWindowClosed:
    "Il cliente non ha scritto nelle ultime 24 ore: si può inviare solo un template",
  notPending: "Questo non è un tuo template in attesa di risposta",
  tenantMissing: "Nessuna azienda così",
  emailTaken: () => "Questo indirizzo e-mail ha già un account",
};

/** Field messages of refusals, in Italian. */
const FIELD_MESSAGES_IT: Record<string, string> = {
  "already has an account": "ha già un account",
};

type Refusals = typeof REFUSALS;
export type RefusalName = keyof Refusals;
/** Refusals that take no argument: what an actor's result code can map to. */
export type PlainRefusal = {
  [N in RefusalName]: Refusals[N] extends Refusal ? N : never;
}[RefusalName];
export type ArgsOf<N extends RefusalName> = Refusals[N] extends (...args: infer A) => Refusal
  ? A
  : [];

/** The refusal's answer, in English, without answering (for tests and documentation). */
export function refusal<N extends RefusalName>(name: N, ...args: ArgsOf<N>): Refusal {
  const entry: unknown = REFUSALS[name];
  return typeof entry === "function"
    ? (entry as (...a: ArgsOf<N>) => Refusal)(...args)
    : (entry as Refusal);
}

/** The refusal's answer with its message in `language` ("en" or "it"). */
export function refusalIn<N extends RefusalName>(
  language: "en" | "it",
  name: N,
  ...args: ArgsOf<N>
): Refusal {
  const english = refusal(name, ...args);
  if (language !== "it") return english;
  const entry: unknown = MESSAGES_IT[name];
  const message =
    typeof entry === "function" ? (entry as (...a: ArgsOf<N>) => string)(...args) : String(entry);
  return {
    ...english,
    message,
    ...(english.fields
      ? {
          fields: english.fields.map((f) => ({
            ...f,
            message: FIELD_MESSAGES_IT[f.message] ?? f.message,
          })),
        }
      : {}),
  };
}

/**
 * What an agent's reply answers for each refusal code of the conversation's
 * `sendText`, over HTTP and over the desktop's socket alike.
 */
export const SEND_REFUSALS = {
  closed: "conversationClosed",
  window_closed: "replyWindowClosed",
  // Deleted unsent meanwhile (after a day): as if it had never been uploaded.
  upload_gone: "uploadGone",
  not_found: "conversationNotYours",
  not_assigned: "conversationNotYours",
} as const satisfies Record<string, PlainRefusal>;

/** What accepting an offer answers for each refusal code of the agent's `accept`. */
export const ACCEPT_REFUSALS = {
  offer_gone: "offerGone",
  not_found: "offerGone",
} as const satisfies Record<string, PlainRefusal>;
