/** Tenant settings, predefined messages and locations through the real Worker and D1. */
import { beforeAll, describe, expect, it } from "vitest";
import type {
  LocationView,
  Page,
  PredefinedMessageView,
  TenantSettingsView,
} from "../../src/shared/admin";
import { spreadsheetRows } from "../kit/files";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "../kit/session";
import { countRows } from "../kit/tenant";

/** The spreadsheet `path` downloads. */
async function downloadRows(session: Session, path: string): Promise<string[][]> {
  return spreadsheetRows(await call(session, "GET", path));
}

let a: Session;
let b: Session;
let agent: Session;

beforeAll(async () => {
  a = await adminSession();
  b = await adminSession();
  agent = await agentSession(a.tenantId);
});

describe("tenant settings", () => {
  it("round-trips, and a stale version gets 409 without changing anything", async () => {
    const s = await callJson<TenantSettingsView>(a, "GET", "/api/admin/settings", undefined, 200);
    expect(s).toMatchObject({
      agentsMaySendTemplates: true,
      maskSensitiveData: false,
      defaultLanguage: "en",
      templateLimit: 250,
      templateCount: 0,
    });
    const saved = await callJson<TenantSettingsView>(
      a,
      "PATCH",
      "/api/admin/settings",
      { version: s.version, maskSensitiveData: true, defaultLanguage: "it" },
      200,
    );
    expect(saved).toMatchObject({
      maskSensitiveData: true,
      defaultLanguage: "it",
      agentsMaySendTemplates: true,
      version: s.version + 1,
    });

    const stale = await call(a, "PATCH", "/api/admin/settings", {
      version: s.version,
      agentsMaySendTemplates: false,
    });
    expect(stale.status).toBe(409);
    const err = (await stale.json()) as ErrorBody;
    expect(err.error.code).toBe("conflict");
    expect(err.error.message).toMatch(/changed by someone else/);
    const after = await callJson<TenantSettingsView>(
      a,
      "GET",
      "/api/admin/settings",
      undefined,
      200,
    );
    expect(after).toEqual(saved);

    // Another tenant's settings are its own.
    const other = await callJson<TenantSettingsView>(
      b,
      "GET",
      "/api/admin/settings",
      undefined,
      200,
    );
    expect(other).toMatchObject({ maskSensitiveData: false, defaultLanguage: "en" });
  });

  it("names bad fields, and refuses agents", async () => {
    const res = await call(a, "PATCH", "/api/admin/settings", {
      version: 1,
      defaultLanguage: "fr",
      maskSensitiveData: "yes",
    });
    expect(res.status).toBe(400);
    expect(await badFields(res)).toEqual(
      expect.arrayContaining(["defaultLanguage", "maskSensitiveData"]),
    );
    expect((await call(agent, "GET", "/api/admin/settings")).status).toBe(403);
    expect((await call(agent, "PATCH", "/api/admin/settings", { version: 1 })).status).toBe(403);
  });
});

const buttons = (n: number) => ({
  type: "buttons",
  buttons: Array.from({ length: n }, (_, i) => ({ title: `Option ${i + 1}` })),
});
const list = (rowsPerSection: number[]) => ({
  type: "list",
  button: "Choose",
  sections: rowsPerSection.map((n, s) => ({
    title: `Section ${s}`,
    rows: Array.from({ length: n }, (_, i) => ({ title: `Row ${s}.${i}` })),
  })),
});

