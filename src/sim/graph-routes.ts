/**
 * The Graph API surface Parley uses: send / mark-read messages, upload media,
 * get a media URL, download and delete media. Errors use Meta's body shape.
 */
import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readPhoneNumber } from "./accounts.ts";
import type { Handler, SimContext } from "./context.ts";
import { bearerToken, HttpError, readBody, send, sendJson } from "./http.ts";
import {
  describeMessage,
  digitsOf,
  graphErrorBody,
  newNumericId,
  newWamid,
  nowSeconds,
  reengagementError,
  webhookError,
} from "./meta.ts";
import { multipartBoundary, parseMultipart } from "./multipart.ts";
import {
  acceptsSends,
  type Fault,
  type MediaItem,
  type MediaUrlStyle,
  type StoredMessage,
} from "./state.ts";
import { scheduleStatuses } from "./statuses.ts";
import { templateView } from "./template-store.ts";
import { InvalidParameter, type MessagesRequest, parseMessagesRequest } from "./validate.ts";

const MEDIA_LIMIT = 100 * 1024 * 1024;
const TYPING_MS = 25_000;

function invalid(details: string): HttpError {
  return new HttpError(400, graphErrorBody(100, details, "(#100) Invalid parameter"));
}

/** Every Graph call needs `Authorization: Bearer <token>`; else 401 with code 190, like Meta. */
export function requireBearer(req: IncomingMessage): void {
  if (bearerToken(req) === undefined) {
    const message = "Invalid OAuth access token - Cannot parse access token";
    throw new HttpError(401, graphErrorBody(190, undefined, message));
  }
}

/**
 * Common gate of every Graph call: an injected synchronous fault fails the
 * call, then a bearer token is required. Returns the fault a send still goes
 * through with (async failure, held or dropped answer).
 */
function guard(
  ctx: SimContext,
  req: IncomingMessage,
  isSend: boolean,
  objectId?: string,
): Fault | undefined {
  const fault = ctx.state.takeFault(isSend, objectId);
  if (fault && !(isSend && acceptsSends(fault))) {
    throw new HttpError(fault.httpStatus, graphErrorBody(fault.code, "Simulated fault"));
  }
  requireBearer(req);
  return fault ?? undefined;
}

async function readGraphJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid("Request body is not valid JSON");
  }
}

function parseOrThrow(body: unknown): MessagesRequest {
  try {
    return parseMessagesRequest(body);
  } catch (err) {
    if (err instanceof InvalidParameter) throw invalid(err.details);
    throw err;
  }
}

/** Business marks a customer message (and all earlier ones) as read. */
function businessRead(ctx: SimContext, messageId: string, typing: boolean): void {
  const target = ctx.state.byId.get(messageId);
  if (!target) return;
  for (const m of ctx.state.thread(target.customer)) {
    if (m.direction === "in" && m.timestamp <= target.timestamp) m.status = "read";
    if (m === target) break;
  }
  if (typing) ctx.state.typingUntil.set(target.customer, Date.now() + TYPING_MS);
}

function acceptSend(
  ctx: SimContext,
  phoneNumberId: string,
  request: Extract<MessagesRequest, { kind: "send" }>,
  asyncFaultCode: number | undefined,
  statuses = true,
): string {
  const customer = digitsOf(request.to);
  const message: StoredMessage = {
    id: newWamid(customer),
    direction: "out",
    type: request.type,
    text: describeMessage(request.type, request.body),
    status: null,
    timestamp: nowSeconds(),
    receivedAtMs: Date.now(),
    raw: request.body,
    phoneNumberId,
    customer,
    readRequested: false,
    skippedDelivered: false,
    ...(request.bizOpaque !== undefined ? { bizOpaque: request.bizOpaque } : {}),
  };
  ctx.state.add(message);
  ctx.state.typingUntil.delete(customer);
  const outsideWindow =
    request.type !== "template" && !ctx.state.windowOpen(phoneNumberId, customer);
  const failure =
    asyncFaultCode !== undefined
      ? webhookError(asyncFaultCode, "Simulated fault")
      : outsideWindow
        ? reengagementError()
        : undefined;
  if (statuses) scheduleStatuses(ctx, message, failure);
  return message.id;
}

