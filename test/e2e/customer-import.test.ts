/**
 * Customer import round trip in a real browser: the admin downloads the demo
 * customers list and imports it back in Insert/Update/Delete mode. The preview
 * says every row is unchanged, matched by its ID, with nothing to delete and
 * nothing to apply; the same list with one name edited updates only that
 * customer, and the others keep their version.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/demo-data.ts";
import type { Stack } from "../../scripts/stack.ts";
import type { CustomerView } from "../../src/shared/customers.ts";
import {
  download,
  importCount,
  signedInPage,
  startBrowserStack,
  stopBrowserStack,
} from "../kit/browser.ts";
import { readXlsxRows } from "../kit/files.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({
    port: 18951,
    simPort: 18952,
    smtpPort: 18953,
    mailPort: 18954,
    inspectorPort: 18955,
  }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** Uploads a file in Insert/Update/Delete mode and waits for its preview. */
async function uploadReplace(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto(`${stack.url}/customers/import`);
  await page.check('input[name=mode][value="replace"]');
  await page.setInputFiles("#import-file", file);
  await page.click("#import-upload");
  await page.locator("#import-summary").waitFor();
  await expect.poll(() => page.locator("table.import-valid tr[data-row]").count()).toBe(3);
}

async function demoCustomers(page: Page): Promise<CustomerView[]> {
  const res = await page.request.get(`${stack.url}/api/customers?pageSize=100`);
  const items = ((await res.json()) as { items: CustomerView[] }).items;
  return items.sort((a, b) => a.id.localeCompare(b.id));
}

describe("customer import", () => {
  it("imports the downloaded list back as a no-op, and an edited one as one update", async () => {
    const admin = await signedInPage(
      browser,
      stack.url,
      { email: "admin@demo.parley.test", password: "parley-admin" },
      { context: { acceptDownloads: true } },
    );
    const before = await demoCustomers(admin);
    expect(before).toHaveLength(DEMO.customers.length);

    await admin.click("#nav-customers");
    await admin.waitForURL(/\/customers$/);
    await admin.locator("table.admin-list tr[data-id]").first().waitFor();
    const exported = await download(admin, "#list-export");

    await uploadReplace(admin, {
      name: "customers.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: exported,
    });
    await expect(importCount(admin, "valid")).resolves.toBe("3");
    await expect(importCount(admin, "rejected")).resolves.toBe("0");
    await expect(importCount(admin, "inserts")).resolves.toBe("0");
    await expect(importCount(admin, "updates")).resolves.toBe("0");
    await expect(importCount(admin, "unchanged")).resolves.toBe("3");
    await expect(importCount(admin, "deletes")).resolves.toBe("0");
    const rows = admin.locator("table.import-valid tr[data-row]");
    for (let i = 0; i < 3; i++) {
      await expect(rows.nth(i).getAttribute("data-action")).resolves.toBe("unchanged");
      await expect(rows.nth(i).textContent()).resolves.toMatch(/Unchanged\s*ID$/);
    }
    // Nothing would change: there is nothing to confirm.
    await expect(admin.locator("#import-confirm").count()).resolves.toBe(0);
    await admin.getByText("There is nothing to apply.").waitFor();
    await admin.screenshot({ path: "test-results/customer-import-unchanged.png", fullPage: true });

    // The same list as CSV with one name edited: one update, the rest unchanged.
    const table = await readXlsxRows(
      exported.buffer.slice(
        exported.byteOffset,
        exported.byteOffset + exported.byteLength,
      ) as ArrayBuffer,
    );
    const nameAt = table[0]!.indexOf("Name");
    const emily = table.findIndex((r) => r[nameAt] === "Emily Clarke");
    expect(emily).toBeGreaterThan(0);
    table[emily]![nameAt] = "Emily Clarke-Jones";
    const quote = (cell: string | undefined) => `"${(cell ?? "").replace(/"/g, '""')}"`;
    const csv = table.map((r) => r.map(quote).join(",")).join("\r\n");
    await uploadReplace(admin, {
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await expect(importCount(admin, "updates")).resolves.toBe("1");
    await expect(importCount(admin, "unchanged")).resolves.toBe("2");
    await expect(importCount(admin, "deletes")).resolves.toBe("0");
    await admin.click("#import-confirm");
    const dialog = admin.locator(".import-apply-dialog");
    await expect(dialog.textContent()).resolves.toContain(
      "New customers: 0. Updated: 1. Unchanged: 2. Deleted: 0.",
    );
    await admin.check("#import-replace-ack");
    await dialog.locator(".confirm-ok").click();
    await admin.locator("#import-result").waitFor();

    const after = await demoCustomers(admin);
    for (const [i, customer] of after.entries()) {
      if (customer.name === "Emily Clarke-Jones") {
        expect(customer.version).toBe(before[i]!.version + 1);
      } else expect(customer).toEqual(before[i]);
    }
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
  });
});
