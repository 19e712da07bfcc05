/**
 * The audit trail through the real Worker and D1: every administrative change
 * is recorded with who, when and each field before and after, in the same
 * commit as the change (a refused change records nothing); admins read their
 * tenant's trail with search, period, paging and an .xlsx of exactly the
 * filtered rows; the platform operator reads the tenant operations.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditEventView } from "../../src/shared/audit";
import { auditChanges } from "../../src/worker/security/audit";
import { createNumber } from "../kit/admin";
import { apply, uploadOk } from "../kit/customers";
import { csv, readXlsxRows } from "../kit/files";
import { uid } from "../kit/ids";
import {
  adminSession,
  badFields,
  call,
  callJson,
  createUser,
  login,
  type Session,
} from "../kit/session";
import { simAccount } from "../kit/simulator";
import { countRows } from "../kit/tenant";

type Page = { items: AuditEventView[]; total: number };

/** A JSON call expected to succeed: 201 for a POST, 200 otherwise. */
function callOk<T = unknown>(
  session: Session | string,
  method: "GET" | "POST" | "PATCH" | "PUT",
  path: string,
  body?: unknown,
): Promise<T> {
  return callJson<T>(session, method, path, body, method === "POST" ? 201 : 200);
}

async function trail(admin: Session, query = ""): Promise<Page> {
  return callOk<Page>(admin, "GET", `/api/admin/audit${query ? `?${query}` : ""}`);
}

