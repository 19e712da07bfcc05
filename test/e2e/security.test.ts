/**
 * Security in a real browser on the whole local stack: the desk and the
 * administration work under the Content-Security-Policy (no violation is reported,
 * every page carries the policy); a settings change shows in the audit trail, in
 * English and Italian, with its field before and after; and changing the password
 * in one browser signs the agent's other desk out at once.
 * Screenshots under test-results/security-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18991, simPort: 18992 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

interface Watched {
  page: Page;
  /** CSP violations the page reported, and console lines about refused resources. */
  violations: string[];
}

/** A fresh page that records every CSP violation it sees. */
async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const violations: string[] = [];
  await page.exposeFunction("__reportCsp", (line: string) => violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCsp: (s: string) => void }).__reportCsp(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

/** Signs in through the form, checking the page's security headers on the way. */
async function signInChecked(page: Page, email: string, password: string, ready: string) {
  const response = await signInPage(page, stack.url, { email, password }, { ready });
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
}

describe("security in the browser", () => {
  it("the desk works under the CSP, and a password change elsewhere signs its desk out", async () => {
    const desk = await watchedPage();
    await signInChecked(desk.page, "alice@demo.parley.test", "parley-agent", "#status-select");
    await desk.page.selectOption("#status-select", "ready");
    await desk.page.screenshot({ path: "test-results/security-desk.png" });

    // Alice changes her password from another browser: this desk's session ends.
    const other = await watchedPage();
    await signInChecked(other.page, "alice@demo.parley.test", "parley-agent", "#status-select");
    const changed = await other.page.evaluate(async () => {
      const res = await fetch("/api/account/password", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          currentPassword: "parley-agent",
          newPassword: "alice new password 1",
        }),
      });
      return res.status;
    });
    expect(changed).toBe(204);
    await desk.page.waitForSelector("#login-email", { timeout: 15_000 });
    await desk.page.screenshot({ path: "test-results/security-desk-signed-out.png" });
    // The browser that changed it stays signed in.
    expect(await other.page.locator("#status-select").isVisible()).toBe(true);

    expect(desk.violations).toEqual([]);
    expect(other.violations).toEqual([]);
  });

  it("the administration works under the CSP, and the audit trail shows a settings change", async () => {
    const admin = await watchedPage();
    const { page } = admin;
    await signInChecked(
      page,
      "admin@demo.parley.test",
      "parley-admin",
      "#status-select, #nav-desktop",
    );
    await page.goto(`${stack.url}/admin/settings`);
    const idle = page.locator("input[name=sessionIdleMinutes]");
    await idle.waitFor();
    await idle.fill("30");
    await page.keyboard.press("Enter");
    await page.locator(".toast", { hasText: "Saved" }).first().waitFor();

    await page.click("a[data-nav=audit]");
    const row = page.locator("table.admin-list tr[data-id]").first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(
      "Sign out after inactivity (minutes): 120 → 30",
    );
    await page.selectOption("#audit-kind", "user");
    await page.locator(".empty-state", { hasText: "No changes recorded" }).waitFor();
    await page.selectOption("#audit-kind", "settings");
    await page.locator("table.admin-list tr[data-id]").first().waitFor();
    await page.screenshot({ path: "test-results/security-audit-list.png" });

    // The entry, by keyboard from its link, in Italian.
    await page.selectOption("#admin-language", "it");
    await page.locator("h1", { hasText: "Registro modifiche" }).waitFor();
    await page.locator("table.admin-list tr[data-id] a").first().focus();
    await page.keyboard.press("Enter");
    const field = page.locator("tr[data-field=sessionIdleMinutes]");
    await field.waitFor();
    await expect(field.textContent()).resolves.toContain("Disconnetti dopo inattività (minuti)");
    await expect(field.textContent()).resolves.toContain("120");
    await expect(field.textContent()).resolves.toContain("30");
    await page.screenshot({ path: "test-results/security-audit-entry.png" });

    expect(admin.violations, admin.violations.join("\n")).toEqual([]);
  });

  it("the platform operator's audit trail lists tenant operations", async () => {
    const op = await watchedPage();
    const { page } = op;
    await signInChecked(page, "operator@parley.test", "parley-operator", "a[data-nav=tenants]");
    await page.click("a[data-nav=audit]");
    await page.locator("h1", { hasText: "Audit trail" }).waitFor();
    await page.screenshot({ path: "test-results/security-platform-audit.png" });
    expect(op.violations).toEqual([]);
  });
});
