/**
 * The Meta simulator, driven over plain fetch: its control API (`/_sim/*`), what the
 * customer's phone holds, phone-side media and the WABAs it knows. Usable in workerd
 * (the simulator of vitest's global setup, the default) and in Node (pass the local
 * stack's `simUrl`).
 */
import { inject } from "vitest";
import { eventually } from "./wait.ts";

/** The simulator the workerd tests share (test/global-setup.ts). */
function sharedSimulator(): string {
  return inject("simUrl");
}

/** Calls the simulator's control API: GET without `body`, else POST it as JSON. */
export async function sim(
  path: string,
  body?: unknown,
  simUrl = sharedSimulator(),
): Promise<Response> {
  return fetch(`${simUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A message on the customer's phone, as the simulator shows it. */
export interface PhoneMessage {
  id: string;
  direction: "in" | "out";
  type: string;
  text: string;
  status: string | null;
  /** The Graph body the business sent (outbound) or Meta's message object (inbound). */
  raw: Record<string, unknown>;
}

/** What the customer's phone received from the business, oldest first. */
export async function phoneThread(
  customer: string,
  simUrl = sharedSimulator(),
): Promise<PhoneMessage[]> {
  const res = await sim(`/_sim/threads/${customer}`, undefined, simUrl);
  if (res.status !== 200) return [];
  const { messages } = (await res.json()) as { messages: PhoneMessage[] };
  return messages.filter((m) => m.direction === "out");
}

/** The texts the customer's phone received from the business, oldest first. */
export async function phoneReceived(customer: string, simUrl = sharedSimulator()) {
  return (await phoneThread(customer, simUrl)).map((m) => m.text);
}

/** Waits until the phone has received a message containing `text`; returns all it received. */
export async function phoneGets(customer: string, text: string): Promise<string[]> {
  return eventually(async () => {
    const got = await phoneReceived(customer);
    return got.some((t) => t.includes(text)) ? got : null;
  });
}

/**
 * Waits until the phone holds at least `count` messages from the business (automatic
 * ones included); returns them all, oldest first.
 */
export async function phoneHolds(
  customer: string,
  count: number,
  opts: { simUrl?: string; timeoutMs?: number } = {},
): Promise<PhoneMessage[]> {
  return eventually(async () => {
    const out = await phoneThread(customer, opts.simUrl);
    return out.length >= count ? out : null;
  }, opts.timeoutMs);
}

/**
 * Stores phone-side media in the simulator; returns Meta's media id. `url` says where
 * the simulator points its download (`direct` unless given: see the simulator's media).
 */
export async function simMedia(
  bytes: Uint8Array | string,
  type: string,
  opts: { url?: string; simUrl?: string } = {},
): Promise<string> {
  const query = opts.url ? `?url=${opts.url}` : "";
  const res = await fetch(`${opts.simUrl ?? sharedSimulator()}/_sim/media${query}`, {
    method: "POST",
    headers: { "Content-Type": type },
    body: typeof bytes === "string" ? bytes : new Uint8Array(bytes),
  });
  return ((await res.json()) as { id: string }).id;
}

/** A WhatsApp Business Account in the simulator, its numbers and a token granted on it. */
export interface SimAccount {
  wabaId: string;
  token: string;
}

/**
 * Registers in the Meta simulator a WABA (fresh unless given) holding
 * `phoneNumberIds`, and grants `token` (fresh unless given) on it, so Graph
 * proves those numbers with that token.
 */
export async function simAccount(
  opts: { wabaId?: string; phoneNumberIds?: string[]; token?: string; simUrl?: string } = {},
): Promise<SimAccount> {
  const res = await sim(
    "/_sim/accounts",
    {
      ...(opts.wabaId ? { wabaId: opts.wabaId } : {}),
      ...(opts.token ? { token: opts.token } : {}),
      phoneNumbers: (opts.phoneNumberIds ?? []).map((id) => ({ id })),
    },
    opts.simUrl,
  );
  if (res.status !== 200)
    throw new Error(`/_sim/accounts answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as SimAccount;
}
