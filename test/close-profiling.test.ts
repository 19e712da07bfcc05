/**
 * Closing with the number's profiling tree, through the real Worker, actors,
 * D1 and the Meta simulator: the close options an agent is offered, the rules
 * a close must meet (required reason, leaves only, this number's and tenant's
 * nodes, notes per reason), and the reason's path in the customer's history.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin";
import type { HistoryConversation } from "../src/shared/customer-history";
import type { CloseOptions, ConversationView, DesktopSnapshot } from "../src/shared/protocol";
import { addProfilingValue, createNumber, updateNumber } from "./kit/admin";
import { deskAgent, setReady, takeConversation } from "./kit/conversation";
import { archived, customerIdOf, historyRow } from "./kit/history";
import { phone } from "./kit/ids";
import { BASE, badFields, call, callJson, type ErrorBody, type Session } from "./kit/session";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/**
 * A tenant whose number has this tree (ids by value):
 *   Sales (children "Product") › Phones › Broken, Phones › Late (notes allowed); Sales › Laptops
 *   Support (notes allowed)
 */
async function treeTenant(rules: { requiredOnClose: boolean; freeNotes: boolean }) {
  const t = await historyTenant();
  const ids: Record<string, string> = {};
  ids.Sales = (
    await addProfilingValue(t.admin, t.numberId, "Sales", null, { childrenLabel: "Product" })
  ).id;
  ids.Support = (
    await addProfilingValue(t.admin, t.numberId, "Support", null, { notesAllowed: true })
  ).id;
  ids.Phones = (
    await addProfilingValue(t.admin, t.numberId, "Phones", ids.Sales, { childrenLabel: "Problem" })
  ).id;
  ids.Laptops = (await addProfilingValue(t.admin, t.numberId, "Laptops", ids.Sales)).id;
  ids.Broken = (await addProfilingValue(t.admin, t.numberId, "Broken", ids.Phones)).id;
  ids.Late = (
    await addProfilingValue(t.admin, t.numberId, "Late", ids.Phones, { notesAllowed: true })
  ).id;
  await updateNumber(t.admin, t.numberId, { profiling: rules });
  return { t, ids };
}

/** A fresh customer writes and `agent` (the tenant's only Ready agent) takes it. */
async function conversationFor(t: HistoryTenant, agent: Session) {
  const from = phone();
  const id = await takeConversation(t, agent, from, "Buongiorno");
  return { agent, id, from };
}

/** A Ready agent of the tenant's only skillset, holding a fresh conversation. */
async function agentWithConversation(t: HistoryTenant) {
  return conversationFor(t, await deskAgent(t, "Anna", ["care"]));
}

function closeWith(agent: Session, id: string, body: Record<string, unknown>): Promise<Response> {
  return call(agent, "POST", `/api/conversations/${id}/close`, body);
}

async function stateOf(agent: Session, id: string): Promise<string> {
  const read = await callJson<{ conversation: ConversationView }>(
    agent,
    "GET",
    `/api/conversations/${id}`,
    undefined,
    200,
  );
  return read.conversation.state;
}

/** Expects a 400 naming exactly `field`, with nothing closed; returns the field's message. */
async function refusedField(
  agent: Session,
  id: string,
  res: Response,
  field: string,
): Promise<string> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.fields?.map((f) => f.path)).toEqual([field]);
  expect(await stateOf(agent, id)).toBe("assigned");
  return body.error.fields?.[0]?.message ?? "";
}

