/**
 * A customer import never loses data, through the real Worker, D1 and
 * webhooks: the customers list exported and imported back is a no-op in both
 * modes for customers of every kind (a phone our validator accepts, a phone
 * only WhatsApp vouches for, a username without a phone); rows match by ID,
 * then phone, then WhatsApp user ID; a rejected row still keeps its customer;
 * an unchanged row is not an update; and `replace` deletes exactly the
 * customers its preview counted.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin";
import type { ImportPreviewRow, ImportView } from "../src/shared/customer-import";
import type { CustomerView } from "../src/shared/customers";
import { apply, createCustomer, type ImportTenant, importTenant, uploadOk } from "./kit/customers";
import { csv, readXlsxRows } from "./kit/files";
import { mobile } from "./kit/ids";
import { postWebhook } from "./kit/meta";
import { textWebhook, usernameTextWebhook } from "./kit/meta-payloads";
import { adminSession, BASE, call, callJson, type Session } from "./kit/session";
import { countRows } from "./kit/tenant";
import { eventually } from "./kit/wait";

const CSV_TYPE = "text/csv";

/** A wa_id WhatsApp delivers that our phone validator refuses (not a valid Israeli number). */
const REFUSED_WA_ID = "972987654321";

/** Every customer of the caller's tenant, by id. */
async function allCustomers(admin: Session): Promise<CustomerView[]> {
  const page = await callJson<Page<CustomerView>>(
    admin,
    "GET",
    "/api/customers?pageSize=100",
    undefined,
    200,
  );
  return page.items.sort((a, b) => a.id.localeCompare(b.id));
}

/** The preview's valid rows. */
async function previewRows(admin: Session, id: string): Promise<ImportPreviewRow[]> {
  const page = await callJson<Page<ImportPreviewRow>>(
    admin,
    "GET",
    `/api/customers/imports/${id}/rows?pageSize=100`,
    undefined,
    200,
  );
  return page.items;
}

/** A business-scoped user id as Meta writes them. */
function bsuid(): string {
  return `US.${String(Math.floor(Math.random() * 1e12)).padStart(12, "0")}${Date.now()}`;
}

/** Customers created by WhatsApp messages (as the webhook creates them): by wa_id, or by username. */
async function fromWhatsApp(
  t: ImportTenant,
  writers: ({ waId: string; name: string } | { userId: string; name: string })[],
): Promise<void> {
  const before = await countRows("customers", t.admin.tenantId);
  for (const w of writers) {
    const payload =
      "waId" in w
        ? textWebhook(t.number.phoneNumberId, [{ from: w.waId, text: "Buongiorno", name: w.name }])
        : usernameTextWebhook(t.number.phoneNumberId, {
            userId: w.userId,
            name: w.name,
            username: w.name.toLowerCase().replace(/\W/g, ""),
            text: "Ciao",
          });
    expect((await postWebhook(payload)).status).toBe(200);
  }
  await eventually(
    async () => (await countRows("customers", t.admin.tenantId)) === before + writers.length,
    10_000,
  );
}

/** A tenant with customers of every kind: full and minimal (API), a refused phone and a username (WhatsApp). */
async function tenantWithEveryKind() {
  const admin = await adminSession();
  const t = await importTenant(admin);
  const full = await createCustomer(admin, {
    phone: mobile(),
    name: "Niccolò Bèrtoli",
    authorized: true,
    bypassBot: true,
    priority: 2,
    keepHistory: false,
    defaultSkillsetId: t.skillset.id,
    notes: "Call after 6\nnot on Sundays",
    externalId: "EXT-9",
    properties: {
      [t.tier.id]: "Gold",
      [t.score.id]: 3.5,
      [t.birthday.id]: "2000-01-31",
      [t.vip.id]: true,
      [t.city.id]: "Forlì",
    },
  });
  const minimal = await createCustomer(admin, { phone: mobile() });
  const userId = bsuid();
  await fromWhatsApp(t, [
    { waId: REFUSED_WA_ID, name: "Avi Levi" },
    { userId, name: "Ada Lovelace" },
  ]);
  const customers = await allCustomers(admin);
  const refused = customers.find((c) => c.phone === `+${REFUSED_WA_ID}`)!;
  const username = customers.find((c) => c.whatsappUserId === userId)!;
  expect(refused).toMatchObject({ name: "Avi Levi", whatsappUserId: null, version: 1 });
  expect(username).toMatchObject({ name: "Ada Lovelace", phone: null, version: 1 });
  return { admin, t, full, minimal, refused, username, userId, customers };
}

