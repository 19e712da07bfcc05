/**
 * The conversation lifecycle in a real browser: Alice transfers a customer to Bruno
 * (the dialog's statuses are live, and it says what a transfer to him would do while he
 * is on a break; he sees "Transfer from Alice" and gets the history, while the
 * customer's phone gets the number's transfer message); Alice parks conversations in her personal wait queue
 * (the customer's next message brings them back to her) and in the public one (Bruno
 * picks them up from Waiting conversations); resumes one from My wait queue; and
 * invites Bruno into a conference, where he writes and then leaves. Typing in the
 * composer reaches the server in time to stop a delayed welcome.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/demo-data.ts";
import type { Stack } from "../../scripts/stack.ts";
import {
  apiCall,
  apiLogin,
  LIVE_DESK,
  signedInPage,
  startBrowserStack,
  stopBrowserStack,
} from "../kit/browser.ts";
import { phoneReceived, sim } from "../kit/simulator.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18817, simPort: 18818 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

const ADMIN = { email: "admin@demo.parley.test", password: "parley-admin" };
const ALICE = { email: "alice@demo.parley.test", password: "parley-agent" };
const BRUNO = { email: "bruno@demo.parley.test", password: "parley-agent" };
const BRUNO_ID = "demo-agent-2";
const TRANSFER_MESSAGE = "Un momento: la passo a un collega che può aiutarla.";

/** Sets the desktop's status and waits until the server has it. */
async function chooseStatus(page: Page, status: "ready" | "break") {
  await page.selectOption("#status-select", status);
  await page.locator(`#status-select.status-${status}`).waitFor();
}

/** The customer `from` writes `text` from the simulator's phone to the demo number. */
async function writesToDemo(from: string, name: string, text: string) {
  const phoneNumberId = DEMO.number.phoneNumberId;
  const res = await sim("/_sim/inbound", { from, name, phoneNumberId, text }, stack.simUrl);
  expect(res.status, await res.text()).toBe(200);
}

/** Accepts the offer for `customerName` and returns its conversation id once it is open. */
async function acceptOffer(page: Page, customerName: string): Promise<string> {
  const card = page.locator(".offer-card", { hasText: customerName });
  await card.waitFor();
  const id = await card.getAttribute("data-conversation-id");
  await card.locator(".offer-accept").click();
  await page.locator("#conversation-title", { hasText: customerName }).waitFor();
  expect(id).toBeTruthy();
  return id!;
}

/** Changes the demo number's automatic messages as the admin, through the admin API. */
async function setMessages(messages: Record<string, unknown>) {
  const cookie = await apiLogin(stack.url, ADMIN);
  const path = `/api/admin/numbers/${DEMO.number.id}`;
  const current = await apiCall<{ version: number; settings: { messages: object } }>(
    stack.url,
    cookie,
    "GET",
    path,
  );
  const changed = { ...current.settings.messages, ...messages };
  await apiCall(
    stack.url,
    cookie,
    "PATCH",
    path,
    { version: current.version, messages: changed },
    200,
  );
}

/** Closes a conversation of the page's agent through the API (not what these tests are about). */
async function close(page: Page, id: string) {
  const res = await page.request.post(`${stack.url}/api/conversations/${id}/close`, {
    data: { reason: "Done" },
  });
  expect(res.status(), await res.text()).toBe(200);
  await page.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor({
    state: "detached",
  });
}

/** Parks the open conversation in Alice's wait queue through the Transfer dialog. */
async function park(page: Page, kind: "personal" | "public") {
  await page.click("#transfer-open");
  await page.locator("#transfer-dialog").waitFor();
  await page.check('input[name=transfer-to][value="wait_queue"]');
  await page.check(`input[name=wait-kind][value="${kind}"]`);
  await page.click("#transfer-submit");
  await page.locator("#transfer-dialog").waitFor({ state: "detached" });
}

