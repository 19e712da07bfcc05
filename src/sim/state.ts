/**
 * In-memory state of the simulator: customers' threads, the 24 h windows,
 * uploaded media, injected faults, and the timers that drive async work.
 */
import { Accounts } from "./accounts.ts";
import type { JsonObject } from "./http.ts";
import { newNumericId, nowSeconds } from "./meta.ts";

/** Delivery status of a message as the customer's phone shows it. */
export type MessageStatus = "sent" | "delivered" | "read" | "failed";

/** One message in a customer's thread (plus bookkeeping the API does not expose). */
export interface StoredMessage {
  id: string;
  /** `in` = customer → business, `out` = business → customer (sent via Graph). */
  direction: "in" | "out";
  type: string;
  text: string;
  status: MessageStatus | null;
  /** Unix seconds. */
  timestamp: number;
  /** Outbound: when the Graph call arrived, in epoch ms (benchmarks time replies with it). */
  receivedAtMs?: number;
  /** Inbound: the webhook message object. Outbound: the Graph send body. */
  raw: JsonObject;
  phoneNumberId: string;
  customer: string;
  bizOpaque?: string;
  /** The customer opened the chat before this message was delivered. */
  readRequested: boolean;
  /** `delivered` was skipped because read came first: `read` carries pricing instead. */
  skippedDelivered: boolean;
}

/** The JSON view of a thread message returned by `GET /_sim/threads/:customer`. */
export function messageView(m: StoredMessage): JsonObject {
  return {
    id: m.id,
    direction: m.direction,
    type: m.type,
    text: m.text,
    status: m.status,
    timestamp: m.timestamp,
    ...(m.receivedAtMs !== undefined ? { receivedAtMs: m.receivedAtMs } : {}),
    raw: m.raw,
  };
}

/** A file uploaded through `POST /:phoneNumberId/media`. */
export interface MediaItem {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  filename?: string;
  /**
   * Where `GET /:mediaId` points the download (media-host tests): `direct` (default),
   * `other-host` (the same file under another host name), `redirect` (a redirect to the
   * direct URL on this host), `redirect-other-host` (a redirect to the other host name) or
   * `stall` (the direct URL, which never answers: a download that times out).
   */
  urlStyle?: MediaUrlStyle;
  /** Requests for its bytes, for tests proving a URL was never fetched. */
  downloads: number;
  /** Requests for its redirect (`urlStyle` redirect or redirect-other-host). */
  redirects: number;
}

export const MEDIA_URL_STYLES = [
  "direct",
  "other-host",
  "redirect",
  "redirect-other-host",
  "stall",
] as const;
export type MediaUrlStyle = (typeof MEDIA_URL_STYLES)[number];

/** Injected failure for the next `remaining` Graph API calls. */
export interface Fault {
  remaining: number;
  httpStatus: number;
  code: number;
  /** Send calls succeed (200) but a `failed` status webhook with `code` follows. */
  async: boolean;
  /** Time-window mode: every call fails until this epoch ms (then `remaining` is ignored). */
  untilMs?: number;
  /** The failure comes only after this many ms (a slow Meta; scoped faults only). */
  delayMs?: number;
  /**
   * Send calls are accepted (stored, status webhooks follow) but the HTTP answer is held
   * this long: a client that gives up first never learns the outcome.
   */
  holdMs?: number;
  /**
   * The connection is dropped without an answer: a send is accepted first (its status
   * webhooks follow); any other call is simply not answered (Meta unreachable).
   */
  drop?: boolean;
  /** With `holdMs` or `drop`: no status webhook follows either (Meta's webhooks lost). */
  noStatuses?: boolean;
  /** A global fault only for calls about this phone number id (sends, uploads); others pass. */
  phoneNumberId?: string;
}

/** Whether a fault lets send calls through to Meta's side (async failure, held or dropped answer). */
export function acceptsSends(fault: Fault): boolean {
  return fault.async || fault.holdMs !== undefined || fault.drop === true;
}

/** A message template of a WhatsApp Business Account, as Meta keeps it. */
export interface SimTemplate {
  /** Meta's numeric id as a string; below 2^53 so it survives JSON numbers in webhooks. */
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  components: JsonObject[];
  /** PENDING, APPROVED, REJECTED, PAUSED or DISABLED. */
  status: string;
  /** Meta's reason of the last review decision (e.g. INVALID_FORMAT), or null. */
  reason: string | null;
}

/** A pricing conversation (Meta's `conversation` object) kept per number + customer. */
export interface Conversation {
  id: string;
  expiresAt: number;
  origin: string;
}

const WINDOW_SECONDS = 24 * 60 * 60;

/** Tracks pending timeouts so reset/close can cancel all async work. */
export class Timers {
  #pending = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `fn` after `ms`; errors are logged, never thrown. */
  later(ms: number, fn: () => void | Promise<void>): void {
    const handle = setTimeout(() => {
      this.#pending.delete(handle);
      Promise.resolve()
        .then(fn)
        .catch((err: unknown) => console.error("[sim] timer task failed:", err));
    }, ms);
    this.#pending.add(handle);
  }

