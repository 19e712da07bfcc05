/**
 * The simulator's own `/_sim/*` endpoints: the customer's side (inbound
 * messages, threads, reading) and test controls (raw webhooks, faults, outbox, reset).
 */
import type { Handler, SimContext } from "./context.ts";
import {
  badRequest,
  isObject,
  type JsonObject,
  nonEmptyString,
  readJson,
  sendJson,
} from "./http.ts";
import {
  DEFAULT_PHONE_NUMBER_ID,
  describeMessage,
  digitsOf,
  newWamid,
  nowSeconds,
  webhookEnvelope,
} from "./meta.ts";
import { type Fault, messageView, type StoredMessage } from "./state.ts";
import { markRead } from "./statuses.ts";

async function readObject(req: Parameters<Handler>[1]): Promise<JsonObject> {
  const body = await readJson(req);
  if (!isObject(body)) throw badRequest("body must be a JSON object");
  return body;
}

function customerParam(raw: string | undefined): string {
  const digits = digitsOf(decodeURIComponent(raw ?? ""));
  if (digits === "") throw badRequest("customer number must contain digits");
  return digits;
}

/** The message object of an inbound request: `message` as given, or a text message. */
function baseMessage(body: JsonObject): JsonObject {
  if (isObject(body.message)) {
    if (nonEmptyString(body.message.type) === undefined)
      throw badRequest("message.type is required");
    return body.message;
  }
  if (typeof body.text === "string") return { type: "text", text: { body: body.text } };
  throw badRequest("either text or message is required");
}

/** Fills from/id/timestamp (first, as Meta orders them) around the given message. */
function completeMessage(body: JsonObject, from: string): JsonObject {
  const { from: givenFrom, id: givenId, timestamp: givenTs, ...rest } = baseMessage(body);
  return {
    from: nonEmptyString(givenFrom) ?? from,
    id: nonEmptyString(body.id) ?? nonEmptyString(givenId) ?? newWamid(from),
    timestamp:
      typeof givenTs === "number" || typeof givenTs === "string"
        ? String(givenTs)
        : String(nowSeconds()),
    ...rest,
  };
}

function profileName(ctx: SimContext, body: JsonObject, from: string): string {
  const name =
    nonEmptyString(body.name) ?? ctx.state.names.get(from) ?? `Customer ${from.slice(-4)}`;
  ctx.state.names.set(from, name);
  return name;
}

function recordInbound(ctx: SimContext, message: JsonObject, customer: string, pnid: string): void {
  const type = String(message.type);
  const timestamp = Number(message.timestamp) || nowSeconds();
  const stored: StoredMessage = {
    id: String(message.id),
    direction: "in",
    type,
    text: describeMessage(type, message),
    status: null,
    timestamp,
    raw: message,
    phoneNumberId: pnid,
    customer,
    readRequested: false,
    skippedDelivered: false,
  };
  ctx.state.add(stored);
  ctx.state.touchWindow(pnid, customer, timestamp);
}

/** `POST /_sim/inbound` — the customer sends a message; answers after the first delivery attempt. */
export const postInbound: Handler = async (ctx, req, res) => {
  const body = await readObject(req);
  const from = digitsOf(typeof body.from === "string" ? body.from : "");
  if (from === "") throw badRequest("from (the customer's digits) is required");
  const pnid = nonEmptyString(body.phoneNumberId) ?? DEFAULT_PHONE_NUMBER_ID;
  const message = completeMessage(body, from);
  const name = profileName(ctx, body, from);
  recordInbound(ctx, message, from, pnid);
  // Meta omits `contacts` on system messages (user changed number).
  const value: JsonObject =
    message.type === "system"
      ? { messages: [message] }
      : { contacts: [{ profile: { name }, wa_id: from }], messages: [message] };
  const result = await ctx.webhooks.send(webhookEnvelope(pnid, value));
  sendJson(res, 200, { id: String(message.id), ...result });
};

/** `POST /_sim/webhook` — signs and delivers an arbitrary `payload`. */
export const postRawWebhook: Handler = async (ctx, req, res) => {
  const body = await readObject(req);
  if (!isObject(body.payload)) throw badRequest("payload must be a JSON object");
  sendJson(res, 200, { ...(await ctx.webhooks.send(body.payload)) });
};

/** `GET /_sim/threads/:customer` — what the customer's phone holds. */
export const getThread: Handler = (ctx, _req, res, [raw]) => {
  const customer = customerParam(raw);
  const messages = (ctx.state.threads.get(customer) ?? []).map(messageView);
  const typing = (ctx.state.typingUntil.get(customer) ?? 0) > Date.now();
  sendJson(res, 200, { messages, typing });
};

/** `POST /_sim/threads/:customer/read` — the customer looks at the chat. */
export const postThreadRead: Handler = (ctx, _req, res, [raw]) => {
  const customer = customerParam(raw);
  let count = 0;
  for (const m of ctx.state.threads.get(customer) ?? []) {
    if (m.direction === "out" && m.status !== "read" && m.status !== "failed" && !m.readRequested) {
      markRead(ctx, m);
      count += 1;
    }
  }
  sendJson(res, 200, { read: count });
};

