/**
 * The composer in a real browser, through the whole stack and the Meta
 * simulator: the agent sends an emoji, an image with a caption, a PDF, an audio
 * file, a video, a sticker, a voice note recorded from Chromium's fake
 * microphone, a predefined location, a predefined message with buttons, a
 * video-call link and a dictated phrase — and each arrives at the customer's
 * phone thread with the right WhatsApp type. A file over Meta's limit is
 * refused in the browser before any upload; popovers close with Esc and give
 * focus back. Screenshots: test-results/composer-*.png.
 */
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import { apiCall, apiLogin, startBrowserStack, stopBrowserStack } from "../kit/browser.ts";
import { mediaFixture } from "../kit/files.ts";
import { type PhoneMessage, phoneHolds, phoneThread } from "../kit/simulator.ts";

const CUSTOMER = "393470000851";
const MEETING_URL = "https://meet.example.com/parley";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // A fake microphone (a tone) that needs no permission prompt: the real one cannot exist here.
  ({ stack, browser } = await startBrowserStack({ port: 18851, simPort: 18852 }, [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
  ]));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** Waits until the phone holds `count` business messages more than `before`; returns the new ones. */
async function phoneGetsNew(before: number, count = 1): Promise<PhoneMessage[]> {
  const all = await phoneHolds(CUSTOMER, before + count, {
    simUrl: stack.simUrl,
    timeoutMs: 15_000,
  });
  return all.slice(before);
}

/**
 * Speech recognition needs a recognition service this machine cannot reach:
 * a stand-in that "hears" one phrase in the page's language replaces it.
 */
