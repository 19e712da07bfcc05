/**
 * Customer records through the real Worker and D1: validation that stores
 * nothing, one customer per phone, versions, tenancy, what agents may do,
 * isolated agents, the list with its Excel download, and customers created by
 * an inbound message.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NumberView, Page } from "../src/shared/admin";
import type { CustomerView } from "../src/shared/customers";
import { addProperty, createNumber, createSkillset } from "./kit/admin";
import { createCustomer } from "./kit/customers";
import { readXlsxRows } from "./kit/files";
import { mobile } from "./kit/ids";
import { postWebhook } from "./kit/meta";
import { textWebhook } from "./kit/meta-payloads";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
  signIn,
} from "./kit/session";
import { countRows, seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

async function listOf(session: Session, query = ""): Promise<Page<CustomerView>> {
  return callJson(session, "GET", `/api/customers?pageSize=100${query}`, undefined, 200);
}

/** A tenant with a number, its properties (one not modifiable by agents) and a skillset. */
async function tenantWithProperties() {
  const admin = await adminSession();
  const number = await createNumber(admin);
  const tier = await addProperty(admin, number.id, {
    name: "Tier",
    type: "choice",
    options: ["Gold", "Silver"],
  });
  const score = await addProperty(admin, number.id, {
    name: "Score",
    type: "number",
    modifiableByAgent: false,
  });
  const birthday = await addProperty(admin, number.id, { name: "Birthday", type: "date" });
  const vip = await addProperty(admin, number.id, { name: "VIP", type: "boolean" });
  const skillset = await createSkillset(admin, number.id);
  return { admin, number, tier, score, birthday, vip, skillset };
}

