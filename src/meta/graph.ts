/**
 * The Graph API client for sending messages. Its base URL is configuration:
 * Meta's in production, the simulator in development and tests. Every call has
 * a deadline; a send that got no answer has an unknown outcome and is never
 * repeated here (see `sendText`).
 */
import { z } from "zod";
import { assertNever } from "../shared/assert-never";
import { withDeadline } from "../shared/deadline";

/** Where the Graph API is and how long one call may take, headers and body (ms). */
export interface GraphApi {
  base: string;
  timeoutMs: number;
  fetcher?: typeof fetch;
}

/**
 * The configured Graph API: calls get `graphTimeoutMs`; `transfer` (uploads and
 * downloads of files, up to 100 MB) gets `mediaTimeoutMs`.
 */
export function graphApiOf(
  config: { graphApiBase: string; graphTimeoutMs: number; mediaTimeoutMs: number },
  kind: "call" | "transfer" = "call",
): GraphApi {
  return {
    base: config.graphApiBase,
    timeoutMs: kind === "transfer" ? config.mediaTimeoutMs : config.graphTimeoutMs,
  };
}

/** Meta error codes worth retrying with backoff (META-CONTRACT.md §6). */
const RETRYABLE_CODES = new Set([2, 4, 80007, 130429, 131000, 131016, 131056, 131057, 133004]);

export type GraphError = {
  code: number;
  title: string;
  message?: string;
  httpStatus: number | null;
};

/**
 * A send's outcome. `not_sent`: Meta answered with an error (or our request was
 * refused before it left), so nothing reached the customer; `retryable` says
 * whether trying again later may succeed. `unknown`: no usable answer came (a
 * timeout, a dropped connection, a garbled 200): Meta may have accepted it, and
 * only its status webhook (carrying our callback data) can tell.
 */
export type SendResult =
  | { ok: true; wamid: string }
  | { ok: false; outcome: "not_sent"; retryable: boolean; error: GraphError }
  | { ok: false; outcome: "unknown"; error: GraphError };

const SendResponse = z.object({
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

const ErrorResponse = z.object({
  error: z.looseObject({
    code: z.number().int(),
    message: z.string().optional(),
    error_user_title: z.string().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

/**
 * What a message says: plain text, an interactive message (reply buttons or a
 * list) whose `interactive` object is sent as Meta defines it, a file by the
 * media id Meta gave its upload (captions only where Meta takes them, a file
 * name for documents), or a location.
 */
export type OutboundContent =
  | { type: "text"; text: string }
  | { type: "interactive"; interactive: Record<string, unknown> }
  | { type: "image" | "video"; mediaId: string; caption?: string }
  | { type: "document"; mediaId: string; caption?: string; filename?: string }
  | { type: "audio" | "sticker"; mediaId: string }
  | { type: "location"; latitude: number; longitude: number; name?: string; address?: string }
  /** An approved message template: `template` is Meta's object (name, language, components). */
  | { type: "template"; template: Record<string, unknown> };

export interface OutboundText {
  phoneNumberId: string;
  accessToken: string;
  to: string;
  text: string;
  /** When set, sent instead of `text` (which then only describes it). */
  content?: OutboundContent;
  /** Echoed by Meta on every status webhook of this message. */
  callbackData: string;
}

/** Keeps only the optional fields that are set: Meta refuses empty captions and names. */
function present<T extends Record<string, string | undefined>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v)) as Partial<T>;
}

function messageBody(msg: OutboundText): Record<string, unknown> {
  const content = msg.content ?? { type: "text", text: msg.text };
  switch (content.type) {
    case "text":
      return { type: "text", text: { body: content.text, preview_url: false } };
    case "interactive":
      return { type: "interactive", interactive: content.interactive };
    case "image":
    case "video":
      return {
        type: content.type,
        [content.type]: { id: content.mediaId, ...present({ caption: content.caption }) },
      };
    case "document":
      return {
        type: "document",
        document: {
          id: content.mediaId,
          ...present({ caption: content.caption, filename: content.filename }),
        },
      };
    case "audio":
    case "sticker":
      return { type: content.type, [content.type]: { id: content.mediaId } };
    case "location":
      return {
        type: "location",
        location: {
          latitude: content.latitude,
          longitude: content.longitude,
          ...present({ name: content.name, address: content.address }),
        },
      };
    case "template":
      return { type: "template", template: content.template };
    default:
      return assertNever(content);
  }
}

/** Decides whether a failed HTTP answer should be retried. */
export function isRetryable(httpStatus: number | null, code: number): boolean {
  if (httpStatus === null) return true; // the request never got an answer
  if (httpStatus === 429 || httpStatus >= 500) return true;
  return RETRYABLE_CODES.has(code);
}

/** Whether `err` is a deadline (`withDeadline`, `AbortSignal.timeout`) or an abort rather than a network failure. */
export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/** The answer's JSON body, or null when it is not JSON; a deadline passed while reading throws. */
export async function jsonOrNull(res: Response): Promise<unknown> {
  return res.json().catch((err: unknown) => {
    if (isTimeout(err)) throw err;
    return null;
  });
}

/** What a network failure or a deadline says, for logs and the message's error. */
function noAnswer(err: unknown, timeoutMs: number): GraphError {
  return isTimeout(err)
    ? { code: 0, title: `No answer within ${timeoutMs} ms`, httpStatus: null }
    : { code: 0, title: `Network error: ${String(err)}`, httpStatus: null };
}

/**
 * POSTs a message to `/{phone_number_id}/messages`. Never throws: network
 * failures and Meta's errors come back as values. An answer that does not come
 * within `api.timeoutMs` (headers and body), or a connection lost on the way —
 * which workerd reports alike whether or not the request was written — is an
 * `unknown` outcome: the caller must not send it again on its own.
 */
export function sendText(api: GraphApi, msg: OutboundText): Promise<SendResult> {
  return withDeadline(api.timeoutMs, (signal) => sendTextWithin(api, msg, signal));
}

async function sendTextWithin(
  api: GraphApi,
  msg: OutboundText,
  signal: AbortSignal,
): Promise<SendResult> {
  const fetcher = api.fetcher ?? fetch;
  let res: Response;
  try {
    res = await fetcher(`${api.base}/${encodeURIComponent(msg.phoneNumberId)}/messages`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${msg.accessToken}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: msg.to,
        ...messageBody(msg),
        biz_opaque_callback_data: msg.callbackData,
      }),
      signal,
    });
  } catch (err) {
    return { ok: false, outcome: "unknown", error: noAnswer(err, api.timeoutMs) };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    // Accepted, but the answer was cut off: the wamid comes with the status webhook.
    if (res.ok) return { ok: false, outcome: "unknown", error: noAnswer(err, api.timeoutMs) };
    body = null;
  }
  if (res.ok) {
    const parsed = SendResponse.safeParse(body);
    if (parsed.success) return { ok: true, wamid: parsed.data.messages[0]!.id };
    // A 200 means Meta accepted it; without its wamid, the status webhook settles it.
    return {
      ok: false,
      outcome: "unknown",
      error: { code: 0, title: "Unexpected Graph API response", httpStatus: res.status },
    };
  }
  const parsed = ErrorResponse.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : 0;
  const title = parsed.success
    ? (parsed.data.error.error_user_title ?? parsed.data.error.message ?? `HTTP ${res.status}`)
    : `HTTP ${res.status}`;
  const details = parsed.success ? parsed.data.error.error_data?.details : undefined;
  return {
    ok: false,
    outcome: "not_sent",
    retryable: isRetryable(res.status, code),
    error: { code, title, message: details, httpStatus: res.status },
  };
}