describe("export → import round trip", () => {
  it("imports its own unchanged export as a no-op in both modes: nothing added, updated or deleted, versions and last updates kept", async () => {
    const { admin, customers, userId } = await tenantWithEveryKind();
    const exported = await (await call(admin, "GET", "/api/customers/export.xlsx")).arrayBuffer();
    const rows = await readXlsxRows(exported);
    // The export names every customer: the username, who has no phone, by their WhatsApp user ID.
    const userIdColumn = rows[0]!.indexOf("WhatsApp user ID");
    expect(userIdColumn).toBeGreaterThan(0);
    const usernameRow = rows.find((r) => r[userIdColumn] === userId)!;
    expect(usernameRow[rows[0]!.indexOf("Phone")] ?? "").toBe("");

    for (const mode of ["upsert", "replace"] as const) {
      const preview = await uploadOk(admin, exported, { mode });
      expect(preview).toMatchObject({
        status: "ready",
        mode,
        totalRows: 4,
        validRows: 4,
        rejectedRows: 0,
        rejections: [],
        inserts: 0,
        updates: 0,
        unchanged: 4,
        deletes: 0,
        keptRows: 0,
      });
      expect((await previewRows(admin, preview.id)).map((r) => [r.action, r.matchedBy])).toEqual(
        Array(4).fill(["unchanged", "id"]),
      );
      await apply(admin, preview.id);
      expect(await allCustomers(admin)).toEqual(customers);
    }
  });

  it("matches a file without the ID column by phone, then by WhatsApp user ID, accepting the phones WhatsApp gave", async () => {
    const { admin, full, minimal, refused, username, userId } = await tenantWithEveryKind();
    const file = csv([
      ["Phone", "WhatsApp user ID", "Name", "Priority"],
      [full.phone, null, full.name, "2"],
      [minimal.phone, null, minimal.name, "5"],
      // Our validator refuses this phone, but WhatsApp delivered it for this customer.
      [refused.phone, null, "Avi Levi Cohen", "5"],
      [null, userId, "Ada", "9"],
    ]);
    const preview = await uploadOk(admin, file, { type: CSV_TYPE, mode: "replace" });
    expect(preview).toMatchObject({
      rejections: [],
      validRows: 4,
      inserts: 0,
      updates: 2,
      unchanged: 2,
      deletes: 0,
    });
    expect(
      (await previewRows(admin, preview.id)).map((r) => [
        r.row,
        r.phone,
        r.whatsappUserId,
        r.action,
        r.matchedBy,
      ]),
    ).toEqual([
      [2, full.phone, null, "unchanged", "phone"],
      [3, minimal.phone, null, "unchanged", "phone"],
      [4, refused.phone, null, "update", "phone"],
      [5, null, userId, "update", "userId"],
    ]);
    await apply(admin, preview.id);
    const after = await allCustomers(admin);
    const byId = new Map(after.map((c) => [c.id, c]));
    expect(after).toHaveLength(4);
    expect(byId.get(full.id)).toEqual(full);
    expect(byId.get(minimal.id)).toEqual(minimal);
    expect(byId.get(refused.id)).toMatchObject({
      phone: `+${REFUSED_WA_ID}`,
      name: "Avi Levi Cohen",
      version: 2,
    });
    expect(byId.get(username.id)).toMatchObject({
      phone: null,
      whatsappUserId: userId,
      name: "Ada",
      priority: 9,
      version: 2,
    });
  });
});