describe("close options", () => {
  it("offers the number's tree nested and in the admin's order, with its rules, to the owner only", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    // The admin moves Support first and Laptops before Phones.
    await callJson(
      t.admin,
      "PUT",
      `/api/admin/numbers/${t.numberId}/profiling/order`,
      { parentId: null, ids: [ids.Support, ids.Sales] },
      200,
    );
    await callJson(
      t.admin,
      "PUT",
      `/api/admin/numbers/${t.numberId}/profiling/order`,
      { parentId: ids.Sales, ids: [ids.Laptops, ids.Phones] },
      200,
    );
    const { agent, id } = await agentWithConversation(t);
    const options = await callJson<CloseOptions>(
      agent,
      "GET",
      `/api/conversations/${id}/close-options`,
      undefined,
      200,
    );
    expect(options).toEqual({
      required: true,
      freeNotes: false,
      tree: [
        {
          id: ids.Support,
          value: "Support",
          childrenLabel: null,
          notesAllowed: true,
          children: [],
        },
        {
          id: ids.Sales,
          value: "Sales",
          childrenLabel: "Product",
          notesAllowed: false,
          children: [
            {
              id: ids.Laptops,
              value: "Laptops",
              childrenLabel: null,
              notesAllowed: false,
              children: [],
            },
            {
              id: ids.Phones,
              value: "Phones",
              childrenLabel: "Problem",
              notesAllowed: false,
              children: [
                {
                  id: ids.Broken,
                  value: "Broken",
                  childrenLabel: null,
                  notesAllowed: false,
                  children: [],
                },
                {
                  id: ids.Late,
                  value: "Late",
                  childrenLabel: null,
                  notesAllowed: true,
                  children: [],
                },
              ],
            },
          ],
        },
      ],
    });

    // A colleague, and the admin who is no agent of it, see nothing of it.
    const colleague = await deskAgent(t, "Bruno", ["care"]);
    for (const other of [colleague, t.admin]) {
      const res = await call(other, "GET", `/api/conversations/${id}/close-options`);
      expect(res.status).toBe(404);
    }
  });

  it("does not require a reason from an empty tree, and offers another number's tree to nobody", async () => {
    const t = await historyTenant();
    await updateNumber(t.admin, t.numberId, {
      profiling: { requiredOnClose: true, freeNotes: true },
    });
    const other = await createNumber(t.admin, { name: "Other line" });
    await addProfilingValue(t.admin, other.id, "Elsewhere");
    const { agent, id } = await agentWithConversation(t);
    const options = await callJson<CloseOptions>(
      agent,
      "GET",
      `/api/conversations/${id}/close-options`,
      undefined,
      200,
    );
    expect(options).toEqual({ required: false, freeNotes: true, tree: [] });
    // With no reasons written yet, "required" cannot trap the agent.
    const closed = await callJson<ConversationView>(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reason: "Callback booked" },
      200,
    );
    expect(closed).toMatchObject({ state: "closed", closeReason: "Callback booked" });
  });
});

describe("conference guests", () => {
  it("neither see the close options nor close: only the owner closes", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    const { agent: anna, id } = await agentWithConversation(t);
    // Bruno joins as a guest: he is not Ready while the customer's message is routed.
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    await setReady(bruno);
    await callJson(
      anna,
      "POST",
      `/api/conversations/${id}/conference`,
      { to: "agent", agentId: bruno.userId },
      202,
    );
    await eventually(async () => {
      const desk = await callJson<DesktopSnapshot>(bruno, "GET", "/api/desktop", undefined, 200);
      return desk.offers.some((o) => o.conversationId === id);
    });
    const joined = await callJson<ConversationView>(
      bruno,
      "POST",
      `/api/offers/${id}/accept`,
      undefined,
      200,
    );
    expect(joined.participants).toEqual([{ id: bruno.userId, name: "Bruno" }]);

    expect((await call(bruno, "GET", `/api/conversations/${id}/close-options`)).status).toBe(404);
    // Refused as not his before any profiling rule is looked at.
    expect((await closeWith(bruno, id, {})).status).toBe(404);
    expect((await closeWith(bruno, id, { reasonId: ids.Broken })).status).toBe(404);
    expect(await stateOf(anna, id)).toBe("assigned");

    const closed = await callJson<ConversationView>(
      anna,
      "POST",
      `/api/conversations/${id}/close`,
      { reasonId: ids.Broken },
      200,
    );
    expect(closed).toMatchObject({ state: "closed", closeReason: "Sales › Phones › Broken" });
  });
});

