/**
 * Starting a conversation from the desktop (free message or template) and the
 * templates sent without reply.
 *
 * The Worker checks what only D1 knows (the customer, the number, the
 * template and its variables, opt-in, the tenant's setting) and hands the rest
 * to the caller's agent actor (src/durable/outbound.ts). Decisions:
 * - The 24-hour window per customer and number comes from the number actor,
 *   which records when each customer last wrote to it (kept after their
 *   conversations close). It is the green tick, and the rule for free messages.
 * - A free message inside the window needs no opt-in: a customer who writes
 *   first authorises replies for 24 hours (PRODUCT.md). A template is
 *   business-initiated contact and needs the customer's `authorized`.
 * - Agents send templates only when the tenant allows it; administrators always may.
 * - Templates of every number on the same WhatsApp Business Account are usable
 *   (Meta approves templates per account), approved ones only.
 */
import { and, desc, eq, inArray, notExists, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import type {
  CustomerRef,
  NumberInfo,
  OutgoingMessage,
  StartOutboundResult,
} from "../../durable/contracts";
import { now } from "../../platform/clock";
import { d1, qb } from "../../platform/db/d1";
import { memberSkillset } from "../../platform/db/joins";
import {
  managedNumbers,
  skillsetMembers,
  skillsets,
  templates,
  tenants,
} from "../../platform/db/schema";
import {
  graphTemplate,
  missingVariables,
  type OutboundCustomer,
  OutboundCustomers,
  OutboundCustomersQuery,
  type OutboundTemplate,
  OutboundTemplates,
  OutboundTemplatesQuery,
  outboundTemplate,
  type PendingOutbound,
  PendingOutboundList,
  StartOutboundBody,
  templateText,
} from "../../shared/outbound";
import { ConversationView, customerWindowOpen } from "../../shared/protocol";
import type { AppEnv, SessionUser } from "../app/app-types";
import { apiError } from "../app/http";
import { refuse, refuseResult } from "../app/results";
import { Routes } from "../app/routes";
import { TEMPLATE_FIELDS, templateView } from "../db/template-store";
import { takeQuota } from "../security/limits";
import { cust, customerSearch } from "./customer-search";
import {
  type Customer,
  callerCustomers,
  isolatedAgent,
  memberSkillsets,
  visibleCustomer,
} from "./customers";

const WithdrawParams = z.object({ id: z.uuid() });
const TAG = "outbound";

/**
 * The numbers the caller may start conversations from: all of the tenant's,
 * or for an isolated agent those of their skillsets. By name.
 */
function callerNumbers(c: Context<AppEnv>) {
  const user = c.var.user;
  const theirNumbers = qb
    .select({ id: skillsets.numberId })
    .from(skillsets)
    .innerJoin(skillsetMembers, memberSkillset)
    .where(and(eq(skillsetMembers.tenantId, user.tenantId), eq(skillsetMembers.userId, user.id)));
  return d1(c.env.DB)
    .select({
      id: managedNumbers.id,
      name: managedNumbers.name,
      displayPhone: managedNumbers.displayPhone,
      phoneNumberId: managedNumbers.phoneNumberId,
      wabaId: managedNumbers.wabaId,
    })
    .from(managedNumbers)
    .where(
      and(
        eq(managedNumbers.tenantId, user.tenantId),
        or(notExists(isolatedAgent(user)), inArray(managedNumbers.id, theirNumbers)),
      ),
    )
    .orderBy(sql`${managedNumbers.name} COLLATE NOCASE`, managedNumbers.id);
}

type NumberRow = Awaited<ReturnType<typeof callerNumbers>>[number];

/** One of the caller's numbers, else 404 (another tenant's, or not theirs to use). */
async function callerNumber(c: Context<AppEnv>, numberId: string): Promise<NumberRow> {
  const number = (await callerNumbers(c)).find((n) => n.id === numberId);
  if (!number) apiError(404, "not_found", "No such managed number");
  return number;
}

/** Whether the caller may send templates: administrators always, agents when the tenant allows. */
async function templatePermission(
  c: Context<AppEnv>,
): Promise<{ agentsMaySendTemplates: boolean; allowed: boolean }> {
  const row = await d1(c.env.DB)
    .select({ agentsMaySendTemplates: tenants.agentsMaySendTemplates })
    .from(tenants)
    .where(eq(tenants.id, c.var.user.tenantId))
    .get();
  const agentsMaySendTemplates = row?.agentsMaySendTemplates === true;
  return { agentsMaySendTemplates, allowed: c.var.user.role === "admin" || agentsMaySendTemplates };
}

/** The approved templates of `number`'s WhatsApp Business Account (its own when it has none). */
async function approvedTemplates(
  c: Context<AppEnv>,
  number: NumberRow,
  templateId: string | null = null,
): Promise<OutboundTemplate[]> {
  const sameAccount = qb
    .select({ id: managedNumbers.id })
    .from(managedNumbers)
    .where(
      and(
        eq(managedNumbers.tenantId, templates.tenantId),
        or(
          eq(managedNumbers.id, number.id),
          number.wabaId === null ? undefined : eq(managedNumbers.wabaId, number.wabaId),
        ),
      ),
    );
  const results = await d1(c.env.DB)
    .select(TEMPLATE_FIELDS)
    .from(templates)
    .where(
      and(
        eq(templates.tenantId, c.var.user.tenantId),
        eq(templates.status, "approved"),
        templateId === null ? undefined : eq(templates.id, templateId),
        inArray(templates.numberId, sameAccount),
      ),
    )
    .orderBy(templates.name, templates.language);
  return results.map((row) => outboundTemplate(templateView(row)));
}

/**
 * The skillset an outbound conversation belongs to: the customer's default on
 * this number, else the caller's highest-priority skillset there, else none.
 * It decides who sees it in the history and where an unanswered reply is routed.
 */
async function conversationSkillset(
  c: Context<AppEnv>,
  numberId: string,
  customerDefault: string | null,
): Promise<{ id: string; name: string } | null> {
  const user = c.var.user;
  const found = await d1(c.env.DB)
    .select({ id: skillsets.id, name: skillsets.name })
    .from(skillsets)
    .where(
      and(
        eq(skillsets.tenantId, user.tenantId),
        eq(skillsets.numberId, numberId),
        or(
          customerDefault === null ? undefined : eq(skillsets.id, customerDefault),
          inArray(skillsets.id, memberSkillsets(user)),
        ),
      ),
    )
    .orderBy(
      desc(sql`(${skillsets.id} = ${customerDefault})`),
      desc(skillsets.priority),
      skillsets.name,
      skillsets.id,
    )
    .limit(1)
    .get();
  return found ?? null;
}

/** Answers a refusal of the agent actor with its code and a message that says why. */
function refuseStart(result: Extract<StartOutboundResult, { ok: false }>): never {
  if (result.code === "already_open") refuse("alreadyOpen", result.agentName);
  refuseResult(result.code, {
    not_an_agent: "notAnAgent",
    at_capacity: "atCapacityToStart",
    waiting: "customerWaiting",
    awaiting_reply: "awaitingReply",
    window_closed: "startWindowClosed",
  });
}

function customerRef(row: Customer): CustomerRef {
  const key = row.contactKey;
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    contactKey: key,
    recipient: key.startsWith("u:") ? key.slice(2) : key,
    priority: row.priority,
    known: true,
    bypassBot: row.bypassBot,
  };
}

