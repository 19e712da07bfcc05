/**
 * Managed numbers through the real Worker and D1: every settings category,
 * validation naming each field with nothing stored, optimistic concurrency,
 * write-only credentials, lists and Excel downloads, tenancy and deletion.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_DATA_KEY } from "../../src/platform/config";
import { openSecret } from "../../src/platform/secrets";
import type { NumberView, Page } from "../../src/shared/admin";
import { alwaysOpenWorkingTime, defaultNumberSettings } from "../../src/shared/number-settings";
import { createNumber, createSkillset } from "../kit/admin";
import { spreadsheetRows } from "../kit/files";
import { freshPhoneNumberId } from "../kit/ids";
import { postWebhook } from "../kit/meta";
import { textWebhook } from "../kit/meta-payloads";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  createUser,
  type ErrorBody,
} from "../kit/session";
import { simAccount } from "../kit/simulator";
import { eventually } from "../kit/wait";

const TOKEN = "EAAG-secret-access-token-0123456789";
const APP_SECRET = "number-own-app-secret-xyz";

/** The stored row, its secrets opened with the test configuration's key (they are stored sealed). */
async function storedNumber(id: string) {
  const row = await env.DB.prepare("SELECT * FROM managed_numbers WHERE id = ?").bind(id).first<{
    settings: string;
    version: number;
    name: string;
    access_token: string | null;
    app_secret: string | null;
  }>();
  if (!row) return null;
  return {
    ...row,
    sealedAccessToken: row.access_token,
    access_token: await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", row.access_token),
    app_secret: await openSecret(DEV_DATA_KEY, "managed_numbers.app_secret", row.app_secret),
  };
}

describe("managed numbers: create and read", () => {
  it("creates a number with defaults for every category; the first GET matches", async () => {
    const admin = await adminSession();
    const before = Date.now();
    const created = await createNumber(admin, { name: "Vendite", externalId: "CRM-7" });
    // A number is created with its WABA and access token, proved at Meta.
    expect(created).toMatchObject({
      name: "Vendite",
      externalId: "CRM-7",
      wabaId: expect.stringMatching(/^\d+$/),
      waitQueueAfterMinutes: null,
      acceptAttachments: true,
      hasAccessToken: true,
      hasAppSecret: false,
      version: 1,
    });
    expect(created.provedAt).toBeGreaterThanOrEqual(before);
    // Open around the clock until an admin sets its hours; the office hours wait in the editor.
    expect(created.settings).toEqual({
      ...defaultNumberSettings(),
      workingTime: alwaysOpenWorkingTime(),
    });
    expect(created.settings.workingTime).toMatchObject({
      timeZone: "Europe/Rome",
      alwaysOpen: true,
      week: { mon: [{ open: "09:00", close: "18:00" }] },
    });
    const read = await callJson<NumberView>(
      admin,
      "GET",
      `/api/admin/numbers/${created.id}`,
      undefined,
      200,
    );
    expect(read).toEqual(created);
  });

  it("reads an old row whose settings are {} with defaults, always open", async () => {
    const admin = await adminSession();
    const id = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name) VALUES (?, ?, ?, '+1', 'Old')",
    )
      .bind(id, admin.tenantId, freshPhoneNumberId())
      .run();
    const read = await callJson<NumberView>(
      admin,
      "GET",
      `/api/admin/numbers/${id}`,
      undefined,
      200,
    );
    expect(read.settings.workingTime.alwaysOpen).toBe(true);
    expect(read.settings.autoClose).toEqual(defaultNumberSettings().autoClose);
    expect(read.agentsMayEditCustomers).toBe(true);
    expect(read.provedAt).toBeNull(); // added before numbers were proved
  });

  it("refuses a phone number ID already managed, even by another tenant (409 naming it)", async () => {
    const a = await adminSession();
    const b = await adminSession();
    // Both admins hold a token that proves the number: the proof passes, the claim does not.
    const phoneNumberId = freshPhoneNumberId();
    const account = await simAccount({ phoneNumberIds: [phoneNumberId] });
    const claim = { phoneNumberId, wabaId: account.wabaId, accessToken: account.token };
    const taken = await createNumber(a, claim);
    for (const admin of [a, b]) {
      const res = await call(admin, "POST", "/api/admin/numbers", {
        name: "Copy",
        displayPhone: "+39 1",
        ...claim,
      });
      expect(res.status).toBe(409);
      const body = (await res.clone().json()) as ErrorBody;
      // Not the "reload" conflict of a stale save: the form shows it on the field.
      expect(body).toMatchObject({ error: { code: "already_managed" } });
      expect(body.error.message).not.toContain(a.tenantId);
      expect(await badFields(res)).toEqual(["phoneNumberId"]);
    }
    const other = await createNumber(a, { wabaId: account.wabaId, accessToken: account.token });
    const res = await call(a, "PATCH", `/api/admin/numbers/${other.id}`, {
      version: 1,
      details: { phoneNumberId: taken.phoneNumberId },
    });
    expect(res.status).toBe(409);
    expect(await badFields(res)).toEqual(["details.phoneNumberId"]);
  });

  it("names every bad field of a new number and stores nothing", async () => {
    const admin = await adminSession();
    const res = await call(admin, "POST", "/api/admin/numbers", {
      name: "",
      displayPhone: "+39",
      phoneNumberId: "12ab",
      closeEmailTo: "not-an-email",
      waitQueueAfterMinutes: 0,
    });
    expect(res.status).toBe(400);
    // The WABA id and the access token are required too: they prove the number.
    expect((await badFields(res)).sort()).toEqual(
      [
        "accessToken",
        "closeEmailTo",
        "name",
        "phoneNumberId",
        "wabaId",
        "waitQueueAfterMinutes",
      ].sort(),
    );
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM managed_numbers WHERE tenant_id = ?",
    )
      .bind(admin.tenantId)
      .first("n");
    expect(count).toBe(0);
  });
});

