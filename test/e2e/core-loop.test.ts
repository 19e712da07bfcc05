/**
 * The core loop in a real browser: a customer writes from the simulator's
 * phone, the agent sees the offer pop-up, accepts, replies; the phone shows
 * the reply and the agent's ticks turn to read.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18787, simPort: 18788 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

describe("agent desktop", () => {
  it("customer writes, agent accepts and replies, the phone gets it and ticks turn read", async () => {
    const agent = await browser.newPage();
    await signInPage(agent, stack.url, {
      email: "alice@demo.parley.test",
      password: "parley-agent",
    });
    await agent.waitForSelector('#connection[data-state="live"]');
    await agent.selectOption("#status-select", "ready");

    const phone = await browser.newPage();
    await phone.goto(`${stack.simUrl}/phone?number=393470000001&name=Marta%20Bianchi`);
    await phone.fill("#phone-compose", "Buongiorno, mi serve aiuto");
    await phone.press("#phone-compose", "Enter");

    const card = agent.locator(".offer-card");
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain("Marta Bianchi");
    await agent.click(".offer-accept");
    await agent
      .locator('#messages .message[data-direction="in"]', { hasText: "mi serve aiuto" })
      .waitFor();

    await agent.fill("#composer", "Buongiorno Marta, come posso aiutarla?");
    await agent.keyboard.press("Enter");
    await phone
      .locator('#phone-messages li[data-direction="out"]', { hasText: "come posso aiutarla" })
      .waitFor({ timeout: 15_000 });
    // The phone page is open on the chat, so the customer reads it: blue ticks.
    await agent
      .locator('#messages .message[data-direction="out"][data-status="read"]', {
        hasText: "come posso aiutarla",
      })
      .waitFor({ timeout: 15_000 });

    await agent.screenshot({ path: "test-results/desktop.png", fullPage: true });
    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Information given");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });
  });

  it("works in Italian with the keyboard alone, and shows a clear error for a wrong password", async () => {
    const page = await browser.newPage();
    await page.goto(stack.url);
    await page.selectOption("#login-language", "it");
    await page.locator("#login-submit", { hasText: "Accedi" }).waitFor();
    await page.focus("#login-email");
    await page.keyboard.type("bruno@demo.parley.test");
    await page.keyboard.press("Tab");
    await page.keyboard.type("wrong password");
    await page.keyboard.press("Enter");
    await page.getByText("E-mail o password non validi").waitFor();
    await page.fill("#login-password", "parley-agent");
    await page.keyboard.press("Enter");
    await page.getByText("Ancora nessuna conversazione").waitFor();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("it");
    await page.focus("#status-select");
    await page.selectOption("#status-select", "break");
    await page.waitForFunction(() => {
      // Runs in the page; typed loosely because the project's types are the Workers'.
      const select = document.querySelector("#status-select") as unknown as {
        value: string;
        selectedOptions: ArrayLike<{ textContent: string | null }>;
      } | null;
      return select?.value === "break" && select.selectedOptions[0]?.textContent === "Pausa";
    });
    await page.click("#logout");
    await page.locator("#login-submit").waitFor();
  });
});