describe("recording changes", () => {
  it("records settings, users and skillsets with who, when and each field before and after", async () => {
    const admin = await adminSession();
    const settings = await callOk<{ version: number }>(admin, "GET", "/api/admin/settings");
    await callOk(admin, "PATCH", "/api/admin/settings", {
      version: settings.version,
      maskSensitiveData: true,
      sessionIdleMinutes: 45,
    });
    const agent = await createUser(admin.tenantId, { role: "agent", name: "Lia Rossi" });
    const user = await callOk<{ version: number }>(admin, "GET", `/api/admin/users/${agent.id}`);
    await callOk(admin, "PATCH", `/api/admin/users/${agent.id}`, {
      version: user.version,
      maxConversations: 5,
    });
    const number = await createNumber(admin);
    const skillset = await callOk<{ id: string; version: number }>(
      admin,
      "POST",
      "/api/admin/skillsets",
      { numberId: number.id, name: "Premium", priority: 7, members: [] },
    );
    await callOk(admin, "PATCH", `/api/admin/skillsets/${skillset.id}`, {
      version: skillset.version,
      members: [{ userId: agent.id, agentPriority: 6 }],
    });

    const { items } = await trail(admin);
    const byEntity = (entity: string) => items.filter((e) => e.entity === entity);
    const [settingsEntry] = byEntity("settings");
    expect(settingsEntry).toMatchObject({
      action: "update",
      actorId: admin.userId,
      actorEmail: admin.email,
    });
    expect(settingsEntry!.changes).toEqual(
      expect.arrayContaining([
        { field: "maskSensitiveData", before: false, after: true },
        { field: "sessionIdleMinutes", before: 120, after: 45 },
      ]),
    );
    expect(settingsEntry!.changes).toHaveLength(2);
    const userEntry = byEntity("user").find((e) => e.entityId === agent.id);
    expect(userEntry).toMatchObject({ action: "update", entityLabel: "Lia Rossi" });
    expect(userEntry!.changes).toEqual([{ field: "maxConversations", before: 3, after: 5 }]);
    const skillsetEntries = byEntity("skillset");
    expect(skillsetEntries.map((e) => e.action).sort()).toEqual(["create", "update"]);
    expect(skillsetEntries.find((e) => e.action === "update")!.changes).toEqual([
      { field: "members", before: [], after: ["Lia Rossi (6)"] },
    ]);
    // Newest first by default.
    const times = items.map((e) => e.at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(items[0]!.requestId).toMatch(/^[\w-]+$/);
  });

  it("records nothing when the change is refused (stale version, bad input)", async () => {
    const admin = await adminSession();
    const agent = await createUser(admin.tenantId, { role: "agent" });
    const before = await countRows("audit_events", admin.tenantId);
    const stale = await call(admin, "PATCH", `/api/admin/users/${agent.id}`, {
      version: 99,
      maxConversations: 7,
    });
    expect(stale.status).toBe(409);
    const bad = await call(admin, "PATCH", "/api/admin/settings", {
      version: 1,
      sessionIdleMinutes: 1,
    });
    expect(bad.status).toBe(400);
    expect(await countRows("audit_events", admin.tenantId)).toBe(before);
  });

  it("shows secrets only as changed", () => {
    expect(
      auditChanges(
        { accessToken: "old-secret", name: "Support" },
        { accessToken: "new-secret", name: "Support line" },
        ["accessToken"],
      ),
    ).toEqual([
      { field: "accessToken", secret: true },
      { field: "name", before: "Support", after: "Support line" },
    ]);
    expect(auditChanges({ appSecret: "same" }, { appSecret: "same" }, ["appSecret"])).toEqual([]);
  });

  it("records content: locations, predefined messages, templates, properties and profiling", async () => {
    const admin = await adminSession();
    const number = await createNumber(admin);
    const location = await callOk<{ id: string; version: number }>(
      admin,
      "POST",
      "/api/admin/locations",
      { name: "Shop", address: "Via Roma 1", latitude: 45.1, longitude: 9.2 },
    );
    await callOk(admin, "PATCH", `/api/admin/locations/${location.id}`, {
      version: location.version,
      name: "Main shop",
    });
    expect((await call(admin, "DELETE", `/api/admin/locations/${location.id}`)).status).toBe(204);
    const predefined = await callOk<{ id: string }>(
      admin,
      "POST",
      "/api/admin/predefined-messages",
      { category: "Greetings", title: "Hello", text: "Hello, how can I help?" },
    );
    const property = await callOk<{ id: string }>(
      admin,
      "POST",
      `/api/admin/numbers/${number.id}/properties`,
      { name: "Tier", type: "text", options: [] },
    );
    const node = await callOk<{ id: string }>(
      admin,
      "POST",
      `/api/admin/numbers/${number.id}/profiling`,
      { parentId: null, value: "Sales", childrenLabel: null, notesAllowed: false },
    );
    const { items } = await trail(admin, "pageSize=100");
    const locations = items.filter((e) => e.entity === "location");
    expect(locations.map((e) => e.action)).toEqual(["delete", "update", "create"]);
    expect(locations[1]!.changes).toEqual([{ field: "name", before: "Shop", after: "Main shop" }]);
    expect(locations[0]!.entityLabel).toBe("Main shop");
    expect(
      items.some((e) => e.entity === "predefined_message" && e.entityId === predefined.id),
    ).toBe(true);
    expect(items.some((e) => e.entity === "customer_property" && e.entityId === property.id)).toBe(
      true,
    );
    expect(items.some((e) => e.entity === "profiling" && e.entityId === node.id)).toBe(true);
  });
});

describe("recording numbers", () => {
  it("records a number's settings by field, and its credentials only as changed", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const second = await simAccount({ wabaId: n.wabaId! });
    await callOk(admin, "PUT", `/api/admin/numbers/${n.id}/credentials`, {
      version: n.version,
      accessToken: second.token,
      appSecret: "a-brand-new-app-secret-123",
    });
    const current = await callOk<{ version: number; settings: { workingTime: unknown } }>(
      admin,
      "GET",
      `/api/admin/numbers/${n.id}`,
    );
    await callOk(admin, "PATCH", `/api/admin/numbers/${n.id}`, {
      version: current.version,
      details: { name: "Sales line" },
    });
    const { items } = await trail(admin, "entity=number");
    expect(items.map((e) => e.action)).toEqual(["update", "credentials", "create"]);
    expect(items[0]!.changes).toEqual([{ field: "name", before: "Support", after: "Sales line" }]);
    expect(items[1]!.changes).toEqual([
      { field: "accessToken", secret: true },
      { field: "appSecret", secret: true },
    ]);
    expect(items[2]!.changes).toEqual(
      expect.arrayContaining([{ field: "accessToken", secret: true }]),
    );
    const stored = JSON.stringify(
      await env.DB.prepare("SELECT changes FROM audit_events WHERE tenant_id = ?")
        .bind(admin.tenantId)
        .all(),
    );
    expect(stored).not.toContain(second.token);
    expect(stored).not.toContain("a-brand-new-app-secret-123");
  });
});