describe("rows in the file are never missing from it", () => {
  it("keeps the customers that rejected rows name (by ID, by phone, by user ID) and deletes exactly what the preview counted", async () => {
    const { admin, full, refused, username, userId } = await tenantWithEveryKind();
    const named = await callJson<CustomerView>(
      admin,
      "POST",
      "/api/customers",
      { phone: mobile(), name: "Named by a stranger's ID" },
      201,
    );
    const stranger = await adminSession();
    const foreign = await callJson<CustomerView>(
      stranger,
      "POST",
      "/api/customers",
      { phone: mobile(), name: "Another tenant's" },
      201,
    );
    const fresh = mobile();
    const file = csv([
      ["ID", "Phone", "WhatsApp user ID", "Name", "Priority"],
      [full.id, full.phone, null, "Renamed", "99"],
      [null, refused.phone, null, "Renamed", "0"],
      [null, null, userId, "Renamed", "many"],
      // IDs that are not this tenant's customers match nobody, whatever their phone.
      [foreign.id, named.phone, null, "Renamed", "5"],
      ["no-such-customer", mobile(), null, "Someone", "5"],
      [null, fresh, null, "Fresh", "5"],
    ]);
    const preview = await uploadOk(admin, file, { type: CSV_TYPE, mode: "replace" });
    const unknownId = "no customer has this ID; leave it blank to add a new customer";
    expect(preview.rejections).toEqual([
      { row: 2, column: "Priority", reason: "must be a whole number from 1 to 9" },
      { row: 3, column: "Priority", reason: "must be a whole number from 1 to 9" },
      { row: 4, column: "Priority", reason: "must be a whole number from 1 to 9" },
      { row: 5, column: "ID", reason: unknownId },
      { row: 6, column: "ID", reason: unknownId },
    ]);
    // Deleted: the minimal customer (in no row) and the one only a foreign ID pointed at.
    expect(preview).toMatchObject({
      validRows: 1,
      rejectedRows: 5,
      keptRows: 3,
      inserts: 1,
      updates: 0,
      unchanged: 0,
      deletes: 2,
    });
    const before = await allCustomers(admin);
    const foreignBefore = await callJson<CustomerView>(
      stranger,
      "GET",
      `/api/customers/${foreign.id}`,
      undefined,
      200,
    );

    await apply(admin, preview.id);
    const after = await allCustomers(admin);
    expect(after.map((c) => c.phone ?? c.whatsappUserId).sort()).toEqual(
      [full.phone, refused.phone, userId, fresh].sort(),
    );
    // Kept as they were: no version, no last update.
    for (const kept of [full, refused, username]) {
      expect(after.find((c) => c.id === kept.id)).toEqual(before.find((c) => c.id === kept.id));
    }
    expect(before.length - (after.length - preview.inserts)).toBe(preview.deletes);
    // Nothing outside the tenant moved.
    expect(
      await callJson<CustomerView>(stranger, "GET", `/api/customers/${foreign.id}`, undefined, 200),
    ).toEqual(foreignBefore);
  });

  it("deletes none of the customers who arrive after the preview, and updates the one a new row named", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const gone = await callJson<CustomerView>(
      admin,
      "POST",
      "/api/customers",
      { phone: mobile(), name: "Gone" },
      201,
    );
    const newcomer = mobile();
    const latecomer = mobile();
    const preview = await uploadOk(
      admin,
      csv([
        ["Phone", "Name", "Priority"],
        [newcomer, "Newcomer from the file", "7"],
      ]),
      { type: CSV_TYPE, mode: "replace" },
    );
    expect(preview).toMatchObject({ inserts: 1, deletes: 1 });
    // After the preview, both write on WhatsApp: one is the file's new row, the other is in no row.
    await fromWhatsApp(t, [
      { waId: newcomer.slice(1), name: "Newcomer on WhatsApp" },
      { waId: latecomer.slice(1), name: "Latecomer" },
    ]);

    await apply(admin, preview.id);
    const after = await allCustomers(admin);
    expect(after.map((c) => c.phone).sort()).toEqual([newcomer, latecomer].sort());
    expect(after.some((c) => c.id === gone.id)).toBe(false);
    expect(after.find((c) => c.phone === newcomer)).toMatchObject({
      name: "Newcomer from the file",
      priority: 7,
      version: 2,
    });
    expect(after.find((c) => c.phone === latecomer)).toMatchObject({
      name: "Latecomer",
      version: 1,
    });
  });
});

