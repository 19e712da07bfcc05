/**
 * Customers in a real browser, end to end: an admin adds a customer property shown in
 * the list, downloads the import template, uploads a file with good and bad rows,
 * reads the preview (each rejection with its row, column and reason), confirms, finds
 * the imported customers in the list with the property column, edits one, and downloads
 * the list as .xlsx. Then a real conversation (simulator → agent → closed with a reason
 * and notes) shows up in the customer's History: searched by a word, expanded to its
 * messages, and mailed as a transcript through the local SMTP server.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import {
  download,
  importCount,
  signedInPage,
  startBrowserStack,
  stopBrowserStack,
} from "../kit/browser.ts";
import { mediaFixture, readXlsxRows } from "../kit/files.ts";
import { lastMailTo } from "../kit/mail.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18807, simPort: 18808 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

const ADMIN = { email: "admin@demo.parley.test", password: "parley-admin" };
const AGENT = { email: "alice@demo.parley.test", password: "parley-agent" };

describe("customers", () => {
  it("admin imports a file with good and bad rows, confirms, edits a customer and exports the list", async () => {
    const admin = await signedInPage(browser, stack.url, ADMIN, {
      context: { acceptDownloads: true },
    });

    // Setup through the API (same session cookie): a property shown in the customer list.
    const created = await admin.request.post(
      `${stack.url}/api/admin/numbers/demo-number/properties`,
      {
        data: {
          name: "Tier",
          type: "choice",
          options: ["Gold", "Silver"],
          showInCustomerList: true,
          modifiableByAgent: false,
        },
      },
    );
    expect(created.status(), await created.text()).toBe(201);
    const tier = ((await created.json()) as { id: string }).id;

    await admin.click("#nav-customers");
    await admin.waitForURL(/\/customers$/);
    await admin.locator("table.admin-list th", { hasText: "Tier" }).waitFor();
    await admin.click("#customers-import");
    await admin.waitForURL(/\/customers\/import$/);

    // The template is a real .xlsx with the mandatory phone column and the property's column.
    const template = await download(admin, "#import-template");
    expect(new TextDecoder().decode(template.slice(0, 2))).toBe("PK");
    const [headers] = await readXlsxRows(template);
    expect(headers?.some((h) => h.startsWith("Phone"))).toBe(true);
    expect(headers).toContain("Tier");

    // Replace mode warns before anything happens; this import uses Insert/Update.
    await admin.check('input[name=mode][value="replace"]');
    await expect(admin.locator(".import-replace-warning").textContent()).resolves.toContain(
      "customers not in it are deleted",
    );
    await admin.check('input[name=mode][value="upsert"]');
    await expect.poll(() => admin.locator(".import-replace-warning").count()).toBe(0);

    const csv = [
      "Phone,Name,Priority,Default skillset,Tier",
      "+393331112201,Anna Rossi,7,Premium,Gold", // row 2: valid
      "+393331112202,Bruno Bianchi,3,,Silver", // row 3: valid
      "12345,Bad Phone,5,,", // row 4: bad phone
      "+39 333 111 2201,Anna Again,5,,", // row 5: duplicate of row 2
      "+393331112203,Carla Neri,12,,", // row 6: wrong priority
      "+393331112204,Dario Blu,5,Nowhere,", // row 7: unknown skillset
    ].join("\n");
    await admin.setInputFiles("#import-file", {
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await admin.click("#import-upload");
    await admin.locator("#import-summary").waitFor();
    // The preview is at its own address: it survives a reload.
    await admin.waitForURL(/\/customers\/import\?id=[\w-]+$/);

    await expect(importCount(admin, "valid")).resolves.toBe("2");
    await expect(importCount(admin, "rejected")).resolves.toBe("4");
    await expect(importCount(admin, "inserts")).resolves.toBe("2");
    await expect(importCount(admin, "updates")).resolves.toBe("0");
    await expect(importCount(admin, "deletes")).resolves.toBe("0");
    const rejection = (row: number) =>
      admin.locator(`table.import-rejections tr[data-row="${row}"]`).first().textContent();
    await expect(rejection(4)).resolves.toMatch(/Phone.*valid mobile/);
    await expect(rejection(5)).resolves.toMatch(/Phone.*duplicate phone: same as row 2/);
    await expect(rejection(6)).resolves.toMatch(/Priority.*1 to 9/);
    await expect(rejection(7)).resolves.toMatch(/Default skillset.*unknown skillset/);
    await expect.poll(() => admin.locator("table.import-valid tr[data-row]").count()).toBe(2);

    await admin.reload();
    await admin.locator("#import-summary").waitFor();
    await expect(importCount(admin, "valid")).resolves.toBe("2");

    await admin.click("#import-confirm");
    await admin.locator(".import-apply-dialog .confirm-ok").click();
    const result = admin.locator("#import-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain(
      "Import applied. New: 2. Updated: 0. Deleted: 0.",
    );
    // Applied once: there is no way to confirm it again.
    await expect(admin.locator("#import-confirm").count()).resolves.toBe(0);

    // The list shows them, with the property's column.
    await admin.click("#import-back");
    await admin.waitForURL(/\/customers$/);
    await admin.fill("#list-search", "393331112");
    // The search is applied after a pause, into the address (so Back returns to it).
    await expect.poll(() => admin.url()).toMatch(/\/customers\?q=393331112$/);
    await admin.waitForFunction(
      () => document.querySelectorAll("table.admin-list tr[data-id]").length === 2,
    );
    const anna = admin.locator("table.admin-list tr[data-id]", { hasText: "Anna Rossi" });
    await expect(anna.textContent()).resolves.toContain("Gold");

    // Open Anna, change her name, tier and consent; the consent shows who changed it.
    await anna.locator("a").first().click();
    await admin.locator('form.admin-form [name="phone"]').waitFor();
    await expect(admin.locator('form.admin-form [name="priority"]').inputValue()).resolves.toBe(
      "7",
    );
    await admin.fill('form.admin-form [name="name"]', "Anna Rossi Verdi");
    await admin.selectOption(`form.admin-form [name="properties.${tier}"]`, "Silver");
    await admin.check('form.admin-form [name="authorized"]');
    await admin.click("form.admin-form button[type=submit]");
    await admin.locator(".toast", { hasText: "Saved" }).waitFor();
    await admin.getByText(/Authorized — changed by Ada Admin on/).waitFor();
    await admin.locator("#customer-heading", { hasText: "Anna Rossi Verdi" }).waitFor();

    // A bad phone is named by its field.
    await admin.fill('form.admin-form [name="phone"]', "+39 02 1234");
    await admin.click("form.admin-form button[type=submit]");
    await admin.locator('.field-error[data-field="phone"]').waitFor();
    await admin.reload();
    await admin.locator('form.admin-form [name="phone"]').waitFor();
    await expect(admin.locator('form.admin-form [name="phone"]').inputValue()).resolves.toBe(
      "+393331112201",
    );

    // Back in the (still filtered) list, download exactly what it shows.
    await admin.goBack();
    await expect.poll(() => admin.url()).toMatch(/\/customers\?q=393331112$/);
    await admin.locator("table.admin-list tr[data-id]", { hasText: "Anna Rossi Verdi" }).waitFor();
    const exported = await readXlsxRows(await download(admin, "#list-export"));
    const cells = exported.flat();
    expect(exported).toHaveLength(3); // the header and the two imported customers
    // Phones are a "+" and digits only: the export leaves them readable (no apostrophe).
    expect(cells).toContain("+393331112201");
    expect(cells).toContain("Anna Rossi Verdi");
    expect(cells).toContain("+393331112202");
    expect(cells).toContain("Silver");
    await admin.screenshot({ path: "test-results/customers.png", fullPage: true });
  });

  it("a closed conversation is in the customer's history: searched, expanded and mailed", async () => {
    const agent = await signedInPage(browser, stack.url, AGENT, {
      context: { acceptDownloads: true },
    });
    await agent.waitForSelector('#connection[data-state="live"]');
    await agent.selectOption("#status-select", "ready");

    const inbound = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: "393470000011",
        name: "Giulia Verdi",
        phoneNumberId: "100000000000001",
        text: "Vorrei un preventivo per la fibra",
      }),
    });
    expect(inbound.ok).toBe(true);
    await agent.locator(".offer-card").waitFor({ timeout: 15_000 });
    await agent.click(".offer-accept");
    await agent.locator('#messages .message[data-direction="in"]', { hasText: "fibra" }).waitFor();
    await agent.fill("#composer", "Certo, le mando subito il preventivo");
    await agent.keyboard.press("Enter");
    await agent
      .locator('#messages .message[data-direction="out"]', { hasText: "subito" })
      .waitFor();
    // An image with its caption: the history will say it was an image.
    await agent.setInputFiles("#compose-file", mediaFixture("image.png"));
    await agent.locator("#compose-attach-send").waitFor();
    await agent.fill("#compose-caption", "La mappa della copertura");
    await agent.click("#compose-attach-send");
    await agent
      .locator('#messages .message[data-direction="out"] .media-caption', {
        hasText: "La mappa della copertura",
      })
      .waitFor();
    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Information given");
    await agent.fill("#close-notes", "Quote sent by e-mail too");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });

    // The agent reaches the customers from the desk (no import for agents).
    await agent.click("#nav-customers");
    await agent.fill("#list-search", "Giulia");
    const row = agent.locator("table.admin-list tr[data-id]", { hasText: "Giulia Verdi" });
    await row.waitFor();
    await expect(agent.locator("#customers-import").count()).resolves.toBe(0);
    await row.locator("a").first().click();
    await agent.locator('[role=tab][data-tab="history"]').click();
    await agent.waitForURL(/\/customers\/[\w-]+\/history$/);

    // Searching a word of the messages finds the conversation and marks the match.
    await agent.fill("#history-q", "preventivo");
    const item = agent.locator(".history-item").first();
    await item
      .locator(".history-matches mark", { hasText: /preventivo/i })
      .first()
      .waitFor();
    await expect(item.locator(".history-reason").textContent()).resolves.toBe("Information given");
    await expect(item.locator(".history-notes").textContent()).resolves.toBe(
      "Quote sent by e-mail too",
    );
    await expect(item.locator(".history-agent").textContent()).resolves.toBe("Alice Agent");
    await agent.fill("#history-q", "zanzibar");
    await agent.locator(".history-empty").waitFor();
    await agent.fill("#history-q", "fibra");
    await agent.locator(".history-item").first().waitFor();

    // Expanding shows the messages, customer's on the left and ours on the right.
    const expand = agent.locator(".history-item .history-expand").first();
    await expand.click();
    await expect(expand.getAttribute("aria-expanded")).resolves.toBe("true");
    await agent
      .locator('.history-message[data-direction="in"]', { hasText: "Vorrei un preventivo" })
      .waitFor();
    await agent
      .locator('.history-message[data-direction="out"]', { hasText: "le mando subito" })
      .waitFor();
    await agent
      .locator('.history-message[data-direction="out"]', {
        hasText: "[Image] La mappa della copertura",
      })
      .waitFor();

    // Reload on the deep link keeps the tab; then mail the transcript.
    await agent.reload();
    await agent.locator('[role=tab][data-tab="history"][aria-selected="true"]').waitFor();
    await agent.locator(".history-item .history-email").first().click();
    await agent.fill('dialog input[name="to"]', "records@example.test");
    await agent.click("#history-email-send");
    await agent.locator(".toast", { hasText: "Transcript sent" }).waitFor();
    await expect(
      lastMailTo("records@example.test", stack.mailUrl).then((m) => `${m.subject}\n${m.text}`),
    ).resolves.toContain("le mando subito");

    // With "keep message history" off, the next conversation's texts are not kept.
    await agent.locator('[role=tab][data-tab="details"]').click();
    await agent.uncheck('form.admin-form [name="keepHistory"]');
    await agent.click("form.admin-form button[type=submit]");
    await agent.locator(".toast", { hasText: "Saved" }).waitFor();
    await agent.click("#nav-desktop");
    await agent.waitForSelector('#connection[data-state="live"]');
    const again = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: "393470000011",
        name: "Giulia Verdi",
        phoneNumberId: "100000000000001",
        text: "Un dato riservato",
      }),
    });
    expect(again.ok).toBe(true);
    await agent.locator(".offer-card").waitFor({ timeout: 15_000 });
    await agent.click(".offer-accept");
    await agent
      .locator('#messages .message[data-direction="in"]', { hasText: "riservato" })
      .waitFor();
    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Private");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });
    await agent.goBack();
    await agent.waitForURL(/\/customers\/[\w-]+$/);
    await agent.locator('[role=tab][data-tab="history"]').click();
    const newest = agent.locator(".history-item").first();
    await expect(newest.locator(".history-reason").textContent()).resolves.toBe("Private");
    await newest.locator(".history-expand").click();
    await newest.locator(".history-not-kept").waitFor();
    await expect(newest.locator(".history-message").count()).resolves.toBe(0);
    await expect.poll(() => agent.locator(".history-item").count()).toBe(2);
  });
});
