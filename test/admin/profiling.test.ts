/**
 * Profiling (closing reasons) through the real Worker and D1: a tree of at most
 * three levels, ordered among siblings, searchable, downloadable with paths.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Page } from "../../src/shared/admin";
import type { ProfilingItem, ProfilingTreeNode } from "../../src/worker/api/admin/profiling";
import { addProfilingValue, createNumber } from "../kit/admin";
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

async function tree(admin: Session, numberId: string): Promise<ProfilingTreeNode[]> {
  const body = await callJson<{ items: ProfilingTreeNode[] }>(
    admin,
    "GET",
    `/api/admin/numbers/${numberId}/profiling/tree`,
    undefined,
    200,
  );
  return body.items;
}

function shape(nodes: ProfilingTreeNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? { [n.value]: shape(n.children) } : n.value));
}

async function seedProfilingTree(admin: Session, numberId: string) {
  const sales = await addProfilingValue(admin, numberId, "Sales");
  const support = await addProfilingValue(admin, numberId, "Support");
  const product = await addProfilingValue(admin, numberId, "Product", sales.id);
  const broken = await addProfilingValue(admin, numberId, "Broken", product.id);
  const late = await addProfilingValue(admin, numberId, "Late delivery", product.id);
  const price = await addProfilingValue(admin, numberId, "Price", sales.id);
  return { sales, support, product, broken, late, price };
}

describe("profiling", () => {
  it("builds a three-level tree and refuses a fourth level by naming parentId", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const t = await seedProfilingTree(admin, n.id);
    expect(t.broken).toMatchObject({
      level: 3,
      parentId: t.product.id,
      position: 1,
      path: "Sales › Product › Broken",
    });
    expect(t.price.position).toBe(2);
    expect(shape(await tree(admin, n.id))).toEqual([
      { Sales: [{ Product: ["Broken", "Late delivery"] }, "Price"] },
      "Support",
    ]);

    const res = await call(admin, "POST", `/api/admin/numbers/${n.id}/profiling`, {
      value: "Too deep",
      parentId: t.broken.id,
    });
    expect(res.status).toBe(400);
    expect(await badFields(res)).toEqual(["parentId"]);
    const blank = await call(admin, "POST", `/api/admin/numbers/${n.id}/profiling`, { value: " " });
    expect(await badFields(blank)).toEqual(["value"]);
    // A value of another number of the same tenant is not a parent here.
    const other = await createNumber(admin);
    const elsewhere = await call(admin, "POST", `/api/admin/numbers/${other.id}/profiling`, {
      value: "Wrong tree",
      parentId: t.sales.id,
    });
    expect(elsewhere.status).toBe(400);
    expect(await badFields(elsewhere)).toEqual(["parentId"]);
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM profiling_nodes WHERE tenant_id = ?",
    )
      .bind(admin.tenantId)
      .first("n");
    expect(count).toBe(6);
  });

  it("edits under a version (absent fields untouched) and deletes a whole subtree", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const t = await seedProfilingTree(admin, n.id);
    const path = `/api/admin/numbers/${n.id}/profiling/${t.product.id}`;
    const first = await callJson<ProfilingItem>(
      admin,
      "PATCH",
      path,
      { version: 1, childrenLabel: "Problem", notesAllowed: true },
      200,
    );
    expect(first).toMatchObject({
      value: "Product",
      childrenLabel: "Problem",
      notesAllowed: true,
      version: 2,
    });
    const second = await callJson<ProfilingItem>(
      admin,
      "PATCH",
      path,
      { version: 2, value: "Products" },
      200,
    );
    expect(second).toMatchObject({
      value: "Products",
      childrenLabel: "Problem",
      notesAllowed: true,
    });
    const stale = await call(admin, "PATCH", path, { version: 2, value: "Nope" });
    expect(stale.status).toBe(409);

    expect(
      (await call(admin, "DELETE", `/api/admin/numbers/${n.id}/profiling/${t.sales.id}`)).status,
    ).toBe(204);
    expect(shape(await tree(admin, n.id))).toEqual(["Support"]);
    const left = await env.DB.prepare(
      "SELECT count(*) AS n FROM profiling_nodes WHERE number_id = ?",
    )
      .bind(n.id)
      .first("n");
    expect(left).toBe(1);
  });

  it("reorders siblings; a stale list gets 409 and nothing moves", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const t = await seedProfilingTree(admin, n.id);
    const order = `/api/admin/numbers/${n.id}/profiling/order`;
    const moved = await callJson<{ items: ProfilingItem[] }>(
      admin,
      "PUT",
      order,
      { parentId: t.product.id, ids: [t.late.id, t.broken.id] },
      200,
    );
    expect(moved.items.map((i) => i.value)).toEqual(["Late delivery", "Broken"]);
    await callJson(admin, "PUT", order, { parentId: null, ids: [t.support.id, t.sales.id] }, 200);
    expect(shape(await tree(admin, n.id))).toEqual([
      "Support",
      { Sales: [{ Product: ["Late delivery", "Broken"] }, "Price"] },
    ]);
    for (const body of [
      { parentId: t.sales.id, ids: [t.price.id] },
      { parentId: t.sales.id, ids: [t.price.id, t.product.id, t.broken.id] },
      { parentId: null, ids: [t.support.id, t.sales.id, t.product.id] },
    ]) {
      const res = await call(admin, "PUT", order, body);
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(
        /changed since you loaded it/,
      );
    }
    expect(shape(await tree(admin, n.id))).toEqual([
      "Support",
      { Sales: [{ Product: ["Late delivery", "Broken"] }, "Price"] },
    ]);
  });

  it("lists depth-first with paths, searches values, and downloads exactly the filtered rows", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    await seedProfilingTree(admin, n.id);
    await addProfilingValue(admin, n.id, "@SUM(1+1)");
    const page = await callJson<Page<ProfilingItem>>(
      admin,
      "GET",
      `/api/admin/numbers/${n.id}/profiling?pageSize=10`,
      undefined,
      200,
    );
    expect(page.items.map((i) => i.path)).toEqual([
      "Sales",
      "Sales › Product",
      "Sales › Product › Broken",
      "Sales › Product › Late delivery",
      "Sales › Price",
      "Support",
      "@SUM(1+1)",
    ]);
    const found = await callJson<Page<ProfilingItem>>(
      admin,
      "GET",
      `/api/admin/numbers/${n.id}/profiling?q=ro&sort=value`,
      undefined,
      200,
    );
    expect(found.items.map((i) => i.value)).toEqual(["Broken", "Product"]);
    const rows = await readXlsxRows(
      await (
        await call(admin, "GET", `/api/admin/numbers/${n.id}/profiling/export.xlsx?q=ro`)
      ).arrayBuffer(),
    );
    expect(rows.map((r) => r[0])).toEqual(["Path", "Sales › Product", "Sales › Product › Broken"]);
    const all = await readXlsxRows(
      await (
        await call(admin, "GET", `/api/admin/numbers/${n.id}/profiling/export.xlsx`)
      ).arrayBuffer(),
    );
    expect(all[7]!.slice(0, 2)).toEqual(["'@SUM(1+1)", "'@SUM(1+1)"]);
  });

  it("another tenant gets 404 for the number, the node, and a parentId in the body", async () => {
    const a = await adminSession();
    const b = await adminSession();
    const nA = await createNumber(a);
    const nB = await createNumber(b);
    const t = await seedProfilingTree(a, nA.id);
    const routes: [Parameters<typeof call>[1], string, unknown][] = [
      ["GET", `/api/admin/numbers/${nA.id}/profiling`, undefined],
      ["GET", `/api/admin/numbers/${nA.id}/profiling/tree`, undefined],
      ["GET", `/api/admin/numbers/${nA.id}/profiling/export.xlsx`, undefined],
      ["POST", `/api/admin/numbers/${nA.id}/profiling`, { value: "X" }],
      ["PUT", `/api/admin/numbers/${nA.id}/profiling/order`, { parentId: null, ids: [t.sales.id] }],
      ["PATCH", `/api/admin/numbers/${nA.id}/profiling/${t.sales.id}`, { version: 1, value: "X" }],
      ["DELETE", `/api/admin/numbers/${nA.id}/profiling/${t.sales.id}`, undefined],
      ["POST", `/api/admin/numbers/${nB.id}/profiling`, { value: "X", parentId: t.sales.id }],
      [
        "PUT",
        `/api/admin/numbers/${nB.id}/profiling/order`,
        { parentId: t.sales.id, ids: [t.product.id] },
      ],
      ["PATCH", `/api/admin/numbers/${nB.id}/profiling/${t.sales.id}`, { version: 1, value: "X" }],
      ["DELETE", `/api/admin/numbers/${nB.id}/profiling/${t.sales.id}`, undefined],
    ];
    for (const [method, path, body] of routes) {
      expect((await call(b, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect(shape(await tree(a, nA.id))).toEqual([
      { Sales: [{ Product: ["Broken", "Late delivery"] }, "Price"] },
      "Support",
    ]);
    expect(await tree(b, nB.id)).toEqual([]);
    const agent = await agentSession(a.tenantId);
    expect((await call(agent, "GET", `/api/admin/numbers/${nA.id}/profiling/tree`)).status).toBe(
      403,
    );
  });
});
