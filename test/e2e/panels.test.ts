/**
 * The desk's panels in a real browser, on the whole stack (Worker, actors, D1, the Meta
 * simulator, the local SMTP server): the dashboard's figures and their live update when a
 * conversation arrives; the details pane beside a conversation (customer info edited in
 * place, the customer's history, the transcript mailed), and as a drawer on a tablet; My
 * history listing the closed conversation and filtering by date; the customers list
 * reached from the desk. Screenshots go to test-results/panels-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { LIVE_DESK, signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { lastMailTo } from "../kit/mail.ts";

let stack: Stack;
let browser: Browser;
let agent: Page;

const AGENT = { email: "alice@demo.parley.test", password: "parley-agent" };
/** A demo customer with a past conversation in the history. */
const CUSTOMER = { waId: "393480000002", name: "Marco Ferri" };

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18871, simPort: 18872 }));
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  agent = await context.newPage();
  await signInPage(agent, stack.url, AGENT, { ready: LIVE_DESK });
  await agent.selectOption("#status-select", "ready");
}, 180_000);

afterAll(() => stopBrowserStack({ stack, browser }));

/** The dashboard's figure `key` as its text alternative states it. */
async function figure(page: Page, table: string, key: string): Promise<number> {
  return Number(await page.locator(`#${table}-table td[data-figure="${key}"]`).textContent());
}

