/**
 * WhatsApp Business Accounts, their phone numbers and the access tokens that
 * may read them, as Meta scopes them: a token is granted on some WABAs and sees
 * only their phone numbers. The demo account is always there (WABA
 * 200000000000001 with the demo number, token `dev-access-token`); tests add
 * their own through `POST /_sim/accounts`.
 *
 * Only the phone-number reads (`GET /{phone-number-id}`, `GET /{waba-id}/phone_numbers`)
 * check the token against these grants. Sends, media and templates still take
 * any non-empty token, so tests can keep using throwaway tokens there.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Handler } from "./context.ts";
import {
  badRequest,
  bearerToken,
  HttpError,
  isObject,
  type JsonObject,
  readJson,
  sendJson,
} from "./http.ts";
import {
  DEFAULT_DISPLAY_PHONE,
  DEFAULT_PHONE_NUMBER_ID,
  displayPhoneFor,
  graphErrorBody,
  newNumericId,
  WABA_ID,
} from "./meta.ts";
import type { Fault } from "./state.ts";

/** The demo number's access token (scripts/demo-data.ts stores the same). */
export const DEMO_ACCESS_TOKEN = "dev-access-token";

/** A business phone number as Meta describes it. */
export interface SimPhoneNumber {
  id: string;
  /** Digits as Meta writes them, e.g. `15550100001`. */
  displayPhoneNumber: string;
  verifiedName: string;
}

/** Meta's default page size of an edge such as `/{waba-id}/phone_numbers`. */
const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

/** Registered WABAs, their numbers and the tokens granted on them. */
export class Accounts {
  /** WABA id → its phone numbers by id. */
  readonly #wabas = new Map<string, Map<string, SimPhoneNumber>>();
  /** phone_number_id → its WABA id (a number belongs to one WABA). */
  readonly #wabaOf = new Map<string, string>();
  /** access token → the WABA ids it was granted on. */
  readonly #grants = new Map<string, Set<string>>();

  constructor() {
    this.register({
      wabaId: WABA_ID,
      phoneNumbers: [
        {
          id: DEFAULT_PHONE_NUMBER_ID,
          displayPhoneNumber: DEFAULT_DISPLAY_PHONE,
          verifiedName: "Parley Demo",
        },
      ],
      token: DEMO_ACCESS_TOKEN,
    });
  }

  /**
   * Adds a WABA (if new), phone numbers to it (if new) and a grant of `token`
   * on it. Idempotent. Throws a 400 when a number already belongs to another WABA.
   */
  register(input: { wabaId: string; phoneNumbers: SimPhoneNumber[]; token: string }): void {
    for (const n of input.phoneNumbers) {
      const owner = this.#wabaOf.get(n.id);
      if (owner !== undefined && owner !== input.wabaId) {
        throw badRequest(`phone number ${n.id} already belongs to WABA ${owner}`);
      }
    }
    const numbers = this.#wabas.get(input.wabaId) ?? new Map<string, SimPhoneNumber>();
    this.#wabas.set(input.wabaId, numbers);
    for (const n of input.phoneNumbers) {
      if (!numbers.has(n.id)) numbers.set(n.id, n);
      this.#wabaOf.set(n.id, input.wabaId);
    }
    const granted = this.#grants.get(input.token) ?? new Set<string>();
    granted.add(input.wabaId);
    this.#grants.set(input.token, granted);
  }

  /** Whether Meta would know this token at all. */
  knowsToken(token: string): boolean {
    return this.#grants.has(token);
  }

