/**
 * Administration in a real browser, end to end: an admin creates a managed
 * number, a skillset on it and an agent (invited by e-mail through a real SMTP
 * server on loopback); the agent sets a password from the mailed link, goes
 * Ready, and receives the next conversation written to that new number. The
 * skillset form says what saving does to the number's default before it does it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { lastMailTo } from "../kit/mail.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18797, simPort: 18798 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

describe("administration", () => {
  it("admin creates a number, a skillset and an agent; the agent then receives a conversation on it", async () => {
    const admin = await browser.newPage();
    await signInPage(
      admin,
      stack.url,
      { email: "admin@demo.parley.test", password: "parley-admin" },
      { ready: null },
    );
    await admin.click("#nav-admin");

    // The number exists at Meta, in its WABA, with a token granted on that WABA.
    const account = await fetch(`${stack.simUrl}/_sim/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        wabaId: "200000000000777",
        phoneNumbers: [{ id: "100000000000777" }],
        token: "e2e-access-token-777",
      }),
    });
    expect(account.status).toBe(200);

    // A new managed number, open around the clock. A token Meta refuses is named
    // on its field and nothing is saved; the right one saves it.
    await admin.click('a[data-nav="numbers"]');
    await admin.click("#list-new");
    await admin.fill('form.admin-form [name="name"]', "Sales line");
    await admin.fill('form.admin-form [name="displayPhone"]', "+39 02 5555 0101");
    await admin.fill('form.admin-form [name="phoneNumberId"]', "100000000000777");
    await admin.fill('form.admin-form [name="wabaId"]', "200000000000777");
    await admin.fill('form.admin-form [name="accessToken"]', "e2e-wrong-token-000");
    await admin.click("form.admin-form button[type=submit]");
    const refused = admin.locator('form.admin-form [name="accessToken"][aria-invalid="true"]');
    await refused.waitFor();
    await expect(
      admin
        .locator("form.admin-form", { hasText: "Meta does not accept this access token" })
        .count(),
    ).resolves.toBe(1);
    await admin.fill('form.admin-form [name="accessToken"]', "e2e-access-token-777");
    await admin.click("form.admin-form button[type=submit]");
    await admin.locator('[role=tab][data-tab="working-time"]').click();
    // A new number is open around the clock until its hours are set.
    await expect(admin.locator('form.admin-form [name="alwaysOpen"]').isChecked()).resolves.toBe(
      true,
    );
    // With hours, a closed date starts empty (the admin types it).
    await admin.locator('form.admin-form [name="alwaysOpen"]').uncheck();
    await admin.locator("form.admin-form .wt-add-date").click();
    const closedDate = admin.locator("form.admin-form .wt-date-row input[type=date]").first();
    await expect(closedDate.inputValue()).resolves.toBe("");
    await admin.locator("form.admin-form .wt-date-remove").click();
    await admin.locator('form.admin-form [name="alwaysOpen"]').check();
    await admin.click("form.admin-form button[type=submit]");
    // Wait for this save's own toast: earlier toasts may still be on screen.
    await admin.locator(".toast", { hasText: "Saved" }).waitFor();

    // A skillset on it.
    await admin.click('a[data-nav="skillsets"]');
    await admin.click("#list-new");
    await admin.fill('form.admin-form [name="name"]', "Sales");
    await admin.selectOption('form.admin-form [name="numberId"]', {
      label: "Sales line (+39 02 5555 0101)",
    });
    await admin.selectOption('form.admin-form [name="priority"]', "7");
    await admin.click("form.admin-form button[type=submit]");
    // Created: the form moves to the new record's address.
    await admin.waitForURL(/\/admin\/skillsets\/(?!new)[\w-]+$/);

    // An agent in that skillset, invited by e-mail.
    await admin.click('a[data-nav="users"]');
    await admin.click("#list-new");
    await admin.fill('form.admin-form [name="email"]', "carla@demo.parley.test");
    await admin.fill('form.admin-form [name="name"]', "Carla Agent");
    await admin.selectOption('form.admin-form [name="role"]', "agent");
    await admin.click(".membership-add");
    // A new row starts unchosen: nothing is picked for the admin.
    await expect(admin.locator('.membership-row [name="skillsetId"]').inputValue()).resolves.toBe(
      "",
    );
    await admin.selectOption('.membership-row [name="skillsetId"]', {
      label: "Sales line — Sales",
    });
    await admin.selectOption('.membership-row [name="agentPriority"]', "5");
    await admin.click("form.admin-form button[type=submit]");
    await admin.waitForURL(/\/admin\/users\/(?!new)[\w-]+$/);
    await admin.click('a[data-nav="users"]');
    await admin.fill("#list-search", "carla");
    await admin.locator("table.admin-list tr[data-id]", { hasText: "Carla Agent" }).waitFor();

    // The invitation arrives; Carla sets her password from the link and goes Ready.
    const mail = (await lastMailTo("carla@demo.parley.test", stack.mailUrl)).text;
    const link = mail.match(/https?:\/\/\S+\/welcome\?token=[\w-]+/)?.[0];
    expect(link, mail).toBeTruthy();
    const carlaContext = await browser.newContext();
    const carla = await carlaContext.newPage();
    await carla.goto(link!.replace(/^https?:\/\/[^/]+/, stack.url));
    await carla.fill("#welcome-password", "carla-secret-password");
    await carla.fill("#welcome-password-confirm", "carla-secret-password");
    await carla.click("form#welcome button[type=submit]");
    await carla.waitForSelector('#connection[data-state="live"]');
    await carla.selectOption("#status-select", "ready");

    // A customer writes to the new number: Carla is offered the conversation.
    const res = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: "393470000099",
        name: "Nadia Rossi",
        phoneNumberId: "100000000000777",
        text: "Vorrei un preventivo",
      }),
    });
    expect(res.ok).toBe(true);
    const card = carla.locator(".offer-card");
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain("Nadia Rossi");
    await expect(card.textContent()).resolves.toContain("Sales line");
    await carla.click(".offer-accept");
    await carla
      .locator('#messages .message[data-direction="in"]', { hasText: "preventivo" })
      .waitFor();
    await admin.screenshot({ path: "test-results/admin.png", fullPage: true });
  });

  it("two admins edit the same skillset: the stale save gets a conflict, in Italian, and Reload shows the other's change", async () => {
    const first = await browser.newPage();
    const second = await (await browser.newContext()).newPage();
    for (const page of [first, second]) {
      await page.goto(stack.url);
      await page.selectOption("#login-language", "it");
      await page.fill("#login-email", "admin@demo.parley.test");
      await page.fill("#login-password", "parley-admin");
      await page.keyboard.press("Enter");
      await page.click("#nav-admin");
      await page.click('a[data-nav="skillsets"]');
      // Keyboard: search, then open the row from its link with Enter.
      await page.focus("#list-search");
      await page.keyboard.type("General");
      // The debounced search leaves exactly the one row.
      await page.waitForFunction(
        () => document.querySelectorAll("table.admin-list tr[data-id]").length === 1,
      );
      const row = page.locator("table.admin-list tr[data-id]", { hasText: "General" });
      await row.locator("a").first().focus();
      await page.keyboard.press("Enter");
      await page.locator('form.admin-form [name="priority"]').waitFor();
    }

    await first.selectOption('form.admin-form [name="priority"]', "6");
    await first.click("form.admin-form button[type=submit]");
    await first.locator(".toast").first().waitFor();

    await second.fill('form.admin-form [name="name"]', "General (stale)");
    await second.click("form.admin-form button[type=submit]");
    const conflict = second.locator(".conflict");
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toContain("Qualcun altro l'ha salvato");
    await second.click("button.conflict-reload");
    // Reload fetches the record again: the other admin's priority and the stored name.
    await expect
      .poll(() => second.locator('form.admin-form [name="priority"]').inputValue())
      .toBe("6");
    await expect
      .poll(() => second.locator('form.admin-form [name="name"]').inputValue())
      .toBe("General");
    await expect(second.locator(".conflict").count()).resolves.toBe(0);
  });

  it("the default skillset is only what the admin chose, and the form says what saving will do", async () => {
    const admin = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // English chosen on the login page (the test before chose Italian for this admin).
    await signInPage(
      admin,
      stack.url,
      { email: "admin@demo.parley.test", password: "parley-admin" },
      { language: "en" },
    );
    const openSkillset = async (name: string) => {
      await admin.goto(`${stack.url}/admin/skillsets`);
      await admin
        .locator("table.admin-list tr[data-id]", { hasText: name })
        .locator("a")
        .first()
        .click();
      await admin.locator('form.admin-form [name="isDefault"]').waitFor();
    };
    const note = admin.locator("#skillset-default-outcome");
    const save = async () => {
      await admin.click("form.admin-form button[type=submit]");
      await admin.locator(".toast", { hasText: "Saved" }).last().waitFor();
    };
    const isDefault = (name: string) =>
      admin
        .locator("table.admin-list tr[data-id]", { hasText: name })
        .locator("td")
        .allTextContents()
        .then((cells) => cells.map((c) => c.trim()).includes("Yes"));

    // Premium becomes the number's first default: said before saving.
    await openSkillset("Premium");
    await expect(note.count()).resolves.toBe(0);
    await admin.locator('form.admin-form [name="isDefault"]').check();
    await expect(note.textContent()).resolves.toBe(
      "Saving makes this skillset the number's default.",
    );
    await save();

    // Another one instead: the form names the one that stops being the default.
    await openSkillset("General");
    await admin.locator('form.admin-form [name="isDefault"]').check();
    await expect(note.textContent()).resolves.toContain("instead of Premium");
    await save();

    // Switched off: the number keeps none, and the form says what that means.
    await admin.locator('form.admin-form [name="isDefault"]').uncheck();
    await expect(note.textContent()).resolves.toContain("without a default skillset");
    await save();
    await admin.goto(`${stack.url}/admin/skillsets`);
    await admin.locator("table.admin-list tr[data-id]", { hasText: "Premium" }).waitFor();
    await expect(isDefault("Premium")).resolves.toBe(false);
    await expect(isDefault("General")).resolves.toBe(false);
    await admin.close();
  });
});
