/**
 * Customer properties of a number through the real Worker and D1: at most 50,
 * ordered and reorderable, versioned, scoped to the caller's tenant.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CustomerPropertyView, Page } from "../../src/shared/admin";
import { addProperty, createNumber } from "../kit/admin";
import { readXlsxRows } from "../kit/files";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "../kit/session";

type Property = CustomerPropertyView;

async function names(admin: Session, numberId: string, query = "") {
  const page = await callJson<Page<Property>>(
    admin,
    "GET",
    `/api/admin/numbers/${numberId}/properties?pageSize=100${query}`,
    undefined,
    200,
  );
  return page.items.map((p) => p.name);
}

describe("customer properties", () => {
  it("adds at the end with defaults, edits under a version, and deletes", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const tier = await addProperty(admin, n.id, {
      name: "Tier",
      type: "choice",
      options: ["Gold", "Silver"],
    });
    expect(tier).toMatchObject({
      numberId: n.id,
      position: 1,
      version: 1,
      modifiableByAgent: true,
      showInCustomerList: false,
      options: ["Gold", "Silver"],
    });
    const birthday = await addProperty(admin, n.id, { name: "Birthday", type: "date" });
    expect(birthday.position).toBe(2);

    const path = `/api/admin/numbers/${n.id}/properties/${tier.id}`;
    // Only what is sent changes: the options and flags survive a rename.
    const renamed = await callJson<Property>(
      admin,
      "PATCH",
      path,
      { version: 1, name: "Level" },
      200,
    );
    expect(renamed).toMatchObject({
      name: "Level",
      options: ["Gold", "Silver"],
      modifiableByAgent: true,
      version: 2,
    });
    const stale = await call(admin, "PATCH", path, { version: 1, showInCustomerList: true });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");

    // A choice without choices is refused by name; nothing changes.
    const noOptions = await call(admin, "PATCH", path, { version: 2, options: [] });
    expect(noOptions.status).toBe(400);
    expect(await badFields(noOptions)).toEqual(["options"]);
    const bad = await call(admin, "POST", `/api/admin/numbers/${n.id}/properties`, {
      name: "",
      type: "colour",
    });
    expect((await badFields(bad)).sort()).toEqual(["name", "type"]);

    expect((await call(admin, "DELETE", path)).status).toBe(204);
    expect(await names(admin, n.id)).toEqual(["Birthday"]);
    expect((await call(admin, "DELETE", path)).status).toBe(404);
  });

  it("refuses a second property with the same name, on create and on rename", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    await addProperty(admin, n.id, { name: "Tier", type: "text" });
    const other = await addProperty(admin, n.id, { name: "Region", type: "text" });
    const dup = await call(admin, "POST", `/api/admin/numbers/${n.id}/properties`, {
      name: "Tier",
      type: "number",
    });
    expect(dup.status).toBe(409);
    expect(await badFields(dup)).toEqual(["name"]);
    const rename = await call(admin, "PATCH", `/api/admin/numbers/${n.id}/properties/${other.id}`, {
      version: other.version,
      name: "Tier",
    });
    expect(rename.status).toBe(409);
    expect(await names(admin, n.id)).toEqual(["Tier", "Region"]);
    // Another number may use the name.
    const m = await createNumber(admin);
    await addProperty(admin, m.id, { name: "Tier", type: "text" });
  });

  it("refuses the 51st property with a clear message and stores nothing", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const stmts = Array.from({ length: 50 }, (_, i) =>
      env.DB.prepare(
        "INSERT INTO customer_properties (id, tenant_id, number_id, name, type, position) VALUES (?, ?, ?, ?, 'text', ?)",
      ).bind(crypto.randomUUID(), admin.tenantId, n.id, `Field ${i + 1}`, i + 1),
    );
    await env.DB.batch(stmts.slice(0, 49));
    // The 50th through the API is fine…
    await addProperty(admin, n.id, { name: "Fiftieth", type: "number" });
    // …the 51st is not.
    const res = await call(admin, "POST", `/api/admin/numbers/${n.id}/properties`, {
      name: "One too many",
      type: "text",
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toMatch(/at most 50 customer properties/);
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM customer_properties WHERE number_id = ?",
    )
      .bind(n.id)
      .first("n");
    expect(count).toBe(50);
  });

  it("reorders with exactly the current ids, else 409 'reload' and nothing moves", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const [a, b, c] = [
      await addProperty(admin, n.id, { name: "A", type: "text" }),
      await addProperty(admin, n.id, { name: "B", type: "text" }),
      await addProperty(admin, n.id, { name: "C", type: "text" }),
    ];
    const order = `/api/admin/numbers/${n.id}/properties/order`;
    const moved = await callJson<{ items: Property[] }>(
      admin,
      "PUT",
      order,
      { ids: [c!.id, a!.id, b!.id] },
      200,
    );
    expect(moved.items.map((p) => [p.name, p.position])).toEqual([
      ["C", 1],
      ["A", 2],
      ["B", 3],
    ]);
    // Stale lists: one missing, one extra (another number's), one repeated.
    const other = await createNumber(admin);
    const foreign = await addProperty(admin, other.id, { name: "X", type: "text" });
    for (const ids of [
      [a!.id, b!.id],
      [a!.id, b!.id, c!.id, foreign.id],
      [a!.id, b!.id, b!.id],
      [a!.id, b!.id, foreign.id],
    ]) {
      const res = await call(admin, "PUT", order, { ids });
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/Reload/);
    }
    expect(await names(admin, n.id)).toEqual(["C", "A", "B"]);
    expect(await names(admin, other.id)).toEqual(["X"]);
  });

  it("lists with search and sorts, and downloads exactly the filtered rows", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    await addProperty(admin, n.id, { name: "Codice fiscale", type: "text" });
    await addProperty(admin, n.id, { name: "Anni cliente", type: "number" });
    await addProperty(admin, n.id, { name: "=cmd|' /C calc'!A0", type: "text" });
    await addProperty(admin, n.id, {
      name: "Codice CRM",
      type: "text",
      showInConversationList: true,
    });
    expect(await names(admin, n.id, "&sort=name")).toEqual([
      "=cmd|' /C calc'!A0",
      "Anni cliente",
      "Codice CRM",
      "Codice fiscale",
    ]);
    expect(await names(admin, n.id, "&q=codice&sort=type&dir=desc")).toEqual([
      "Codice fiscale",
      "Codice CRM",
    ]);
    const res = await call(
      admin,
      "GET",
      `/api/admin/numbers/${n.id}/properties/export.xlsx?q=codice`,
    );
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows.map((r) => r[1])).toEqual(["Name", "Codice fiscale", "Codice CRM"]);
    expect(rows[2]![6]).toBe("yes");
    const all = await readXlsxRows(
      await (
        await call(admin, "GET", `/api/admin/numbers/${n.id}/properties/export.xlsx`)
      ).arrayBuffer(),
    );
    expect(all[3]![1]).toBe("'=cmd|' /C calc'!A0");
    const bad = await call(admin, "GET", `/api/admin/numbers/${n.id}/properties?sort=secret`);
    expect(await badFields(bad)).toEqual(["sort"]);
  });

  it("another tenant gets 404 on every route, with the number or the property in the path", async () => {
    const a = await adminSession();
    const b = await adminSession();
    const nA = await createNumber(a);
    const nB = await createNumber(b);
    const p = await addProperty(a, nA.id, { name: "Secret", type: "text" });
    const routes: [Parameters<typeof call>[1], string, unknown][] = [
      ["GET", `/api/admin/numbers/${nA.id}/properties`, undefined],
      ["GET", `/api/admin/numbers/${nA.id}/properties/export.xlsx`, undefined],
      ["POST", `/api/admin/numbers/${nA.id}/properties`, { name: "Mine", type: "text" }],
      ["PUT", `/api/admin/numbers/${nA.id}/properties/order`, { ids: [p.id] }],
      ["PATCH", `/api/admin/numbers/${nA.id}/properties/${p.id}`, { version: 1, name: "Stolen" }],
      ["DELETE", `/api/admin/numbers/${nA.id}/properties/${p.id}`, undefined],
      // B's own number with A's property id.
      ["PATCH", `/api/admin/numbers/${nB.id}/properties/${p.id}`, { version: 1, name: "Stolen" }],
      ["DELETE", `/api/admin/numbers/${nB.id}/properties/${p.id}`, undefined],
      ["PUT", `/api/admin/numbers/${nB.id}/properties/order`, { ids: [p.id] }],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(b, method, path, body);
      // Reordering B's empty list with A's id is a stale list, not a leak.
      const expected = path.endsWith("/order") && path.includes(nB.id) ? 409 : 404;
      expect(res.status, `${method} ${path}`).toBe(expected);
    }
    const row = await env.DB.prepare(
      "SELECT name, version, number_id FROM customer_properties WHERE id = ?",
    )
      .bind(p.id)
      .first();
    expect(row).toEqual({ name: "Secret", version: 1, number_id: nA.id });
    const agent: Session = await agentSession(a.tenantId);
    expect((await call(agent, "GET", `/api/admin/numbers/${nA.id}/properties`)).status).toBe(403);
  });
});
