/**
 * Starting a conversation from the desktop (outbound) and the templates an agent
 * sent without reply: API bodies and views shared by the Worker and the desktop,
 * and the pure template maths both ends need (how many variables a text has, the
 * text the customer will read, the object Meta's Graph API takes), so the
 * preview in the dialog and what is sent cannot drift.
 */
import { z } from "zod";
import type { TemplateView } from "./admin";
import { MAX_TEXT_LENGTH, Tick } from "./protocol";

/** Meta takes at most this many quick-reply buttons on a template. */
export const MAX_QUICK_REPLIES = 3;

/** The values of a template's variables: the header's {{1}} and the body's {{1}}…{{n}} in order. */
export const TemplateVariables = z.object({
  header: z.string().trim().max(60).optional(),
  body: z.array(z.string().trim().max(500)).max(20).default([]),
});
export type TemplateVariables = z.infer<typeof TemplateVariables>;

/** What the agent sends first: a free message (only inside the customer's 24-hour window) or a template. */
export const OutboundMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().trim().min(1).max(MAX_TEXT_LENGTH) }),
  z.object({
    type: z.literal("template"),
    templateId: z.string().min(1).max(100),
    variables: TemplateVariables.default({ body: [] }),
  }),
]);
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** POST /api/outbound. `clientId` makes a retried request send nothing twice. */
export const StartOutboundBody = z.object({
  clientId: z.uuid(),
  customerId: z.string().min(1).max(100),
  numberId: z.string().min(1).max(100),
  message: OutboundMessage,
});
export type StartOutboundBody = z.infer<typeof StartOutboundBody>;

export const OutboundCustomersQuery = z.object({
  q: z.string().trim().max(100).default(""),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** A managed number the caller may start conversations from. */
export const OutboundNumber = z.object({
  id: z.string(),
  name: z.string(),
  displayPhone: z.string(),
});
export type OutboundNumber = z.infer<typeof OutboundNumber>;

/** The conversation a customer already has open on a number (one at a time per number). */
export const OpenConversation = z.object({
  id: z.string(),
  /** `assigned`, `outbound` (a template awaiting the answer) or `waiting` (not being worked). */
  state: z.enum(["assigned", "outbound", "waiting"]),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
});
export type OpenConversation = z.infer<typeof OpenConversation>;

/** A customer as the start dialog lists them, with their 24-hour window per number. */
export const OutboundCustomer = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  /** Opt-in: templates (business-initiated contact) need it. */
  authorized: z.boolean(),
  /** They wrote to one of the numbers in the last 24 h (the green tick). */
  windowOpen: z.boolean(),
  numbers: z.array(
    z.object({
      numberId: z.string(),
      lastCustomerMessageAt: z.number().nullable(),
      windowOpen: z.boolean(),
      openConversation: OpenConversation.nullable(),
    }),
  ),
});
export type OutboundCustomer = z.infer<typeof OutboundCustomer>;

export const OutboundCustomers = z.object({
  numbers: z.array(OutboundNumber),
  items: z.array(OutboundCustomer),
});
export type OutboundCustomers = z.infer<typeof OutboundCustomers>;

export const OutboundTemplatesQuery = z.object({ numberId: z.string().min(1).max(100) });

/** An approved template as the start dialog fills it in. */
export const OutboundTemplate = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  header: z.string().nullable(),
  /** 0 or 1: the header's {{1}}. */
  headerVariables: z.number().int(),
  body: z.string(),
  /** n: the body's {{1}}…{{n}}. */
  bodyVariables: z.number().int(),
  footer: z.string().nullable(),
  /** Up to 3 quick-reply buttons the customer can tap to answer. */
  quickReplies: z.array(z.string()),
  /** Call-to-action buttons (a link, a phone number), shown as they are. */
  otherButtons: z.array(z.string()),
});
export type OutboundTemplate = z.infer<typeof OutboundTemplate>;

export const OutboundTemplates = z.object({
  /** The tenant lets agents send templates. */
  agentsMaySendTemplates: z.boolean(),
  /** The caller may send templates (administrators always may). */
  allowed: z.boolean(),
  templates: z.array(OutboundTemplate),
});
export type OutboundTemplates = z.infer<typeof OutboundTemplates>;

