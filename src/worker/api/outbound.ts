/**
 * Starting a conversation from the desktop (free message or template) and the
 * templates sent without reply. Mounted at /api before the desktop router
 * (whose guard covers all of /api/*), so each route carries its own guard.
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
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { OutgoingMessage, StartOutboundResult } from "../../durable/outbound-start";
import type { CustomerRef, NumberInfo } from "../../durable/types";
import { now } from "../../platform/clock";
import { d1 } from "../../platform/db/d1";
import { managedNumbers, templates } from "../../platform/db/schema";
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
import { apiError, describeRoute, jsonBody, params, query } from "../app/http";
import { TEMPLATE_FIELDS, templateView } from "../db/template-store";
import { takeQuota } from "../security/limits";
import { customerSearch } from "./customer-search";
import { requireTenantUser, VISIBLE, visibleBinds, visibleCustomer } from "./customers";

const WithdrawParams = z.object({ id: z.uuid() });
const TAG = "outbound";

type NumberRow = {
  id: string;
  name: string;
  display_phone: string;
  phone_number_id: string;
  waba_id: string | null;
};

/**
 * The numbers the caller may start conversations from: all of the tenant's,
 * or for an isolated agent those of their skillsets. By name.
 */
async function callerNumbers(c: Context<AppEnv>): Promise<NumberRow[]> {
  const { id, tenantId } = c.var.user;
  const { results } = await c.env.DB.prepare(
    `SELECT n.id, n.name, n.display_phone, n.phone_number_id, n.waba_id FROM managed_numbers n
     WHERE n.tenant_id = ? AND (
       NOT EXISTS (SELECT 1 FROM users u WHERE u.id = ? AND u.tenant_id = ? AND u.role = 'agent' AND u.isolated = 1)
       OR n.id IN (SELECT s.number_id FROM skillsets s
         JOIN skillset_members m ON m.skillset_id = s.id AND m.tenant_id = s.tenant_id
         WHERE m.tenant_id = ? AND m.user_id = ?))
     ORDER BY n.name COLLATE NOCASE, n.id`,
  )
    .bind(tenantId, id, tenantId, tenantId, id)
    .all<NumberRow>();
  return results;
}

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
  const row = await c.env.DB.prepare("SELECT agents_may_send_templates FROM tenants WHERE id = ?")
    .bind(c.var.user.tenantId)
    .first<{ agents_may_send_templates: number }>();
  const agentsMaySendTemplates = row?.agents_may_send_templates === 1;
  return { agentsMaySendTemplates, allowed: c.var.user.role === "admin" || agentsMaySendTemplates };
}

