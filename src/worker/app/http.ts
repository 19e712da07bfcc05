/**
 * Shared HTTP plumbing: the API's error answers (the one `ApiError` body) and
 * the zod validators, with messages in the caller's language.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { validator } from "hono/validator";
import type { ZodType, z } from "zod";
import type { ApiError } from "../../shared/protocol";
import { type ValidationLanguage, validationErrorMap } from "../../shared/validation-messages";

/** The body of every error answer (`ApiError`, src/shared/protocol.ts). Pure. */
export function errorBody(
  code: string,
  message: string,
  fields?: ApiError["error"]["fields"],
): ApiError {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

/** Throws an HTTPException whose response is our `ApiError` body (with `headers`, e.g. Retry-After). */
export function apiError(
  status: ContentfulStatusCode,
  code: string,
  message: string,
  fields?: ApiError["error"]["fields"],
  headers?: Record<string, string>,
): never {
  const res = Response.json(errorBody(code, message, fields), { status, headers });
  throw new HTTPException(status, { res });
}

// ---- validation messages in the caller's language -------------------------------

/** The UI sends its language as Accept-Language; anything but Italian gets English. */
export function languageOf(c: Context): ValidationLanguage {
  const first = (c.req.header("Accept-Language") ?? "").split(",")[0]?.trim().toLowerCase();
  return first?.startsWith("it") ? "it" : "en";
}

const spoken = new AsyncLocalStorage<ValidationLanguage>();

/** Runs the request with its caller's language known to `callerLanguage` (install first). */
export const speakCallerLanguage: MiddlewareHandler = (c, next) => spoken.run(languageOf(c), next);

/** The language of the request being answered (English outside one). */
export function callerLanguage(): ValidationLanguage {
  return spoken.getStore() ?? "en";
}

const ERROR_MAPS: Record<ValidationLanguage, ReturnType<typeof validationErrorMap>> = {
  en: validationErrorMap("en"),
  it: validationErrorMap("it"),
};

/** Our own schema messages (src/shared), in Italian; the generic ones: shared/validation-messages.ts. */
const OWN_MESSAGES_IT: Record<string, string> = {
  "at least 10 characters": "almeno 10 caratteri",
  "digits only, as Meta shows it": "solo cifre, come le mostra Meta",
  "a time HH:MM between 00:00 and 24:00": "un orario HH:MM tra 00:00 e 24:00",
  "an IANA time zone such as Europe/Rome": "un fuso orario IANA come Europe/Rome",
  "a date YYYY-MM-DD": "una data AAAA-MM-GG",
  "on or after from": "uguale o successiva a from",
  "at most 10 rows in all": "al massimo 10 righe in tutto",
  "international format, e.g. +390212345678": "formato internazionale, es. +390212345678",
  "lowercase letters, digits and underscores": "lettere minuscole, cifre e trattini bassi",
  "a language code such as en_US or it": "un codice lingua come en_US o it",
  "a valid mobile number in international format, e.g. +393331234567":
    "un numero di cellulare valido in formato internazionale, es. +393331234567",
  "an https:// address, or empty": "un indirizzo https://, oppure vuoto",
};

/** Parses with messages in the caller's language. */
function parseIn<S extends ZodType>(c: Context, schema: S, value: unknown) {
  return schema.safeParse(value, { error: ERROR_MAPS[languageOf(c)] });
}

/** What a refusal's message starts with, by where the bad input was. */
type Where = "body" | "query" | "path";
const LEADS_EN: Record<Where, string> = {
  body: "Please check the form",
  query: "Please check the search",
  path: "This address is not valid",
};
const LEADS_IT: Record<Where, string> = {
  body: "Controlla il modulo",
  query: "Controlla la ricerca",
  path: "Questo indirizzo non è valido",
};

function invalid(c: Context, where: Where, error: z.ZodError): never {
  const italian = languageOf(c) === "it";
  const fields = error.issues.map((i) => ({
    path: i.path.length ? i.path.join(".") : where,
    message: (italian && OWN_MESSAGES_IT[i.message]) || i.message,
  }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  const lead = (italian ? LEADS_IT : LEADS_EN)[where];
  apiError(400, "invalid_request", `${lead} — ${summary}`, fields);
}

/** Parses `value` with `schema`, or answers 400 naming each bad field of `where` (in the caller's language). */
export function validOr400<S extends ZodType>(
  c: Context,
  where: "body" | "query" | "path",
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = parseIn(c, schema, value);
  if (!parsed.success) invalid(c, where, parsed.error);
  return parsed.data;
}

/** Validates the JSON body with `schema`; 415 unless the request says it is JSON (CSRF guard). */
export function jsonBody<S extends ZodType>(schema: S) {
  return validator("json", async (_value, c): Promise<z.output<S>> => {
    const type = c.req.header("Content-Type") ?? "";
    if (!type.toLowerCase().startsWith("application/json")) {
      apiError(415, "unsupported_media_type", "Content-Type must be application/json");
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      apiError(400, "invalid_json", "The body is not valid JSON");
    }
    const parsed = parseIn(c, schema, raw);
    if (!parsed.success) invalid(c, "body", parsed.error);
    return parsed.data;
  });
}

/** Validates the query string with `schema`. */
export function query<S extends ZodType>(schema: S) {
  return validator("query", (value, c): z.output<S> => {
    const parsed = parseIn(c, schema, value);
    if (!parsed.success) invalid(c, "query", parsed.error);
    return parsed.data;
  });
}

/** Validates path parameters with `schema`. */
export function params<S extends ZodType>(schema: S) {
  return validator("param", (value, c): z.output<S> => {
    const parsed = parseIn(c, schema, value);
    if (!parsed.success) invalid(c, "path", parsed.error);
    return parsed.data;
  });
}