  /** Cancels every pending timeout. */
  clear(): void {
    for (const handle of this.#pending) clearTimeout(handle);
    this.#pending.clear();
  }
}

/** All mutable simulator data. */
export class SimState {
  readonly threads = new Map<string, StoredMessage[]>();
  readonly byId = new Map<string, StoredMessage>();
  /** `${phoneNumberId}:${customer}` → Unix seconds of the last inbound message. */
  readonly lastInbound = new Map<string, number>();
  readonly names = new Map<string, string>();
  readonly media = new Map<string, MediaItem>();
  readonly conversations = new Map<string, Conversation>();
  /** customer → Unix ms until which the business shows "typing…". */
  readonly typingUntil = new Map<string, number>();
  /** Message templates of every WABA, by Meta id. */
  readonly templates = new Map<string, SimTemplate>();
  /** WABAs, their phone numbers and the tokens granted on them (kept across reset). */
  readonly accounts = new Accounts();
  fault: Fault | null = null;
  /**
   * Faults of the Graph calls about one object (a phone number id or a WABA
   * id), by that id: tests that share the simulator cannot fail each other.
   */
  readonly objectFaults = new Map<string, Fault>();
  /** Graph calls failed by injected faults since start or reset (drills report it). */
  faultsServed = 0;

  /** The customer's thread (created empty on first use). */
  thread(customer: string): StoredMessage[] {
    let list = this.threads.get(customer);
    if (!list) {
      list = [];
      this.threads.set(customer, list);
    }
    return list;
  }

  /** Appends a message to its customer's thread (ignores an id already stored). */
  add(message: StoredMessage): void {
    if (this.byId.has(message.id)) return;
    this.byId.set(message.id, message);
    this.thread(message.customer).push(message);
  }

  /** Records an inbound message time for the 24 h customer service window. */
  touchWindow(phoneNumberId: string, customer: string, at: number): void {
    const key = `${phoneNumberId}:${customer}`;
    this.lastInbound.set(key, Math.max(at, this.lastInbound.get(key) ?? 0));
  }

  /** Whether the customer wrote to this number within the last 24 h. */
  windowOpen(phoneNumberId: string, customer: string): boolean {
    const last = this.lastInbound.get(`${phoneNumberId}:${customer}`);
    return last !== undefined && nowSeconds() - last < WINDOW_SECONDS;
  }

  /** The open pricing conversation for number + customer, starting one if needed. */
  conversation(phoneNumberId: string, customer: string, origin: string): Conversation {
    const key = `${phoneNumberId}:${customer}`;
    const current = this.conversations.get(key);
    if (current && current.expiresAt > nowSeconds()) return current;
    const fresh = { id: newNumericId(32), expiresAt: nowSeconds() + WINDOW_SECONDS, origin };
    this.conversations.set(key, fresh);
    return fresh;
  }

  /**
   * Consumes one injected fault for a Graph call, if any applies: the fault of
   * `objectId` (the phone number or WABA the call is about) first, else the
   * global one. Async and held faults only apply to message sends; so does a
   * global dropped connection (a scoped one also drops reads); a global fault
   * for one phone number id only applies to calls naming it.
   */
  takeFault(isSend: boolean, objectId?: string): Fault | null {
    const scoped = objectId === undefined ? undefined : this.objectFaults.get(objectId);
    if (scoped && objectId !== undefined) {
      const taken = this.#consume(scoped, isSend, true, () => this.objectFaults.delete(objectId));
      if (taken) return taken;
    }
    const fault = this.fault;
    if (!fault) return null;
    if (fault.phoneNumberId !== undefined && fault.phoneNumberId !== objectId) return null;
    return this.#consume(fault, isSend, false, () => {
      this.fault = null;
    });
  }

  #consume(fault: Fault, isSend: boolean, scoped: boolean, forget: () => void): Fault | null {
    const sendsOnly = fault.async || fault.holdMs !== undefined || (!scoped && fault.drop === true);
    if (sendsOnly && !isSend) return null;
    if (fault.untilMs !== undefined) {
      if (Date.now() >= fault.untilMs) {
        forget();
        return null;
      }
    } else {
      fault.remaining -= 1;
      if (fault.remaining <= 0) forget();
    }
    this.faultsServed += 1;
    return fault;
  }

  /** Forgets everything but the accounts (Meta's configuration, like the app secret). */
  reset(): void {
    this.threads.clear();
    this.byId.clear();
    this.lastInbound.clear();
    this.names.clear();
    this.media.clear();
    this.conversations.clear();
    this.typingUntil.clear();
    this.templates.clear();
    this.fault = null;
    this.objectFaults.clear();
    this.faultsServed = 0;
  }
}