describe("managed numbers: settings categories", () => {
  it("saves each category on its own under one version, and a stale version gets 409", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const path = `/api/admin/numbers/${n.id}`;
    const messages = {
      ...n.settings.messages,
      welcome: "Ciao! Un operatore arriva subito.",
      close: "  ",
    };
    const v2 = await callJson<NumberView>(admin, "PATCH", path, { version: 1, messages }, 200);
    expect(v2.version).toBe(2);
    expect(v2.settings.messages.welcome).toBe("Ciao! Un operatore arriva subito.");
    expect(v2.settings.messages.close).toBeNull(); // blank = not sent

    const autoClose = {
      ...n.settings.autoClose,
      activeInactivityMinutes: 30,
      endOfDay: { ...n.settings.autoClose.endOfDay, waitQueue: true },
    };
    const v3 = await callJson<NumberView>(
      admin,
      "PATCH",
      path,
      {
        version: 2,
        autoClose,
        details: { name: "Assistenza", acceptAttachments: false, closeEmailTo: "Ops@Example.test" },
        profiling: { requiredOnClose: true, freeNotes: true },
      },
      200,
    );
    expect(v3).toMatchObject({
      version: 3,
      name: "Assistenza",
      acceptAttachments: false,
      closeEmailTo: "ops@example.test",
      settings: {
        messages: { welcome: "Ciao! Un operatore arriva subito." },
        autoClose: { activeInactivityMinutes: 30, endOfDay: { waitQueue: true } },
        profiling: { requiredOnClose: true, freeNotes: true },
      },
    });

    // A second admin still holding version 2 saves working time: refused, nothing changes.
    const stale = await call(admin, "PATCH", path, {
      version: 2,
      workingTime: { ...n.settings.workingTime, alwaysOpen: false },
    });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as ErrorBody;
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/changed by someone else/);
    const row = await storedNumber(n.id);
    expect(row!.version).toBe(3);
    expect(JSON.parse(row!.settings).workingTime.alwaysOpen).toBe(true);
  });

  it("working time: zones, hours and overlaps are named; nothing is stored", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const path = `/api/admin/numbers/${n.id}`;
    const wt = n.settings.workingTime;
    const cases: [unknown, string][] = [
      [{ ...wt, timeZone: "Europe/Atlantis" }, "workingTime.timeZone"],
      [
        { ...wt, week: { ...wt.week, tue: [{ open: "25:00", close: "26:00" }] } },
        "workingTime.week.tue.0.open",
      ],
      [
        {
          ...wt,
          week: {
            ...wt.week,
            mon: [
              { open: "09:00", close: "13:00" },
              { open: "12:00", close: "18:00" },
            ],
          },
        },
        "workingTime.week.mon.1",
      ],
      [
        { ...wt, closedDates: [{ date: "2026-02-30", name: "" }] },
        "workingTime.closedDates.0.date",
      ],
      [
        { ...wt, week: { ...wt.week, sun: Array(7).fill({ open: "01:00", close: "02:00" }) } },
        "workingTime.week.sun",
      ],
    ];
    for (const [workingTime, field] of cases) {
      const res = await call(admin, "PATCH", path, { version: 1, workingTime });
      expect(res.status, field).toBe(400);
      expect(await badFields(res)).toContain(field);
    }
    // Timers out of bounds are named too.
    const timers = await call(admin, "PATCH", path, {
      version: 1,
      autoClose: { ...n.settings.autoClose, queuedInactivityMinutes: 20_000 },
      messages: { ...n.settings.messages, welcomeOnAssignmentDelaySeconds: -1 },
    });
    expect(await badFields(timers)).toEqual([
      "autoClose.queuedInactivityMinutes",
      "messages.welcomeOnAssignmentDelaySeconds",
    ]);
    const row = await storedNumber(n.id);
    expect(row!.version).toBe(1);
    expect(JSON.parse(row!.settings).workingTime).toEqual(wt);

    // A valid week with several ranges, a night range, a 24-hour day and a holiday.
    const good = {
      ...wt,
      timeZone: "America/New_York",
      week: {
        ...wt.week,
        mon: [
          { open: "08:00", close: "12:00" },
          { open: "12:00", close: "18:00" },
        ],
        fri: [{ open: "22:00", close: "02:00" }],
        sat: [{ open: "00:00", close: "24:00" }],
      },
      closedDates: [{ date: "2026-12-25", name: "Christmas" }],
    };
    const saved = await callJson<NumberView>(
      admin,
      "PATCH",
      path,
      { version: 1, workingTime: good },
      200,
    );
    expect(saved.settings.workingTime).toEqual(good);
  });
});