describe("predefined messages", () => {
  it("creates with reply buttons or a list; partial updates keep the rest; stale → 409", async () => {
    const created = await callJson<PredefinedMessageView>(
      a,
      "POST",
      "/api/admin/predefined-messages",
      {
        category: "Greetings",
        title: "Hello",
        text: "Hello, how can I help?",
        interactive: buttons(3),
      },
      201,
    );
    expect(created.interactive).toEqual(buttons(3));
    expect(created.version).toBe(1);

    const withList = await callJson<PredefinedMessageView>(
      a,
      "POST",
      "/api/admin/predefined-messages",
      { category: "Sales", title: "Pick", text: "Which product?", interactive: list([6, 4]) },
      201,
    );
    expect(withList.interactive).toMatchObject({ type: "list", button: "Choose" });

    const renamed = await callJson<PredefinedMessageView>(
      a,
      "PATCH",
      `/api/admin/predefined-messages/${created.id}`,
      { version: 1, title: "Hello there" },
      200,
    );
    expect(renamed).toMatchObject({ title: "Hello there", version: 2, interactive: buttons(3) });

    const stale = await call(a, "PATCH", `/api/admin/predefined-messages/${created.id}`, {
      version: 1,
      text: "overwritten?",
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");

    const cleared = await callJson<PredefinedMessageView>(
      a,
      "PATCH",
      `/api/admin/predefined-messages/${created.id}`,
      { version: 2, interactive: null },
      200,
    );
    expect(cleared).toMatchObject({ interactive: null, text: "Hello, how can I help?" });
    expect(
      await callJson(a, "GET", `/api/admin/predefined-messages/${created.id}`, undefined, 200),
    ).toEqual(cleared);
  });

  it("refuses 4 buttons, 11 list rows and empty fields, naming them, storing nothing", async () => {
    const before = await countRows("predefined_messages", a.tenantId);
    const cases: [unknown, string][] = [
      [buttons(4), "interactive.buttons"],
      [list([11]), "interactive.sections.0.rows"],
      [list([6, 5]), "interactive.sections"],
    ];
    for (const [interactive, path] of cases) {
      const res = await call(a, "POST", "/api/admin/predefined-messages", {
        category: "X",
        title: "Too many",
        text: "Pick one",
        interactive,
      });
      expect(res.status).toBe(400);
      expect(await badFields(res)).toContain(path);
    }
    const empty = await call(a, "POST", "/api/admin/predefined-messages", {
      category: " ",
      title: "",
      text: "x",
    });
    expect(await badFields(empty)).toEqual(expect.arrayContaining(["category", "title"]));
    expect(await countRows("predefined_messages", a.tenantId)).toBe(before);
  });

  it("lists with paging, search and sort; categories; export has exactly the filtered rows, neutralised", async () => {
    const admin = await adminSession();
    const rows = [
      ["Billing", "Invoice copy", "Here is your invoice"],
      ["Billing", '=HYPERLINK("http://evil")', "A formula title"],
      ["Shipping", "Where is my parcel", "Your parcel is on its way"],
      ["Greetings", "Welcome", "Welcome to our invoice desk"],
    ];
    for (const [category, title, text] of rows) {
      await callJson(
        admin,
        "POST",
        "/api/admin/predefined-messages",
        { category, title, text },
        201,
      );
    }
    const page = await callJson<Page<PredefinedMessageView>>(
      admin,
      "GET",
      "/api/admin/predefined-messages?q=invoice&sort=title&dir=desc&pageSize=10",
      undefined,
      200,
    );
    expect(page.total).toBe(2);
    expect(page.items.map((m) => m.title)).toEqual(["Welcome", "Invoice copy"]);

    const paged = await callJson<Page<PredefinedMessageView>>(
      admin,
      "GET",
      "/api/admin/predefined-messages?pageSize=10&page=1&sort=category",
      undefined,
      200,
    );
    expect(paged.total).toBe(4);
    expect(paged.items.map((m) => m.category)).toEqual([
      "Billing",
      "Billing",
      "Greetings",
      "Shipping",
    ]);

    const cats = await callJson<{ categories: string[] }>(
      admin,
      "GET",
      "/api/admin/predefined-messages/categories",
      undefined,
      200,
    );
    expect(cats.categories).toEqual(["Billing", "Greetings", "Shipping"]);

    const shipping = await callJson<Page<PredefinedMessageView>>(
      admin,
      "GET",
      "/api/admin/predefined-messages?category=Shipping",
      undefined,
      200,
    );
    expect(shipping.items.map((m) => m.title)).toEqual(["Where is my parcel"]);
    const billingSheet = await downloadRows(
      admin,
      "/api/admin/predefined-messages/export.xlsx?category=Billing",
    );
    expect(billingSheet.length).toBe(3);

    const sheet = await downloadRows(
      admin,
      "/api/admin/predefined-messages/export.xlsx?q=billing&sort=title",
    );
    expect(sheet[0]).toEqual(["Category", "Title", "Text", "Replies", "Updated (UTC)"]);
    expect(sheet.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ["Billing", '\'=HYPERLINK("http://evil")', "A formula title"],
      ["Billing", "Invoice copy", "Here is your invoice"],
    ]);

    const badSort = await call(admin, "GET", "/api/admin/predefined-messages?sort=text");
    expect(badSort.status).toBe(400);
    expect(await badFields(badSort)).toEqual(["sort"]);
    const badSize = await call(admin, "GET", "/api/admin/predefined-messages?pageSize=5");
    expect(await badFields(badSize)).toEqual(["pageSize"]);
  });

  it("another tenant's ids are 404 on every route, and agents get 403", async () => {
    const mine = await callJson<PredefinedMessageView>(
      a,
      "POST",
      "/api/admin/predefined-messages",
      { category: "Secret", title: "Tenant A only", text: "A's words" },
      201,
    );
    const path = `/api/admin/predefined-messages/${mine.id}`;
    expect((await call(b, "GET", path)).status).toBe(404);
    expect((await call(b, "PATCH", path, { version: 1, title: "stolen" })).status).toBe(404);
    expect((await call(b, "DELETE", path)).status).toBe(404);
    const bList = await callJson<Page<PredefinedMessageView>>(
      b,
      "GET",
      "/api/admin/predefined-messages?q=Tenant%20A",
      undefined,
      200,
    );
    expect(bList.total).toBe(0);
    const bCats = await callJson<{ categories: string[] }>(
      b,
      "GET",
      "/api/admin/predefined-messages/categories",
      undefined,
      200,
    );
    expect(bCats.categories).not.toContain("Secret");
    expect(await callJson(a, "GET", path, undefined, 200)).toEqual(mine);

    for (const [method, p] of [
      ["GET", "/api/admin/predefined-messages"],
      ["GET", path],
      ["DELETE", path],
    ] as const) {
      expect((await call(agent, method, p)).status).toBe(403);
    }
    expect(
      (
        await call(agent, "POST", "/api/admin/predefined-messages", {
          category: "x",
          title: "x",
          text: "x",
        })
      ).status,
    ).toBe(403);

    expect((await call(a, "DELETE", path)).status).toBe(204);
    expect((await call(a, "GET", path)).status).toBe(404);
  });
});

describe("locations", () => {
  it("creates, updates partially, 409 on a stale version, deletes", async () => {
    const hq = await callJson<LocationView>(
      a,
      "POST",
      "/api/admin/locations",
      { name: "HQ", address: "Via Roma 1, Milano", latitude: 45.4642, longitude: 9.19 },
      201,
    );
    expect(hq).toMatchObject({ name: "HQ", latitude: 45.4642, longitude: 9.19, version: 1 });
    const moved = await callJson<LocationView>(
      a,
      "PATCH",
      `/api/admin/locations/${hq.id}`,
      { version: 1, name: "Head office" },
      200,
    );
    expect(moved).toMatchObject({ name: "Head office", address: "Via Roma 1, Milano", version: 2 });
    const stale = await call(a, "PATCH", `/api/admin/locations/${hq.id}`, {
      version: 1,
      latitude: 0,
    });
    expect(stale.status).toBe(409);
    expect(await callJson(a, "GET", `/api/admin/locations/${hq.id}`, undefined, 200)).toEqual(
      moved,
    );
    expect((await call(a, "DELETE", `/api/admin/locations/${hq.id}`)).status).toBe(204);
    expect((await call(a, "GET", `/api/admin/locations/${hq.id}`)).status).toBe(404);
  });

  it("refuses latitude 91 and longitude -181, naming them, storing nothing", async () => {
    const before = await countRows("locations", a.tenantId);
    const res = await call(a, "POST", "/api/admin/locations", {
      name: "Nowhere",
      latitude: 91,
      longitude: -181,
    });
    expect(res.status).toBe(400);
    expect(await badFields(res)).toEqual(expect.arrayContaining(["latitude", "longitude"]));
    expect(await countRows("locations", a.tenantId)).toBe(before);
    const loc = await callJson<LocationView>(
      a,
      "POST",
      "/api/admin/locations",
      { name: "Store", latitude: 1, longitude: 2 },
      201,
    );
    const patch = await call(a, "PATCH", `/api/admin/locations/${loc.id}`, {
      version: 1,
      latitude: -90.5,
    });
    expect(await badFields(patch)).toEqual(["latitude"]);
    expect(await callJson(a, "GET", `/api/admin/locations/${loc.id}`, undefined, 200)).toEqual(loc);
  });

  it("lists with search and sort, exports the filtered rows, and keeps tenants apart", async () => {
    const admin = await adminSession();
    for (const [name, address] of [
      ["Milano Centrale", "Piazza Duca d'Aosta"],
      ["Roma Termini", "Piazza dei Cinquecento"],
      ["Torino", "+39 Corso Vittorio"],
    ]) {
      await callJson(
        admin,
        "POST",
        "/api/admin/locations",
        { name, address, latitude: 45, longitude: 9 },
        201,
      );
    }
    const page = await callJson<Page<LocationView>>(
      admin,
      "GET",
      "/api/admin/locations?q=piazza&sort=name&dir=desc",
      undefined,
      200,
    );
    expect(page.items.map((l) => l.name)).toEqual(["Roma Termini", "Milano Centrale"]);
    const byAddress = await callJson<Page<LocationView>>(
      admin,
      "GET",
      "/api/admin/locations?sort=address",
      undefined,
      200,
    );
    expect(byAddress.items.map((l) => l.name)).toEqual([
      "Torino",
      "Roma Termini",
      "Milano Centrale",
    ]);

    const sheet = await downloadRows(admin, "/api/admin/locations/export.xlsx?q=torino");
    expect(sheet).toEqual([
      ["Name", "Address", "Latitude", "Longitude"],
      ["Torino", "'+39 Corso Vittorio", "45", "9"],
    ]);

    const id = page.items[0]!.id;
    expect((await call(b, "GET", `/api/admin/locations/${id}`)).status).toBe(404);
    expect(
      (await call(b, "PATCH", `/api/admin/locations/${id}`, { version: 1, name: "x" })).status,
    ).toBe(404);
    expect((await call(b, "DELETE", `/api/admin/locations/${id}`)).status).toBe(404);
    const bPage = await callJson<Page<LocationView>>(
      b,
      "GET",
      "/api/admin/locations",
      undefined,
      200,
    );
    expect(bPage.items.map((l) => l.id)).not.toContain(id);
    expect((await call(agent, "GET", "/api/admin/locations")).status).toBe(403);
    expect((await call(agent, "GET", "/api/admin/locations/export.xlsx")).status).toBe(403);
  });
});

describe("OpenAPI", () => {
  it("documents every content route", async () => {
    const doc = (await (await call(a, "GET", "/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected: [string, string[]][] = [
      ["/api/admin/settings", ["get", "patch"]],
      ["/api/admin/predefined-messages", ["get", "post"]],
      ["/api/admin/predefined-messages/export.xlsx", ["get"]],
      ["/api/admin/predefined-messages/categories", ["get"]],
      ["/api/admin/predefined-messages/{id}", ["get", "patch", "delete"]],
      ["/api/admin/locations", ["get", "post"]],
      ["/api/admin/locations/export.xlsx", ["get"]],
      ["/api/admin/locations/{id}", ["get", "patch", "delete"]],
      ["/api/admin/templates", ["get", "post"]],
      ["/api/admin/templates/export.xlsx", ["get"]],
      ["/api/admin/templates/{id}", ["get", "patch", "delete"]],
      ["/api/admin/templates/{id}/submit", ["post"]],
    ];
    for (const [path, methods] of expected) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual([...methods].sort());
    }
  });
});