  /** The phone number if `token` was granted on its WABA, else null (unknown or foreign). */
  phoneNumber(token: string, phoneNumberId: string): SimPhoneNumber | null {
    const waba = this.#wabaOf.get(phoneNumberId);
    if (waba === undefined || !this.#grants.get(token)?.has(waba)) return null;
    return this.#wabas.get(waba)?.get(phoneNumberId) ?? null;
  }

  /** The WABA's numbers if `token` was granted on it, else null (unknown or foreign). */
  phoneNumbersOf(token: string, wabaId: string): SimPhoneNumber[] | null {
    if (!this.#grants.get(token)?.has(wabaId)) return null;
    return [...(this.#wabas.get(wabaId)?.values() ?? [])];
  }

  /** Whether the id names a registered phone number (whoever may read it). */
  isPhoneNumber(id: string): boolean {
    return this.#wabaOf.has(id);
  }
}

/** Meta's answer to a token it cannot use: 401, code 190. */
function tokenRefused(): HttpError {
  return new HttpError(
    401,
    graphErrorBody(190, undefined, "Invalid OAuth access token - Cannot parse access token"),
  );
}

/**
 * Meta's answer to an id that does not exist or that the token may not read
 * (the two are indistinguishable on purpose): 400, code 100, subcode 33.
 */
export function objectNotFound(method: string, id: string): HttpError {
  const body = graphErrorBody(
    100,
    undefined,
    `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  );
  (body.error as JsonObject).error_subcode = 33;
  return new HttpError(400, body);
}

/** Thrown after a fault dropped the connection: nothing more is sent. */
export class ConnectionDropped extends Error {}

/**
 * Fails a Graph call with an injected fault: after `delayMs` (a slow Meta),
 * by dropping the connection without an answer (`drop`), or with its status
 * and code. No fault: returns.
 */
export async function serveFault(req: IncomingMessage, fault: Fault | null): Promise<void> {
  if (!fault) return;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.drop) {
    req.socket.destroy();
    throw new ConnectionDropped("fault: connection dropped");
  }
  throw new HttpError(fault.httpStatus, graphErrorBody(fault.code, "Simulated fault"));
}

/** The bearer token of a phone-number read, which Meta must know (else 190). */
function knownToken(ctx: Parameters<Handler>[0], req: IncomingMessage): string {
  const token = bearerToken(req);
  if (token === undefined || !ctx.state.accounts.knowsToken(token)) throw tokenRefused();
  return token;
}

const NUMBER_FIELDS: Record<string, (n: SimPhoneNumber) => JsonObject[string]> = {
  id: (n) => n.id,
  display_phone_number: (n) => n.displayPhoneNumber,
  verified_name: (n) => n.verifiedName,
  code_verification_status: () => "VERIFIED",
  quality_rating: () => "GREEN",
  platform_type: () => "CLOUD_API",
  throughput: () => ({ level: "STANDARD" }),
  name_status: () => "APPROVED",
};
const DEFAULT_FIELDS = [
  "verified_name",
  "code_verification_status",
  "display_phone_number",
  "quality_rating",
  "platform_type",
  "throughput",
  "id",
];

/** A phone number node with the requested `fields` (Meta's defaults without it; `id` always). */
function numberNode(n: SimPhoneNumber, fields: string | null): JsonObject {
  const wanted = fields
    ? [...fields.split(",").map((f) => f.trim()), "id"].filter((f) => f in NUMBER_FIELDS)
    : DEFAULT_FIELDS;
  const node: JsonObject = {};
  for (const f of new Set(wanted)) node[f] = NUMBER_FIELDS[f]!(n);
  return node;
}

/**
 * `GET /:v/:phoneNumberId[?fields=…]` for an id that is neither a template nor
 * media: the number if the token may read it; 190 for a token Meta does not
 * know, 100/33 for an unknown or foreign id.
 */
export async function readPhoneNumber(
  ctx: Parameters<Handler>[0],
  req: IncomingMessage,
  res: Parameters<Handler>[2],
  id: string,
): Promise<void> {
  await serveFault(req, ctx.state.takeFault(false, id));
  const token = knownToken(ctx, req);
  const number = ctx.state.accounts.phoneNumber(token, id);
  if (!number) throw objectNotFound("get", id);
  const fields = new URL(req.url ?? "/", "http://sim").searchParams.get("fields");
  sendJson(res, 200, numberNode(number, fields));
}

function cursor(index: number): string {
  return Buffer.from(String(index)).toString("base64url");
}

function fromCursor(value: string | null): number {
  if (!value) return 0;
  const n = Number(Buffer.from(value, "base64url").toString("utf8"));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * `GET /:v/:wabaId/phone_numbers[?fields=&limit=&after=]` → `{data, paging}`,
 * paged with cursors like Meta (`paging.next` while more follow).
 */
export const listPhoneNumbers: Handler = async (ctx, req, res, [wabaId = ""]) => {
  await serveFault(req, ctx.state.takeFault(false, wabaId));
  const token = knownToken(ctx, req);
  const numbers = ctx.state.accounts.phoneNumbersOf(token, wabaId);
  if (!numbers) throw objectNotFound("get", wabaId);
  const url = new URL(req.url ?? "/", "http://sim");
  const q = url.searchParams;
  const limit = Math.min(Math.max(Number(q.get("limit")) || DEFAULT_PAGE, 1), MAX_PAGE);
  const start = fromCursor(q.get("after"));
  const page = numbers.slice(start, start + limit);
  const end = start + page.length;
  const paging: JsonObject = {
    cursors: { before: cursor(start), after: cursor(Math.max(end - 1, start)) },
  };
  if (end < numbers.length) {
    const next = new URL(`${ctx.baseUrl}${url.pathname}`);
    for (const [k, v] of q) if (k !== "after") next.searchParams.set(k, v);
    next.searchParams.set("after", cursor(end));
    paging.next = next.toString();
  }
  sendJson(res, 200, { data: page.map((n) => numberNode(n, q.get("fields"))), paging });
};

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`${name} must be text`);
  return value.trim();
}

function digits(value: unknown, name: string): string | undefined {
  const t = text(value, name);
  if (t !== undefined && !/^\d{5,20}$/.test(t)) throw badRequest(`${name} must be 5–20 digits`);
  return t;
}

/**
 * `POST /_sim/accounts` `{wabaId?, phoneNumbers?: [{id?, displayPhoneNumber?, verifiedName?}], token?}`
 * → `{wabaId, phoneNumbers, token}`: registers a WABA (fresh id when absent),
 * adds numbers to it (fresh ids when absent) and grants `token` (a fresh one
 * when absent) on it. Calling again with the same ids adds grants or numbers.
 */
export const postAccounts: Handler = async (ctx, req, res) => {
  const body = (await readJson(req)) ?? {};
  if (!isObject(body)) throw badRequest("body must be a JSON object");
  const wabaId = digits(body.wabaId, "wabaId") ?? newNumericId(15);
  const raw = body.phoneNumbers ?? [];
  if (!Array.isArray(raw)) throw badRequest("phoneNumbers must be an array");
  const phoneNumbers = raw.map((item, i): SimPhoneNumber => {
    if (!isObject(item)) throw badRequest(`phoneNumbers.${i} must be an object`);
    const id = digits(item.id, `phoneNumbers.${i}.id`) ?? newNumericId(15);
    return {
      id,
      displayPhoneNumber:
        text(item.displayPhoneNumber, `phoneNumbers.${i}.displayPhoneNumber`) ??
        displayPhoneFor(id),
      verifiedName: text(item.verifiedName, `phoneNumbers.${i}.verifiedName`) ?? "Parley Test",
    };
  });
  const token = text(body.token, "token") ?? `EAAG${randomBytes(24).toString("hex")}`;
  ctx.state.accounts.register({ wabaId, phoneNumbers, token });
  sendJson(res, 200, {
    wabaId,
    phoneNumbers: phoneNumbers.map((n) => ({
      id: n.id,
      display_phone_number: n.displayPhoneNumber,
      verified_name: n.verifiedName,
    })),
    token,
  });
};
