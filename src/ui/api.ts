/**
 * The desktop's HTTP client: same-origin JSON with the session cookie. Responses are
 * checked against the shared protocol schemas, so a drifting server fails loudly here
 * instead of somewhere deep in a component.
 */
import { z } from "zod";
import type { CloseBody, Language, SelectableStatus, SendContent } from "../shared/protocol.ts";
import {
  AgentView,
  CloseOptions,
  ConversationView,
  DesktopSnapshot,
  ApiError as ErrorBody,
  MessageView,
  MeView,
} from "../shared/protocol.ts";

/** One invalid input the server named: `path` as in the request body (e.g. `details.name`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The server answered with an error status; `message` is the server's own, fit to show.
 * `fields` lists each invalid input of a 400 (empty otherwise).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The request never got an answer (offline, DNS, aborted). Safe to retry idempotent calls. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "NetworkError";
  }
}

let unauthorizedHandler: (() => void) | null = null;

/** Registers what to do when any API call answers 401 (the session is gone): show Login. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** Options of `request`. */
export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  /** When false, a 401 is only thrown, not reported as a lost session (the login form). */
  reportUnauthorized?: boolean;
}

/**
 * One same-origin JSON call. Resolves with the body validated by `schema` (undefined when
 * `schema` is null or the answer is 204); rejects with ApiError or NetworkError.
 */
export async function request<T>(
  path: string,
  schema: z.ZodType<T> | null,
  options: RequestOptions = {},
): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = {
    Accept: "application/json",
    // Validation messages come back in the UI's language (set on <html lang>).
    "Accept-Language": globalThis.document?.documentElement.lang || "en",
  };
  let body: string | undefined;
  if (method !== "GET") {
    // The server refuses mutating requests without a JSON content type (CSRF defence),
    // so even body-less actions send an empty object.
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401 && options.reportUnauthorized !== false) unauthorizedHandler?.();
    throw error;
  }
  if (schema === null || response.status === 204) return undefined as T;
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new ApiError(response.status, "bad_response", String(error));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Unexpected response from ${method} ${path}`, parsed.error.issues);
    throw new ApiError(response.status, "bad_response", `Unexpected response from ${path}`);
  }
  return parsed.data;
}

/**
 * The ApiError of an error answer: its body when that is the server's error
 * body (the shared `ApiError` schema), else one made of the status. `body` is
 * the parsed JSON, or undefined when the answer was not JSON.
 */
export function errorOfAnswer(status: number, statusText: string, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return new ApiError(status, `http_${status}`, statusText);
  const { code, message, fields } = parsed.data.error;
  return new ApiError(status, code, message, fields ?? []);
}

async function readError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status text tells.
  }
  return errorOfAnswer(response.status, response.statusText, body);
}

const ConversationWithMessages = z.object({
  conversation: ConversationView,
  messages: z.array(MessageView),
});
const MessageList = z.object({ messages: z.array(MessageView) });

const segment = encodeURIComponent;

/** Every endpoint the desktop uses. Each resolves with validated data or rejects with ApiError/NetworkError. */
export const api = {
  /** Signs in; a 401 means wrong credentials, not a lost session. */
  login: (email: string, password: string) =>
    request("/auth/login", MeView, {
      method: "POST",
      body: { email, password },
      reportUnauthorized: false,
    }),
  logout: () => request<void>("/auth/logout", null, { method: "POST", reportUnauthorized: false }),
  me: () => request("/api/me", MeView),
  setLanguage: (language: Language) =>
    request("/api/me", MeView, { method: "PATCH", body: { language } }),
  desktop: () => request("/api/desktop", DesktopSnapshot),
  setStatus: (status: SelectableStatus) =>
    request("/api/me/status", AgentView, { method: "POST", body: { status } }),
  /** Rejects with ApiError code "offer_gone" (409) when the offer expired or was taken. */
  acceptOffer: (conversationId: string) =>
    request(`/api/offers/${segment(conversationId)}/accept`, ConversationView, { method: "POST" }),
  conversation: (conversationId: string) =>
    request(`/api/conversations/${segment(conversationId)}`, ConversationWithMessages),
  /** Messages of a conversation with `seq` greater than `afterSeq`. */
  messagesAfter: (conversationId: string, afterSeq: number) =>
    request(
      `/api/conversations/${segment(conversationId)}/messages?after=${afterSeq}`,
      MessageList,
    ),
  /** Idempotent per `clientId`: a retry with the same id never sends twice. */
  sendText: (conversationId: string, clientId: string, text: string) =>
    request(`/api/conversations/${segment(conversationId)}/messages`, MessageView, {
      method: "POST",
      body: { clientId, text },
    }),
  /**
   * Sends what the composer's toolbar made (an upload, a predefined location or
   * message); idempotent per `clientId` like `sendText`.
   */
  sendContent: (conversationId: string, clientId: string, content: SendContent) =>
    request(`/api/conversations/${segment(conversationId)}/messages`, MessageView, {
      method: "POST",
      body: { clientId, content },
    }),
  /**
   * Sends again one of our "not confirmed" or failed messages, as the new message
   * `clientId`; a message is resent once at most (a repeat answers the same new message).
   */
  resend: (conversationId: string, messageId: string, clientId: string) =>
    request(
      `/api/conversations/${segment(conversationId)}/messages/${segment(messageId)}/resend`,
      MessageView,
      { method: "POST", body: { clientId } },
    ),
  /** Tells the server (and through it the customer's phone) what the agent has seen. */
  markRead: (conversationId: string, upToSeq: number) =>
    request<void>(`/api/conversations/${segment(conversationId)}/read`, null, {
      method: "POST",
      body: { upToSeq },
    }),
  /** The closing reasons (the number's profiling tree) and the rules the close dialog applies. */
  closeOptions: (conversationId: string) =>
    request(`/api/conversations/${segment(conversationId)}/close-options`, CloseOptions),
  /**
   * Closes with a reason (a profiling leaf's id, or free text) and notes, kept in the
   * customer's history. A 400 names `reasonId`, `reason` or `notes` in its fields.
   */
  closeConversation: (conversationId: string, body: CloseBody) =>
    request(`/api/conversations/${segment(conversationId)}/close`, ConversationView, {
      method: "POST",
      body,
    }),
};

/** The text to show for a failed call: the server's message, or a generic one. */
export function errorMessage(error: unknown, networkText: string, fallback: string): string {
  if (error instanceof NetworkError) return networkText;
  if (error instanceof ApiError && error.message) return error.message;
  return fallback;
}
