/**
 * The desk's chrome in a real browser: the service status dialog by keyboard; with
 * sound and browser notifications on, a new offer raises a notification and a beep;
 * Alt+A accepts, Alt+↓/↑ move between two conversations, a customer message for the open
 * conversation appears without any reload, an unread one elsewhere shows its timer,
 * Ctrl+Enter sends, Alt+R goes to the reply box, `?` opens the help, Alt+C the close
 * dialog; on a tablet the page never scrolls sideways, the list is a drawer and the
 * views fold into a menu. Screenshots: test-results/desk-*.png.
 *
 * Observed, not mocked: a page init script wraps the browser's own `Notification`
 * constructor and `OscillatorNode.start` to record what the desk asked for, then calls
 * the originals.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { LIVE_DESK, signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({
    port: 18891,
    simPort: 18892,
    offerTimeoutSeconds: 120,
  }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** Records notifications and beeps in `window.__desk` (runs in the page, before the app). */
function observeAttention(): void {
  const record = { notifications: [] as string[], shown: [] as Notification[], beeps: 0 };
  Object.assign(window, { __desk: record });
  const Original = window.Notification;
  class Observed extends Original {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      record.notifications.push(title);
      record.shown.push(this);
    }
  }
  Object.defineProperty(Observed, "permission", { get: () => Original.permission });
  Object.assign(window, { Notification: Observed });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
    record.beeps++;
    return start.call(this, when);
  };
}

async function attention(page: Page): Promise<{ notifications: string[]; beeps: number }> {
  return page.evaluate(() => {
    const { notifications, beeps } = (
      window as unknown as { __desk: { notifications: string[]; beeps: number } }
    ).__desk;
    return { notifications, beeps };
  });
}

/** Does what the browser does when the agent clicks the notification titled with `text`. */
async function clickNotification(page: Page, text: string): Promise<void> {
  await page.evaluate((wanted) => {
    const { shown } = (window as unknown as { __desk: { shown: Notification[] } }).__desk;
    const notification = shown.find((n) => n.title.includes(wanted));
    notification?.onclick?.call(notification, new Event("click"));
  }, text);
}

async function newDesk(viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["notifications"], { origin: stack.url });
  await context.addInitScript(observeAttention);
  return context;
}

/** The customer types `text` on the simulator's phone page and sends it. */
async function typeOnPhone(phone: Page, number: string, name: string, text: string) {
  if (!phone.url().includes(number)) {
    await phone.goto(`${stack.simUrl}/phone?number=${number}&name=${encodeURIComponent(name)}`);
  }
  await phone.fill("#phone-compose", text);
  await phone.press("#phone-compose", "Enter");
}

