/**
 * Customer import through the real Worker and D1: the field catalogue, the
 * template, every rejection with its row and column, what an update changes
 * and leaves alone, tenancy and roles, `replace` deleting customers (and
 * their history), imports cut short by a dead Worker, and an atomic apply of
 * 50,000 rows that either lands whole or not at all.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import writeXlsxFile from "write-excel-file/node";
import type { NumberView, Page } from "../src/shared/admin";
import type { CustomerFields, ImportPreviewRow, ImportView } from "../src/shared/customer-import";
import type { CustomerView } from "../src/shared/customers";
import { createNumber, createSkillset } from "./kit/admin";
import {
  apply,
  createCustomer,
  customerByPhone,
  importTenant,
  upload,
  uploadOk,
  uploadRefused,
} from "./kit/customers";
import { csv, readXlsxRows } from "./kit/files";
import { mobile } from "./kit/ids";
import { adminSession, agentSession, call, callJson, type ErrorBody } from "./kit/session";
import { countRows } from "./kit/tenant";

const CSV = "text/csv";

const HEADER = [
  "Phone *",
  "Name",
  "Authorized",
  "Bypass bot",
  "Priority",
  "Default skillset",
  "Notes",
  "External ID",
  "Keep message history",
  "Tier",
  "Score",
  "Birthday",
  "VIP",
  "City",
];

describe("the field catalogue and the template", () => {
  it("lists properties with unique column headers, skillsets with numbers, and what the caller may do", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin, "Support");
    const second = await createNumber(admin, { name: "Shop" });
    const add = (body: Record<string, unknown>) =>
      callJson(admin, "POST", `/api/admin/numbers/${second.id}/properties`, body, 201);
    await add({ name: "Tier", type: "text" });
    await add({ name: "Notes", type: "text" });
    await createSkillset(admin, second.id, { name: "Sales" });

    const fields = await callJson<CustomerFields>(
      admin,
      "GET",
      "/api/customers/fields",
      undefined,
      200,
    );
    expect(fields.properties.map((p) => p.column)).toEqual([
      "Tier (Support)",
      "Score",
      "Birthday",
      "VIP",
      "City",
      "Tier (Shop)",
      // A property may not take a fixed column's header.
      "Notes (Shop)",
    ]);
    expect(fields.properties[0]).toMatchObject({
      id: t.tier.id,
      numberId: t.number.id,
      numberName: "Support",
      name: "Tier",
      type: "choice",
      options: ["Gold", "Silver"],
    });
    expect(fields.skillsets).toEqual([
      { id: t.skillset.id, name: "Sales", numberName: "Support" },
      { id: expect.any(String), name: "Sales", numberName: "Shop" },
    ]);
    expect(fields).toMatchObject({ mayEdit: true, mayDelete: true, mayImport: true });

    const agent = await agentSession(admin.tenantId);
    const seen = await callJson<CustomerFields>(
      agent,
      "GET",
      "/api/customers/fields",
      undefined,
      200,
    );
    expect(seen).toMatchObject({ mayEdit: true, mayDelete: false, mayImport: false });
    expect(seen.properties).toHaveLength(7);
    // No number lets agents edit customers any more.
    for (const n of [t.number, second]) {
      const current = await callJson<NumberView>(
        admin,
        "GET",
        `/api/admin/numbers/${n.id}`,
        undefined,
        200,
      );
      await callJson(
        admin,
        "PATCH",
        `/api/admin/numbers/${n.id}`,
        { version: current.version, details: { agentsMayEditCustomers: false } },
        200,
      );
    }
    expect(
      await callJson<CustomerFields>(agent, "GET", "/api/customers/fields", undefined, 200),
    ).toMatchObject({ mayEdit: false });
    expect((await call("", "GET", "/api/customers/fields")).status).toBe(401);
  });

  it("gives admins a template whose row 1 is the header, and the template imports as is", async () => {
    const admin = await adminSession();
    await importTenant(admin);
    const res = await call(admin, "GET", "/api/customers/import-template.xlsx");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
    const bytes = await res.arrayBuffer();
    expect(await readXlsxRows(bytes)).toEqual([HEADER]);
    const preview = await uploadOk(admin, bytes);
    expect(preview).toMatchObject({ status: "ready", totalRows: 0, validRows: 0, rejections: [] });

    const agent = await agentSession(admin.tenantId);
    expect((await call(agent, "GET", "/api/customers/import-template.xlsx")).status).toBe(403);
  });
});

describe("validation", () => {
  it("refuses each bad cell with its row, column and reason, and imports the valid rows", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const good = mobile();
    const minimal = mobile();
    const rows: (string | null)[][] = [
      [...HEADER, "Favourite colour"],
      // 2: every column, in the words people use
      [
        ` ${good.slice(0, 3)} ${good.slice(3, 6)} ${good.slice(6)} `,
        "Mario Rossì",
        "sì",
        "no",
        "7",
        "sales",
        "Call after 6",
        "EXT-1",
        "x",
        "gold",
        "3,5",
        "2024-03-15",
        "TRUE",
        "Milano",
        "blue",
      ],
      [
        "12345",
        "Bad phone",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        null,
        "No phone",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [good, "Again", null, null, null, null, null, null, null, null, null, null, null, null, null],
      [
        mobile(),
        null,
        null,
        null,
        "10",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        "maybe",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        "Nope",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "Bronze",
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "many",
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "15/03/2024",
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "perhaps",
        null,
        null,
      ],
      [
        mobile(),
        "n".repeat(201),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        "n".repeat(4001),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        mobile(),
        null,
        null,
        null,
        null,
        null,
        null,
        "e".repeat(201),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
      [minimal, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
      [
        "+39 02 1234 5678",
        "Landline",
        null,
        null,
        "0",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ];
    const preview = await uploadOk(admin, csv(rows), { type: CSV, fileName: "customers.csv" });
    const phoneReason = "not a valid mobile number in international format, e.g. +393331234567";
    expect(preview.rejections).toEqual([
      { row: 1, column: "Favourite colour", reason: "unknown column, ignored" },
      { row: 3, column: "Phone *", reason: phoneReason },
      { row: 4, column: "Phone *", reason: "missing phone" },
      { row: 5, column: "Phone *", reason: "duplicate phone: same as row 2" },
      { row: 6, column: "Priority", reason: "must be a whole number from 1 to 9" },
      { row: 7, column: "Authorized", reason: "must be yes or no" },
      { row: 8, column: "Default skillset", reason: "unknown skillset" },
      { row: 9, column: "Tier", reason: "must be one of Gold, Silver" },
      { row: 10, column: "Score", reason: "must be a number" },
      { row: 11, column: "Birthday", reason: "must be a date YYYY-MM-DD" },
      { row: 12, column: "VIP", reason: "must be yes or no" },
      { row: 13, column: "Name", reason: "at most 200 characters" },
      { row: 14, column: "Notes", reason: "at most 4000 characters" },
      { row: 15, column: "External ID", reason: "at most 200 characters" },
      // Row 16 is blank: skipped, not counted.
      { row: 18, column: "Phone *", reason: phoneReason },
      { row: 18, column: "Priority", reason: "must be a whole number from 1 to 9" },
    ]);
    expect(preview).toMatchObject({
      status: "ready",
      fileName: "customers.csv",
      mode: "upsert",
      totalRows: 16,
      processedRows: 16,
      validRows: 2,
      rejectedRows: 14,
      inserts: 2,
      updates: 0,
      deletes: 0,
      error: null,
      appliedAt: null,
    });
    const page = await callJson<Page<ImportPreviewRow>>(
      admin,
      "GET",
      `/api/customers/imports/${preview.id}/rows?pageSize=10`,
      undefined,
      200,
    );
    expect(page).toEqual({
      items: [
        {
          row: 2,
          phone: good,
          whatsappUserId: null,
          name: "Mario Rossì",
          action: "insert",
          matchedBy: null,
        },
        {
          row: 17,
          phone: minimal,
          whatsappUserId: null,
          name: minimal,
          action: "insert",
          matchedBy: null,
        },
      ],
      total: 2,
      page: 1,
      pageSize: 10,
    });
    // Nothing is stored before the import is applied.
    expect(await countRows("customers", admin.tenantId)).toBe(0);

    const applied = await apply(admin, preview.id);
    expect(applied).toMatchObject({ status: "applied", appliedAt: expect.any(Number) });
    expect(await countRows("customers", admin.tenantId)).toBe(2);
    const full = (await customerByPhone(admin.tenantId, good))!;
    expect(full).toMatchObject({
      name: "Mario Rossì",
      authorized: 1,
      authorized_by: admin.userId,
      authorized_at: expect.any(Number),
      bypass_bot: 0,
      priority: 7,
      default_skillset_id: t.skillset.id,
      notes: "Call after 6",
      external_id: "EXT-1",
      keep_history: 1,
      version: 1,
    });
    expect(JSON.parse(full.properties)).toEqual({
      [t.tier.id]: "Gold",
      [t.score.id]: 3.5,
      [t.birthday.id]: "2024-03-15",
      [t.vip.id]: true,
      [t.city.id]: "Milano",
    });
    // Blank cells take the defaults of a new customer; the name is the phone.
    expect(await customerByPhone(admin.tenantId, minimal)).toMatchObject({
      name: minimal,
      authorized: 0,
      authorized_by: null,
      priority: 5,
      default_skillset_id: null,
      notes: null,
      keep_history: 1,
      properties: "{}",
    });
    // The staged rows are gone once applied.
    const staged = await env.DB.prepare(
      "SELECT count(*) AS n FROM customer_import_rows WHERE import_id = ?",
    )
      .bind(preview.id)
      .first<{ n: number }>();
    expect(staged!.n).toBe(0);
  });

  it("refuses files without a Phone column or with a field twice, and names an ambiguous skillset", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin, "Support");
    const shop = await createNumber(admin, { name: "Shop" });
    const shopSales = await createSkillset(admin, shop.id, { name: "Sales" });

    const noPhone = await uploadRefused(admin, csv([["Name"], ["Mario"]]), { type: CSV });
    expect(noPhone.status).toBe(422);
    expect(noPhone.error.code).toBe("missing_column");
    expect(noPhone.error.message).toContain('"Phone"');
    const twice = await uploadRefused(
      admin,
      csv([
        ["Phone *", "phone"],
        [mobile(), mobile()],
      ]),
      { type: CSV },
    );
    expect(twice).toMatchObject({ status: 422, error: { code: "duplicate_column" } });

    const [a, b, c] = [mobile(), mobile(), mobile()];
    const preview = await uploadOk(
      admin,
      csv([
        ["Phone", "Default skillset"],
        [a, "Sales"],
        [b, "Sales (Shop)"],
        [c, "sales (support)"],
      ]),
      { type: CSV },
    );
    expect(preview.rejections).toEqual([
      {
        row: 2,
        column: "Default skillset",
        reason: 'ambiguous skillset: write it as "name (number)"',
      },
    ]);
    await apply(admin, preview.id);
    expect((await customerByPhone(admin.tenantId, b))!.default_skillset_id).toBe(shopSales.id);
    expect((await customerByPhone(admin.tenantId, c))!.default_skillset_id).toBe(t.skillset.id);
  });
});

describe("in Italian", () => {
  it("gives file refusals and row reasons in the uploader's language", async () => {
    const admin = await adminSession();
    await importTenant(admin, "Supporto");
    const it_ = { headers: { "Accept-Language": "it-IT,it;q=0.9" }, type: CSV };

    const pdf = await uploadRefused(admin, new TextEncoder().encode("%PDF-1.7\n%…"), it_);
    expect(pdf.status).toBe(415);
    expect(pdf.error.message).toBe(
      "Questo è un documento PDF, non un foglio di calcolo. Carica una cartella di lavoro Excel (.xlsx) o un file CSV.",
    );
    const noPhone = await uploadRefused(admin, csv([["Nome"], ["Mario"]]), it_);
    expect(noPhone.error.message).toContain('non ha la colonna "Phone"');

    const phone = mobile();
    const preview = await uploadOk(
      admin,
      csv([
        ["Phone", "Priority", "Colore"],
        [phone, "3"],
        [phone, "12"],
        ["+39 02 1234", "5"],
      ]),
      it_,
    );
    expect(preview.rejections).toEqual([
      { row: 1, column: "Colore", reason: "colonna sconosciuta, ignorata" },
      { row: 3, column: "Phone", reason: "telefono duplicato: uguale alla riga 2" },
      { row: 3, column: "Priority", reason: "deve essere un numero intero da 1 a 9" },
      {
        row: 4,
        column: "Phone",
        reason: "non è un numero di cellulare valido in formato internazionale, es. +393331234567",
      },
    ]);
  });
});

describe("updates", () => {
  it("changes only the file's columns, clears blank cells, and records who changed the authorization", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const phone = mobile();
    const other = mobile();
    const created = await callJson<CustomerView>(
      admin,
      "POST",
      "/api/customers",
      {
        phone,
        name: "Old name",
        priority: 3,
        notes: "keep me?",
        authorized: true,
        properties: { [t.tier.id]: "Gold", [t.city.id]: "Roma", [t.score.id]: 1 },
      },
      201,
    );
    await callJson(
      admin,
      "POST",
      "/api/customers",
      { phone: other, name: "Other", authorized: false },
      201,
    );
    const editor = await adminSession(admin.tenantId);
    const preview = await uploadOk(
      editor,
      csv([
        ["Phone *", "Notes", "City", "Score", "Authorized"],
        [phone, null, "Torino", null, "no"],
        [other, "new note", null, "2", "no"],
      ]),
      { type: CSV },
    );
    expect(preview).toMatchObject({ inserts: 0, updates: 2, validRows: 2 });
    const page = await callJson<Page<ImportPreviewRow>>(
      editor,
      "GET",
      `/api/customers/imports/${preview.id}/rows`,
      undefined,
      200,
    );
    // Without a Name column the preview has no name to show.
    expect(page.items).toEqual([
      { row: 2, phone, whatsappUserId: null, name: null, action: "update", matchedBy: "phone" },
      {
        row: 3,
        phone: other,
        whatsappUserId: null,
        name: null,
        action: "update",
        matchedBy: "phone",
      },
    ]);
    await apply(editor, preview.id);

    const after = await callJson<CustomerView>(
      admin,
      "GET",
      `/api/customers/${created.id}`,
      undefined,
      200,
    );
    expect(after).toMatchObject({
      name: "Old name",
      priority: 3,
      notes: null,
      authorized: false,
      authorizedBy: editor.userId,
      version: 2,
      properties: { [t.tier.id]: "Gold", [t.city.id]: "Torino" },
    });
    expect(after.authorizedAt).toBeGreaterThanOrEqual(created.authorizedAt!);
    // Authorization unchanged: its evidence (who, when) is left alone.
    const untouched = (await customerByPhone(admin.tenantId, other))!;
    expect(untouched).toMatchObject({ authorized: 0, authorized_by: null, notes: "new note" });
    expect(JSON.parse(untouched.properties)).toEqual({ [t.score.id]: 2 });
  });
});

describe("tenancy and roles", () => {
  it("hides another tenant's import and keeps agents out", async () => {
    const admin = await adminSession();
    await importTenant(admin);
    const preview = await uploadOk(admin, csv([["Phone"], [mobile()]]), { type: CSV });
    const stranger = await adminSession();
    for (const path of [
      `/api/customers/imports/${preview.id}`,
      `/api/customers/imports/${preview.id}/rows`,
    ]) {
      const res = await call(stranger, "GET", path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
    }
    expect(
      (await call(stranger, "POST", `/api/customers/imports/${preview.id}/apply`)).status,
    ).toBe(404);

    const agent = await agentSession(admin.tenantId);
    expect((await upload(agent, csv([["Phone"], [mobile()]]), { type: CSV })).status).toBe(403);
    expect((await call(agent, "POST", `/api/customers/imports/${preview.id}/apply`)).status).toBe(
      403,
    );
    expect((await call(agent, "GET", `/api/customers/imports/${preview.id}`)).status).toBe(403);
    expect((await call(agent, "GET", "/api/customers/import-template.xlsx")).status).toBe(403);
    expect(await countRows("customers", admin.tenantId)).toBe(0);
    // Still applicable by its own tenant.
    expect((await apply(admin, preview.id)).status).toBe("applied");
  });

  it("refuses a reused import id, a second apply, and a body that is not a spreadsheet type", async () => {
    const admin = await adminSession();
    const preview = await uploadOk(admin, csv([["Phone"], [mobile()]]), { type: CSV });
    const again = await uploadRefused(admin, csv([["Phone"], [mobile()]]), {
      type: CSV,
      id: preview.id,
    });
    expect(again.status).toBe(409);
    await apply(admin, preview.id);
    const second = await call(admin, "POST", `/api/customers/imports/${preview.id}/apply`);
    expect(second.status).toBe(409);
    expect(((await second.json()) as ErrorBody).error.message).toContain("applied already");
    const form = await uploadRefused(admin, "Phone\n+393331234567", { type: "text/plain" });
    expect(form.status).toBe(415);
  });
});

describe("replace mode", () => {
  it("deletes the customers missing from the file with their history, but not those of refused rows", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const create = (phone: string, name: string) => createCustomer(admin, { phone, name });
    const [kept, gone, goneWithHistory, refused, fresh] = [
      mobile(),
      mobile(),
      mobile(),
      mobile(),
      mobile(),
    ];
    await create(kept, "Kept");
    await create(gone, "Gone");
    const historic = await create(goneWithHistory, "Gone with history");
    await create(refused, "Refused row");
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO conversations (id, tenant_id, number_id, customer_id, opened_at, closed_at, message_count)
         VALUES (?, ?, ?, ?, 1, 2, 1)`,
      ).bind(`conv-${historic.id}`, admin.tenantId, t.number.id, historic.id),
      env.DB.prepare(
        `INSERT INTO conversation_messages (conversation_id, seq, tenant_id, direction, sender_name, kind, text, created_at)
         VALUES (?, 1, ?, 'in', 'Gone', 'text', 'hello there', 1)`,
      ).bind(`conv-${historic.id}`, admin.tenantId),
    ]);
    const preview = await uploadOk(
      admin,
      csv([
        ["Phone *", "Name", "Priority"],
        [kept, "Kept, renamed", "5"],
        [fresh, "Fresh", "5"],
        [refused, "Refused row", "99"],
      ]),
      { type: CSV, mode: "replace" },
    );
    expect(preview).toMatchObject({
      mode: "replace",
      inserts: 1,
      updates: 1,
      deletes: 2,
      rejectedRows: 1,
    });
    const page = await callJson<Page<ImportPreviewRow>>(
      admin,
      "GET",
      `/api/customers/imports/${preview.id}/rows`,
      undefined,
      200,
    );
    expect(page.items.map((r) => r.phone)).toEqual([kept, fresh]);
    expect(await countRows("customers", admin.tenantId)).toBe(4);

    await apply(admin, preview.id);
    const phones = await env.DB.prepare(
      "SELECT phone FROM customers WHERE tenant_id = ? ORDER BY phone",
    )
      .bind(admin.tenantId)
      .all<{ phone: string }>();
    expect(phones.results.map((r) => r.phone).sort()).toEqual([kept, fresh, refused].sort());
    expect((await customerByPhone(admin.tenantId, kept))!.name).toBe("Kept, renamed");
    expect((await customerByPhone(admin.tenantId, refused))!.name).toBe("Refused row");
    const history = await env.DB.batch([
      env.DB.prepare("SELECT count(*) AS n FROM conversations WHERE customer_id = ?").bind(
        historic.id,
      ),
      env.DB.prepare(
        "SELECT count(*) AS n FROM conversation_messages WHERE conversation_id = ?",
      ).bind(`conv-${historic.id}`),
    ]);
    expect(history.map((r) => (r.results[0] as { n: number }).n)).toEqual([0, 0]);
  });
});

describe("imports cut short", () => {
  it("reads an import left receiving without progress as interrupted, and will not apply it", async () => {
    const admin = await adminSession();
    const preview = await uploadOk(admin, csv([["Phone"], [mobile()], [mobile()]]), { type: CSV });
    // Simulates the Worker dying mid-upload: still receiving, no progress for three minutes.
    await env.DB.prepare(
      "UPDATE customer_imports SET status = 'receiving', processed_rows = 1, updated_at = ? WHERE id = ?",
    )
      .bind(Date.now() - 3 * 60 * 1000, preview.id)
      .run();
    const view = await callJson<ImportView>(
      admin,
      "GET",
      `/api/customers/imports/${preview.id}`,
      undefined,
      200,
    );
    expect(view).toMatchObject({ status: "interrupted", processedRows: 1, totalRows: 2 });
    const res = await call(admin, "POST", `/api/customers/imports/${preview.id}/apply`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toContain("interrupted");
    expect(await countRows("customers", admin.tenantId)).toBe(0);
    // Recent progress is not an interruption: it is still receiving, and not applicable either.
    await env.DB.prepare("UPDATE customer_imports SET updated_at = ? WHERE id = ?")
      .bind(Date.now(), preview.id)
      .run();
    expect(
      (
        await callJson<ImportView>(
          admin,
          "GET",
          `/api/customers/imports/${preview.id}`,
          undefined,
          200,
        )
      ).status,
    ).toBe("receiving");
    expect((await call(admin, "POST", `/api/customers/imports/${preview.id}/apply`)).status).toBe(
      409,
    );
  });

  it("reads a preview checked before rows were matched to customers as interrupted, and will not apply it", async () => {
    const admin = await adminSession();
    const preview = await uploadOk(admin, csv([["Phone"], [mobile()]]), { type: CSV });
    // An import left ready by the version before the migration that added previewed_at.
    await env.DB.prepare("UPDATE customer_imports SET previewed_at = NULL WHERE id = ?")
      .bind(preview.id)
      .run();
    expect(
      await callJson<ImportView>(
        admin,
        "GET",
        `/api/customers/imports/${preview.id}`,
        undefined,
        200,
      ),
    ).toMatchObject({ status: "interrupted" });
    const res = await call(admin, "POST", `/api/customers/imports/${preview.id}/apply`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toContain("interrupted");
    expect(await countRows("customers", admin.tenantId)).toBe(0);
  });

  it("deletes a tenant's imports older than a day at its next upload", async () => {
    const admin = await adminSession();
    const old = await uploadOk(admin, csv([["Phone"], [mobile()]]), { type: CSV });
    await env.DB.prepare("UPDATE customer_imports SET created_at = ? WHERE id = ?")
      .bind(Date.now() - 25 * 60 * 60 * 1000, old.id)
      .run();
    await uploadOk(admin, csv([["Phone"], [mobile()]]), { type: CSV });
    expect((await call(admin, "GET", `/api/customers/imports/${old.id}`)).status).toBe(404);
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM customer_import_rows WHERE import_id = ?",
    )
      .bind(old.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe("50,000 rows", () => {
  it("stages with visible progress and applies in one batch: a failure half-way changes nothing", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const phoneOf = (i: number) => `+39334${String(i).padStart(7, "0")}`;
    // Three customers the file updates.
    const existing: CustomerView[] = [];
    for (const i of [0, 25_000, 49_999]) {
      existing.push(
        await callJson<CustomerView>(
          admin,
          "POST",
          "/api/customers",
          { phone: phoneOf(i), name: `Before ${i}` },
          201,
        ),
      );
    }
    const rows: (string | number | null)[][] = [["Phone *", "Name", "Priority", "City"]];
    for (let i = 0; i < 50_000; i++)
      rows.push([phoneOf(i), `Cliente ${i}`, (i % 9) + 1, i % 2 ? "Milano" : null]);
    const file = await writeXlsxFile(rows).toBuffer();

    const id = crypto.randomUUID();
    const uploading = uploadOk(admin, new Uint8Array(file), { id });
    const seen: ImportView[] = [];
    let done = false;
    void uploading.finally(() => {
      done = true;
    });
    while (!done) {
      const res = await call(admin, "GET", `/api/customers/imports/${id}`);
      if (res.status === 200) seen.push((await res.json()) as ImportView);
    }
    const preview = await uploading;
    expect(preview).toMatchObject({
      status: "ready",
      totalRows: 50_000,
      validRows: 50_000,
      inserts: 49_997,
      updates: 3,
    });
    // Progress was visible while the upload request still ran.
    expect(
      seen.some(
        (v) =>
          v.status === "receiving" &&
          v.processedRows > 0 &&
          v.processedRows < 50_000 &&
          v.totalRows === 50_000,
      ),
    ).toBe(true);

    // Simulates the Worker or the database dying half-way through the apply batch:
    // the 49,990th customer cannot be written.
    await env.DB.prepare(
      `CREATE TRIGGER import_crash BEFORE INSERT ON customers WHEN NEW.phone = '${phoneOf(49_990)}'
       BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`,
    ).run();
    try {
      const failed = await call(admin, "POST", `/api/customers/imports/${id}/apply`);
      expect(failed.status).toBe(500);
      expect(((await failed.json()) as ErrorBody).error.code).toBe("apply_failed");
    } finally {
      await env.DB.prepare("DROP TRIGGER import_crash").run();
    }
    expect(await countRows("customers", admin.tenantId)).toBe(3);
    for (const before of existing) {
      expect(
        await callJson<CustomerView>(admin, "GET", `/api/customers/${before.id}`, undefined, 200),
      ).toEqual(before);
    }
    const still = await callJson<ImportView>(
      admin,
      "GET",
      `/api/customers/imports/${id}`,
      undefined,
      200,
    );
    expect(still).toMatchObject({ status: "ready", appliedAt: null });

    const applied = await apply(admin, id);
    expect(applied.status).toBe("applied");
    expect(await countRows("customers", admin.tenantId)).toBe(50_000);
    const updated = await callJson<CustomerView>(
      admin,
      "GET",
      `/api/customers/${existing[2]!.id}`,
      undefined,
      200,
    );
    expect(updated).toMatchObject({
      name: "Cliente 49999",
      priority: (49_999 % 9) + 1,
      version: 2,
      properties: { [t.city.id]: "Milano" },
    });
    expect(await customerByPhone(admin.tenantId, phoneOf(49_990))).toMatchObject({
      name: "Cliente 49990",
      priority: (49_990 % 9) + 1,
    });
  }, 120_000);
});
