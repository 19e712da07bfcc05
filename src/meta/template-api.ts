/**
 * Meta's template management API: create, edit and delete message templates of
 * a WhatsApp Business Account. Same base URL as the messaging client (Meta's
 * in production, the simulator in development and tests), same error style:
 * never throws, failures come back as values.
 */
import { z } from "zod";
import type { TemplateContent } from "../shared/admin";
import { withDeadline } from "../shared/deadline";
import { type GraphApi, type GraphError, isRetryable, isTimeout, jsonOrNull } from "./graph";

/** Outcome of a template call. */
export type TemplateCallResult<T> =
  | { ok: true; value: T }
  | { ok: false; retryable: boolean; error: GraphError };

/** A component of Meta's create/edit body (HEADER, BODY, FOOTER, BUTTONS). */
export type GraphComponent = Record<string, unknown> & { type: string };

/** Meta's body of `POST /{waba_id}/message_templates`. */
export interface CreateTemplateRequest {
  name: string;
  language: string;
  category: TemplateContent["category"];
  components: GraphComponent[];
}

/** Who calls: the account and the number's token. */
export interface TemplateAccount {
  wabaId: string;
  accessToken: string;
}

const CreateResponse = z.object({
  id: z.union([z.string().min(1), z.number().int().transform(String)]),
  status: z.string().default("PENDING"),
  category: z.string().optional(),
});

