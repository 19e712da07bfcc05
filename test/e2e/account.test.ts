/**
 * The account in a real browser, end to end: "Forgot password?" on the sign-in page
 * mails a link through the local SMTP server; the link's page sets a new password and
 * signs in. Then the Profile dialog (opened by keyboard from the header) changes the
 * name and the language, refuses a wrong current password at its field, changes the
 * password, and the new one signs in. Signing in elsewhere keeps the saved language
 * unless the login page's selector is changed. Screenshots under test-results/account-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { lastMailTo } from "../kit/mail.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18881, simPort: 18882 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

const BRUNO = "bruno@demo.parley.test";

async function freshPage(width = 1366, height = 768): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  return context.newPage();
}

describe("account", () => {
  it("resets a forgotten password through the e-mailed link", async () => {
    const page = await freshPage(768, 1024);
    await page.goto(stack.url);
    await page.click("#forgot-password");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("reset-email");
    // An address that is not one is refused at the form.
    await page.fill("#reset-email", "bruno");
    await page.click("#reset-submit");
    await page.locator("#reset-error", { hasText: "Enter an e-mail address" }).waitFor();
    await page.fill("#reset-email", BRUNO);
    await page.click("#reset-submit");
    await page.locator("#reset-sent", { hasText: BRUNO }).waitFor();
    await page.screenshot({ path: "test-results/account-reset-sent.png" });

    const link = (await lastMailTo(BRUNO, stack.mailUrl)).links.find((l) =>
      l.includes("/welcome?token="),
    );
    expect(link).toBeDefined();
    // The mail's link points at the configured public address; open it on this stack.
    const path = new URL(link!).pathname + new URL(link!).search;
    await page.goto(`${stack.url}${path}`);
    await page.locator("#welcome-email", { hasText: BRUNO }).waitFor();
    await page.fill("#welcome-password", "bruno new password");
    await page.fill("#welcome-password-confirm", "bruno new password");
    await page.click("#welcome button[type=submit]");
    await page.waitForSelector("#status-select");

    // The old password no longer signs in; the new one does.
    const other = await freshPage();
    await other.goto(stack.url);
    await other.fill("#login-email", BRUNO);
    await other.fill("#login-password", "parley-agent");
    await other.click("#login-submit");
    await other.locator(".form-error", { hasText: "Invalid e-mail or password" }).waitFor();
    await signInPage(other, stack.url, { email: BRUNO, password: "bruno new password" });
  });

  it("changes the name, the language and the password from the Profile dialog", async () => {
    const page = await freshPage();
    await signInPage(page, stack.url, {
      email: "alice@demo.parley.test",
      password: "parley-agent",
    });

    // Opened by keyboard; focus starts on the name.
    await page.focus("#profile-open");
    await page.keyboard.press("Enter");
    const dialog = page.locator("#profile-dialog");
    await dialog.locator("#profile-name").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("profile-name");
    await expect(page.locator("#profile-email").inputValue()).resolves.toBe(
      "alice@demo.parley.test",
    );
    await expect(page.locator("#profile-email").getAttribute("readonly")).resolves.not.toBeNull();

    await page.fill("#profile-name", "Alice Ferrari");
    await page.selectOption("#profile-language", "it");
    await page.click("#profile-save");
    await page.locator("#profile-saved", { hasText: "Profilo salvato." }).waitFor();
    // The header follows: the new name (from the agent's live state) and Italian.
    await page.locator(".agent-name", { hasText: "Alice Ferrari" }).waitFor();
    await page.locator("#logout", { hasText: "Esci" }).waitFor();

    // A wrong current password is named at its field, which takes the focus.
    await page.fill("#current-password", "not my password");
    await page.fill("#new-password", "alice new password");
    await page.fill("#confirm-password", "alice new password");
    await page.click("#password-save");
    await page
      .locator("#current-password-error", { hasText: "Non è la tua password attuale" })
      .waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe("current-password");
    // Two different new passwords never reach the server.
    await page.fill("#current-password", "parley-agent");
    await page.fill("#confirm-password", "alice other password");
    await page.click("#password-save");
    await page.locator("#confirm-password-error").waitFor();
    await page.fill("#confirm-password", "alice new password");
    await page.click("#password-save");
    await page.locator("#password-saved", { hasText: "Password cambiata" }).waitFor();
    await page.screenshot({ path: "test-results/account-profile.png" });

    // Escape closes the dialog and gives the focus back to its button.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("profile-open");

    // Signed out, the new password signs in.
    await page.click("#logout");
    await page.waitForSelector("#login-email");
    await signInPage(page, stack.url, {
      email: "alice@demo.parley.test",
      password: "alice new password",
    });
    await page.locator(".agent-name", { hasText: "Alice Ferrari" }).waitFor();
  });

  it("signing in keeps the saved language unless the login page's selector is changed", async () => {
    // Another browser: its login page speaks English; Alice saved Italian above.
    const page = await freshPage();
    await signInPage(page, stack.url, {
      email: "alice@demo.parley.test",
      password: "alice new password",
    });
    await page.locator("#logout", { hasText: "Esci" }).waitFor();
    const saved = () =>
      page.evaluate(
        async () => ((await (await fetch("/api/me")).json()) as { language: string }).language,
      );
    await expect(saved()).resolves.toBe("it");

    // Chosen on the login page: that is the user's language from now on.
    await page.click("#logout");
    await page.waitForSelector("#login-email");
    await signInPage(
      page,
      stack.url,
      { email: "alice@demo.parley.test", password: "alice new password" },
      { language: "en" },
    );
    await page.locator("#logout", { hasText: "Log out" }).waitFor();
    await expect.poll(saved).toBe("en");
  });
});
