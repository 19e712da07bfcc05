/**
 * Masking of sensitive data in a real browser, end to end: the admin turns masking on
 * in Settings; a customer writes from the simulator's phone a message holding a card
 * number, an IBAN, an e-mail and a phone; the agent's offer pop-up, message, customers
 * list and the customer's history show them masked, while the admin's history shows
 * clear text; the admin turns masking off and the agent sees clear text. Screenshots of
 * each are saved under test-results/masking-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signedInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18881, simPort: 18882 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

const ADMIN = { email: "admin@demo.parley.test", password: "parley-admin" };
const AGENT = { email: "alice@demo.parley.test", password: "parley-agent" };

// The customer writes from PRODUCT's example phone.
const FROM = "447966197542";
const MESSAGE =
  "My card is 4111 1111 1111 1111, IBAN IT60X0542811101000000123456, mail melissa@gmail.com, call +39 333 123 4567";
const CLEAR = [
  "4111 1111 1111 1111",
  "IT60X0542811101000000123456",
  "melissa@gmail.com",
  "+39 333 123 4567",
];
const MASKED = [
  "**** **** **** 1111",
  "***********************3456",
  "m******@gmail.com",
  "*** *** *** 4567",
];

/** The admin switches "Mask sensitive data for agents" in Settings and saves. */
async function setMasking(admin: Page, on: boolean): Promise<void> {
  await admin.goto(`${stack.url}/admin/settings`);
  const toggle = admin.locator('form.admin-form [name="maskSensitiveData"]');
  await toggle.waitFor();
  if (on) await toggle.check();
  else await toggle.uncheck();
  await admin.click("form.admin-form button[type=submit]");
  await admin.locator(".toast", { hasText: "Saved" }).waitFor();
}

/** Opens the customer's history (from the customers list) and expands the newest conversation. */
async function openHistory(page: Page, search: string): Promise<string> {
  await page.goto(`${stack.url}/customers`);
  await page.fill("#list-search", search);
  const row = page.locator("table.admin-list tr[data-id]").first();
  await expect.poll(() => page.locator("table.admin-list tr[data-id]").count()).toBe(1);
  const listed = (await row.textContent()) ?? "";
  await row.locator("a").first().click();
  await page.locator('[role=tab][data-tab="history"]').click();
  const expand = page.locator(".history-item .history-expand").first();
  await expand.click();
  await page.locator('.history-message[data-direction="in"]').first().waitFor();
  return `${listed}\n${await page.locator(".history-item").first().textContent()}`;
}

describe("masking", () => {
  it("agents see sensitive data masked while the tenant masks it, admins always in clear", async () => {
    const admin = await signedInPage(browser, stack.url, ADMIN, {
      context: { viewport: { width: 1366, height: 768 } },
    });
    await setMasking(admin, true);

    const agent = await signedInPage(browser, stack.url, AGENT, {
      context: { viewport: { width: 1366, height: 768 } },
    });
    await agent.waitForSelector('#connection[data-state="live"]');
    await agent.selectOption("#status-select", "ready");
    const inbound = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: FROM,
        name: "Melissa Jones",
        phoneNumberId: "100000000000001",
        text: MESSAGE,
      }),
    });
    expect(inbound.ok).toBe(true);

    // The offer pop-up: the customer's phone keeps only its last 4 digits.
    const offer = agent.locator(".offer-card");
    await offer.waitFor({ timeout: 15_000 });
    await expect(offer.textContent()).resolves.toContain("*********7542");
    await expect(offer.textContent()).resolves.not.toContain(FROM);
    // Past the pop-up's entrance animation, so the screenshot shows it as agents do.
    await agent.waitForTimeout(600);
    await agent.screenshot({ path: "test-results/masking-offer.png" });

    // The message: every sensitive value masked, the rest as written.
    await agent.click(".offer-accept");
    const message = agent.locator('#messages .message[data-direction="in"]').first();
    await message.waitFor();
    const shown = (await message.textContent()) ?? "";
    for (const masked of MASKED) expect(shown).toContain(masked);
    for (const clear of CLEAR) expect(shown).not.toContain(clear);
    expect(shown).toContain("My card is");
    await expect(agent.locator("body").textContent()).resolves.not.toContain(FROM);
    await agent.screenshot({ path: "test-results/masking-agent-on.png" });

    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Payment data received");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });

    // The customers list and the history: masked for the agent…
    const agentHistory = await openHistory(agent, "Melissa");
    expect(agentHistory).toContain("*********7542");
    for (const masked of MASKED) expect(agentHistory).toContain(masked);
    for (const clear of [...CLEAR, FROM]) expect(agentHistory).not.toContain(clear);
    await agent.screenshot({ path: "test-results/masking-history-agent.png", fullPage: true });

    // …and clear for the admin.
    const adminHistory = await openHistory(admin, "Melissa");
    expect(adminHistory).toContain(`+${FROM}`);
    for (const clear of CLEAR) expect(adminHistory).toContain(clear);
    await admin.screenshot({ path: "test-results/masking-history-admin.png", fullPage: true });

    // Masking off: the agent sees clear text.
    await setMasking(admin, false);
    const clearHistory = await openHistory(agent, "Melissa");
    expect(clearHistory).toContain(`+${FROM}`);
    for (const clear of CLEAR) expect(clearHistory).toContain(clear);
    await agent.screenshot({ path: "test-results/masking-agent-off.png", fullPage: true });
  });
});