const ErrorResponse = z.object({
  error: z.looseObject({
    code: z.number().int(),
    message: z.string().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

/**
 * The components Meta expects for a template, as its template-management docs
 * write them: HEADER (format TEXT, `example.header_text`), BODY
 * (`example.body_text` = one array of every variable's example), FOOTER,
 * BUTTONS. Authentication templates use Meta's fixed body and an OTP
 * copy-code button instead. Pure.
 */
export function templateComponents(t: TemplateContent): GraphComponent[] {
  if (t.category === "AUTHENTICATION") {
    return [
      { type: "BODY", add_security_recommendation: false },
      { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copy code" }] },
    ];
  }
  const components: GraphComponent[] = [];
  if (t.header) {
    components.push({
      type: "HEADER",
      format: "TEXT",
      text: t.header.text,
      ...(t.header.example !== null ? { example: { header_text: [t.header.example] } } : {}),
    });
  }
  components.push({
    type: "BODY",
    text: t.body.text,
    ...(t.body.examples.length > 0 ? { example: { body_text: [t.body.examples] } } : {}),
  });
  if (t.footer) components.push({ type: "FOOTER", text: t.footer });
  if (t.buttons.length > 0) {
    components.push({
      type: "BUTTONS",
      buttons: t.buttons.map((b) => {
        if (b.type === "URL") return { type: b.type, text: b.text, url: b.url };
        if (b.type === "PHONE_NUMBER") {
          return { type: b.type, text: b.text, phone_number: b.phoneNumber };
        }
        return { type: b.type, text: b.text };
      }),
    });
  }
  return components;
}

/** The full create body. Pure. */
export function createTemplateRequest(t: TemplateContent): CreateTemplateRequest {
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    components: templateComponents(t),
  };
}

async function call(
  api: GraphApi,
  url: string,
  init: RequestInit,
): Promise<TemplateCallResult<unknown>> {
  const fetcher = api.fetcher ?? fetch;
  let res: Response;
  let body: unknown;
  try {
    ({ res, body } = await withDeadline(api.timeoutMs, async (signal) => {
      const res = await fetcher(url, { ...init, signal });
      return { res, body: await jsonOrNull(res) };
    }));
  } catch (err) {
    // No answer in time: the admin's request fails and may simply be tried again.
    const title = isTimeout(err)
      ? `No answer within ${api.timeoutMs} ms`
      : `Network error: ${String(err)}`;
    return { ok: false, retryable: true, error: { code: 0, title, httpStatus: null } };
  }
  if (res.ok) return { ok: true, value: body };
  const parsed = ErrorResponse.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      retryable: isRetryable(res.status, 0),
      error: { code: 0, title: `HTTP ${res.status}`, httpStatus: res.status },
    };
  }
  const e = parsed.data.error;
  // Template errors explain themselves in error_user_msg (e.g. which field is invalid).
  const message = e.error_user_msg ?? e.error_data?.details;
  return {
    ok: false,
    retryable: isRetryable(res.status, e.code),
    error: {
      code: e.code,
      title: e.error_user_title ?? e.message ?? `HTTP ${res.status}`,
      ...(message !== undefined ? { message } : {}),
      httpStatus: res.status,
    },
  };
}

function headers(accessToken: string): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" };
}

/**
 * `POST /{waba_id}/message_templates`: submits a new template for review.
 * Returns Meta's template id and status (usually PENDING).
 */
export async function createTemplate(
  api: GraphApi,
  account: TemplateAccount,
  t: TemplateContent,
): Promise<TemplateCallResult<{ id: string; status: string }>> {
  const r = await call(api, `${api.base}/${encodeURIComponent(account.wabaId)}/message_templates`, {
    method: "POST",
    headers: headers(account.accessToken),
    body: JSON.stringify(createTemplateRequest(t)),
  });
  if (!r.ok) return r;
  const parsed = CreateResponse.safeParse(r.value);
  if (!parsed.success) {
    return {
      ok: false,
      retryable: false,
      error: { code: 0, title: "Unexpected Graph API response", httpStatus: 200 },
    };
  }
  return { ok: true, value: { id: parsed.data.id, status: parsed.data.status } };
}

/**
 * `POST /{template_id}`: resubmits an edited template Meta already knows (a
 * rejected one), which goes back to review. Name and language cannot change.
 */
export async function editTemplate(
  api: GraphApi,
  accessToken: string,
  templateId: string,
  t: TemplateContent,
): Promise<TemplateCallResult<{ status: string }>> {
  const r = await call(api, `${api.base}/${encodeURIComponent(templateId)}`, {
    method: "POST",
    headers: headers(accessToken),
    body: JSON.stringify({ category: t.category, components: templateComponents(t) }),
  });
  if (!r.ok) return r;
  return { ok: true, value: { status: "PENDING" } };
}

/**
 * `DELETE /{waba_id}/message_templates?name=…&hsm_id=…`: deletes exactly the
 * template with that id (without hsm_id Meta would delete every language).
 */
export async function deleteTemplate(
  api: GraphApi,
  account: TemplateAccount,
  name: string,
  templateId: string,
): Promise<TemplateCallResult<null>> {
  const q = new URLSearchParams({ name, hsm_id: templateId });
  const r = await call(
    api,
    `${api.base}/${encodeURIComponent(account.wabaId)}/message_templates?${q}`,
    { method: "DELETE", headers: { Authorization: `Bearer ${account.accessToken}` } },
  );
  return r.ok ? { ok: true, value: null } : r;
}

const ListResponse = z.object({
  data: z.array(z.looseObject({ id: z.union([z.string(), z.number().int().transform(String)]) })),
});

/**
 * `GET /{waba_id}/message_templates?name=…`: the ids Meta holds under a name
 * (every language), to tell "already gone at Meta" from a real refusal.
 */
export async function templateIdsNamed(
  api: GraphApi,
  account: TemplateAccount,
  name: string,
): Promise<TemplateCallResult<string[]>> {
  const q = new URLSearchParams({ name, fields: "id,name,language,status" });
  const r = await call(
    api,
    `${api.base}/${encodeURIComponent(account.wabaId)}/message_templates?${q}`,
    { method: "GET", headers: { Authorization: `Bearer ${account.accessToken}` } },
  );
  if (!r.ok) return r;
  const parsed = ListResponse.safeParse(r.value);
  if (!parsed.success) {
    return {
      ok: false,
      retryable: false,
      error: { code: 0, title: "Unexpected Graph API response", httpStatus: 200 },
    };
  }
  return { ok: true, value: parsed.data.data.map((t) => t.id) };
}