/**
 * Marks an inbound message (and every earlier one) as read, so the customer
 * sees blue ticks. Best effort: returns whether Meta accepted it in time.
 */
export async function markRead(
  api: GraphApi,
  msg: { phoneNumberId: string; accessToken: string; wamid: string },
): Promise<boolean> {
  const fetcher = api.fetcher ?? fetch;
  try {
    return await withDeadline(api.timeoutMs, async (signal) => {
      const res = await fetcher(`${api.base}/${encodeURIComponent(msg.phoneNumberId)}/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${msg.accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          status: "read",
          message_id: msg.wamid,
        }),
        signal,
      });
      await res.body?.cancel();
      return res.ok;
    });
  } catch {
    return false;
  }
}

export type UploadResult = { ok: true; mediaId: string } | { ok: false; error: GraphError };

const UploadResponse = z.object({ id: z.string().min(1) });

/**
 * Uploads a file to `/{phone_number_id}/media` (multipart, as Meta documents it)
 * and returns the media id a send names. Never throws: failures (and no answer
 * within `api.timeoutMs`) come back as values; an upload without an answer at
 * most leaves an unused file at Meta, so the agent may simply try again.
 */
export async function uploadMedia(
  api: GraphApi,
  upload: {
    phoneNumberId: string;
    accessToken: string;
    file: Blob;
    mime: string;
    filename: string;
  },
): Promise<UploadResult> {
  const fetcher = api.fetcher ?? fetch;
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", upload.mime);
  form.set("file", new File([upload.file], upload.filename, { type: upload.mime }));
  let res: Response;
  let body: unknown;
  try {
    ({ res, body } = await withDeadline(api.timeoutMs, async (signal) => {
      const res = await fetcher(`${api.base}/${encodeURIComponent(upload.phoneNumberId)}/media`, {
        method: "POST",
        headers: { Authorization: `Bearer ${upload.accessToken}` },
        body: form,
        signal,
      });
      return { res, body: await jsonOrNull(res) };
    }));
  } catch (err) {
    return { ok: false, error: noAnswer(err, api.timeoutMs) };
  }
  const parsed = UploadResponse.safeParse(body);
  if (res.ok && parsed.success) return { ok: true, mediaId: parsed.data.id };
  const error = ErrorResponse.safeParse(body);
  return {
    ok: false,
    error: {
      code: error.success ? error.data.error.code : 0,
      title: error.success
        ? (error.data.error.error_user_title ?? error.data.error.message ?? `HTTP ${res.status}`)
        : `HTTP ${res.status}`,
      message: error.success ? error.data.error.error_data?.details : undefined,
      httpStatus: res.status,
    },
  };
}

// ---- reads that prove who may claim a number --------------------------------

/** How long a Graph read may take before Meta counts as not answering. */
export const GRAPH_READ_TIMEOUT_MS = 8_000;

/** Pages of `/{waba-id}/phone_numbers` read at most (100 numbers each). */
const MAX_NUMBER_PAGES = 10;

/**
 * A Graph read's outcome. A failure carries Meta's code and subcode; an
 * `httpStatus` of null means Meta never answered (network error or timeout).
 */
export type GraphRead<T> =
  | { ok: true; value: T }
  | { ok: false; error: GraphError & { subcode?: number } };

const ReadError = z.object({
  error: z.looseObject({
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    message: z.string().optional(),
  }),
});

/** Options of the reads: their timeout (ms) and, in tests, the fetch to use. */
export interface GraphReadOptions {
  timeoutMs?: number;
  fetcher?: typeof fetch;
}

/** GETs `url` with the token; the answer parsed by `schema`, or the failure as a value. */
async function graphGet<T>(
  url: string,
  accessToken: string,
  schema: z.ZodType<T>,
  opts: GraphReadOptions,
): Promise<GraphRead<T>> {
  const fetcher = opts.fetcher ?? fetch;
  let res: Response;
  let body: unknown;
  try {
    ({ res, body } = await withDeadline(opts.timeoutMs ?? GRAPH_READ_TIMEOUT_MS, async (signal) => {
      const res = await fetcher(url, {
        headers: { Authorization: `Bearer ${accessToken}` },
        signal,
      });
      return { res, body: await jsonOrNull(res) };
    }));
  } catch (err) {
    const title = err instanceof Error && err.name === "TimeoutError" ? "Timed out" : String(err);
    return { ok: false, error: { code: 0, title: `Network error: ${title}`, httpStatus: null } };
  }
  if (res.ok) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      error: { code: 0, title: "Unexpected Graph API response", httpStatus: res.status },
    };
  }
  const parsed = ReadError.safeParse(body);
  return {
    ok: false,
    error: {
      code: parsed.success ? parsed.data.error.code : 0,
      ...(parsed.data?.error.error_subcode !== undefined
        ? { subcode: parsed.data.error.error_subcode }
        : {}),
      title: parsed.data?.error.message ?? `HTTP ${res.status}`,
      httpStatus: res.status,
    },
  };
}

const PhoneNumberNode = z.looseObject({
  id: z.string().min(1),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
});

/** A business phone number as Graph describes it. */
export type PhoneNumberNode = z.infer<typeof PhoneNumberNode>;

/**
 * `GET /{phone-number-id}?fields=id,display_phone_number,verified_name` with
 * `accessToken`: succeeds only when the token may read the number. Never throws.
 */
export function readPhoneNumber(
  base: string,
  read: { phoneNumberId: string; accessToken: string },
  opts: GraphReadOptions = {},
): Promise<GraphRead<PhoneNumberNode>> {
  const url = `${base}/${encodeURIComponent(read.phoneNumberId)}?fields=id,display_phone_number,verified_name`;
  return graphGet(url, read.accessToken, PhoneNumberNode, opts);
}

const PhoneNumbersPage = z.object({
  data: z.array(z.looseObject({ id: z.string().min(1) })),
  paging: z
    .looseObject({
      cursors: z.looseObject({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});

/**
 * The phone number ids of a WhatsApp Business Account (`GET /{waba-id}/phone_numbers`,
 * every page up to 1,000 numbers) as `accessToken` may read them. Pages are
 * followed by their `after` cursor on our own base URL, never by the URL Meta
 * returns. Never throws.
 */
export async function listWabaPhoneNumbers(
  base: string,
  read: { wabaId: string; accessToken: string },
  opts: GraphReadOptions = {},
): Promise<GraphRead<string[]>> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_NUMBER_PAGES; page++) {
    const query = new URLSearchParams({ fields: "id", limit: "100" });
    if (after) query.set("after", after);
    const url = `${base}/${encodeURIComponent(read.wabaId)}/phone_numbers?${query}`;
    const result = await graphGet(url, read.accessToken, PhoneNumbersPage, opts);
    if (!result.ok) return result;
    ids.push(...result.value.data.map((n) => n.id));
    after = result.value.paging?.cursors?.after;
    if (!result.value.paging?.next || !after) break;
  }
  return { ok: true, value: ids };
}
