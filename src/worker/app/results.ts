/**
 * The API's expected refusals, by name, each with its HTTP status, error code
 * and message, in one table. Routes name a refusal (`refuse`), and answer an
 * actor's `{ ok: false, code }` by mapping each code to one (`refuseResult`);
 * no route writes these statuses or messages itself. A refusal particular to
 * one route's own check (a field it validates, a row it looks up) stays beside
 * that check, with `apiError`.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../../shared/protocol";
import { apiError } from "./http";

type Fields = NonNullable<ApiError["error"]["fields"]>;

/** What a refusal answers. */
export interface Refusal {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  fields?: Fields;
}

const answer = (
  status: ContentfulStatusCode,
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

type Refusals = typeof REFUSALS;
export type RefusalName = keyof Refusals;
/** Refusals that take no argument: what an actor's result code can map to. */
export type PlainRefusal = {
  [N in RefusalName]: Refusals[N] extends Refusal ? N : never;
}[RefusalName];
type ArgsOf<N extends RefusalName> = Refusals[N] extends (...args: infer A) => Refusal ? A : [];

/** The refusal's answer, without answering (for tests and documentation). */
export function refusal<N extends RefusalName>(name: N, ...args: ArgsOf<N>): Refusal {
  const entry: unknown = REFUSALS[name];
  return typeof entry === "function"
    ? (entry as (...a: ArgsOf<N>) => Refusal)(...args)
    : (entry as Refusal);
}

/** Answers the named refusal: throws the HTTPException whose response is its `ApiError`. */
export function refuse<N extends RefusalName>(name: N, ...args: ArgsOf<N>): never {
  const { status, code, message, fields } = refusal(name, ...args);
  apiError(status, code, message, fields);
}

/**
 * Answers an actor's refusal: `map` names the refusal for each code the actor
 * method can return (every one: a new code does not compile until it is mapped).
 */
export function refuseResult<C extends string>(code: C, map: Record<C, PlainRefusal>): never {
  const name: PlainRefusal = map[code];
  refuse(name);
}