describe("panels", () => {
  it("the dashboard shows today's figures and updates live when a conversation arrives", async () => {
    await agent.click("#nav-dashboard");
    await agent.locator("#dashboard-conversations-table").waitFor({ state: "attached" });
    const before = await figure(agent, "dashboard-conversations", "total");
    expect(await figure(agent, "dashboard-agents", "ready")).toBe(1);
    await expect(agent.locator("#dashboard-updated").textContent()).resolves.toMatch(/Updated at/);

    // A customer writes: the offer reaches the desk and the dashboard follows, unasked.
    const inbound = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: CUSTOMER.waId,
        name: CUSTOMER.name,
        phoneNumberId: "100000000000001",
        text: "Buongiorno, la fattura di maggio è sbagliata",
      }),
    });
    expect(inbound.ok).toBe(true);
    await agent.locator(".offer-card").waitFor({ timeout: 15_000 });
    await expect
      .poll(() => figure(agent, "dashboard-conversations", "total"), { timeout: 10_000 })
      .toBe(before + 1);
    const activeBefore = await figure(agent, "dashboard-conversations", "active");
    // The hourly line has the arrival in it.
    const opened = await agent
      .locator('#dashboard-hourly-table td[data-series="opened"]')
      .allTextContents();
    expect(opened.map(Number).reduce((a, b) => a + b, 0)).toBe(before + 1);
    await agent.screenshot({ path: "test-results/panels-dashboard.png", fullPage: true });

    // Accepting it opens the conversation; back on the dashboard it is active.
    await agent.click(".offer-accept");
    await agent.locator("#conversation-title", { hasText: CUSTOMER.name }).waitFor();
    await agent.click("#nav-dashboard");
    await expect
      .poll(() => figure(agent, "dashboard-conversations", "active"), { timeout: 10_000 })
      .toBe(activeBefore + 1);
    // Refresh asks again at once.
    await agent.click("#dashboard-refresh");
    await expect.poll(() => agent.locator("#dashboard-refresh").isDisabled()).toBe(false);
    await agent.click("#nav-dashboard"); // back to the conversation
  });

  it("the details pane shows the customer, edits a field, shows the history and mails the conversation", async () => {
    await agent.locator("#conversation-title", { hasText: CUSTOMER.name }).waitFor();
    const pane = agent.locator("#details-pane");
    // Open by default beside the messages on a laptop screen.
    await pane.waitFor();
    await expect(agent.locator("#details-toggle").getAttribute("aria-pressed")).resolves.toBe(
      "true",
    );
    await expect(pane.locator('[data-fact="number"] dd').textContent()).resolves.toContain(
      "Demo support line",
    );
    await expect(pane.locator('[data-fact="state"] dd').textContent()).resolves.toBe("Active");

    // Customer info, editable (the demo number lets agents edit customers).
    const notes = pane.locator('form.admin-form [name="notes"]');
    await notes.waitFor();
    await expect(pane.locator('form.admin-form [name="name"]').inputValue()).resolves.toBe(
      CUSTOMER.name,
    );
    await notes.fill("Invoice of May to be corrected");
    await pane.locator("form.admin-form button[type=submit]").click();
    await pane.locator("#details-notice", { hasText: "Saved" }).waitFor();
    const saved = await agent.request.get(`${stack.url}/api/customers/demo-customer-2`);
    expect(((await saved.json()) as { notes: string }).notes).toBe(
      "Invoice of May to be corrected",
    );

    // The customer's history: the demo conversation of last week.
    // (The open conversation is listed too, still without messages.)
    const past = pane.locator(".history-item", { hasText: "Order status" });
    await past.waitFor();
    await past.locator(".history-expand").click();
    await pane.locator(".history-message", { hasText: "ordine" }).first().waitFor();

    // Send the open conversation by e-mail.
    await agent.click("#details-email");
    const to = "supervisor@example.test";
    await agent.fill("#history-email-to", to);
    await agent.click("#history-email-send");
    await pane.locator("#details-notice", { hasText: "Transcript sent" }).waitFor();
    const last = await lastMailTo(to, stack.mailUrl);
    const mail = `${last.subject}\n${last.text}`;
    expect(mail).toContain(CUSTOMER.name);
    expect(mail).toContain("la fattura di maggio");
    expect(mail).toContain("still open");
    await agent.screenshot({ path: "test-results/panels-details.png" });

    // On a tablet it is a drawer over the messages; Escape closes it, focus returns.
    await agent.setViewportSize({ width: 768, height: 1024 });
    await agent.locator("#details-title").focus();
    const box = await pane.boundingBox();
    expect(box && box.x > 0 && box.x + box.width <= 768).toBe(true);
    await agent.screenshot({ path: "test-results/panels-details-tablet.png" });
    await agent.keyboard.press("Escape");
    await pane.waitFor({ state: "hidden" });
    // Focus moves once the pane has rendered: wait for it rather than read it once.
    await expect
      .poll(() => agent.evaluate(() => document.activeElement?.id))
      .toBe("details-toggle");
    await agent.keyboard.press("Enter");
    await pane.waitFor();
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe("details-title");
    await agent.click("#details-close");
    await agent.setViewportSize({ width: 1366, height: 768 });
  });

  it("my history lists the closed conversation and filters it by date", async () => {
    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Invoice corrected");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });

    await agent.click("#nav-history");
    const rows = agent.locator("#my-history-view tr[data-conversation]");
    const mine = rows.filter({ hasText: "Invoice corrected" });
    await mine.waitFor();
    // The demo conversations of last week are mine too (Alice handled them).
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    await expect(mine.textContent()).resolves.toContain(CUSTOMER.name);

    const today = await agent.evaluate(() => {
      const d = new Date();
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    });
    await agent.fill("input[name=from]", today);
    await agent.fill("input[name=to]", today);
    await expect.poll(() => rows.count()).toBe(1);
    await mine.locator(".my-history-expand").click();
    await agent
      .locator("#my-history-view .history-message", { hasText: "fattura di maggio" })
      .waitFor();
    await agent.screenshot({ path: "test-results/panels-history.png", fullPage: true });

    // A period without any: the empty state.
    await agent.fill("input[name=from]", "2020-01-01");
    await agent.fill("input[name=to]", "2020-01-02");
    await agent
      .locator("#my-history-empty", { hasText: "No closed conversations in this period" })
      .waitFor();
    await agent.click("#my-history-clear");
    await mine.waitFor();
  });

  it("the agent opens Customers from the desk and reads a customer's history", async () => {
    await agent.click("#nav-customers");
    await agent.waitForURL(/\/customers$/);
    await agent.fill("#list-search", "Marco");
    const row = agent.locator("table.admin-list tr[data-id]", { hasText: CUSTOMER.name });
    await row.waitFor();
    await row.locator("a").first().click();
    await agent.locator('[role=tab][data-tab="history"]').click();
    await agent.waitForURL(/\/customers\/[\w-]+\/history$/);
    const items = agent.locator(".history-item");
    await expect.poll(() => items.count()).toBe(2);
    await expect(items.first().locator(".history-reason").textContent()).resolves.toBe(
      "Invoice corrected",
    );
    await agent.screenshot({ path: "test-results/panels-customers.png", fullPage: true });
  });
});