describe("conversation lifecycle", () => {
  let alice: Page;
  let bruno: Page;

  beforeAll(async () => {
    await setMessages({ transfer: TRANSFER_MESSAGE });
    alice = await signedInPage(browser, stack.url, ALICE, { ready: LIVE_DESK });
    bruno = await signedInPage(browser, stack.url, BRUNO, { ready: LIVE_DESK });
  });

  it("Alice transfers to Bruno, who sees it as a transfer, gets the history, and the customer gets the transfer message", async () => {
    await chooseStatus(bruno, "break");
    await chooseStatus(alice, "ready");
    await writesToDemo("393470000201", "Teresa Trasferita", "Buongiorno, ho un problema");
    const id = await acceptOffer(alice, "Teresa Trasferita");
    await alice
      .locator('#messages .message[data-direction="in"]', { hasText: "ho un problema" })
      .waitFor();

    // Bruno is on a break: the Ready column says so, then says Ready once he is.
    await alice.click("#transfer-open");
    const dialog = alice.locator("#transfer-dialog");
    await dialog.waitFor();
    const brunoRow = dialog.locator(`tr[data-agent="${BRUNO_ID}"]`);
    await expect.poll(() => brunoRow.locator(".target-ready").textContent()).toBe("Break");
    // Chosen while on a break: the dialog says what such a transfer would do.
    await brunoRow.click();
    await alice.check('input[name=transfer-mode][value="exclusive"]');
    await expect(alice.locator("#transfer-unavailable").textContent()).resolves.toContain(
      "Bruno Agent is not available now (Break): only they can take it",
    );
    await chooseStatus(bruno, "ready");
    // Live: the list follows without Refresh, and the warning goes.
    await expect
      .poll(() => brunoRow.locator(".target-ready").textContent(), { timeout: 15_000 })
      .toBe("Ready");
    await expect(alice.locator("#transfer-unavailable").count()).resolves.toBe(0);

    // The filter narrows the list.
    await alice.fill("#transfer-filter", "nobody at all");
    await expect.poll(() => dialog.locator("tr[data-agent]").count()).toBe(0);
    // Enter in the filter picks the one colleague left (and does not submit).
    await alice.fill("#transfer-filter", "bruno");
    await alice.press("#transfer-filter", "Enter");
    await expect(alice.locator("#transfer-error").textContent()).resolves.toBe("");
    await expect(brunoRow.locator("input[name=transfer-agent]").isChecked()).resolves.toBe(true);
    await alice.check('input[name=transfer-mode][value="immediate"]');
    await alice.screenshot({ path: "test-results/transfer-dialog.png" });
    await alice.click("#transfer-submit");

    await alice.locator(".toast", { hasText: "Conversation transferred to Bruno Agent" }).waitFor();
    await alice.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor({
      state: "detached",
    });

    const card = bruno.locator(`.offer-card[data-conversation-id="${id}"]`);
    await card.waitFor();
    await expect(card.getAttribute("data-kind")).resolves.toBe("transfer");
    await expect(card.locator(".offer-title").textContent()).resolves.toContain(
      "Transfer from Alice Agent",
    );
    await card.locator(".offer-accept").click();
    await bruno.locator("#conversation-title", { hasText: "Teresa Trasferita" }).waitFor();
    // The history came along, and the transfer message shows as sent by the system.
    await bruno
      .locator('#messages .message[data-direction="in"]', { hasText: "ho un problema" })
      .waitFor();
    await expect(
      bruno
        .locator('#messages .message[data-direction="out"]', { hasText: TRANSFER_MESSAGE })
        .locator(".message-sender")
        .textContent(),
    ).resolves.toBe("System");
    await expect
      .poll(() => phoneReceived("393470000201", stack.simUrl))
      .toContain(TRANSFER_MESSAGE);
    await expect(
      alice.locator(`.conversation-item[data-conversation-id="${id}"]`).count(),
    ).resolves.toBe(0);
  });

  it("personal wait queue brings the conversation back to Alice; parked publicly, Bruno picks it up", async () => {
    await chooseStatus(bruno, "break");
    await chooseStatus(alice, "ready");
    await writesToDemo("393470000202", "Walter Attesa", "Vi scrivo per un ordine");
    const id = await acceptOffer(alice, "Walter Attesa");

    await park(alice, "personal");
    await alice.locator(".toast", { hasText: "Conversation moved to your wait queue" }).waitFor();
    await alice.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor({
      state: "detached",
    });
    await alice.click("#nav-wait-queue");
    const row = alice.locator(`#wait-queue-view tr[data-conversation="${id}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("Walter Attesa");
    await expect(row.locator(".waiting-state").textContent()).resolves.toBe("Personal");
    // Everyone sees it in Waiting conversations as Alice's.
    await bruno.click("#nav-waiting");
    await expect(
      bruno.locator(`tr[data-conversation="${id}"] .waiting-state`).textContent(),
    ).resolves.toBe("Personal wait queue of Alice Agent");

    // The customer writes again: back to Alice (offered to her alone), not to anyone else.
    await chooseStatus(bruno, "ready");
    await writesToDemo("393470000202", "Walter Attesa", "Ci siete ancora?");
    await alice.locator(`.offer-card[data-conversation-id="${id}"]`).waitFor();
    await expect(bruno.locator(`.offer-card[data-conversation-id="${id}"]`).count()).resolves.toBe(
      0,
    );
    // My wait queue refreshes itself: the conversation left it.
    await row.waitFor({ state: "detached", timeout: 15_000 });
    await acceptOffer(alice, "Walter Attesa");
    await alice
      .locator('#messages .message[data-direction="in"]', { hasText: "Ci siete ancora?" })
      .waitFor();

    // Parked publicly: Bruno sees it waiting and picks it up.
    await park(alice, "public");
    await alice
      .locator(".toast", { hasText: "Conversation moved to the public wait queue" })
      .waitFor();
    const waiting = bruno.locator(`#waiting-view tr[data-conversation="${id}"]`);
    await bruno.click("#waiting-refresh");
    // The row may still show what the last poll saw (offered to Alice) for a moment.
    await expect
      .poll(() => waiting.locator(".waiting-state").textContent())
      .toBe("Public wait queue");
    await bruno.screenshot({ path: "test-results/waiting.png" });
    await waiting.locator("button.pick-up").click();
    await bruno.locator("#conversation-title", { hasText: "Walter Attesa" }).waitFor();
    await bruno.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor();
    await bruno
      .locator('#messages .message[data-direction="in"]', { hasText: "Ci siete ancora?" })
      .waitFor();
    await expect(bruno.locator("#nav-waiting").getAttribute("aria-pressed")).resolves.toBe("false");
  });

  it("Alice resumes a parked conversation from My wait queue, in Italian and with the keyboard", async () => {
    await chooseStatus(bruno, "break");
    await chooseStatus(alice, "ready");
    await writesToDemo("393470000203", "Ugo Ripresa", "Una domanda veloce");
    const id = await acceptOffer(alice, "Ugo Ripresa");
    await park(alice, "personal");
    await alice.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor({
      state: "detached",
    });

    await alice.selectOption("#header-language", "it");
    try {
      await alice.locator("#nav-wait-queue", { hasText: "La mia coda di attesa" }).waitFor();
      await alice.focus("#nav-wait-queue");
      await alice.keyboard.press("Enter");
      const row = alice.locator(`#wait-queue-view tr[data-conversation="${id}"]`);
      await row.waitFor();
      await expect(row.locator(".waiting-state").textContent()).resolves.toBe("Personale");
      await alice.screenshot({ path: "test-results/wait-queue.png", fullPage: true });
      await row.locator("button.unpause").focus();
      await alice.keyboard.press("Enter");

      // Back on the desktop, selected, and no longer in the wait queue.
      await alice.locator("#conversation-title", { hasText: "Ugo Ripresa" }).waitFor();
      await alice
        .locator(`.conversation-item[data-conversation-id="${id}"][aria-current="true"]`)
        .waitFor();
      await alice.click("#nav-wait-queue");
      await alice.getByText("La tua coda di attesa è vuota").waitFor();
      await close(alice, id);
    } finally {
      await alice.selectOption("#header-language", "en");
    }
  });

  it("Alice invites Bruno into a conference; both see the guests, Bruno writes and leaves", async () => {
    await chooseStatus(bruno, "break");
    await chooseStatus(alice, "ready");
    await writesToDemo("393470000204", "Carla Conferenza", "Serve un esperto");
    const id = await acceptOffer(alice, "Carla Conferenza");
    await chooseStatus(bruno, "ready");

    await alice.click("#conference-open");
    const dialog = alice.locator("#conference-dialog");
    await dialog.waitFor();
    await expect
      .poll(async () => {
        await alice.click("#conference-refresh");
        await alice.locator("#conference-refresh:not([disabled])").waitFor();
        return dialog.locator(`tr[data-agent="${BRUNO_ID}"] .target-ready`).textContent();
      })
      .toBe("Ready");
    await dialog.locator(`tr[data-agent="${BRUNO_ID}"]`).click();
    await expect(
      alice.locator(`input[name=conference-agent][value="${BRUNO_ID}"]`).isChecked(),
    ).resolves.toBe(true);
    await alice.click("#conference-submit");
    await alice.locator(".toast", { hasText: "Invitation sent to Bruno Agent" }).waitFor();
    await dialog.waitFor({ state: "detached" });

    const card = bruno.locator(`.offer-card[data-conversation-id="${id}"]`);
    await card.waitFor();
    await expect(card.locator(".offer-title").textContent()).resolves.toContain(
      "Conference invitation from Alice Agent",
    );
    await card.locator(".offer-accept").click();
    await bruno.locator("#conversation-title", { hasText: "Carla Conferenza" }).waitFor();
    // The guest may leave but not close or hand the conversation on.
    await bruno.locator("#conference-leave").waitFor();
    await expect(bruno.locator("#close-conversation").count()).resolves.toBe(0);
    await expect(bruno.locator("#transfer-open").count()).resolves.toBe(0);
    await expect(bruno.locator(".participants").textContent()).resolves.toContain("Bruno Agent");
    await alice.locator(".participants", { hasText: "Bruno Agent" }).waitFor();

    await bruno.fill("#composer", "Sono Bruno, esperto del settore");
    await bruno.keyboard.press("Enter");
    await alice
      .locator('#messages .message[data-direction="out"]', { hasText: "Sono Bruno" })
      .waitFor();
    await expect
      .poll(() => phoneReceived("393470000204", stack.simUrl))
      .toContain("Sono Bruno, esperto del settore");

    await bruno.click("#conference-leave");
    await bruno.locator(".toast", { hasText: "You left the conference" }).waitFor();
    await bruno.locator(`.conversation-item[data-conversation-id="${id}"]`).waitFor({
      state: "detached",
    });
    await alice.locator(".participants").waitFor({ state: "detached" });
    await alice.locator("#close-conversation").waitFor();
    await close(alice, id);
  });

  it("typing in the composer stops the delayed welcome on assignment; without typing it is sent", async () => {
    const welcome = "Benvenuto, sono il suo operatore.";
    await setMessages({ welcomeOnAssignment: welcome, welcomeOnAssignmentDelaySeconds: 3 });
    await chooseStatus(bruno, "break");
    await chooseStatus(alice, "ready");

    await writesToDemo("393470000205", "Tina Tastiera", "Buonasera");
    await acceptOffer(alice, "Tina Tastiera");
    // Typing at once: the composer tells the server over the socket.
    await alice.locator("#composer").pressSequentially("Buonasera Tina, ");

    await writesToDemo("393470000206", "Sergio Silenzio", "Buonasera");
    await acceptOffer(alice, "Sergio Silenzio");
    // Sergio's welcome was due after Tina's: once it is on his phone, hers would be too.
    await expect
      .poll(() => phoneReceived("393470000206", stack.simUrl), { timeout: 20_000 })
      .toContain(welcome);
    await expect(phoneReceived("393470000205", stack.simUrl)).resolves.not.toContain(welcome);
  });
});