function faultNumber(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw badRequest(`${name} must be an integer`);
  return value;
}

/**
 * `POST /_sim/faults` — fail the next `count` Graph calls with `httpStatus` and `code`;
 * with `forMs`, every Graph call of the next `forMs` ms instead (a time window).
 * With `objectId` (a phone number id or WABA id) only the calls about that
 * object fail, and may also answer late (`delayMs`).
 * `holdMs`: sends are accepted (statuses follow) but answered only after `holdMs`;
 * `drop`: the connection is dropped unanswered (a send is accepted first); with
 * `holdMs` or `drop`, `noStatuses` sends no status webhook for the sends (Meta's
 * webhooks lost). `phoneNumberId`: a global fault only for calls naming that number.
 */
export const postFaults: Handler = async (ctx, req, res) => {
  const body = await readObject(req);
  const forMs = body.forMs === undefined ? undefined : faultNumber(body.forMs, 0, "forMs");
  const objectId = body.objectId === undefined ? undefined : nonEmptyString(body.objectId);
  if (body.objectId !== undefined && objectId === undefined) {
    throw badRequest("objectId must be a non-empty string");
  }
  const delayMs = faultNumber(body.delayMs, 0, "delayMs");
  const holdMs = body.holdMs === undefined ? undefined : faultNumber(body.holdMs, 0, "holdMs");
  const phoneNumberId = body.phoneNumberId === undefined ? undefined : body.phoneNumberId;
  if (phoneNumberId !== undefined && nonEmptyString(phoneNumberId) === undefined) {
    throw badRequest("phoneNumberId must be a non-empty string");
  }
  const fault: Fault = {
    remaining: faultNumber(body.count, 1, "count"),
    httpStatus: faultNumber(body.httpStatus, 500, "httpStatus"),
    code: faultNumber(body.code, 131000, "code"),
    async: body.async === true,
    ...(forMs === undefined ? {} : { untilMs: Date.now() + forMs }),
    ...(delayMs > 0 ? { delayMs } : {}),
    ...(holdMs === undefined ? {} : { holdMs }),
    ...(body.drop === true ? { drop: true } : {}),
    ...(body.noStatuses === true ? { noStatuses: true } : {}),
    ...(typeof phoneNumberId === "string" ? { phoneNumberId } : {}),
  };
  if (fault.remaining < 1) throw badRequest("count must be at least 1");
  if (forMs !== undefined && forMs < 1) throw badRequest("forMs must be at least 1");
  if (holdMs !== undefined && (holdMs < 1 || holdMs > 600_000)) {
    throw badRequest("holdMs must be between 1 and 600000");
  }
  if (fault.noStatuses && fault.holdMs === undefined && !fault.drop) {
    throw badRequest("noStatuses goes with holdMs or drop");
  }
  if (fault.httpStatus < 100 || fault.httpStatus > 599) throw badRequest("httpStatus is not valid");
  if (objectId === undefined && fault.delayMs !== undefined) {
    throw badRequest("delayMs needs an objectId");
  }
  if (objectId === undefined) ctx.state.fault = fault;
  else ctx.state.objectFaults.set(objectId, fault);
  sendJson(res, 200, { ok: true });
};

/**
 * `GET /_sim/faults` — the global fault in force (or null), the faults scoped
 * to objects, and how many Graph calls faults have failed.
 */
export const getFaults: Handler = (ctx, _req, res) => {
  const fault = ctx.state.fault ? { ...ctx.state.fault } : null;
  const scoped = Object.fromEntries(
    [...ctx.state.objectFaults].map(([id, f]) => [id, { ...f }] as const),
  );
  sendJson(res, 200, { fault, scoped, failed: ctx.state.faultsServed });
};

/** `DELETE /_sim/faults[?objectId=…]` — clears the global fault, or that object's. */
export const deleteFaults: Handler = (ctx, req, res) => {
  const objectId = new URL(req.url ?? "/", "http://sim").searchParams.get("objectId");
  if (objectId) ctx.state.objectFaults.delete(objectId);
  else ctx.state.fault = null;
  sendJson(res, 200, { ok: true });
};

/** `GET /_sim/outbox` */
export const getOutbox: Handler = (ctx, _req, res) => {
  sendJson(res, 200, { items: ctx.webhooks.outbox().map((i) => ({ ...i })) });
};

/** `POST /_sim/outbox/drain[?phoneNumberId=…|?wabaId=…]` */
export const drainOutbox: Handler = (ctx, req, res) => {
  const q = new URL(req.url ?? "/", "http://sim").searchParams;
  const filter = {
    ...(q.get("phoneNumberId") ? { phoneNumberId: q.get("phoneNumberId")! } : {}),
    ...(q.get("wabaId") ? { wabaId: q.get("wabaId")! } : {}),
  };
  sendJson(res, 200, { items: ctx.webhooks.drain(filter).map((i) => ({ ...i })) });
};

/** `POST /_sim/reset` — forgets threads, media, faults, outbox and pending timers. */
export const postReset: Handler = (ctx, _req, res) => {
  ctx.timers.clear();
  ctx.state.reset();
  ctx.webhooks.clear();
  sendJson(res, 200, { ok: true });
};