/** `POST /:version/:phoneNumberId/messages` */
export const postMessages: Handler = async (ctx, req, res, [phoneNumberId = ""]) => {
  const request = parseOrThrow(await readGraphJson(req));
  // A read receipt is not a send: faults that accept sends (async, held, dropped) leave it alone.
  const fault = guard(ctx, req, request.kind !== "read", phoneNumberId);
  if (request.kind === "read") {
    businessRead(ctx, request.messageId, request.typing);
    sendJson(res, 200, { success: true });
    return;
  }
  const id = acceptSend(
    ctx,
    phoneNumberId,
    request,
    fault?.async ? fault.code : undefined,
    fault?.noStatuses !== true,
  );
  // Accepted at Meta's side: the statuses come, but the sender may never hear the answer.
  if (fault?.drop) {
    req.socket.destroy();
    return;
  }
  if (fault?.holdMs !== undefined) {
    await new Promise<void>((resolve) => ctx.timers.later(fault.holdMs!, resolve));
    if (res.destroyed || req.socket.destroyed) return;
  }
  sendJson(res, 200, {
    messaging_product: "whatsapp",
    contacts: [{ input: request.to, wa_id: digitsOf(request.to) }],
    messages: [{ id, ...(request.type === "template" ? { message_status: "accepted" } : {}) }],
  });
};

function storeUpload(
  ctx: SimContext,
  data: Buffer,
  mimeType: string,
  filename?: string,
): MediaItem {
  const item: MediaItem = {
    id: newNumericId(),
    bytes: Buffer.from(data),
    mimeType,
    sha256: createHash("sha256").update(data).digest("hex"),
    ...(filename !== undefined ? { filename } : {}),
    downloads: 0,
    redirects: 0,
  };
  ctx.state.media.set(item.id, item);
  return item;
}

/** `POST /:version/:phoneNumberId/media` (multipart: messaging_product, file, type). */
export const postMedia: Handler = async (ctx, req, res, [phoneNumberId = ""]) => {
  guard(ctx, req, false, phoneNumberId);
  const boundary = multipartBoundary(req.headers["content-type"]);
  if (!boundary) throw invalid("Content-Type must be multipart/form-data");
  const parts = parseMultipart(await readBody(req, MEDIA_LIMIT), boundary);
  const value = (name: string) => parts.find((p) => p.name === name);
  if (value("messaging_product")?.data.toString("utf8").trim() !== "whatsapp") {
    throw invalid("messaging_product");
  }
  const file = value("file");
  if (!file) throw invalid("file");
  const mimeType = value("type")?.data.toString("utf8").trim() || file.contentType;
  if (!mimeType || mimeType === "application/octet-stream") throw invalid("type");
  sendJson(res, 200, { id: storeUpload(ctx, file.data, mimeType, file.filename).id });
};

function mediaToken(ctx: SimContext, mediaId: string): string {
  return createHmac("sha256", ctx.appSecret).update(`media:${mediaId}`).digest("hex").slice(0, 32);
}

function findMedia(ctx: SimContext, mediaId: string): MediaItem {
  const item = ctx.state.media.get(mediaId);
  if (!item) throw new HttpError(400, graphErrorBody(100, `Unknown media id ${mediaId}`));
  return item;
}

/**
 * `GET /:version/:id` → a message template (`GET /<TEMPLATE_ID>`), media URL
 * and metadata, or a phone number (`GET /<PHONE_NUMBER_ID>?fields=…`, scoped
 * to the token's WABAs; see accounts.ts).
 */
