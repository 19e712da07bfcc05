import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { d1 } from "../../src/platform/db/d1";
import { locations } from "../../src/platform/db/schema";
import { neutralise, saveVersioned } from "../../src/worker/api/admin/common";
import { createTenant } from "../kit/session";

async function statusOf(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as { status: number }).status;
  }
}

describe("saveVersioned", () => {
  it("bumps the version, and a stale version changes nothing at all (409)", async () => {
    const tenantId = await createTenant("T");
    const target = { table: "tenants", id: tenantId, tenantId, noun: "tenant" };
    // tenants have no tenant_id column; use locations instead.
    const id = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO locations (id, tenant_id, name, latitude, longitude) VALUES (?, ?, 'HQ', 1, 2)",
    )
      .bind(id, tenantId)
      .run();
    const loc = { ...target, table: locations, id, noun: "location" };
    expect(await statusOf(saveVersioned(env.DB, { ...loc, version: 1 }, { name: "A" }))).toBe("ok");
    const other = crypto.randomUUID();
    const also = [
      d1(env.DB)
        .insert(locations)
        .values({ id: other, tenantId, name: "side effect", latitude: 0, longitude: 0 }),
    ];
    expect(await statusOf(saveVersioned(env.DB, { ...loc, version: 1 }, { name: "B" }, also))).toBe(
      409,
    );
    const row = await env.DB.prepare("SELECT name, version FROM locations WHERE id = ?")
      .bind(id)
      .first();
    expect(row).toEqual({ name: "A", version: 2 });
    const side = await env.DB.prepare("SELECT 1 FROM locations WHERE id = ?").bind(other).first();
    expect(side).toBeNull();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM version_guard").first("n")).toBe(0);
  });

  it("answers 404 for another tenant's row", async () => {
    const a = await createTenant("T");
    const b = await createTenant("T");
    const id = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO locations (id, tenant_id, name, latitude, longitude) VALUES (?, ?, 'HQ', 1, 2)",
    )
      .bind(id, a)
      .run();
    const target = { table: locations, id, tenantId: b, version: 1, noun: "location" };
    expect(await statusOf(saveVersioned(env.DB, target, { name: "stolen" }))).toBe(404);
    expect(
      await env.DB.prepare("SELECT name FROM locations WHERE id = ?").bind(id).first("name"),
    ).toBe("HQ");
  });
});

describe("neutralise", () => {
  it("defuses what a spreadsheet would run and leaves the rest", () => {
    for (const s of ["=1+1", "+39 02 x", "+1+cmd", "-2-A1", "@SUM(A1)", "\t=x", "\r=x"]) {
      expect(neutralise(s)).toBe(`'${s}`);
    }
    // A sign and digits only (a phone) is a number at worst: it stays readable.
    for (const s of ["+393331234567", "+39 02 1234 5678", "-2"]) expect(neutralise(s)).toBe(s);
    expect(neutralise("Mario")).toBe("Mario");
    expect(neutralise(-2)).toBe(-2);
    expect(neutralise(null)).toBeNull();
  });
});

describe("xlsxResponse", () => {
  it("writes dates, numbers, booleans and neutralised text", async () => {
    const { xlsxResponse } = await import("../../src/worker/api/admin/common");
    const { readXlsxRows } = await import("../kit/files");
    const res = await xlsxResponse(
      "things",
      [
        { header: "Name", value: (v: { name: string }) => v.name },
        { header: "When", value: () => new Date(Date.UTC(2026, 10, 21, 9, 30)) },
        { header: "Count", value: () => 3 },
      ],
      [{ name: "=cmd()" }],
    );
    expect(res.headers.get("Content-Disposition")).toContain("things.xlsx");
    const rows = await readXlsxRows(await res.arrayBuffer());
    expect(rows[0]).toEqual(["Name", "When", "Count"]);
    expect(rows[1]?.[0]).toBe("'=cmd()");
    expect(rows[1]?.[2]).toBe("3");
  });
});
