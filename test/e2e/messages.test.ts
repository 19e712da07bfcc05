/**
 * The message area in a real browser: a customer sends every kind of WhatsApp
 * message through the simulator (its files fetched from the simulator's Graph
 * API into R2 and served back); the agent sees each rendered, finds an old
 * message with the search, and scrolls back through a long history.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { LIVE_DESK, signInPage, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { mediaFixture } from "../kit/files.ts";
import { sim, simMedia } from "../kit/simulator.ts";

let stack: Stack;
let browser: Browser;

const CUSTOMER = "393470088123";
const PNG_1x1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** A sample file (the repository's media fixtures), or a stand-in with the right type. */
function fixtureBytes(name: string): Buffer {
  const path = mediaFixture(name);
  if (existsSync(path)) return readFileSync(path);
  return name.endsWith(".png") || name.endsWith(".webp")
    ? Buffer.from(PNG_1x1, "base64")
    : Buffer.from(`stand-in for ${name}`);
}

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18841, simPort: 18842 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** The customer sends a raw Meta message (or a text); resolves with its wamid once delivered. */
async function giuliaSends(message: Record<string, unknown> | string): Promise<string> {
  const body =
    typeof message === "string"
      ? { from: CUSTOMER, name: "Giulia Verdi", text: message }
      : { from: CUSTOMER, name: "Giulia Verdi", message };
  const res = await sim("/_sim/inbound", body, stack.simUrl);
  const answer = (await res.json()) as { id: string; delivered: boolean };
  expect(answer.delivered).toBe(true);
  return answer.id;
}

async function openConversation(page: Page) {
  await page.locator(".conversation-item").first().click();
  await page.locator("#messages .message").first().waitFor();
}

