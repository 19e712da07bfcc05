/**
 * Meta's template management API (create, list, edit, delete per WhatsApp
 * Business Account) and the review that follows: a test control (or the
 * automatic review) decides, and a signed `message_template_status_update`
 * webhook tells the business, exactly as Meta does.
 */
import type { IncomingMessage } from "node:http";
import type { Handler, SimContext } from "./context.ts";
import { requireBearer } from "./graph-routes.ts";
import {
  badRequest,
  HttpError,
  isObject,
  type JsonObject,
  nonEmptyString,
  readBody,
  readJson,
  sendJson,
} from "./http.ts";
import { graphErrorBody, newNumericId, newTraceId, nowSeconds } from "./meta.ts";
import type { SimTemplate } from "./state.ts";
import { checkComponents, parseTemplateRequest, TemplateRejection } from "./template-rules.ts";
import type { DeliveryResult } from "./webhook-sender.ts";

/** Review events the test control accepts, and the status each leaves. `null` = unchanged. */
const EVENTS: Record<string, string | null> = {
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  PAUSED: "PAUSED",
  DISABLED: "DISABLED",
  PENDING: "PENDING",
  REINSTATED: "APPROVED",
  FLAGGED: null,
};

/** Meta's error body for a refused template (400, code 100, subcode + user message). */
function rejection(r: TemplateRejection): HttpError {
  return new HttpError(400, {
    error: {
      message: "Invalid parameter",
      type: "OAuthException",
      code: 100,
      error_subcode: r.subcode,
      is_transient: false,
      error_user_title: r.title,
      error_user_msg: r.message,
      fbtrace_id: newTraceId(),
    },
  });
}

function validated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateRejection) throw rejection(err);
    throw err;
  }
}

async function readGraphJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, graphErrorBody(100, "Request body is not valid JSON"));
  }
}

/** A template as Meta's GET endpoints return it. */
export function templateView(t: SimTemplate): JsonObject {
  return {
    name: t.name,
    parameter_format: "POSITIONAL",
    components: t.components,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.id,
    ...(t.status === "REJECTED" ? { rejected_reason: t.reason ?? "NONE" } : {}),
  };
}

/** A template id like Meta's: 16 digits, kept below 2^53 (webhooks carry it as a JSON number). */
function newTemplateId(): string {
  return `1${newNumericId(15)}`;
}

function scheduleAutoReview(ctx: SimContext, id: string): void {
  if (ctx.autoReviewMs === undefined) return;
  ctx.timers.later(ctx.autoReviewMs, async () => {
    const t = ctx.state.templates.get(id);
    if (t?.status === "PENDING") await reviewTemplate(ctx, t, "APPROVED", null);
  });
}

/**
 * Applies a review decision and sends the signed status webhook (entry id =
 * the WABA id). Resolves with the first delivery attempt's result.
 */
export function reviewTemplate(
  ctx: SimContext,
  t: SimTemplate,
  event: string,
  reason: string | null,
): Promise<DeliveryResult> {
  const status = EVENTS[event];
  if (status) {
    t.status = status;
    t.reason = status === "APPROVED" || status === "PENDING" ? null : reason;
  }
  return ctx.webhooks.send({
    object: "whatsapp_business_account",
    entry: [
      {
        id: t.wabaId,
        time: nowSeconds(),
        changes: [
          {
            value: {
              event,
              message_template_id: Number(t.id),
              message_template_name: t.name,
              message_template_language: t.language,
              reason: reason ?? "NONE",
              message_template_category: t.category,
            },
            field: "message_template_status_update",
          },
        ],
      },
    ],
  });
}

/** `POST /:version/:wabaId/message_templates` → `{id, status:"PENDING", category}`. */
export const postTemplate: Handler = async (ctx, req, res, [wabaId = ""]) => {
  requireBearer(req);
  const json = await readGraphJson(req);
  const body = validated(() => parseTemplateRequest(json));
  const duplicate = [...ctx.state.templates.values()].some(
    (t) => t.wabaId === wabaId && t.name === body.name && t.language === body.language,
  );
  if (duplicate) {
    throw rejection(
      new TemplateRejection(
        2388024,
        "Content in this language already exists",
        `There is already ${body.language} content for the template ${body.name}.`,
      ),
    );
  }
  const t: SimTemplate = {
    id: newTemplateId(),
    wabaId,
    name: body.name,
    language: body.language,
    category: body.category,
    components: body.components,
    status: "PENDING",
    reason: null,
  };
  ctx.state.templates.set(t.id, t);
  scheduleAutoReview(ctx, t.id);
  sendJson(res, 200, { id: t.id, status: t.status, category: t.category });
};

