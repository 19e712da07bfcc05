/**
 * Small HTTP helpers for the simulator: JSON types, body reading, responses
 * and a typed error that handlers throw to end a request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string, or undefined. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Thrown by handlers; the server answers with `status` and the JSON `body`. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: Json;
  constructor(status: number, body: Json) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** A 400 with a simple `{ error }` body, for the simulator's own endpoints. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, { error: message });
}

const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;

/** Reads the whole request body, failing with 413 past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new HttpError(413, { error: "request body too large" });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body; returns `undefined` for an empty body, throws on bad JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("body is not valid JSON");
  }
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: Json): void {
  send(res, status, "application/json", Buffer.from(JSON.stringify(body)));
}

/** Sends a response with the given content type and bytes. */
export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  bytes: Buffer | string,
): void {
  const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": String(buf.length),
    "Cache-Control": "no-store",
  });
  res.end(buf);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? "");
  return match?.[1]?.trim() || undefined;
}