describe("customer records", () => {
  it("creates with a normalised phone and defaults, and the name defaults to the phone", async () => {
    const { admin, tier, skillset } = await tenantWithProperties();
    const created = await createCustomer(admin, {
      phone: "+39 333 123 4567",
      name: "  ",
      defaultSkillsetId: skillset.id,
      properties: { [tier.id]: "Gold" },
    });
    expect(created).toMatchObject({
      phone: "+393331234567",
      name: "+393331234567",
      authorized: false,
      authorizedBy: null,
      bypassBot: false,
      priority: 5,
      keepHistory: true,
      defaultSkillsetId: skillset.id,
      properties: { [tier.id]: "Gold" },
      version: 1,
    });
    const row = await env.DB.prepare("SELECT contact_key FROM customers WHERE id = ?")
      .bind(created.id)
      .first<{ contact_key: string }>();
    // The same key Meta's webhooks carry (the wa_id), so the next message finds this customer.
    expect(row!.contact_key).toBe("393331234567");
    const read = await callJson<CustomerView>(
      admin,
      "GET",
      `/api/customers/${created.id}`,
      undefined,
      200,
    );
    expect(read).toEqual(created);
  });

  it("refuses bad input by field name and stores nothing", async () => {
    const { admin, tier, score, birthday, vip } = await tenantWithProperties();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ phone: "+39 123" }, ["phone"]],
      [{ phone: "3331234567" }, ["phone"]], // no international prefix
      [{ phone: "+39 02 1234 5678" }, ["phone"]], // a fixed line cannot be on WhatsApp
      [{ phone: mobile(), priority: 10 }, ["priority"]],
      [{ phone: mobile(), properties: { [tier.id]: "Bronze" } }, [`properties.${tier.id}`]],
      [{ phone: mobile(), properties: { [score.id]: "12" } }, [`properties.${score.id}`]],
      [
        { phone: mobile(), properties: { [birthday.id]: "2024-02-30" } },
        [`properties.${birthday.id}`],
      ],
      [
        { phone: mobile(), properties: { [birthday.id]: "2020-13-01" } }, // no month 13: not a 500
        [`properties.${birthday.id}`],
      ],
      [{ phone: mobile(), properties: { [vip.id]: "yes" } }, [`properties.${vip.id}`]],
      [{ phone: mobile(), properties: { nope: "x" } }, ["properties.nope"]],
      [{ phone: mobile(), defaultSkillsetId: "not-a-skillset" }, ["defaultSkillsetId"]],
    ];
    for (const [body, fields] of cases) {
      const res = await call(admin, "POST", "/api/customers", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await badFields(res)).toEqual(fields);
    }
    // Another tenant's skillset is as unknown as a made-up one.
    const other = await tenantWithProperties();
    const foreign = await call(admin, "POST", "/api/customers", {
      phone: mobile(),
      defaultSkillsetId: other.skillset.id,
    });
    expect(await badFields(foreign)).toEqual(["defaultSkillsetId"]);
    expect(await countRows("customers", admin.tenantId)).toBe(0);

    const good = await createCustomer(admin, {
      phone: mobile(),
      properties: { [score.id]: 12.5, [birthday.id]: "2024-02-29", [vip.id]: true },
    });
    const bad = await call(admin, "PATCH", `/api/customers/${good.id}`, {
      version: 1,
      name: "Changed",
      properties: { [score.id]: "many" },
    });
    expect(await badFields(bad)).toEqual([`properties.${score.id}`]);
    const unchanged = await callJson<CustomerView>(
      admin,
      "GET",
      `/api/customers/${good.id}`,
      undefined,
      200,
    );
    expect(unchanged).toEqual(good);
  });

  it("keeps one customer per phone, versions edits and merges properties", async () => {
    const { admin, tier, score } = await tenantWithProperties();
    const phone = mobile();
    const first = await createCustomer(admin, { phone, properties: { [score.id]: 3 } });
    const dup = await call(admin, "POST", "/api/customers", { phone, name: "Twin" });
    expect(dup.status).toBe(409);
    expect(await badFields(dup)).toEqual(["phone"]);
    const second = await createCustomer(admin, { phone: mobile() });
    const clash = await call(admin, "PATCH", `/api/customers/${second.id}`, { version: 1, phone });
    expect(clash.status).toBe(409);
    expect(await badFields(clash)).toEqual(["phone"]);

    const path = `/api/customers/${first.id}`;
    const edited = await callJson<CustomerView>(
      admin,
      "PATCH",
      path,
      { version: 1, name: "Mario", priority: 8, properties: { [tier.id]: "Silver" } },
      200,
    );
    expect(edited).toMatchObject({
      name: "Mario",
      priority: 8,
      version: 2,
      properties: { [tier.id]: "Silver", [score.id]: 3 },
    });
    const stale = await call(admin, "PATCH", path, { version: 1, name: "Luigi" });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");
    const cleared = await callJson<CustomerView>(
      admin,
      "PATCH",
      path,
      { version: 2, properties: { [score.id]: null } },
      200,
    );
    expect(cleared.properties).toEqual({ [tier.id]: "Silver" });
    expect(cleared.name).toBe("Mario");
  });

  it("records who authorized the customer and when", async () => {
    const { admin } = await tenantWithProperties();
    const agent = await agentSession(admin.tenantId);
    const before = Date.now();
    const byAdmin = await createCustomer(admin, { phone: mobile(), authorized: true });
    expect(byAdmin.authorizedBy).toBe(admin.userId);
    expect(byAdmin.authorizedAt).toBeGreaterThanOrEqual(before);

    const plain = await createCustomer(admin, { phone: mobile() });
    const byAgent = await callJson<CustomerView>(
      agent,
      "PATCH",
      `/api/customers/${plain.id}`,
      { version: 1, authorized: true },
      200,
    );
    expect(byAgent).toMatchObject({ authorized: true, authorizedBy: agent.userId });
    expect(byAgent.authorizedAt).toBeGreaterThanOrEqual(before);
    // Saving other fields leaves the evidence as it was.
    const renamed = await callJson<CustomerView>(
      admin,
      "PATCH",
      `/api/customers/${plain.id}`,
      { version: 2, authorized: true, name: "Anna" },
      200,
    );
    expect(renamed.authorizedBy).toBe(agent.userId);
    expect(renamed.authorizedAt).toBe(byAgent.authorizedAt);
  });

  it("answers 404 for another tenant's customer and changes nothing", async () => {
    const { admin } = await tenantWithProperties();
    const stranger = await adminSession();
    const customer = await createCustomer(admin, { phone: mobile(), name: "Mine" });
    const path = `/api/customers/${customer.id}`;
    expect((await call(stranger, "GET", path)).status).toBe(404);
    expect((await call(stranger, "PATCH", path, { version: 1, name: "Stolen" })).status).toBe(404);
    expect((await call(stranger, "DELETE", path)).status).toBe(404);
    expect((await listOf(stranger)).total).toBe(0);
    const still = await callJson<CustomerView>(admin, "GET", path, undefined, 200);
    expect(still).toEqual(customer);
    expect((await call(admin, "DELETE", path)).status).toBe(204);
    expect((await call(admin, "GET", path)).status).toBe(404);
  });

  it("lets agents edit only what the number and the property definitions allow", async () => {
    const { admin, number, tier, score } = await tenantWithProperties();
    const agent = await agentSession(admin.tenantId);
    const customer = await createCustomer(agent, {
      phone: mobile(),
      properties: { [tier.id]: "Gold" },
    });
    const path = `/api/customers/${customer.id}`;

    const locked = await call(agent, "PATCH", path, { version: 1, properties: { [score.id]: 5 } });
    expect(locked.status).toBe(403);
    expect(await badFields(locked)).toEqual([`properties.${score.id}`]);
    expect((await call(agent, "DELETE", path)).status).toBe(403);

    // The number stops letting agents edit customers: every agent write is refused.
    await callJson<NumberView>(
      admin,
      "PATCH",
      `/api/admin/numbers/${number.id}`,
      { version: number.version, details: { agentsMayEditCustomers: false } },
      200,
    );
    const denied = await call(agent, "PATCH", path, { version: 1, name: "Agent's edit" });
    expect(denied.status).toBe(403);
    expect((await call(agent, "POST", "/api/customers", { phone: mobile() })).status).toBe(403);
    expect(await callJson<CustomerView>(agent, "GET", path, undefined, 200)).toEqual(customer);
    expect((await call(admin, "PATCH", path, { version: 1, name: "Admin" })).status).toBe(200);
    expect((await call(admin, "DELETE", path)).status).toBe(204);
  });

  it("shows isolated agents only the customers of their skillsets", async () => {
    const { admin, number, skillset } = await tenantWithProperties();
    const isolated = await agentSession(admin.tenantId);
    const open = await agentSession(admin.tenantId);
    await env.DB.prepare("UPDATE users SET isolated = 1 WHERE id = ?").bind(isolated.userId).run();
    const theirs = await createSkillset(admin, number.id, {
      name: "Isolated team",
      members: [{ userId: isolated.userId, agentPriority: 5 }],
    });
    const mine = await createCustomer(admin, { phone: mobile(), defaultSkillsetId: theirs.id });
    const other = await createCustomer(admin, { phone: mobile(), defaultSkillsetId: skillset.id });
    const none = await createCustomer(admin, { phone: mobile() });

    expect((await listOf(isolated)).items.map((c) => c.id)).toEqual([mine.id]);
    expect((await call(isolated, "GET", `/api/customers/${other.id}`)).status).toBe(404);
    expect(
      (await call(isolated, "PATCH", `/api/customers/${none.id}`, { version: 1, name: "x" }))
        .status,
    ).toBe(404);
    expect((await call(isolated, "GET", `/api/customers/${mine.id}`)).status).toBe(200);
    expect((await listOf(open)).total).toBe(3);
    // An isolated agent may still add a customer, and gets it back once.
    const added = await createCustomer(isolated, { phone: mobile(), name: "Walk-in" });
    expect(added.name).toBe("Walk-in");
    expect((await call(isolated, "GET", `/api/customers/${added.id}`)).status).toBe(404);
  });

  it("is for the tenant's people only: signed out 401, the platform operator 403", async () => {
    expect((await call("parley_session=nobody", "GET", "/api/customers")).status).toBe(401);
    const operator = await signIn("operator");
    expect((await call(operator, "GET", "/api/customers")).status).toBe(403);
    expect((await call(operator, "POST", "/api/customers", { phone: mobile() })).status).toBe(403);
  });

  it("searches, sorts and downloads exactly the filtered rows with formulas neutralised", async () => {
    const { admin } = await tenantWithProperties();
    await createCustomer(admin, { phone: mobile(), name: "Bianchi", externalId: "CRM-7" });
    await createCustomer(admin, { phone: mobile(), name: "=cmd|' /C calc'!A0" });
    await createCustomer(admin, { phone: "+39 333 999 0001", name: "Azzurra" });
    await createCustomer(admin, { phone: mobile(), name: "Colombo" });

    const byName = await listOf(admin, "&sort=name&dir=desc");
    expect(byName.items.map((c) => c.name)).toEqual([
      "Colombo",
      "Bianchi",
      "Azzurra",
      "=cmd|' /C calc'!A0",
    ]);
    expect((await listOf(admin, "&q=crm-7")).items.map((c) => c.name)).toEqual(["Bianchi"]);
    expect((await listOf(admin, "&q=3339990001")).items.map((c) => c.name)).toEqual(["Azzurra"]);
    const page = await callJson<Page<CustomerView>>(
      admin,
      "GET",
      "/api/customers?pageSize=10&sort=updatedAt&dir=desc",
      undefined,
      200,
    );
    const times = page.items.map((c) => c.updatedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const badSort = await call(admin, "GET", "/api/customers?sort=notes");
    expect(badSort.status).toBe(400);
    expect(await badFields(badSort)).toEqual(["sort"]);

    const res = await call(admin, "GET", "/api/customers/export.xlsx?q=C&sort=name");
    expect(res.status).toBe(200);
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows[0]!.slice(0, 4)).toEqual(["ID", "Phone", "Name", "Authorized"]);
    // "C" matches (case-insensitively) all but Azzurra; the formula comes out as text.
    expect(rows.slice(1).map((r) => r[2])).toEqual(["'=cmd|' /C calc'!A0", "Bianchi", "Colombo"]);
  });

  it("creates the customer of a new wa_id with Meta's profile name, and lists it", async () => {
    const t = await seedTenant({
      skillsets: { general: 5 },
      agents: [{ id: "ada", name: "Ada", skills: { general: 5 } }],
    });
    const waId = mobile().slice(1);
    const res = await postWebhook(
      textWebhook(t.phoneNumberId, [{ from: waId, text: "Buongiorno", name: "Giulia Verdi" }]),
    );
    expect(res.status).toBe(200);
    const admin = await adminSession(t.tenantId);
    const found = await eventually(async () => (await listOf(admin, `&q=${waId}`)).items[0]);
    expect(found).toMatchObject({
      phone: `+${waId}`,
      name: "Giulia Verdi",
      authorized: false,
      keepHistory: true,
      properties: {},
      version: 1,
    });
    // The admin can now add the same phone no second time: it is this customer.
    const dup = await call(admin, "POST", "/api/customers", { phone: `+${waId}` });
    expect(dup.status).toBe(409);
  });
});
