/**
 * Meta → the Worker under test (workerd): webhooks signed like Meta signs them,
 * posted to the real Worker's route, and the webhooks the simulator queued
 * (it cannot reach a Worker that has no port) relayed byte for byte.
 */
import { env, exports } from "cloudflare:workers";
import { signBody } from "../../src/platform/crypto";
import { sim } from "./simulator";

/** The app secret the Worker under test verifies Meta's signature with. */
export const APP_SECRET = "dev-app-secret";
/** The Meta simulator's base URL (its Graph API is under `/v23.0`). */
export const SIM_URL = env.SIM_URL as string;

/** POSTs exact bytes with the given signature to the Worker's webhook route. */
export function deliverSigned(
  body: string | Uint8Array<ArrayBuffer>,
  signature: string,
): Promise<Response> {
  return exports.default.fetch("https://parley.test/webhooks/whatsapp", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature },
    body,
  });
}

/** POSTs a body to the real Worker's webhook, signed like Meta signs it. */
export async function postWebhook(
  payload: unknown | string,
  secret = APP_SECRET,
): Promise<Response> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const bytes = new TextEncoder().encode(body);
  return deliverSigned(bytes, await signBody(secret, bytes));
}

/** Relays the signed webhooks the simulator queued for `query` (200 each, or it throws). */
async function relay(query: string): Promise<number> {
  const res = await sim(`/_sim/outbox/drain?${query}`, {});
  const { items } = (await res.json()) as { items: { body: string; signature: string }[] };
  for (const item of items) {
    const r = await deliverSigned(item.body, item.signature);
    if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
  }
  return items.length;
}

/**
 * Relays the signed webhooks the simulator queued for `phoneNumberId` to the
 * Worker, byte for byte with the simulator's signature. Returns how many.
 */
export function relaySim(phoneNumberId: string): Promise<number> {
  return relay(`phoneNumberId=${phoneNumberId}`);
}

/**
 * Relays the signed webhooks the simulator queued for the WhatsApp Business
 * Account `wabaId` (template status updates, which name no number) to the
 * Worker, byte for byte. Returns how many.
 */
export function relaySimWaba(wabaId: string): Promise<number> {
  return relay(`wabaId=${wabaId}`);
}

/** The customer writes from the simulator's phone; the signed webhook is relayed to the Worker. */
export async function customerWrites(
  phoneNumberId: string,
  from: string,
  text: string,
  name = "Mario Rossi",
): Promise<string> {
  const res = await sim("/_sim/inbound", { from, name, phoneNumberId, text });
  const { id } = (await res.json()) as { id: string };
  await relaySim(phoneNumberId);
  return id;
}

/**
 * The customer sends a raw Meta message object (an image, a reply, …) from the
 * simulator's phone; the webhook is relayed. Returns the wamid.
 */
export async function customerSends(
  t: { phoneNumberId: string },
  from: string,
  message: Record<string, unknown>,
): Promise<string> {
  const res = await sim("/_sim/inbound", { from, phoneNumberId: t.phoneNumberId, message });
  if (!res.ok) throw new Error(`sim inbound ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await relaySim(t.phoneNumberId);
  return id;
}