describe("managed numbers: credentials are write-only", () => {
  it("sets and clears credentials; no read, list or download ever contains them", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin, { accessToken: TOKEN });
    expect(n.hasAccessToken).toBe(true);
    expect(JSON.stringify(n)).not.toContain(TOKEN);

    const path = `/api/admin/numbers/${n.id}/credentials`;
    const set = await call(admin, "PUT", path, { version: 1, appSecret: APP_SECRET });
    expect(set.status).toBe(200);
    const setText = await set.text();
    expect(setText).not.toContain(APP_SECRET);
    expect(JSON.parse(setText)).toMatchObject({
      hasAccessToken: true,
      hasAppSecret: true,
      version: 2,
    });

    const texts = [
      await (await call(admin, "GET", `/api/admin/numbers/${n.id}`)).text(),
      await (await call(admin, "GET", "/api/admin/numbers")).text(),
      await (await call(admin, "GET", "/api/admin/numbers?q=Support")).text(),
      ...(await spreadsheetRows(await call(admin, "GET", "/api/admin/numbers/export.xlsx"))).flat(),
    ];
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(APP_SECRET);
    }
    // Stored for real, though: sealed, never in clear.
    const kept = (await storedNumber(n.id))!;
    expect(kept.access_token).toBe(TOKEN);
    expect(kept.app_secret).toBe(APP_SECRET);
    expect(kept.sealedAccessToken).toMatch(/^v1\./);
    expect(
      JSON.stringify(
        await env.DB.prepare("SELECT * FROM managed_numbers WHERE id = ?").bind(n.id).first(),
      ),
    ).not.toContain(TOKEN);

    const stale = await call(admin, "PUT", path, { version: 1, accessToken: null });
    expect(stale.status).toBe(409);
    const cleared = await callJson<NumberView>(
      admin,
      "PUT",
      path,
      { version: 2, accessToken: null },
      200,
    );
    expect(cleared).toMatchObject({ hasAccessToken: false, hasAppSecret: true });
    const tooShort = await call(admin, "PUT", path, { version: 3, appSecret: "short" });
    expect(await badFields(tooShort)).toEqual(["appSecret"]);
  });
});

