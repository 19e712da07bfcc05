/**
 * The desk follows the agent through the app, in a real browser: a Ready agent on the
 * Customers page gets the offer there (card, tab title, header counters), accepts it and
 * lands on the desk with the conversation open, never going RONA; the header counts
 * conversations and shows offers apart, live; with three offers at 1366×768 and on an
 * 820 px tablet the oldest offer's Accept and the conversation's Close stay on screen
 * and uncovered. An admin's administration header shows the same status and counter,
 * in Italian. Screenshots: test-results/desk-everywhere-*.png.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import {
  apiCall,
  apiLogin,
  LIVE_DESK,
  signedInPage,
  startBrowserStack,
  stopBrowserStack,
} from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({
    port: 18901,
    simPort: 18902,
    offerTimeoutSeconds: 120,
  }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** A customer writes `text` from the simulator's phone page (left open, as a phone would be). */
async function writesFromPhone(number: string, name: string, text: string): Promise<void> {
  const phone = await browser.newPage();
  await phone.goto(`${stack.simUrl}/phone?number=${number}&name=${encodeURIComponent(name)}`);
  await phone.fill("#phone-compose", text);
  await phone.press("#phone-compose", "Enter");
}

/** The header's counters as shown: "Conversations 1 / 3", and "· Offers 2" while offers wait. */
const counterText = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("p.load [aria-hidden='true']"), (e) =>
      (e.textContent ?? "").trim(),
    ).join(" · "),
  );

/** Whether `target` is inside the viewport and the topmost element at its centre. */
async function onScreenAndUncovered(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  const inside =
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width &&
    box.y + box.height <= viewport.height;
  if (!inside) return false;
  return target.evaluate(
    (element, at) => {
      const top = document.elementFromPoint(at.x, at.y);
      return top !== null && (top === element || element.contains(top));
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
}

describe("the desk everywhere in the app", () => {
  it("a Ready agent on Customers gets the offer, accepts it there and lands on the desk; counters are live; offers never hide the conversation", async () => {
    // Room for one conversation and three offers.
    const cookie = await apiLogin(stack.url, {
      email: "admin@demo.parley.test",
      password: "parley-admin",
    });
    const alice = await apiCall<{ version: number }>(
      stack.url,
      cookie,
      "GET",
      "/api/admin/users/demo-agent-1",
    );
    await apiCall(stack.url, cookie, "PATCH", "/api/admin/users/demo-agent-1", {
      maxConversations: 5,
      version: alice.version,
    });
    const agent = await signedInPage(
      browser,
      stack.url,
      { email: "alice@demo.parley.test", password: "parley-agent" },
      { ready: LIVE_DESK, context: { viewport: { width: 1366, height: 768 } } },
    );
    await agent.selectOption("#status-select", "ready");
    await expect.poll(() => counterText(agent)).toMatch(/^Conversations 0 \/ 5$/);

    // To the customers: the header keeps my status and load.
    await agent.click("#nav-customers");
    await agent.locator(".admin-header #status-select").waitFor();
    await expect(agent.inputValue("#status-select")).resolves.toBe("ready");

    await writesFromPhone("393470000201", "Carla Neri", "Buongiorno, sono Carla");
    const card = agent.locator(".offer-stack.is-away .offer-card", { hasText: "Carla Neri" });
    await card.waitFor();
    await expect.poll(() => counterText(agent)).toMatch(/^Conversations 0 \/ 5 · Offers 1$/);
    await expect(agent.title()).resolves.toMatch(/^\(1\) Parley — Customers/);
    expect(await onScreenAndUncovered(agent, card.locator(".offer-accept"))).toBe(true);
    await agent.screenshot({ path: "test-results/desk-everywhere-customers-offer.png" });

    // Accepted from there: back on the desk with the conversation open, still Ready.
    await card.locator(".offer-accept").click();
    await agent.locator("#messages .message", { hasText: "sono Carla" }).waitFor();
    expect(new URL(agent.url()).pathname).toBe("/");
    await expect(agent.inputValue("#status-select")).resolves.toBe("ready");
    await expect.poll(() => counterText(agent)).toMatch(/^Conversations 1 \/ 5$/);

    // Three more offers: counted apart from the conversation, live.
    await writesFromPhone("393470000202", "Dario Blu", "Salve da Dario");
    await agent.locator(".offer-card", { hasText: "Dario Blu" }).waitFor();
    await writesFromPhone("393470000203", "Elena Rosa", "Salve da Elena");
    await agent.locator(".offer-card", { hasText: "Elena Rosa" }).waitFor();
    await writesFromPhone("393470000204", "Fabio Viola", "Salve da Fabio");
    await agent.locator(".offer-card", { hasText: "Fabio Viola" }).waitFor();
    await expect.poll(() => counterText(agent)).toMatch(/^Conversations 1 \/ 5 · Offers 3$/);

    // At 1366×768 and on an 820 px tablet: the oldest offer's Accept (Alt+A's) and the
    // conversation's Close are on screen and not covered.
    const oldestAccept = agent
      .locator(".offer-card", { hasText: "Dario Blu" })
      .locator(".offer-accept");
    for (const [width, height] of [
      [1366, 768],
      [820, 1180],
    ] as const) {
      await agent.setViewportSize({ width, height });
      // On a tablet the details pane lies over the conversation: closed, as an agent would.
      if (width < 1100 && (await agent.isVisible("#details-close"))) {
        await agent.click("#details-close");
      }
      await agent.screenshot({ path: `test-results/desk-everywhere-offers-${width}.png` });
      await expect.poll(() => onScreenAndUncovered(agent, oldestAccept)).toBe(true);
      await expect
        .poll(() => onScreenAndUncovered(agent, agent.locator("#close-conversation")))
        .toBe(true);
      // Transfer and Invite stay side by side (Invite wrapped under Transfer before).
      const transferBox = await agent.locator("#transfer-open").boundingBox();
      const inviteBox = await agent.locator("#conference-open").boundingBox();
      expect(Math.abs((transferBox?.y ?? 0) - (inviteBox?.y ?? -100))).toBeLessThan(2);
    }
    await agent.setViewportSize({ width: 1366, height: 768 });

    // Alt+A takes the oldest: two conversations, two offers.
    await agent.focus("#status-select");
    await agent.keyboard.press("Alt+KeyA");
    await agent.locator("#messages .message", { hasText: "Salve da Dario" }).waitFor();
    await expect.poll(() => counterText(agent)).toMatch(/^Conversations 2 \/ 5 · Offers 2$/);
    await agent.context().close();
  });

  it("the administration keeps the admin's desk status and counter, in Italian", async () => {
    const admin = await signedInPage(
      browser,
      stack.url,
      { email: "admin@demo.parley.test", password: "parley-admin" },
      { ready: LIVE_DESK, language: "it", context: { viewport: { width: 1366, height: 768 } } },
    );
    await admin.click("#nav-admin");
    await admin.locator(".admin-header #status-select").waitFor();
    await expect.poll(() => counterText(admin)).toMatch(/^Conversazioni 0 \/ \d+$/);
    await admin.selectOption("#status-select", "break");
    await expect.poll(() => admin.inputValue("#status-select")).toBe("break");
    // Back on the desk, the same status.
    await admin.click("#nav-desktop");
    await admin.waitForSelector(LIVE_DESK);
    await expect(admin.inputValue("#status-select")).resolves.toBe("break");
    await admin.context().close();
  });
});