const selectedId = (page: Page) =>
  page.locator('.conversation-item[aria-current="true"]').getAttribute("data-conversation-id");

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/** Elements sticking out past the right edge (empty: the page cannot scroll sideways). */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return Array.from(document.querySelectorAll("body *"))
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`)
      .slice(0, 10);
  });
}

describe("the desk's chrome", () => {
  it("service status, notifications, Alt+A, Alt+↓/↑, live messages, help and Alt+C at 1366×768", async () => {
    const context = await newDesk({ width: 1366, height: 768 });
    const agent = await context.newPage();
    let navigations = 0;
    agent.on("framenavigated", (frame) => {
      if (frame === agent.mainFrame()) navigations++;
    });
    await signInPage(
      agent,
      stack.url,
      { email: "alice@demo.parley.test", password: "parley-agent" },
      { ready: LIVE_DESK },
    );

    // Service status dialog, by keyboard: opens on Enter, Escape closes, focus returns.
    await agent.focus("#service-status");
    await agent.keyboard.press("Enter");
    const dialog = agent.locator("#service-status-dialog");
    await dialog.waitFor();
    await agent.locator("#service-status-dialog .service-dialog-today").waitFor();
    await expect(dialog.textContent()).resolves.toContain("Demo support line: open");
    await agent.screenshot({ path: "test-results/desk-service-status.png" });
    await agent.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => focusedId(agent)).toBe("service-status");

    // Notifications on: browser (permission granted to this origin) and sound.
    await agent.click("#desk-settings");
    await agent.check("#notify-browser");
    await agent.check("#notify-sound");
    await expect(agent.isChecked("#notify-browser")).resolves.toBe(true);
    await agent.keyboard.press("Escape");
    await expect(agent.isVisible("#desk-settings-panel")).resolves.toBe(false);
    const beepsBefore = (await attention(agent)).beeps;

    await agent.selectOption("#status-select", "ready");
    const phoneA = await browser.newPage();
    await typeOnPhone(phoneA, "393470000101", "Anna Verdi", "Buongiorno, sono Anna");
    await agent.locator(".offer-card", { hasText: "Anna Verdi" }).waitFor();
    await agent.waitForFunction(() =>
      (window as unknown as { __desk: { notifications: string[] } }).__desk.notifications.some(
        (title) => title.includes("Anna Verdi"),
      ),
    );
    expect((await attention(agent)).beeps).toBeGreaterThan(beepsBefore);
    await expect(agent.title()).resolves.toMatch(/^\(1\) /);

    // Alt+A accepts the oldest offer, from anywhere.
    await agent.focus("#status-select");
    await agent.keyboard.press("Alt+KeyA");
    await agent.locator(".conversation-item", { hasText: "Anna Verdi" }).waitFor();
    await agent.locator("#messages .message", { hasText: "sono Anna" }).waitFor();
    const anna = await selectedId(agent);

    const phoneB = await browser.newPage();
    await typeOnPhone(phoneB, "393470000102", "Bruno Gialli", "Salve, sono Bruno");
    await agent.locator(".offer-card", { hasText: "Bruno Gialli" }).waitFor();
    await agent.keyboard.press("Alt+KeyA");
    await agent.locator(".conversation-item", { hasText: "Bruno Gialli" }).waitFor();
    await agent.locator("#messages .message", { hasText: "sono Bruno" }).waitFor();
    const bruno = await selectedId(agent);
    expect(bruno).not.toBe(anna);

    // Each entry: customer, number; Alt+↓ wraps from the last to the first, Alt+↑ back.
    await expect(
      agent.locator(".conversation-item", { hasText: "Bruno Gialli" }).textContent(),
    ).resolves.toContain("Demo support line");
    await agent.keyboard.press("Alt+ArrowDown");
    await expect.poll(() => selectedId(agent)).toBe(anna);
    await agent.keyboard.press("Alt+ArrowDown");
    await expect.poll(() => selectedId(agent)).toBe(bruno);
    await agent.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => selectedId(agent)).toBe(anna);

    // A message for the open conversation appears with no navigation at all.
    const navigationsBefore = navigations;
    await typeOnPhone(phoneA, "393470000101", "Anna Verdi", "Ecco il numero d'ordine 42");
    await agent.locator("#messages .message", { hasText: "ordine 42" }).waitFor();
    expect(navigations).toBe(navigationsBefore);

    // One for the other conversation: unread badge, its timer, a notification.
    await typeOnPhone(phoneB, "393470000102", "Bruno Gialli", "Ci siete?");
    const brunoItem = agent.locator(`.conversation-item[data-conversation-id="${bruno}"]`);
    await brunoItem.locator(".since-unread").waitFor();
    await expect(brunoItem.locator(".badge").textContent()).resolves.toContain("1");
    await agent.waitForFunction(() =>
      (window as unknown as { __desk: { notifications: string[] } }).__desk.notifications.some(
        (title) => title.includes("New message from Bruno Gialli"),
      ),
    );
    await expect(agent.title()).resolves.toMatch(/^\(1\) /);
    await agent.screenshot({ path: "test-results/desk-1366.png" });

    // Clicking that notification shows Bruno's conversation; read, the count goes away.
    await clickNotification(agent, "New message from Bruno Gialli");
    await expect.poll(() => selectedId(agent)).toBe(bruno);
    await brunoItem.locator(".since-unread").waitFor({ state: "detached" });
    await expect.poll(() => agent.title()).not.toMatch(/^\(/);
    await agent.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => selectedId(agent)).toBe(anna);

    // Ctrl+Enter sends from the composer; Alt+R comes back to it from elsewhere.
    await agent.fill("#composer", "Grazie Anna, verifico subito");
    await agent.keyboard.press("Control+Enter");
    await agent
      .locator('#messages .message[data-direction="out"]', { hasText: "verifico subito" })
      .waitFor();
    await agent.focus("#status-select");
    await agent.keyboard.press("Alt+KeyR");
    await expect(focusedId(agent)).resolves.toBe("composer");

    // `?` types in the composer; outside it opens the help.
    await agent.keyboard.type("?");
    await expect(agent.locator("#shortcuts-dialog").count()).resolves.toBe(0);
    await agent.fill("#composer", "");
    await agent.focus("#conversations-heading");
    await agent.keyboard.press("Shift+Slash");
    const help = agent.locator("#shortcuts-dialog");
    await help.waitFor();
    await expect(help.textContent()).resolves.toContain("Accept the oldest offer");
    await agent.screenshot({ path: "test-results/desk-shortcuts.png" });
    await agent.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });

    // Alt+W shows the waiting conversations; Alt+↓ comes back to a conversation.
    await agent.keyboard.press("Alt+KeyW");
    await agent.locator('#nav-waiting[aria-pressed="true"]').waitFor();
    await agent.keyboard.press("Alt+ArrowDown");
    await agent.locator("#composer").waitFor();

    // Alt+C opens the close dialog of the conversation on screen; close both.
    await agent.selectOption("#status-select", "break");
    for (const name of ["Anna Verdi", "Bruno Gialli"]) {
      await agent.locator(".conversation-item", { hasText: name }).click();
      await agent.keyboard.press("Alt+KeyC");
      await agent.locator("#close-title").waitFor();
      await agent.fill("#close-reason", "Done");
      await agent.click("#close-confirm");
      await agent.locator(".conversation-item", { hasText: name }).waitFor({ state: "detached" });
      // The desk clears its selection when the close call returns: wait for that moment.
      await agent.locator(".toast", { hasText: "Conversation closed" }).waitFor();
      await agent.locator(".toast", { hasText: "Conversation closed" }).locator("button").click();
    }
    expect(navigations).toBe(navigationsBefore);
    await context.close();
    await phoneA.close();
    await phoneB.close();
  });

  it("on a tablet: no sideways scroll, the list is a drawer, the views a menu, 40 px targets", async () => {
    const context = await newDesk({ width: 768, height: 1024 });
    const agent = await context.newPage();
    await signInPage(
      agent,
      stack.url,
      { email: "bruno@demo.parley.test", password: "parley-agent" },
      { ready: LIVE_DESK },
    );
    await agent.selectOption("#status-select", "ready");
    const phone = await browser.newPage();
    await typeOnPhone(phone, "393470000103", "Carla Blu", "Buonasera dal tablet");
    await agent.locator(".offer-card", { hasText: "Carla Blu" }).waitFor();
    await agent.click(".offer-accept");
    await agent.locator("#messages .message", { hasText: "dal tablet" }).waitFor();
    expect(await sidewaysOverflow(agent)).toEqual([]);

    // The drawer: hidden until pulled out, and a choice in it puts it back.
    const list = agent.locator("#conversation-list");
    await expect(list.isVisible()).resolves.toBe(false);
    await agent.click("#conversations-toggle");
    await expect.poll(() => list.isVisible()).toBe(true);
    // Slid all the way in, with focus inside it for keyboards.
    await agent.waitForFunction(
      () => document.getElementById("conversation-list")?.getBoundingClientRect().left === 0,
    );
    await expect(
      agent.evaluate(() =>
        Boolean(document.getElementById("conversation-list")?.contains(document.activeElement)),
      ),
    ).resolves.toBe(true);
    await agent.screenshot({ path: "test-results/desk-768-drawer.png" });
    await agent.locator(".conversation-item", { hasText: "Carla Blu" }).click();
    await expect.poll(() => list.isVisible()).toBe(false);

    // The views and links fold into the menu.
    await expect(agent.isVisible("#nav-waiting")).resolves.toBe(false);
    await agent.click("#desk-menu");
    await agent.locator("#nav-waiting").waitFor();
    await agent.screenshot({ path: "test-results/desk-768-menu.png" });
    await agent.keyboard.press("Escape");
    await expect.poll(() => agent.isVisible("#nav-waiting")).toBe(false);
    await expect(focusedId(agent)).resolves.toBe("desk-menu");

    // Every visible header control is at least 40 px high.
    const heights = await agent.evaluate(() =>
      Array.from(document.querySelectorAll(".desktop-header button, .desktop-header select"))
        .map((element) => element.getBoundingClientRect().height)
        .filter((height) => height > 0),
    );
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(40);
    await agent.screenshot({ path: "test-results/desk-768.png" });

    // Landscape tablet: still nothing to scroll sideways.
    await agent.setViewportSize({ width: 1024, height: 768 });
    expect(await sidewaysOverflow(agent)).toEqual([]);
    await agent.screenshot({ path: "test-results/desk-1024.png" });

    await agent.selectOption("#status-select", "break");
    await agent.click("#close-conversation");
    await agent.fill("#close-reason", "Done");
    await agent.click("#close-confirm");
    await agent.locator(".conversation-item").waitFor({ state: "detached" });
    await context.close();
    await phone.close();
  });
});