describe("closing with a reason", () => {
  it("refuses a missing required reason, then stores the chosen leaf's path in the customer's history", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    const { agent, id, from } = await agentWithConversation(t);

    expect(await refusedField(agent, id, await closeWith(agent, id, {}), "reasonId")).toBe(
      "choose a closing reason",
    );
    // Free text is no substitute for a required reason.
    await refusedField(agent, id, await closeWith(agent, id, { reason: "Sorted" }), "reasonId");

    const closed = await callJson<ConversationView>(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reasonId: ids.Broken, reason: "ignored when a reason is chosen" },
      200,
    );
    expect(closed).toMatchObject({ state: "closed", closeReason: "Sales › Phones › Broken" });

    const row = await archived(id);
    expect(row.close_reason).toBe("Sales › Phones › Broken");
    const customerId = await customerIdOf(t.tenantId, from);
    const history = await callJson<Page<HistoryConversation>>(
      t.admin,
      "GET",
      `/api/customers/${customerId}/conversations`,
      undefined,
      200,
    );
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({
      id,
      closeReason: "Sales › Phones › Broken",
      closeNotes: null,
    });
  });

  it("refuses a reason that has more specific ones below it, at either level", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: false, freeNotes: true });
    const { agent, id } = await agentWithConversation(t);
    for (const reasonId of [ids.Sales, ids.Phones]) {
      const message = await refusedField(
        agent,
        id,
        await closeWith(agent, id, { reasonId }),
        "reasonId",
      );
      expect(message).toBe("choose a more specific reason");
    }
    // A second-level leaf and a first-level leaf are fine.
    const closed = await callJson<ConversationView>(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reasonId: ids.Laptops },
      200,
    );
    expect(closed.closeReason).toBe("Sales › Laptops");
    const second = await conversationFor(t, agent);
    const top = await callJson<ConversationView>(
      second.agent,
      "POST",
      `/api/conversations/${second.id}/close`,
      { reasonId: ids.Support },
      200,
    );
    expect(top.closeReason).toBe("Support");
  });

  it("refuses a reason of another number of the tenant, of another tenant, or made up", async () => {
    const { t } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    const otherNumber = await createNumber(t.admin, { name: "Other line" });
    const sameTenant = (await addProfilingValue(t.admin, otherNumber.id, "Elsewhere")).id;
    const stranger = await historyTenant();
    const otherTenant = (await addProfilingValue(stranger.admin, stranger.numberId, "Foreign")).id;
    const { agent, id } = await agentWithConversation(t);
    for (const reasonId of [sameTenant, otherTenant, "no-such-reason"]) {
      const message = await refusedField(
        agent,
        id,
        await closeWith(agent, id, { reasonId }),
        "reasonId",
      );
      expect(message).toBe("not a closing reason of this conversation's number");
    }
    // The other tenant's value stays unnamed in the answer and untouched.
    expect((await historyRow(id))?.closed_at).toBeNull();
  });

  it("answers in Italian for an Italian desktop", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    const { agent, id } = await agentWithConversation(t);
    const res = await exports.default.fetch(`${BASE}/api/conversations/${id}/close`, {
      method: "POST",
      headers: {
        Cookie: agent.cookie,
        "Content-Type": "application/json",
        "Accept-Language": "it-IT,it;q=0.9",
      },
      body: JSON.stringify({ reasonId: ids.Sales }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields).toEqual([
      { path: "reasonId", message: "scegli un motivo più specifico" },
    ]);
  });
});

describe("notes", () => {
  it("are refused with a reason that does not allow them when free notes are off, and kept when it does", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: false });
    const { agent, id } = await agentWithConversation(t);
    const message = await refusedField(
      agent,
      id,
      await closeWith(agent, id, { reasonId: ids.Broken, notes: "screen cracked" }),
      "notes",
    );
    expect(message).toBe("notes are not allowed with this reason");
    // Blank notes are no notes.
    const second = await conversationFor(t, agent);
    await callJson(
      second.agent,
      "POST",
      `/api/conversations/${second.id}/close`,
      { reasonId: ids.Broken, notes: "   " },
      200,
    );
    expect((await archived(second.id)).close_notes).toBeNull();

    await callJson(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reasonId: ids.Late, notes: "  courier lost it  " },
      200,
    );
    const row = await archived(id);
    expect(row).toMatchObject({
      close_reason: "Sales › Phones › Late",
      close_notes: "courier lost it",
    });
  });

  it("are allowed with any reason when the number allows free notes", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: true });
    const { agent, id } = await agentWithConversation(t);
    await callJson(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reasonId: ids.Broken, notes: "replacement sent" },
      200,
    );
    expect(await archived(id)).toMatchObject({
      close_reason: "Sales › Phones › Broken",
      close_notes: "replacement sent",
    });
  });

  it("still name notes over their length limit before any profiling rule", async () => {
    const { t, ids } = await treeTenant({ requiredOnClose: true, freeNotes: true });
    const { agent, id } = await agentWithConversation(t);
    const res = await closeWith(agent, id, { reasonId: ids.Broken, notes: "x".repeat(2001) });
    expect(res.status).toBe(400);
    expect(await badFields(res)).toEqual(["notes"]);
  });
});

describe("without a tree", () => {
  it("closes with free text, or with 'Closed' when none is given, and keeps notes as before", async () => {
    const t = await historyTenant();
    const { agent, id } = await agentWithConversation(t);
    const closed = await callJson<ConversationView>(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reason: "Information given", notes: "asked about opening hours" },
      200,
    );
    expect(closed.closeReason).toBe("Information given");
    expect(await archived(id)).toMatchObject({
      close_reason: "Information given",
      close_notes: "asked about opening hours",
    });

    const second = await conversationFor(t, agent);
    const plain = await callJson<ConversationView>(
      second.agent,
      "POST",
      `/api/conversations/${second.id}/close`,
      {},
      200,
    );
    expect(plain.closeReason).toBe("Closed");
  });

  it("a tree that is not required lets the agent close without choosing", async () => {
    const { t } = await treeTenant({ requiredOnClose: false, freeNotes: false });
    const { agent, id } = await agentWithConversation(t);
    const closed = await callJson<ConversationView>(
      agent,
      "POST",
      `/api/conversations/${id}/close`,
      { reason: "Spam" },
      200,
    );
    expect(closed.closeReason).toBe("Spam");
  });
});