describe("recording customers", () => {
  it("records a customer import applied and a customer deleted", async () => {
    const admin = await adminSession();
    await createNumber(admin);
    const phone = `+3933${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const preview = await uploadOk(
      admin,
      csv([
        ["Phone *", "Name"],
        [phone, "Gino Verdi"],
      ]),
      {
        type: "text/csv",
        fileName: "new-customers.csv",
      },
    );
    await apply(admin, preview.id);
    const customer = await env.DB.prepare(
      "SELECT id FROM customers WHERE tenant_id = ? AND phone = ?",
    )
      .bind(admin.tenantId, phone)
      .first<{ id: string }>();
    expect((await call(admin, "DELETE", `/api/customers/${customer!.id}`)).status).toBe(204);
    const { items } = await trail(admin);
    const [deleted, applied] = items;
    expect(deleted).toMatchObject({
      entity: "customer",
      action: "delete",
      entityId: customer!.id,
      entityLabel: "Gino Verdi",
    });
    expect(deleted!.changes).toEqual(expect.arrayContaining([{ field: "phone", before: phone }]));
    expect(applied).toMatchObject({
      entity: "customer_import",
      action: "apply",
      entityLabel: "new-customers.csv",
    });
    expect(applied!.changes).toEqual(
      expect.arrayContaining([
        { field: "mode", after: "upsert" },
        { field: "added", after: 1 },
      ]),
    );
  });
});

describe("reading the trail", () => {
  it("searches, filters by period and kind, pages, and downloads exactly the filtered rows", async () => {
    const admin = await adminSession();
    const tag = uid("Needle");
    for (let i = 0; i < 3; i++) {
      const agent = await createUser(admin.tenantId, { role: "agent", name: `${tag} ${i}` });
      const user = await callOk<{ version: number }>(admin, "GET", `/api/admin/users/${agent.id}`);
      await callOk(admin, "PATCH", `/api/admin/users/${agent.id}`, {
        version: user.version,
        maxConversations: 4 + i,
      });
    }
    const location = await callOk<{ id: string }>(admin, "POST", "/api/admin/locations", {
      name: "Elsewhere",
      address: "",
      latitude: 1,
      longitude: 2,
    });
    expect(location.id).toBeTruthy();

    const found = await trail(admin, `q=${encodeURIComponent(tag)}&pageSize=10&page=1`);
    expect(found.total).toBe(3);
    expect(found.items.every((e) => e.entityLabel.startsWith(tag))).toBe(true);
    const kind = await trail(admin, "entity=location");
    expect(kind.items.map((e) => e.entityLabel)).toEqual(["Elsewhere"]);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await trail(admin, `from=${encodeURIComponent(future)}`)).total).toBe(0);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect(
      (await trail(admin, `from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`))
        .total,
    ).toBe(4);
    expect((await trail(admin, `to=${encodeURIComponent(past)}`)).total).toBe(0);

    const bad = await call(admin, "GET", "/api/admin/audit?from=yesterday&entity=planet");
    expect(bad.status).toBe(400);
    expect((await badFields(bad)).sort()).toEqual(["entity", "from"]);

    const res = await call(
      admin,
      "GET",
      `/api/admin/audit/export.xlsx?q=${encodeURIComponent(tag)}`,
    );
    expect(res.status).toBe(200);
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows[0]!.slice(0, 4)).toEqual(["When (UTC)", "Who", "E-mail", "Action"]);
    expect(rows.slice(1)).toHaveLength(3);
    expect(rows.slice(1).every((r) => r[5]!.startsWith(tag))).toBe(true);
    expect(
      rows
        .slice(1)
        .map((r) => r[7])
        .sort(),
    ).toEqual(["maxConversations: 3 → 4", "maxConversations: 3 → 5", "maxConversations: 3 → 6"]);

    const one = found.items[0]!;
    expect(await callOk(admin, "GET", `/api/admin/audit/${one.id}`)).toEqual(one);
  });

  it("is the tenant's own: another tenant and agents cannot read it", async () => {
    const admin = await adminSession();
    const agent = await createUser(admin.tenantId, { role: "agent", name: "Private Name" });
    const user = await callOk<{ version: number }>(admin, "GET", `/api/admin/users/${agent.id}`);
    await callOk(admin, "PATCH", `/api/admin/users/${agent.id}`, {
      version: user.version,
      maxConversations: 9,
    });
    const mine = await trail(admin);
    const other = await adminSession();
    const theirs = await trail(other);
    expect(theirs.items.some((e) => e.entityLabel === "Private Name")).toBe(false);
    expect((await call(other, "GET", `/api/admin/audit/${mine.items[0]!.id}`)).status).toBe(404);
    const agentCookie = await login(agent.email);
    expect((await call(agentCookie, "GET", "/api/admin/audit")).status).toBe(403);
  });

  it("the platform operator reads the tenant operations, which tenants' admins do not see", async () => {
    const op = await login("operator@parley.test", "operator-test-password");
    const name = uid("Audited");
    const tenant = await callOk<{ id: string; version: number }>(
      op,
      "POST",
      "/api/platform/tenants",
      {
        name,
        templateLimit: 10,
        language: "en",
        adminEmail: `${uid("boss")}@example.test`.toLowerCase(),
        adminName: "Boss",
      },
    );
    await callOk(op, "PATCH", `/api/platform/tenants/${tenant.id}`, {
      version: tenant.version,
      status: "suspended",
    });
    const page = await callOk<Page>(op, "GET", `/api/platform/audit?q=${encodeURIComponent(name)}`);
    expect(page.items.map((e) => e.action)).toEqual(["suspend", "create"]);
    expect(page.items[0]!.changes).toEqual([
      { field: "status", before: "active", after: "suspended" },
    ]);
    expect(page.items[0]!.actorEmail).toBe("operator@parley.test");
    const admin = await adminSession();
    expect((await call(admin, "GET", "/api/platform/audit")).status).toBe(403);
  });
});