describe("managed numbers: list and download", () => {
  it("pages, searches, sorts and downloads exactly the filtered rows", async () => {
    const admin = await adminSession();
    for (const [name, externalId] of [
      ["Milano", "EXT-1"],
      ["Roma", null],
      ["Napoli", "EXT-2"],
      ["Torino", null],
    ] as const) {
      await createNumber(admin, { name, externalId });
    }
    await createNumber(admin, { name: '=HYPERLINK("http://evil")' });
    const page = await callJson<Page<NumberView>>(
      admin,
      "GET",
      "/api/admin/numbers?pageSize=10&sort=name&dir=desc",
      undefined,
      200,
    );
    expect(page.total).toBe(5);
    expect(page.items.map((i) => i.name)).toEqual([
      "Torino",
      "Roma",
      "Napoli",
      "Milano",
      '=HYPERLINK("http://evil")',
    ]);

    const search = await callJson<Page<NumberView>>(
      admin,
      "GET",
      "/api/admin/numbers?q=ext-",
      undefined,
      200,
    );
    expect(search.items.map((i) => i.name).sort()).toEqual(["Milano", "Napoli"]);

    const paged = await callJson<Page<NumberView>>(
      admin,
      "GET",
      "/api/admin/numbers?pageSize=10&page=2",
      undefined,
      200,
    );
    expect(paged).toMatchObject({ items: [], total: 5, page: 2 });

    const rows = await spreadsheetRows(
      await call(admin, "GET", "/api/admin/numbers/export.xlsx?q=ext-&sort=name"),
    );
    expect(rows[0]![0]).toBe("Name");
    expect(rows.slice(1).map((r) => [r[0], r[4]])).toEqual([
      ["Milano", "EXT-1"],
      ["Napoli", "EXT-2"],
    ]);
    const all = await spreadsheetRows(
      await call(admin, "GET", "/api/admin/numbers/export.xlsx?sort=name"),
    );
    expect(all).toHaveLength(6);
    expect(all[1]![0]).toBe('\'=HYPERLINK("http://evil")');

    for (const bad of ["sort=password", "pageSize=5", "pageSize=101", "dir=up"]) {
      const res = await call(admin, "GET", `/api/admin/numbers?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await badFields(res)).toEqual([bad.split("=")[0]]);
    }
  });
});

describe("managed numbers: tenancy and roles", () => {
  it("another tenant's admin gets 404 on every id-bearing route and sees none of it", async () => {
    const a = await adminSession();
    const b = await adminSession();
    const ownToken = "EAAG-own-token-of-tenant-a-0123456789";
    const n = await createNumber(a, { name: "Only A", accessToken: ownToken });
    const routes: [Parameters<typeof call>[1], string, unknown][] = [
      ["GET", `/api/admin/numbers/${n.id}`, undefined],
      ["PATCH", `/api/admin/numbers/${n.id}`, { version: 1, details: { name: "Stolen" } }],
      ["PUT", `/api/admin/numbers/${n.id}/credentials`, { version: 1, accessToken: TOKEN }],
      ["DELETE", `/api/admin/numbers/${n.id}`, undefined],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(b, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = await callJson<Page<NumberView>>(b, "GET", "/api/admin/numbers", undefined, 200);
    expect(list.total).toBe(0);
    expect(
      (await spreadsheetRows(await call(b, "GET", "/api/admin/numbers/export.xlsx"))).length,
    ).toBe(1);
    const row = await storedNumber(n.id);
    expect(row).toMatchObject({ name: "Only A", version: 1, access_token: ownToken });
  });

  it("agents get 403 and strangers 401", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const agent = await agentSession(admin.tenantId);
    for (const [method, path] of [
      ["GET", "/api/admin/numbers"],
      ["GET", `/api/admin/numbers/${n.id}`],
      ["POST", "/api/admin/numbers"],
      ["DELETE", `/api/admin/numbers/${n.id}`],
    ] as const) {
      expect((await call(agent, method, path, method === "POST" ? {} : undefined)).status).toBe(
        403,
      );
      expect((await call("parley_session=nope", method, path)).status).toBe(401);
    }
  });
});

describe("managed numbers: delete", () => {
  it("refuses while a conversation is open, then deletes the number with everything it owns", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin, { wabaId: "2000000001" });
    const agent = await createUser(admin.tenantId, { role: "agent" });
    const s = await createSkillset(admin, n.id, {
      members: [{ userId: agent.id, agentPriority: 5 }],
    });
    await callJson(
      admin,
      "POST",
      `/api/admin/numbers/${n.id}/properties`,
      { name: "Tier", type: "text" },
      201,
    );
    await callJson(admin, "POST", `/api/admin/numbers/${n.id}/profiling`, { value: "Sales" }, 201);
    const customerId = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO customers (id, tenant_id, contact_key, phone, name, default_skillset_id) VALUES (?, ?, ?, ?, ?, ?)",
    )
      .bind(customerId, admin.tenantId, "393330001111", "+393330001111", "Gianni", s.id)
      .run();

    // A customer writes: the conversation waits (nobody is Ready), so the number is in use.
    const res = await postWebhook(
      textWebhook(n.phoneNumberId, [{ from: "393330001111", text: "ciao" }]),
    );
    expect(res.status).toBe(200);
    await eventually(async () => (await env.NUMBER.getByName(n.id).conversations()).length === 1);
    const refused = await call(admin, "DELETE", `/api/admin/numbers/${n.id}`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ErrorBody).error.message).toMatch(/open conversation/);

    const [open] = await env.NUMBER.getByName(n.id).conversations();
    await env.NUMBER.getByName(n.id).conversationClosed(open!.id);
    expect((await call(admin, "DELETE", `/api/admin/numbers/${n.id}`)).status).toBe(204);
    for (const table of [
      "managed_numbers",
      "skillsets",
      "customer_properties",
      "profiling_nodes",
    ]) {
      const column = table === "managed_numbers" ? "id" : "number_id";
      const left = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
        .bind(n.id)
        .first("n");
      expect(left, table).toBe(0);
    }
    const members = await env.DB.prepare(
      "SELECT count(*) AS n FROM skillset_members WHERE skillset_id = ?",
    )
      .bind(s.id)
      .first("n");
    expect(members).toBe(0);
    const customer = await env.DB.prepare("SELECT default_skillset_id FROM customers WHERE id = ?")
      .bind(customerId)
      .first("default_skillset_id");
    expect(customer).toBeNull();
    expect((await call(admin, "GET", `/api/admin/numbers/${n.id}`)).status).toBe(404);
    // Its last number gone, the tenant no longer holds the WABA.
    const held = await env.DB.prepare("SELECT count(*) AS n FROM waba_owners WHERE waba_id = ?")
      .bind("2000000001")
      .first("n");
    expect(held).toBe(0);
  });
});

describe("managed numbers: OpenAPI", () => {
  it("documents every route of numbers, properties, profiling and skillsets", async () => {
    const admin = await adminSession();
    const doc = (await (await call(admin, "GET", "/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected: [string, string[]][] = [
      ["/api/admin/numbers", ["get", "post"]],
      ["/api/admin/numbers/export.xlsx", ["get"]],
      ["/api/admin/numbers/{id}", ["get", "patch", "delete"]],
      ["/api/admin/numbers/{id}/credentials", ["put"]],
      ["/api/admin/numbers/{numberId}/properties", ["get", "post"]],
      ["/api/admin/numbers/{numberId}/properties/export.xlsx", ["get"]],
      ["/api/admin/numbers/{numberId}/properties/order", ["put"]],
      ["/api/admin/numbers/{numberId}/properties/{id}", ["patch", "delete"]],
      ["/api/admin/numbers/{numberId}/profiling", ["get", "post"]],
      ["/api/admin/numbers/{numberId}/profiling/tree", ["get"]],
      ["/api/admin/numbers/{numberId}/profiling/export.xlsx", ["get"]],
      ["/api/admin/numbers/{numberId}/profiling/order", ["put"]],
      ["/api/admin/numbers/{numberId}/profiling/{id}", ["patch", "delete"]],
      ["/api/admin/skillsets", ["get", "post"]],
      ["/api/admin/skillsets/export.xlsx", ["get"]],
      ["/api/admin/skillsets/{id}", ["get", "patch", "delete"]],
    ];
    for (const [path, methods] of expected) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual([...methods].sort());
    }
  });
});