/** A template I sent that the customer has not answered yet. */
export const PendingOutbound = z.object({
  conversationId: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }),
  numberId: z.string(),
  numberName: z.string(),
  templateName: z.string(),
  /** The text the customer reads. */
  text: z.string(),
  sentAt: z.number(),
  status: Tick.nullable(),
});
export type PendingOutbound = z.infer<typeof PendingOutbound>;
export const PendingOutboundList = z.object({ items: z.array(PendingOutbound) });
export type PendingOutboundList = z.infer<typeof PendingOutboundList>;

// ---- template maths (pure) -------------------------------------------------------

const PLACEHOLDER = /\{\{(\d{1,2})\}\}/g;

/** How many positional variables ({{1}}…{{n}}) a text uses: the highest n. Pure. */
export function variableCount(text: string): number {
  let highest = 0;
  for (const m of text.matchAll(PLACEHOLDER)) highest = Math.max(highest, Number(m[1]));
  return highest;
}

/** `text` with {{n}} replaced by `values[n-1]`; an empty value keeps the placeholder visible. Pure. */
export function fillVariables(text: string, values: readonly (string | undefined)[]): string {
  return text.replace(PLACEHOLDER, (whole, n: string) => {
    const value = values[Number(n) - 1]?.trim();
    return value ? value : whole;
  });
}

/** The dialog's and the API's view of an approved template. Pure. */
export function outboundTemplate(t: TemplateView): OutboundTemplate {
  return {
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    header: t.header?.text ?? null,
    headerVariables: t.header ? Math.min(1, variableCount(t.header.text)) : 0,
    body: t.body.text,
    bodyVariables: variableCount(t.body.text),
    footer: t.footer,
    quickReplies: t.buttons
      .filter((b) => b.type === "QUICK_REPLY")
      .slice(0, MAX_QUICK_REPLIES)
      .map((b) => b.text),
    otherButtons: t.buttons.filter((b) => b.type !== "QUICK_REPLY").map((b) => b.text),
  };
}

/**
 * The variables a send leaves empty, as the API names them
 * (`message.variables.header`, `message.variables.body.2` for {{2}}). Pure.
 */
export function missingVariables(t: OutboundTemplate, v: TemplateVariables): string[] {
  const missing: string[] = [];
  if (t.headerVariables > 0 && !v.header?.trim()) missing.push("message.variables.header");
  for (let i = 0; i < t.bodyVariables; i++) {
    if (!v.body[i]?.trim()) missing.push(`message.variables.body.${i + 1}`);
  }
  return missing;
}

/** The text the customer reads: header, body, footer and the buttons, variables filled. Pure. */
export function templateText(t: OutboundTemplate, v: TemplateVariables): string {
  const parts = [
    t.header ? fillVariables(t.header, [v.header]) : null,
    fillVariables(t.body, v.body),
    t.footer,
    t.quickReplies.length > 0 ? t.quickReplies.map((r) => `[${r}]`).join(" ") : null,
  ];
  return parts.filter((p): p is string => Boolean(p)).join("\n");
}

/**
 * Meta's `template` object for a send: name, language, and one component per
 * part that takes parameters — the header's text, the body's texts in order, and
 * each quick-reply button with its text as the payload (so the customer's tap
 * comes back recognisable). Pure; `v` must have every variable (see `missingVariables`).
 */
export function graphTemplate(t: OutboundTemplate, v: TemplateVariables): Record<string, unknown> {
  const text = (value: string | undefined) => ({ type: "text", text: value?.trim() ?? "" });
  const components: Record<string, unknown>[] = [];
  if (t.headerVariables > 0) components.push({ type: "header", parameters: [text(v.header)] });
  if (t.bodyVariables > 0) {
    components.push({
      type: "body",
      parameters: Array.from({ length: t.bodyVariables }, (_, i) => text(v.body[i])),
    });
  }
  t.quickReplies.forEach((reply, index) => {
    components.push({
      type: "button",
      sub_type: "quick_reply",
      index: String(index),
      parameters: [{ type: "payload", payload: reply }],
    });
  });
  return { name: t.name, language: { code: t.language }, components };
}