/** GET/POST /api/outbound… */
export const outbound = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/api/outbound/customers",
      summary:
        "Customers to start a conversation with (search by name or phone): opt-in, the 24-hour window and any open conversation, per number",
      tag: TAG,
      access: "tenant",
      query: OutboundCustomersQuery,
      response: OutboundCustomers,
    },
    async (c) => {
      const { q, limit } = c.req.valid("query");
      const scope = callerCustomers(c);
      // Name or phone, as the caller sees them (masked agents: only what is visible).
      const search = q ? await customerSearch(c, q, { texts: ["name"], scope }) : undefined;
      const [numbers, found] = await Promise.all([
        callerNumbers(c),
        d1(c.env.DB)
          .select({
            id: cust.id,
            name: cust.name,
            phone: cust.phone,
            contactKey: cust.contactKey,
            authorized: cust.authorized,
          })
          .from(cust)
          .where(and(scope, search))
          .orderBy(sql`${cust.name} COLLATE NOCASE`, cust.id)
          .limit(limit),
      ]);
      const keys = found.map((r) => r.contactKey);
      const states = await Promise.all(
        numbers.map((n) => c.env.NUMBER.getByName(n.id).contactState(keys)),
      );
      const at = now();
      const items = found.map((row): OutboundCustomer => {
        const perNumber = numbers.map((n, i) => {
          const state = states[i]?.[row.contactKey];
          const last = state?.lastCustomerMessageAt ?? null;
          return {
            numberId: n.id,
            lastCustomerMessageAt: last,
            windowOpen: customerWindowOpen(last, at),
            openConversation: state?.open ?? null,
          };
        });
        return {
          id: row.id,
          name: row.name,
          phone: row.phone,
          authorized: row.authorized,
          windowOpen: perNumber.some((n) => n.windowOpen),
          numbers: perNumber,
        };
      });
      return c.json({
        numbers: numbers.map((n) => ({ id: n.id, name: n.name, displayPhone: n.displayPhone })),
        items,
      } satisfies OutboundCustomers);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/outbound/templates",
      summary:
        "The approved templates usable from a number, with their variables and quick replies, and whether the caller may send them",
      tag: TAG,
      access: "tenant",
      query: OutboundTemplatesQuery,
      response: OutboundTemplates,
    },
    async (c) => {
      const number = await callerNumber(c, c.req.valid("query").numberId);
      const [permission, templates] = await Promise.all([
        templatePermission(c),
        approvedTemplates(c, number),
      ]);
      return c.json({ ...permission, templates } satisfies OutboundTemplates);
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/outbound/pending",
      summary:
        "Templates I sent that the customer has not answered yet (they move to my conversations when the customer answers)",
      tag: TAG,
      access: "tenant",
      response: PendingOutboundList,
    },
    async (c) => {
      const user = c.var.user;
      const numbers = await tenantNumbers(c, user);
      const ids = await Promise.all(
        numbers.map(async (n) => ({
          number: n,
          ids: await c.env.NUMBER.getByName(n.id).outboundOf(user.id),
        })),
      );
      const items = await Promise.all(
        ids.flatMap(({ number, ids: list }) =>
          list.map(async (id): Promise<PendingOutbound | null> => {
            const s = await c.env.CONVERSATION.getByName(id).outboundSummary(user.tenantId);
            if (!s || s.conversation.agentId !== user.id) return null;
            return {
              conversationId: id,
              customer: s.conversation.customer,
              numberId: number.id,
              numberName: number.name,
              templateName: s.templateName,
              text: s.text,
              sentAt: s.sentAt,
              status: s.status,
            };
          }),
        ),
      );
      const pending = items
        .filter((i): i is PendingOutbound => i !== null)
        .sort((a, b) => b.sentAt - a.sentAt);
      return c.json({ items: pending } satisfies PendingOutboundList);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/outbound",
      summary:
        "Start a conversation with a customer: a free message (inside their 24-hour window; it opens on my desk) or an approved template (it waits under Sent templates until they answer)",
      tag: TAG,
      access: "tenant",
      body: StartOutboundBody,
      response: ConversationView,
      status: 201,
    },
    async (c) => {
      const user = c.var.user;
      const body = c.req.valid("json");
      await takeQuota(c, { rule: "outboundStart", subject: user.id });
      const customer = await visibleCustomer(c, body.customerId);
      const number = await callerNumber(c, body.numberId);
      let message: OutgoingMessage;
      if (body.message.type === "template") {
        const { allowed } = await templatePermission(c);
        if (!allowed) {
          apiError(
            403,
            "templates_disallowed",
            "Your administrator does not let agents send templates",
          );
        }
        const [template] = await approvedTemplates(c, number, body.message.templateId);
        if (!template) apiError(404, "not_found", "No such approved template for this number");
        const variables = body.message.variables;
        const missing = missingVariables(template, variables);
        if (missing.length > 0) {
          apiError(
            400,
            "missing_variable",
            `Fill in every variable of the template: ${missing.join(", ")}`,
            missing.map((path) => ({ path, message: "required" })),
          );
        }
        if (!customer.authorized) {
          apiError(
            409,
            "not_authorized",
            "The customer has not authorised contact: templates cannot be sent to them",
          );
        }
        message = {
          kind: "template",
          text: templateText(template, variables),
          content: { type: "template", template: graphTemplate(template, variables) },
          templateName: template.name,
        };
      } else {
        message = { kind: "text", text: body.message.text };
      }
      const skillset = await conversationSkillset(c, number.id, customer.defaultSkillsetId);
      const info: NumberInfo = {
        id: number.id,
        tenantId: user.tenantId,
        phoneNumberId: number.phoneNumberId,
        displayPhone: number.displayPhone,
        name: number.name,
      };
      const result = await c.env.AGENT.getByName(user.id).startOutbound(user.tenantId, {
        number: info,
        customer: customerRef(customer),
        skillsetId: skillset?.id ?? null,
        skillsetName: skillset?.name ?? null,
        clientId: body.clientId,
        message,
      });
      if (!result.ok) refuseStart(result);
      return c.json(result.conversation, 201);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/api/outbound/:id/withdraw",
      summary:
        "Withdraws a template of mine the customer has not answered: the conversation closes without a message; 409 not_pending once answered",
      tag: TAG,
      access: "tenant",
      params: WithdrawParams,
      response: ConversationView,
    },
    async (c) => {
      const user = c.var.user;
      const result = await c.env.CONVERSATION.getByName(c.req.valid("param").id).withdrawOutbound(
        user.tenantId,
        user.id,
      );
      if (!result.ok) {
        refuseResult(result.code, { not_found: "conversationMissing", not_assigned: "notPending" });
      }
      return c.json(result.conversation);
    },
  );

/** Every number of the caller's tenant (their templates may outlive an isolation change). */
async function tenantNumbers(
  c: Context<AppEnv>,
  user: SessionUser,
): Promise<{ id: string; name: string }[]> {
  return d1(c.env.DB)
    .select({ id: managedNumbers.id, name: managedNumbers.name })
    .from(managedNumbers)
    .where(eq(managedNumbers.tenantId, user.tenantId));
}