/** The approved templates of `number`'s WhatsApp Business Account (its own when it has none). */
async function approvedTemplates(
  c: Context<AppEnv>,
  number: NumberRow,
  templateId: string | null = null,
): Promise<OutboundTemplate[]> {
  const results = await d1(c.env.DB)
    .select(TEMPLATE_FIELDS)
    .from(templates)
    .where(
      and(
        eq(templates.tenantId, c.var.user.tenantId),
        eq(templates.status, "approved"),
        templateId === null ? undefined : eq(templates.id, templateId),
        inArray(
          templates.numberId,
          d1(c.env.DB)
            .select({ id: managedNumbers.id })
            .from(managedNumbers)
            .where(
              and(
                eq(managedNumbers.tenantId, templates.tenantId),
                number.waba_id === null
                  ? eq(managedNumbers.id, number.id)
                  : or(eq(managedNumbers.id, number.id), eq(managedNumbers.wabaId, number.waba_id)),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(templates.name), asc(templates.language));
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
  const { id, tenantId } = c.var.user;
  return c.env.DB.prepare(
    `SELECT s.id, s.name FROM skillsets s WHERE s.tenant_id = ? AND s.number_id = ?
       AND (s.id = ? OR s.id IN (SELECT m.skillset_id FROM skillset_members m WHERE m.tenant_id = ? AND m.user_id = ?))
     ORDER BY (s.id = ?) DESC, s.priority DESC, s.name, s.id LIMIT 1`,
  )
    .bind(tenantId, numberId, customerDefault, tenantId, id, customerDefault)
    .first<{ id: string; name: string }>();
}

/** Answers a refusal of the agent actor with its code and a message that says why. */
function refuse(result: Extract<StartOutboundResult, { ok: false }>): never {
  const refusals: Record<typeof result.code, [403 | 409, string]> = {
    not_an_agent: [403, "This user cannot take conversations"],
    at_capacity: [409, "You are at your limit of conversations: close one before starting another"],
    already_open: [
      409,
      `${result.agentName ?? "Another agent"} already has a conversation open with this customer on this number`,
    ],
    waiting: [
      409,
      "This customer's conversation on this number is waiting for an agent: pick it up from the waiting conversations",
    ],
    awaiting_reply: [
      409,
      "The customer has not answered your template yet: only another template can be sent",
    ],
    window_closed: [
      409,
      "The customer has not written in the last 24 hours: only a template can be sent",
    ],
  };
  const [status, message] = refusals[result.code];
  apiError(status, result.code, message);
}

function customerRef(row: {
  id: string;
  name: string;
  phone: string | null;
  contact_key: string;
  priority: number;
  bypass_bot: number;
}): CustomerRef {
  const key = row.contact_key;
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    contactKey: key,
    recipient: key.startsWith("u:") ? key.slice(2) : key,
    priority: row.priority,
    known: true,
    bypassBot: row.bypass_bot === 1,
  };
}

/** GET/POST /api/outbound… (mounted at /api: each route has its own guard). */
export const outbound = new Hono<AppEnv>()
  .get(
    "/outbound/customers",
    describeRoute({
      method: "get",
      path: "/api/outbound/customers",
      summary:
        "Customers to start a conversation with (search by name or phone): opt-in, the 24-hour window and any open conversation, per number",
      tag: TAG,
      query: OutboundCustomersQuery,
      response: OutboundCustomers,
    }),
    requireTenantUser,
    query(OutboundCustomersQuery),
    async (c) => {
      const { q, limit } = c.req.valid("query");
      const from = `FROM customers c WHERE c.tenant_id = ? AND ${VISIBLE}`;
      const scope = [c.var.user.tenantId, ...visibleBinds(c)];
      // Name or phone, as the caller sees them (masked agents: only what is visible).
      const search = q
        ? await customerSearch(c, q, { phone: "c.phone", texts: ["c.name"], from, binds: scope })
        : { sql: "1", binds: [] };
      const [numbers, found] = await Promise.all([
        callerNumbers(c),
        c.env.DB.prepare(
          `SELECT c.id, c.name, c.phone, c.contact_key, c.authorized ${from} AND ${search.sql}
           ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?`,
        )
          .bind(...scope, ...search.binds, limit)
          .all<{
            id: string;
            name: string;
            phone: string | null;
            contact_key: string;
            authorized: number;
          }>(),
      ]);
      const keys = found.results.map((r) => r.contact_key);
      const states = await Promise.all(
        numbers.map((n) => c.env.NUMBER.getByName(n.id).contactState(keys)),
      );
      const at = now();
      const items = found.results.map((row): OutboundCustomer => {
        const perNumber = numbers.map((n, i) => {
          const state = states[i]?.[row.contact_key];
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
          authorized: row.authorized === 1,
          windowOpen: perNumber.some((n) => n.windowOpen),
          numbers: perNumber,
        };
      });
      return c.json({
        numbers: numbers.map((n) => ({ id: n.id, name: n.name, displayPhone: n.display_phone })),
        items,
      } satisfies OutboundCustomers);
    },
  )
  .get(
    "/outbound/templates",
    describeRoute({
      method: "get",
      path: "/api/outbound/templates",
      summary:
        "The approved templates usable from a number, with their variables and quick replies, and whether the caller may send them",
      tag: TAG,
      query: OutboundTemplatesQuery,
      response: OutboundTemplates,
    }),
    requireTenantUser,
    query(OutboundTemplatesQuery),
    async (c) => {
      const number = await callerNumber(c, c.req.valid("query").numberId);
      const [permission, templates] = await Promise.all([
        templatePermission(c),
        approvedTemplates(c, number),
      ]);
      return c.json({ ...permission, templates } satisfies OutboundTemplates);
    },
  )
  .get(
    "/outbound/pending",
    describeRoute({
      method: "get",
      path: "/api/outbound/pending",
      summary:
        "Templates I sent that the customer has not answered yet (they move to my conversations when the customer answers)",
      tag: TAG,
      response: PendingOutboundList,
    }),
    requireTenantUser,
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
  .post(
    "/outbound",
    describeRoute({
      method: "post",
      path: "/api/outbound",
      summary:
        "Start a conversation with a customer: a free message (inside their 24-hour window; it opens on my desk) or an approved template (it waits under Sent templates until they answer)",
      tag: TAG,
      body: StartOutboundBody,
      response: ConversationView,
      status: 201,
    }),
    requireTenantUser,
    jsonBody(StartOutboundBody),
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
        if (customer.authorized !== 1) {
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
      const skillset = await conversationSkillset(c, number.id, customer.default_skillset_id);
      const info: NumberInfo = {
        id: number.id,
        tenantId: user.tenantId,
        phoneNumberId: number.phone_number_id,
        displayPhone: number.display_phone,
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
      if (!result.ok) refuse(result);
      return c.json(result.conversation, 201);
    },
  )
  .post(
    "/outbound/:id/withdraw",
    describeRoute({
      method: "post",
      path: "/api/outbound/:id/withdraw",
      summary:
        "Withdraws a template of mine the customer has not answered: the conversation closes without a message; 409 not_pending once answered",
      tag: TAG,
      response: ConversationView,
    }),
    requireTenantUser,
    params(WithdrawParams),
    async (c) => {
      const user = c.var.user;
      const result = await c.env.CONVERSATION.getByName(c.req.valid("param").id).withdrawOutbound(
        user.tenantId,
        user.id,
      );
      if (!result.ok) {
        if (result.code === "not_found") apiError(404, "not_found", "No such conversation");
        apiError(409, "not_pending", "This is not a template of yours waiting for a reply");
      }
      return c.json(result.conversation);
    },
  );

/** Every number of the caller's tenant (their templates may outlive an isolation change). */
async function tenantNumbers(
  c: Context<AppEnv>,
  user: SessionUser,
): Promise<{ id: string; name: string }[]> {
  const { results } = await c.env.DB.prepare(
    "SELECT id, name FROM managed_numbers WHERE tenant_id = ?",
  )
    .bind(user.tenantId)
    .all<{ id: string; name: string }>();
  return results;
}
