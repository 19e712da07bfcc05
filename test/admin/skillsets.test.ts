/**
 * Skillsets through the real Worker and D1: members replaced atomically and
 * validated, at most one default per number and only the admin's choice,
 * versions, lists and downloads,
 * deletion side effects, and tenancy on every id (path, body and filter).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Page, SkillsetView } from "../../src/shared/admin";
import { createNumber, createSkillset } from "../kit/admin";
import { readXlsxRows } from "../kit/files";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  createUser,
  type ErrorBody,
  type Session,
} from "../kit/session";

async function skillsetById(admin: Session, id: string): Promise<SkillsetView> {
  return callJson<SkillsetView>(admin, "GET", `/api/admin/skillsets/${id}`, undefined, 200);
}

async function defaults(admin: Session, numberId: string): Promise<string[]> {
  const page = await callJson<Page<SkillsetView>>(
    admin,
    "GET",
    `/api/admin/skillsets?numberId=${numberId}&pageSize=100`,
    undefined,
    200,
  );
  return page.items.filter((s) => s.isDefault).map((s) => s.name);
}

describe("skillsets", () => {
  it("creates with members; a skillset is the number's default only when the admin says so", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin, { name: "Linea Roma" });
    const anna = await createUser(admin.tenantId, { name: "Anna" });
    const bruno = await createUser(admin.tenantId, { name: "Bruno" });
    const vip = await createSkillset(admin, n.id, {
      name: "VIP",
      priority: 8,
      botLabel: "Premium",
      members: [
        { userId: bruno.id, agentPriority: 3 },
        { userId: anna.id, agentPriority: 7 },
      ],
    });
    expect(vip).toMatchObject({
      numberId: n.id,
      numberName: "Linea Roma",
      priority: 8,
      isDefault: false,
      botLabel: "Premium",
      version: 1,
      members: [
        { userId: anna.id, agentPriority: 7, name: "Anna" },
        { userId: bruno.id, agentPriority: 3, name: "Bruno" },
      ],
    });
    const general = await createSkillset(admin, n.id, {
      name: "General",
      priority: 3,
      isDefault: true,
    });
    expect(general.isDefault).toBe(true);
    expect(await skillsetById(admin, vip.id)).toEqual(vip);
  });

  it("keeps at most one default per number, switched off or deleted only as the admin says", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const other = await createNumber(admin);
    const a = await createSkillset(admin, n.id, { name: "A", isDefault: true });
    const b = await createSkillset(admin, n.id, { name: "B", isDefault: true });
    const elsewhere = await createSkillset(admin, other.id, { name: "Elsewhere", isDefault: true });
    expect(await defaults(admin, n.id)).toEqual(["B"]);
    // A lost its default flag: its version moved, so an editor holding version 1 must reload.
    const aNow = await skillsetById(admin, a.id);
    expect(aNow).toMatchObject({ isDefault: false, version: 2 });
    expect(
      (await call(admin, "PATCH", `/api/admin/skillsets/${a.id}`, { version: 1, name: "A1" }))
        .status,
    ).toBe(409);

    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${a.id}`,
      { version: 2, isDefault: true },
      200,
    );
    expect(await defaults(admin, n.id)).toEqual(["A"]);
    expect(await defaults(admin, other.id)).toEqual(["Elsewhere"]);
    // Switched off, the number has no default: no other skillset is made one.
    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${a.id}`,
      { version: 3, isDefault: false },
      200,
    );
    expect(await defaults(admin, n.id)).toEqual([]);
    // Deleting the default leaves the number without one, too.
    await callJson(
      admin,
      "PATCH",
      `/api/admin/skillsets/${b.id}`,
      { version: (await skillsetById(admin, b.id)).version, isDefault: true },
      200,
    );
    expect((await call(admin, "DELETE", `/api/admin/skillsets/${b.id}`)).status).toBe(204);
    expect(await defaults(admin, n.id)).toEqual([]);
    expect((await skillsetById(admin, a.id)).isDefault).toBe(false);
    expect((await skillsetById(admin, elsewhere.id)).isDefault).toBe(true);
  });

  it("replaces members atomically; a bad member is named and nothing is stored", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const anna = await createUser(admin.tenantId, { name: "Anna" });
    const bruno = await createUser(admin.tenantId, { name: "Bruno" });
    const gone = await createUser(admin.tenantId, { name: "Gone" });
    await env.DB.prepare("UPDATE users SET active = 0 WHERE id = ?").bind(gone.id).run();
    const stranger = await createUser((await adminSession()).tenantId, { name: "Stranger" });
    const s = await createSkillset(admin, n.id, {
      members: [{ userId: anna.id, agentPriority: 5 }],
    });
    const path = `/api/admin/skillsets/${s.id}`;

    const res = await call(admin, "PATCH", path, {
      version: 1,
      name: "Renamed",
      members: [
        { userId: bruno.id, agentPriority: 9 },
        { userId: stranger.id, agentPriority: 5 },
        { userId: gone.id, agentPriority: 5 },
        { userId: bruno.id, agentPriority: 1 },
      ],
    });
    expect(res.status).toBe(400);
    expect(await badFields(res)).toEqual([
      "members.1.userId",
      "members.2.userId",
      "members.3.userId",
    ]);
    expect(await skillsetById(admin, s.id)).toMatchObject({
      name: "General",
      version: 1,
      members: [{ userId: anna.id, agentPriority: 5 }],
    });

    for (const [body, field] of [
      [{ version: 1, priority: 0 }, "priority"],
      [{ version: 1, priority: 10 }, "priority"],
      [{ version: 1, members: [{ userId: anna.id, agentPriority: 0 }] }, "members.0.agentPriority"],
      [{ version: 1, botLabel: "a label that is far too long" }, "botLabel"],
    ] as const) {
      const bad = await call(admin, "PATCH", path, body);
      expect(bad.status, field).toBe(400);
      expect(await badFields(bad)).toEqual([field]);
    }

    // A PATCH without members keeps them; one with members replaces them all.
    const renamed = await callJson<SkillsetView>(
      admin,
      "PATCH",
      path,
      { version: 1, priority: 9 },
      200,
    );
    expect(renamed.members.map((m) => m.userId)).toEqual([anna.id]);
    const replaced = await callJson<SkillsetView>(
      admin,
      "PATCH",
      path,
      { version: 2, members: [{ userId: bruno.id, agentPriority: 4 }] },
      200,
    );
    expect(replaced).toMatchObject({
      priority: 9,
      version: 3,
      members: [{ userId: bruno.id, agentPriority: 4 }],
    });
    const stale = await call(admin, "PATCH", path, { version: 2, members: [] });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");
    expect((await skillsetById(admin, s.id)).members).toHaveLength(1);
  });

  it("deleting removes memberships and clears customers' default skillset", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const anna = await createUser(admin.tenantId, { name: "Anna" });
    const s = await createSkillset(admin, n.id, {
      members: [{ userId: anna.id, agentPriority: 5 }],
    });
    const customer = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO customers (id, tenant_id, contact_key, name, default_skillset_id) VALUES (?, ?, ?, 'C', ?)",
    )
      .bind(customer, admin.tenantId, `k-${customer}`, s.id)
      .run();
    expect((await call(admin, "DELETE", `/api/admin/skillsets/${s.id}`)).status).toBe(204);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM skillset_members WHERE skillset_id = ?")
        .bind(s.id)
        .first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT default_skillset_id FROM customers WHERE id = ?")
        .bind(customer)
        .first("default_skillset_id"),
    ).toBeNull();
    expect((await call(admin, "GET", `/api/admin/skillsets/${s.id}`)).status).toBe(404);
  });

  it("lists, filters by number, sorts, and downloads exactly the filtered rows, neutralised", async () => {
    const admin = await adminSession();
    const rome = await createNumber(admin, { name: "Roma" });
    const milan = await createNumber(admin, { name: "Milano" });
    const anna = await createUser(admin.tenantId, { name: "Anna" });
    await createSkillset(admin, rome.id, { name: "Billing", priority: 2, isDefault: true });
    await createSkillset(admin, rome.id, {
      name: '=HYPERLINK("http://evil.example","click")',
      priority: 9,
      members: [{ userId: anna.id, agentPriority: 6 }],
    });
    await createSkillset(admin, milan.id, { name: "Billing Milano", priority: 5 });
    await createSkillset(admin, milan.id, { name: "Tech", priority: 7 });

    const byPriority = await callJson<Page<SkillsetView>>(
      admin,
      "GET",
      "/api/admin/skillsets?sort=priority&dir=desc",
      undefined,
      200,
    );
    expect(byPriority.items.map((s) => s.priority)).toEqual([9, 7, 5, 2]);
    const byNumber = await callJson<Page<SkillsetView>>(
      admin,
      "GET",
      "/api/admin/skillsets?sort=numberName&q=bill",
      undefined,
      200,
    );
    expect(byNumber.items.map((s) => [s.numberName, s.name])).toEqual([
      ["Milano", "Billing Milano"],
      ["Roma", "Billing"],
    ]);
    const romeOnly = await callJson<Page<SkillsetView>>(
      admin,
      "GET",
      `/api/admin/skillsets?numberId=${rome.id}&sort=name`,
      undefined,
      200,
    );
    expect(romeOnly.total).toBe(2);

    const rows = await readXlsxRows(
      await (
        await call(
          admin,
          "GET",
          `/api/admin/skillsets/export.xlsx?numberId=${rome.id}&sort=priority&dir=desc`,
        )
      ).arrayBuffer(),
    );
    expect(rows).toEqual([
      ["Name", "Number", "Priority", "Default", "Bot label", "Members (agent priority)"],
      ['\'=HYPERLINK("http://evil.example","click")', "Roma", "9", "no", "", "Anna (6)"],
      ["Billing", "Roma", "2", "yes"], // empty trailing cells are not written
    ]);
    const filtered = await readXlsxRows(
      await (await call(admin, "GET", "/api/admin/skillsets/export.xlsx?q=bill")).arrayBuffer(),
    );
    expect(filtered.slice(1).map((r) => r[0])).toEqual(["Billing", "Billing Milano"]);
  });

  it("another tenant gets 404 for skillsets, numbers in bodies and filters; agents 403", async () => {
    const a = await adminSession();
    const b = await adminSession();
    const nA = await createNumber(a);
    const nB = await createNumber(b);
    const s = await createSkillset(a, nA.id, { name: "A's" });
    const routes: [Parameters<typeof call>[1], string, unknown][] = [
      ["GET", `/api/admin/skillsets/${s.id}`, undefined],
      ["PATCH", `/api/admin/skillsets/${s.id}`, { version: 1, priority: 9 }],
      ["DELETE", `/api/admin/skillsets/${s.id}`, undefined],
      ["POST", "/api/admin/skillsets", { numberId: nA.id, name: "Planted", priority: 5 }],
      ["GET", `/api/admin/skillsets?numberId=${nA.id}`, undefined],
      ["GET", `/api/admin/skillsets/export.xlsx?numberId=${nA.id}`, undefined],
    ];
    for (const [method, path, body] of routes) {
      expect((await call(b, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const mine = await callJson<Page<SkillsetView>>(
      b,
      "GET",
      "/api/admin/skillsets",
      undefined,
      200,
    );
    expect(mine.total).toBe(0);
    // B's own skillset cannot take A's users either.
    const userA = await createUser(a.tenantId);
    const res = await call(b, "POST", "/api/admin/skillsets", {
      numberId: nB.id,
      name: "Poach",
      priority: 5,
      members: [{ userId: userA.id, agentPriority: 5 }],
    });
    expect(await badFields(res)).toEqual(["members.0.userId"]);
    expect(await skillsetById(a, s.id)).toMatchObject({ priority: 5, version: 1, name: "A's" });
    const agent = await agentSession(a.tenantId);
    expect((await call(agent, "GET", "/api/admin/skillsets")).status).toBe(403);
    expect(
      (await call(agent, "PATCH", `/api/admin/skillsets/${s.id}`, { version: 1 })).status,
    ).toBe(403);
  });
});