const FAKE_SPEECH = () => {
  class FakeRecognition {
    lang = "";
    continuous = false;
    interimResults = false;
    onresult: ((e: unknown) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onend: (() => void) | null = null;
    start() {
      const phrase = this.lang === "it-IT" ? "arrivo subito" : "one moment please";
      setTimeout(() => {
        this.onresult?.({
          resultIndex: 0,
          results: [{ isFinal: true, 0: { transcript: phrase } }],
        });
        this.onend?.();
      }, 100);
    }
    stop() {
      this.onend?.();
    }
    abort() {}
  }
  // Chromium has both names; the composer takes the unprefixed one first.
  const w = window as unknown as Record<string, unknown>;
  w.SpeechRecognition = FakeRecognition;
  w.webkitSpeechRecognition = FakeRecognition;
};

let context: BrowserContext;
let agent: Page;

async function openPanel(button: string): Promise<void> {
  await agent.click(button);
  await agent.locator("#compose-popover").waitFor();
}

async function attach(file: string, caption?: string): Promise<void> {
  await agent.setInputFiles("#compose-file", mediaFixture(file));
  await agent.locator("#compose-attach-send").waitFor();
  if (caption !== undefined) await agent.fill("#compose-caption", caption);
  await agent.click("#compose-attach-send");
  await agent.locator("#compose-popover").waitFor({ state: "detached" });
}

describe("composer", () => {
  it("sends every kind of attachment, a voice note, a location, a predefined message, a video-call link, an emoji and dictation", async () => {
    const admin = await apiLogin(stack.url, {
      email: "admin@demo.parley.test",
      password: "parley-admin",
    });
    await apiCall(
      stack.url,
      admin,
      "POST",
      "/api/admin/locations",
      {
        name: "Negozio di Milano",
        address: "Corso Buenos Aires 1, Milano",
        latitude: 45.478,
        longitude: 9.205,
      },
      201,
    );
    await apiCall(
      stack.url,
      admin,
      "POST",
      "/api/admin/predefined-messages",
      {
        category: "Assistenza",
        title: "Soddisfatto?",
        text: "È soddisfatto della risposta?",
        interactive: { type: "buttons", buttons: [{ title: "Sì" }, { title: "No" }] },
      },
      201,
    );
    await apiCall(
      stack.url,
      admin,
      "POST",
      "/api/admin/predefined-messages",
      {
        category: "Saluti",
        title: "Benvenuto",
        text: "Grazie per averci scritto!",
      },
      201,
    );
    const settings = await apiCall<{ version: number }>(
      stack.url,
      admin,
      "GET",
      "/api/admin/settings",
      undefined,
      200,
    );
    await apiCall(
      stack.url,
      admin,
      "PATCH",
      "/api/admin/settings",
      { version: settings.version, meetingUrl: MEETING_URL },
      200,
    );

    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript(FAKE_SPEECH);
    agent = await context.newPage();
    await agent.goto(stack.url);
    await agent.fill("#login-email", "alice@demo.parley.test");
    await agent.fill("#login-password", "parley-agent");
    await agent.click("#login-submit");
    await agent.waitForSelector('#connection[data-state="live"]');
    await agent.selectOption("#status-select", "ready");

    const phone = await browser.newPage();
    await phone.goto(`${stack.simUrl}/phone?number=${CUSTOMER}&name=Carla%20Verdi`);
    await phone.fill("#phone-compose", "Buongiorno, mi mandate il listino?");
    await phone.press("#phone-compose", "Enter");
    await agent.click(".offer-accept");
    await agent.locator("#composer").waitFor();
    const start = (await phoneThread(CUSTOMER, stack.simUrl)).length;

    // Emoji: the picker opens, Esc closes it and focus returns to its button.
    await openPanel("#compose-emoji");
    await agent.locator(".compose-emoji-cell").first().waitFor();
    await agent.keyboard.press("Escape");
    await agent.locator("#compose-popover").waitFor({ state: "detached" });
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe("compose-emoji");
    await agent.fill("#composer", "Certo, eccolo");
    await openPanel("#compose-emoji");
    await agent.locator(".compose-emoji-cell").first().waitFor();
    await agent.keyboard.press("ArrowRight");
    await agent.keyboard.press("ArrowRight");
    await agent.screenshot({ path: "test-results/composer-emoji.png" });
    await agent.keyboard.press("Enter"); // the third smiley: 😄
    await expect(agent.inputValue("#composer")).resolves.toBe("Certo, eccolo😄");
    await agent.keyboard.press("Enter"); // the caret is back in the composer: Enter sends
    expect((await phoneGetsNew(start))[0]).toMatchObject({ type: "text", text: "Certo, eccolo😄" });

    // A file over Meta's image limit is refused before any upload.
    await agent.setInputFiles("#compose-file", {
      name: "huge.png",
      mimeType: "image/png",
      buffer: Buffer.concat([
        readFileSync(mediaFixture("image.png")),
        Buffer.alloc(5 * 1024 * 1024 + 1 - readFileSync(mediaFixture("image.png")).length),
      ]),
    });
    await agent.locator("#compose-attach-refused", { hasText: "5 MB" }).waitFor();
    await agent.keyboard.press("Escape");
    await agent.locator("#compose-popover").waitFor({ state: "detached" });
    // So is a file whose content is not what its name says.
    await agent.setInputFiles("#compose-file", {
      name: "renamed.png",
      mimeType: "image/png",
      buffer: readFileSync(mediaFixture("photo.jpg")),
    });
    await agent.locator("#compose-attach-refused", { hasText: "renamed" }).waitFor();
    await agent.keyboard.press("Escape");

    // Every kind of attachment.
    let before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await agent.setInputFiles("#compose-file", mediaFixture("image.png"));
    await agent.fill("#compose-caption", "Il nostro logo");
    await agent.screenshot({ path: "test-results/composer-attach.png" });
    await agent.click("#compose-attach-send");
    await agent.locator("#compose-popover").waitFor({ state: "detached" });
    await attach("price-list.pdf");
    await attach("voice.ogg");
    await attach("video.mp4", "Come arrivare");
    await attach("sticker.webp");
    const files = await phoneGetsNew(before, 5);
    expect(files.map((m) => m.type)).toEqual(["image", "document", "audio", "video", "sticker"]);
    expect(files[0]!.raw).toMatchObject({ image: { caption: "Il nostro logo" } });
    // The agent's own side shows the image with its caption, as the customer sees it.
    await agent
      .locator('#messages .message[data-direction="out"] .media-caption', {
        hasText: "Il nostro logo",
      })
      .waitFor();
    expect(files[1]!.raw).toMatchObject({ document: { filename: "price-list.pdf" } });
    expect(files[3]!.raw).toMatchObject({ video: { caption: "Come arrivare" } });
    // What Meta holds is the very file the agent chose.
    const imageId = (files[0]!.raw as { image: { id: string } }).image.id;
    const meta = (await (
      await fetch(`${stack.simUrl}/v23.0/${imageId}`, { headers: { Authorization: "Bearer x" } })
    ).json()) as { url: string; mime_type: string };
    expect(meta.mime_type).toBe("image/png");
    const bytes = await (
      await fetch(meta.url, { headers: { Authorization: "Bearer x" } })
    ).arrayBuffer();
    expect(Buffer.from(bytes).equals(readFileSync(mediaFixture("image.png")))).toBe(true);

    // A voice note from the (fake) microphone.
    before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await openPanel("#compose-voice");
    await agent.click("#compose-voice-start");
    await agent.locator("#compose-voice-duration", { hasText: "0:01" }).waitFor();
    await agent.screenshot({ path: "test-results/composer-voice.png" });
    await agent.click("#compose-voice-stop");
    await agent.locator("#compose-voice-preview").waitFor();
    await agent.click("#compose-attach-send");
    await agent.locator("#compose-popover").waitFor({ state: "detached" });
    const [voice] = await phoneGetsNew(before);
    expect(voice!.type).toBe("audio");
    const voiceId = (voice!.raw as { audio: { id: string } }).audio.id;
    const voiceMeta = (await (
      await fetch(`${stack.simUrl}/v23.0/${voiceId}`, { headers: { Authorization: "Bearer x" } })
    ).json()) as { mime_type: string; url: string };
    // Chromium records WebM, which Meta refuses: the composer rewraps it as Ogg/Opus,
    // the format WhatsApp plays as a voice message. Chromium itself decodes the result.
    expect(voiceMeta.mime_type).toBe("audio/ogg");
    const voiceBytes = Buffer.from(
      await (await fetch(voiceMeta.url, { headers: { Authorization: "Bearer x" } })).arrayBuffer(),
    );
    expect(voiceBytes.subarray(0, 4).toString("latin1")).toBe("OggS");
    const seconds = await agent.evaluate(async (base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const audio = await new OfflineAudioContext(1, 48_000, 48_000).decodeAudioData(data.buffer);
      return audio.duration;
    }, voiceBytes.toString("base64"));
    expect(seconds).toBeGreaterThan(0.8);

    // A predefined location.
    before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await openPanel("#compose-location");
    await agent.fill("#compose-location-filter", "milano");
    await agent.keyboard.press("Enter");
    const [location] = await phoneGetsNew(before);
    expect(location!.raw).toMatchObject({
      type: "location",
      location: { latitude: 45.478, longitude: 9.205, name: "Negozio di Milano" },
    });

    // Predefined messages: a plain one goes into the composer, one with buttons is sent as interactive.
    await openPanel("#compose-predefined");
    await agent.locator("#compose-predefined-filter").waitFor();
    await agent.screenshot({ path: "test-results/composer-predefined.png" });
    await agent.selectOption("#compose-predefined-category", "Saluti");
    await agent.click(".compose-item");
    await expect(agent.inputValue("#composer")).resolves.toBe("Grazie per averci scritto!");
    await agent.fill("#composer", "");
    before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await openPanel("#compose-predefined");
    await agent.fill("#compose-predefined-filter", "soddisfatto");
    await agent.keyboard.press("Enter");
    const [interactive] = await phoneGetsNew(before);
    expect(interactive!.raw).toMatchObject({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "È soddisfatto della risposta?" },
        action: { buttons: [{ reply: { title: "Sì" } }, { reply: { title: "No" } }] },
      },
    });

    // A video-call link from the tenant's meeting URL, then a dictated phrase.
    await agent.click("#compose-meeting");
    const link = await agent.inputValue("#composer");
    expect(link).toMatch(/^https:\/\/meet\.example\.com\/parley\/parley-[0-9a-z]{12}$/);
    before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await agent.click("#send-button");
    expect((await phoneGetsNew(before))[0]).toMatchObject({ type: "text", text: link });
    await agent.click("#compose-dictation");
    await agent.waitForFunction(
      () => (document.querySelector("#composer") as unknown as { value: string }).value !== "",
    );
    await expect(agent.inputValue("#composer")).resolves.toBe("one moment please");
    before = (await phoneThread(CUSTOMER, stack.simUrl)).length;
    await agent.keyboard.press("Enter");
    expect((await phoneGetsNew(before))[0]).toMatchObject({ text: "one moment please" });

    await agent.screenshot({ path: "test-results/composer-sent.png", fullPage: true });
    // A tablet in portrait: the toolbar wraps, the popover fits.
    await agent.setViewportSize({ width: 768, height: 1024 });
    await openPanel("#compose-predefined");
    await agent.locator("#compose-predefined-filter").waitFor();
    await agent.screenshot({ path: "test-results/composer-tablet.png" });
    await agent.keyboard.press("Escape");
    await expect
      .poll(() => agent.evaluate(() => document.activeElement?.id))
      .toBe("compose-predefined");

    // In Italian: the tools speak it, and dictation listens for Italian.
    await agent.setViewportSize({ width: 1366, height: 768 });
    await agent.selectOption("#header-language", "it");
    await openPanel("#compose-voice");
    await agent
      .locator("#compose-popover-title", { hasText: "Registra un messaggio vocale" })
      .waitFor();
    await agent.keyboard.press("Escape");
    await agent.click("#compose-dictation");
    await agent.waitForFunction(
      () => (document.querySelector("#composer") as unknown as { value: string }).value !== "",
    );
    await expect(agent.inputValue("#composer")).resolves.toBe("arrivo subito");
    await context.close();
  });
});