describe("matching by ID", () => {
  it("lets the ID column change a phone, and refuses a phone of another customer, a customer named twice and a WhatsApp user ID that is not theirs", async () => {
    const { admin, full, minimal, refused, username, userId } = await tenantWithEveryKind();
    const newPhone = mobile();
    const rows = [
      ["ID", "Phone", "WhatsApp user ID", "Name"],
      [minimal.id, newPhone, null, "Moved"],
      [full.id, refused.phone, null, full.name],
      [username.id, null, userId, "Ada"],
      [null, null, userId, "Ada again"],
      [refused.id, refused.phone, bsuid(), refused.name],
      [null, mobile(), bsuid(), "Invented"],
    ];
    const en = await uploadOk(admin, csv(rows), { type: CSV_TYPE });
    expect(en.rejections).toEqual([
      { row: 3, column: "Phone", reason: "this phone already belongs to another customer" },
      { row: 5, column: "WhatsApp user ID", reason: "same customer as row 4" },
      { row: 6, column: "WhatsApp user ID", reason: "not this customer's WhatsApp user ID" },
      {
        row: 7,
        column: "WhatsApp user ID",
        reason:
          "no customer has this WhatsApp user ID; WhatsApp assigns it, so it cannot be imported",
      },
    ]);
    // Kept: the customers of rows 3 and 6 (row 5 names one that row 4 already updates).
    expect(en).toMatchObject({ validRows: 2, updates: 2, unchanged: 0, inserts: 0, keptRows: 2 });

    const it_ = await uploadOk(admin, csv(rows), {
      type: CSV_TYPE,
      headers: { "Accept-Language": "it-IT,it;q=0.9" },
    });
    expect(it_.rejections.map((r) => r.reason)).toEqual([
      "questo telefono è già di un altro cliente",
      "stesso cliente della riga 4",
      "non è l'ID utente WhatsApp di questo cliente",
      "nessun cliente ha questo ID utente WhatsApp: lo assegna WhatsApp, non si può importare",
    ]);

    await apply(admin, en.id);
    const after = new Map((await allCustomers(admin)).map((c) => [c.id, c]));
    expect(after.get(minimal.id)).toMatchObject({ phone: newPhone, name: "Moved", version: 2 });
    expect(after.get(username.id)).toMatchObject({ phone: null, name: "Ada", version: 2 });
    expect(after.get(full.id)).toEqual(full);
    // The moved customer is found under the new phone by WhatsApp's messages too.
    const again = await uploadOk(admin, csv([["Phone"], [newPhone]]), { type: CSV_TYPE });
    expect(await previewRows(admin, again.id)).toMatchObject([
      { phone: newPhone, action: "unchanged", matchedBy: "phone" },
    ]);
    expect(after.size).toBe(4);
  });
});

describe("customers that change after the preview", () => {
  it("refuses the whole apply, in the admin's language, when a phone the file gives a customer has reached another one", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const moving = await callJson<CustomerView>(
      admin,
      "POST",
      "/api/customers",
      { phone: mobile(), name: "Moving" },
      201,
    );
    const staying = await callJson<CustomerView>(
      admin,
      "POST",
      "/api/customers",
      { phone: mobile(), name: "Staying" },
      201,
    );
    const newPhone = mobile();
    const preview = await uploadOk(
      admin,
      csv([
        ["ID", "Phone", "Name"],
        [moving.id, newPhone, "Moved"],
        [staying.id, staying.phone, "Staying, renamed"],
      ]),
      { type: CSV_TYPE },
    );
    expect(preview).toMatchObject({ rejections: [], updates: 2 });
    // Meanwhile someone writes from that phone: they are a customer of their own now.
    await fromWhatsApp(t, [{ waId: newPhone.slice(1), name: "Owner of the phone" }]);

    const res = await exports.default.fetch(`${BASE}/api/customers/imports/${preview.id}/apply`, {
      method: "POST",
      headers: { Cookie: admin.cookie, "Accept-Language": "it" },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: {
        code: "customers_changed",
        message:
          "I clienti sono cambiati dopo il controllo di questo file e non è stato applicato nulla: carica di nuovo il file.",
      },
    });
    // Nothing half-changed: both customers as they were, the import still as previewed.
    const after = new Map((await allCustomers(admin)).map((c) => [c.id, c]));
    expect(after.get(moving.id)).toEqual(moving);
    expect(after.get(staying.id)).toEqual(staying);
    expect(
      await callJson<ImportView>(
        admin,
        "GET",
        `/api/customers/imports/${preview.id}`,
        undefined,
        200,
      ),
    ).toMatchObject({ status: "ready", appliedAt: null });
  });
});

describe("unchanged rows", () => {
  it("updates only the rows that change something: the others keep their version and last update", async () => {
    const admin = await adminSession();
    await importTenant(admin);
    const create = (name: string) => createCustomer(admin, { phone: mobile(), name });
    const same = await create("Same");
    const changed = await create("Before");
    const preview: ImportView = await uploadOk(
      admin,
      csv([
        ["Phone", "Name"],
        [same.phone, "Same"],
        [changed.phone, "After"],
      ]),
      { type: CSV_TYPE },
    );
    expect(preview).toMatchObject({ validRows: 2, updates: 1, unchanged: 1, inserts: 0 });
    expect((await previewRows(admin, preview.id)).map((r) => r.action)).toEqual([
      "unchanged",
      "update",
    ]);
    await apply(admin, preview.id);
    const after = new Map((await allCustomers(admin)).map((c) => [c.id, c]));
    expect(after.get(same.id)).toEqual(same);
    expect(after.get(changed.id)).toMatchObject({ name: "After", version: 2 });
    expect(after.get(changed.id)!.updatedAt).toBeGreaterThanOrEqual(changed.updatedAt);
  });
});