describe("message area", () => {
  it("renders every inbound kind, searches, and scrolls back through a long history", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInPage(
      page,
      stack.url,
      { email: "alice@demo.parley.test", password: "parley-agent" },
      { ready: LIVE_DESK },
    );
    await page.selectOption("#status-select", "ready");

    const first = await giuliaSends(
      "Buongiorno, info sull'ordine https://example.com/ordine?id=7. Grazie",
    );
    await page.locator(".offer-accept").click();
    await page.locator("#messages .message", { hasText: "Buongiorno, info" }).waitFor();

    // A long history first: 110 more texts.
    for (let i = 1; i <= 110; i++) await giuliaSends(`Messaggio ${i}`);

    const image = await simMedia(fixtureBytes("image.png"), "image/png", { simUrl: stack.simUrl });
    const voice = await simMedia(fixtureBytes("voice.ogg"), "audio/ogg; codecs=opus", {
      simUrl: stack.simUrl,
    });
    const video = await simMedia(fixtureBytes("video.mp4"), "video/mp4", { simUrl: stack.simUrl });
    const pdf = await simMedia(fixtureBytes("price-list.pdf"), "application/pdf", {
      simUrl: stack.simUrl,
    });
    const sticker = await simMedia(fixtureBytes("sticker.webp"), "image/webp", {
      simUrl: stack.simUrl,
    });
    await giuliaSends({
      type: "image",
      image: { id: image, mime_type: "image/png", caption: "Lo scontrino" },
    });
    await giuliaSends({
      type: "audio",
      audio: { id: voice, mime_type: "audio/ogg; codecs=opus", voice: true },
    });
    await giuliaSends({ type: "video", video: { id: video, mime_type: "video/mp4" } });
    await giuliaSends({
      type: "document",
      document: { id: pdf, mime_type: "application/pdf", filename: "listino prezzi.pdf" },
    });
    await giuliaSends({
      type: "sticker",
      sticker: { id: sticker, mime_type: "image/webp", animated: false },
    });
    await giuliaSends({
      type: "location",
      location: {
        latitude: 45.464211,
        longitude: 9.191383,
        name: "Duomo",
        address: "Piazza del Duomo, Milano",
      },
    });
    await giuliaSends({
      type: "contacts",
      contacts: [
        {
          name: { formatted_name: "Marco Neri", first_name: "Marco", last_name: "Neri" },
          phones: [{ phone: "+39 333 555 1234", type: "CELL" }],
          emails: [{ email: "marco@example.com", type: "WORK" }],
        },
      ],
    });
    await giuliaSends({
      type: "text",
      text: { body: "Come scrivevo all'inizio" },
      context: { from: CUSTOMER, id: first },
    });
    await giuliaSends({ type: "reaction", reaction: { message_id: first, emoji: "❤️" } });
    await giuliaSends({
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "ok", title: "Va bene" } },
    });
    await giuliaSends({
      type: "unsupported",
      unsupported: { type: "edit" },
      errors: [{ code: 131051, title: "Message type unknown" }],
    });

    // Live, without a reload: the picture replaces its "downloading" state once fetched.
    await page.locator('#messages .message[data-kind="image"] img').waitFor();

    // A fresh load shows only the newest page, each kind rendered.
    await page.reload();
    await page.waitForSelector('#connection[data-state="live"]');
    await openConversation(page);
    const list = page.locator("#messages");
    await list.locator(".message-unsupported", { hasText: "Unsupported message (edit)" }).waitFor();

    const img = list.locator('.message[data-kind="image"] img');
    await img.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('.message[data-kind="image"] img');
      return el?.complete && el.naturalWidth > 0;
    });
    await expect(list.locator('.message[data-kind="image"]').textContent()).resolves.toContain(
      "Lo scontrino",
    );
    await list.locator('.message[data-kind="voice"] audio[controls]').waitFor();
    await list.locator('.message[data-kind="video"] video[controls]').waitFor();
    await list.locator('.message[data-kind="sticker"] img').waitFor();
    const download = list.locator('.message[data-kind="document"] a.document-download');
    await expect(download.getAttribute("href")).resolves.toMatch(/^\/api\/media\/[0-9a-f-]{36}$/);
    const file = await page.request.get(`${stack.url}${await download.getAttribute("href")}`);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-disposition"]).toContain("attachment");
    expect(Buffer.from(await file.body())).toEqual(fixtureBytes("price-list.pdf"));
    await expect(list.locator(".map-link").getAttribute("href")).resolves.toBe(
      "https://www.openstreetmap.org/?mlat=45.464211&mlon=9.191383#map=16/45.464211/9.191383",
    );
    await expect(list.locator(".contact-card").textContent()).resolves.toContain("Marco Neri");
    await expect(list.locator(".contact-card a[href^='tel:']").textContent()).resolves.toBe(
      "+39 333 555 1234",
    );
    await expect(list.locator(".message-quote").textContent()).resolves.toContain(
      "Buongiorno, info",
    );
    await expect(list.locator(".reply-choice").textContent()).resolves.toContain("↩ Va bene");
    // The reaction is on the first message, which is not loaded yet: a line of its own.
    await expect(list.locator(".reaction-line").textContent()).resolves.toContain("❤️");
    await page.screenshot({ path: "test-results/messages-kinds.png" });

    // Scrolling to the top loads earlier pages, keeping the reading position.
    const before = await list.locator(".message").count();
    expect(before).toBeLessThan(70);
    await list.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForFunction(
      (n) => document.querySelectorAll("#messages .message").length > n,
      before,
    );
    expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
    for (let i = 0; i < 5 && !(await list.locator(".messages-start").isVisible()); i++) {
      await list.evaluate((el) => {
        el.scrollTop = 0;
      });
      await page.waitForTimeout(400);
    }
    await list.locator(".messages-start").waitFor();
    // The first message is loaded now: the reaction shows as its badge, not as a bubble.
    const firstBubble = list.locator(".message", { hasText: "Buongiorno, info" });
    await expect(firstBubble.locator(".reaction-badge").textContent()).resolves.toBe("❤️");
    await expect(list.locator(".reaction-line").count()).resolves.toBe(0);
    const link = firstBubble.locator("a", { hasText: "https://example.com/ordine?id=7" });
    await expect(link.getAttribute("href")).resolves.toBe("https://example.com/ordine?id=7");
    await expect(link.getAttribute("rel")).resolves.toBe("noopener noreferrer");
    await expect(link.getAttribute("target")).resolves.toBe("_blank");
    await page.screenshot({ path: "test-results/messages-history-start.png" });

    // Search, after a fresh load, reaches an old message by keyboard.
    await page.reload();
    await page.waitForSelector('#connection[data-state="live"]');
    await openConversation(page);
    await page.focus("#conversation-search");
    await page.keyboard.type("Messaggio 7");
    await page.keyboard.press("Enter");
    const hit = page.locator(".search-hit", {
      has: page.locator(".search-hit-text", { hasText: /^Messaggio 7$/ }),
    });
    await hit.waitFor();
    await expect(page.locator(".search-status").textContent()).resolves.toContain("11");
    await hit.focus();
    await page.keyboard.press("Enter");
    const found = list.locator(".message.is-hit");
    await found.waitFor();
    await expect(found.textContent()).resolves.toContain("Messaggio 7");
    await expect(found.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: "test-results/messages-search.png" });
    await page.keyboard.press("Escape");

    const none = "nessuna corrispondenza 50%";
    await page.fill("#conversation-search", none);
    await page.keyboard.press("Enter");
    await page.locator(".search-status", { hasText: "No message contains" }).waitFor();

    // A tablet.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.keyboard.press("Escape");
    await page.locator("#conversation-search-results").waitFor({ state: "detached" });
    await page.screenshot({ path: "test-results/messages-tablet.png" });
  });
});