export const getObject: Handler = async (ctx, req, res, [id = ""]) => {
  const template = ctx.state.templates.get(id);
  if (template) {
    requireBearer(req);
    sendJson(res, 200, templateView(template));
    return;
  }
  if (!ctx.state.media.has(id)) {
    await readPhoneNumber(ctx, req, res, id);
    return;
  }
  guard(ctx, req, false, id);
  const item = findMedia(ctx, id);
  sendJson(res, 200, {
    messaging_product: "whatsapp",
    url: mediaUrl(ctx, item),
    mime_type: item.mimeType,
    sha256: item.sha256,
    file_size: item.bytes.length,
    id: item.id,
  });
};

/** `DELETE /:version/:mediaId` */
export const deleteMedia: Handler = (ctx, req, res, [mediaId = ""]) => {
  guard(ctx, req, false);
  findMedia(ctx, mediaId);
  ctx.state.media.delete(mediaId);
  sendJson(res, 200, { success: true });
};

/** The simulator's base URL under its other host name (127.0.0.1 ↔ localhost). */
function otherHostBase(ctx: SimContext): string {
  const url = new URL(ctx.baseUrl);
  url.hostname = url.hostname === "localhost" ? "127.0.0.1" : "localhost";
  return url.origin;
}

/** Where the file's bytes are, as its `urlStyle` asks (see MediaItem). */
function mediaUrl(ctx: SimContext, item: MediaItem): string {
  const path = `/media-download/${item.id}?token=${mediaToken(ctx, item.id)}`;
  switch (item.urlStyle ?? "direct") {
    case "direct":
    case "stall":
      return `${ctx.baseUrl}${path}`;
    case "other-host":
      return `${otherHostBase(ctx)}${path}`;
    case "redirect":
    case "redirect-other-host":
      return `${ctx.baseUrl}/media-redirect/${item.id}?token=${mediaToken(ctx, item.id)}`;
  }
}

/** The file of a signed download URL, or 404 as Meta answers an expired one. */
function signedMedia(ctx: SimContext, req: IncomingMessage, mediaId: string): MediaItem {
  const item = ctx.state.media.get(mediaId);
  const token = new URL(req.url ?? "/", "http://sim").searchParams.get("token");
  if (!item || token !== mediaToken(ctx, mediaId)) {
    throw new HttpError(404, graphErrorBody(100, "Media not found or URL expired"));
  }
  return item;
}

/** `GET /media-download/:mediaId?token=…` (bearer required) → the bytes. */
export const downloadMedia: Handler = (ctx, req, res: ServerResponse, [mediaId = ""]) => {
  guard(ctx, req, false);
  const item = signedMedia(ctx, req, mediaId);
  item.downloads += 1;
  // A media host that never answers: the request hangs until the client gives up.
  if (item.urlStyle === "stall") return;
  send(res, 200, item.mimeType, item.bytes);
};

/** `GET /media-redirect/:mediaId?token=…` → 302 to the bytes, on this host or the other one. */
export const redirectMedia: Handler = (ctx, req, res: ServerResponse, [mediaId = ""]) => {
  guard(ctx, req, false);
  const item = signedMedia(ctx, req, mediaId);
  item.redirects += 1;
  const base = item.urlStyle === "redirect-other-host" ? otherHostBase(ctx) : ctx.baseUrl;
  res.writeHead(302, {
    Location: `${base}/media-download/${item.id}?token=${mediaToken(ctx, item.id)}`,
    "Content-Length": "0",
  });
  res.end();
};

/** Any other `/:version/...` path. */
export const unknownGraphPath: Handler = (_ctx, req) => {
  const message = `Unsupported ${req.method?.toLowerCase()} request.`;
  throw new HttpError(400, graphErrorBody(100, undefined, message));
};

/** Stores bytes as media (used by the customer side for phone-originated media). */
export function storeMedia(
  ctx: SimContext,
  data: Buffer,
  mimeType: string,
  urlStyle: MediaUrlStyle = "direct",
): MediaItem {
  const item = storeUpload(ctx, data, mimeType);
  item.urlStyle = urlStyle;
  return item;
}
