/**
 * A reply WhatsApp never confirms, in a real browser: the simulator accepts Alice's
 * message but holds its answer past the Worker's deadline (GRAPH_TIMEOUT_MS, 1.5 s here)
 * and sends no status. After the wait (SEND_CONFIRM_WAIT_MS, 3 s here) the message shows
 * "not confirmed" with Resend; Alice resends it from the keyboard, the customer's phone
 * gets it exactly once more, and the new message gets its ticks. In Italian the same
 * message reads "Non confermato". Screenshot: test-results/send-unconfirmed.png.
 */
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/demo-data.ts";
import type { Stack } from "../../scripts/stack.ts";
import { LIVE_DESK, signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { phoneThread, sim } from "../kit/simulator.ts";

let stack: Stack;
let browser: Browser;

const CUSTOMER = "393470099321";
const TEXT = "Il suo ordine è partito stamattina";

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({
    port: 18961,
    simPort: 18962,
    vars: { GRAPH_TIMEOUT_MS: "1500", SEND_CONFIRM_WAIT_MS: "3000" },
  }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** Our messages with `text` on the customer's phone. */
async function onPhone(text: string): Promise<number> {
  return (await phoneThread(CUSTOMER, stack.simUrl)).filter((m) => m.text === text).length;
}

describe("a reply WhatsApp never confirms", () => {
  it("shows 'not confirmed' with Resend, which sends it once more", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInPage(
      page,
      stack.url,
      { email: "alice@demo.parley.test", password: "parley-agent" },
      { ready: LIVE_DESK },
    );
    await page.selectOption("#status-select", "ready");
    const inbound = await sim(
      "/_sim/inbound",
      {
        from: CUSTOMER,
        name: "Paola Neri",
        text: "Buongiorno, dov'è il mio ordine?",
      },
      stack.simUrl,
    );
    expect(((await inbound.json()) as { delivered: boolean }).delivered).toBe(true);
    await page.locator(".offer-accept").click();
    await page.locator("#messages .message", { hasText: "dov'è il mio ordine" }).waitFor();

    // Meta takes the message but its answer never comes in time, and no status follows.
    await sim(
      "/_sim/faults",
      {
        holdMs: 5_000,
        noStatuses: true,
        phoneNumberId: DEMO.number.phoneNumberId,
      },
      stack.simUrl,
    );
    await page.fill("#composer", TEXT);
    await page.keyboard.press("Enter");

    const original = page.locator('#messages li.message[data-direction="out"]', { hasText: TEXT });
    await page
      .locator('#messages li.message[data-status="unconfirmed"]', { hasText: TEXT })
      .waitFor({ timeout: 20_000 });
    await expect(original.locator(".message-problem").textContent()).resolves.toContain(
      "Not confirmed by WhatsApp",
    );
    await expect(original.locator(".ticks").getAttribute("aria-label")).resolves.toBe(
      "Not confirmed",
    );
    expect(await onPhone(TEXT)).toBe(1);
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/send-unconfirmed.png" });

    // Resend, from the keyboard: a new message, which WhatsApp now confirms.
    await original.locator(".message-resend").focus();
    await page.keyboard.press("Enter");
    await original.locator(".message-resent").waitFor();
    await page
      .locator('#messages li.message[data-direction="out"][data-status="delivered"]', {
        hasText: TEXT,
      })
      .waitFor({ timeout: 10_000 });
    expect(await onPhone(TEXT)).toBe(2);
    await expect(original.locator(".message-resend").count()).resolves.toBe(0);
    await page.waitForTimeout(1_000);
    expect(await onPhone(TEXT)).toBe(2);

    // The same message in Italian, after a reload (the mark is stored, not only shown).
    await page.evaluate(async () => {
      await fetch("/api/me", {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ language: "it" }),
      });
    });
    await page.reload();
    await page.locator(".conversation-item").first().click();
    const again = page.locator('#messages li.message[data-status="unconfirmed"]', {
      hasText: TEXT,
    });
    await again.waitFor();
    await expect(again.locator(".message-problem").textContent()).resolves.toContain(
      "Reinviato come nuovo messaggio",
    );
    await page.close();
  });
});