/** `GET /:version/:wabaId/message_templates[?name=&status=]` → `{data, paging}`. */
export const listTemplates: Handler = (ctx, req, res, [wabaId = ""]) => {
  requireBearer(req);
  const q = new URL(req.url ?? "/", "http://sim").searchParams;
  const name = q.get("name");
  const status = q.get("status");
  const data = [...ctx.state.templates.values()]
    .filter((t) => t.wabaId === wabaId)
    .filter((t) => name === null || t.name === name)
    .filter((t) => status === null || t.status === status.toUpperCase())
    .map(templateView);
  sendJson(res, 200, { data, paging: { cursors: { before: "MAZDZD", after: "MjQZD" } } });
};

function notFound(what: string): HttpError {
  return new HttpError(400, graphErrorBody(100, undefined, `(#100) ${what} does not exist`));
}

/**
 * `DELETE /:version/:wabaId/message_templates?name=…[&hsm_id=…]`: with hsm_id
 * exactly that template, else every language of the name.
 */
export const deleteTemplates: Handler = (ctx, req, res, [wabaId = ""]) => {
  requireBearer(req);
  const q = new URL(req.url ?? "/", "http://sim").searchParams;
  const name = q.get("name");
  if (!name) throw new HttpError(400, graphErrorBody(100, "name is required"));
  const hsmId = q.get("hsm_id");
  const doomed = [...ctx.state.templates.values()].filter(
    (t) => t.wabaId === wabaId && t.name === name && (hsmId === null || t.id === hsmId),
  );
  if (doomed.length === 0) throw notFound(`Message template ${name}`);
  for (const t of doomed) ctx.state.templates.delete(t.id);
  sendJson(res, 200, { success: true });
};

/** `POST /:version/:templateId` → edits components (and category unless approved); back to PENDING. */
export const editTemplate: Handler = async (ctx, req, res, [id = ""]) => {
  requireBearer(req);
  const t = ctx.state.templates.get(id);
  if (!t) throw notFound(`Object with ID '${id}'`);
  const body = await readGraphJson(req);
  if (!isObject(body)) throw new HttpError(400, graphErrorBody(100, "body must be an object"));
  if (!["APPROVED", "REJECTED", "PAUSED"].includes(t.status)) {
    throw rejection(
      new TemplateRejection(2388023, "Message template can't be edited", `Status is ${t.status}.`),
    );
  }
  const category = nonEmptyString(body.category) ?? t.category;
  if (category !== t.category && t.status === "APPROVED") {
    throw rejection(
      new TemplateRejection(
        2388023,
        "Category can't be changed",
        "The category of an approved template cannot change.",
      ),
    );
  }
  t.components = validated(() => checkComponents(body.components, category));
  t.category = category;
  t.status = "PENDING";
  t.reason = null;
  scheduleAutoReview(ctx, t.id);
  sendJson(res, 200, { success: true });
};

/** `POST /_sim/templates/:id/review` `{event, reason?}` → `{template, delivered, httpStatus}`. */
export const postReview: Handler = async (ctx, req, res, [id = ""]) => {
  const body = await readJson(req);
  if (!isObject(body)) throw badRequest("body must be a JSON object");
  const event = nonEmptyString(body.event);
  if (!event || !(event in EVENTS)) {
    throw badRequest(`event must be one of ${Object.keys(EVENTS).join(", ")}`);
  }
  const reason = body.reason === undefined || body.reason === null ? null : body.reason;
  if (reason !== null && typeof reason !== "string") throw badRequest("reason must be a string");
  const t = ctx.state.templates.get(id);
  if (!t) throw new HttpError(404, { error: `no template ${id}` });
  const result = await reviewTemplate(ctx, t, event, reason);
  sendJson(res, 200, { template: templateView(t), ...result });
};
