/**
 * The softbot in a real browser, end to end: the desk's header says the service is
 * open (the demo number is open around the clock) and lists the number from the
 * keyboard; the admin opens the number's Softbot tab, sees that nothing is labelled
 * yet, labels two skillsets (one the default), comes back, turns the bot on with
 * reply buttons, sees the menu preview in priority order, saves, reloads and finds
 * it saved.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18837, simPort: 18838 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** Opens a skillset by its demo id and saves a bot label (and, when asked, makes it the default). */
async function labelSkillset(page: Page, id: string, label: string, isDefault = false) {
  await page.goto(`${stack.url}/admin/skillsets/${id}`);
  await page.fill('form.admin-form [name="botLabel"]', label);
  if (isDefault) await page.check('form.admin-form [name="isDefault"]');
  await page.click("form.admin-form button[type=submit]");
  await page.locator(".toast", { hasText: "Saved" }).waitFor();
}

describe("softbot administration", () => {
  it("the header shows the service open; the admin sets up the menu with reply buttons and finds it saved", async () => {
    const page = await browser.newPage();
    await signInPage(
      page,
      stack.url,
      { email: "admin@demo.parley.test", password: "parley-admin" },
      { ready: null },
    );

    // The header: open, and the number's line from the keyboard.
    const status = page.locator("#service-status");
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe("Service open");
    await expect(page.locator(".service-status").getAttribute("data-status")).resolves.toBe("open");
    await status.focus();
    await page.keyboard.press("Enter");
    await expect(page.locator("#service-status-details").textContent()).resolves.toContain(
      "Demo support line: open",
    );
    await page.screenshot({ path: "test-results/service-status.png" });
    await page.keyboard.press("Escape");
    await expect(page.locator("#service-status-details").count()).resolves.toBe(0);

    // The Softbot tab before any label: the preview says what is missing.
    await page.click("#nav-admin");
    await page.click('a[data-nav="numbers"]');
    await page
      .locator("table.admin-list tr[data-id]", { hasText: "Demo support line" })
      .locator("a")
      .first()
      .click();
    await page.locator('[role=tab][data-tab="bot"]').click();
    await page.waitForURL(/\/admin\/numbers\/demo-number\/bot$/);
    await page.locator('[data-warning="noOptions"]').waitFor();
    await page.locator('[data-warning="noDefault"]').waitFor();
    await expect(page.locator('[name="bot.enabled"]').isChecked()).resolves.toBe(false);

    await labelSkillset(page, "demo-skillset-general", "Other questions", true);
    await labelSkillset(page, "demo-skillset-premium", "Premium care");

    // Back on the tab: the menu in priority order (Premium 8, General 4), no warning.
    await page.goto(`${stack.url}/admin/numbers/demo-number/bot`);
    await page.check('[name="bot.enabled"]');
    await page.fill('[name="bot.prompt"]', "Ciao! Di cosa hai bisogno?");
    await page.check('input[name="bot.style"][value="buttons"]');
    // An emptied timeout is refused by the server, named at its field, focus on it.
    await page.fill('[name="bot.timeoutSeconds"]', "");
    await page.click("form.admin-form button[type=submit]");
    await page.locator('.field-error[data-field="timeoutSeconds"]').waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute("name"))).resolves.toBe(
      "bot.timeoutSeconds",
    );
    await page.fill('[name="bot.timeoutSeconds"]', "120");
    const options = page.locator(".bot-menu-options li");
    await expect
      .poll(() => options.allTextContents())
      .toEqual(["1. Premium care goes to Premium", "2. Other questions goes to General"]);
    await expect(page.locator(".bot-menu").getAttribute("data-style")).resolves.toBe("buttons");
    await expect(page.locator(".bot-menu-prompt").textContent()).resolves.toBe(
      "Ciao! Di cosa hai bisogno?",
    );
    await expect(page.locator("[data-warning]").count()).resolves.toBe(0);
    await page.click("form.admin-form button[type=submit]");
    await page.locator(".toast", { hasText: "Saved" }).waitFor();

    // Reloaded from the server: everything as saved.
    await page.reload();
    await page.locator('[name="bot.enabled"]').waitFor();
    await expect(page.locator('[name="bot.enabled"]').isChecked()).resolves.toBe(true);
    await expect(
      page.locator('input[name="bot.style"][value="buttons"]').isChecked(),
    ).resolves.toBe(true);
    await expect(page.locator('[name="bot.prompt"]').inputValue()).resolves.toBe(
      "Ciao! Di cosa hai bisogno?",
    );
    await expect(page.locator('[name="bot.timeoutSeconds"]').inputValue()).resolves.toBe("120");
    await expect.poll(() => options.count()).toBe(2);
    await page.screenshot({ path: "test-results/bot-admin.png", fullPage: true });
  });
});
