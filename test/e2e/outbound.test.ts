/**
 * Starting an outbound conversation with a template, in a real browser: the admin
 * creates a template through the API and Meta's simulator approves it; Alice opens Sent
 * templates, starts a conversation, finds the demo customer (the one without opt-in is
 * marked and cannot be chosen), picks the template, fills its variables while the preview
 * follows, and sends. The customer's phone receives the template, Alice's list shows it
 * pending with its tick, and when the customer answers it moves to her conversations
 * with the template and the answer in one history. Screenshots: test-results/outbound-*.png.
 */
import type { Browser } from "playwright-core";
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
import { phoneThread } from "../kit/simulator.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({
    port: 18861,
    simPort: 18862,
    templateReviewMs: 500,
  }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

const ADMIN = { email: "admin@demo.parley.test", password: "parley-admin" };
const ALICE = { email: "alice@demo.parley.test", password: "parley-agent" };
const BRUNO = { email: "bruno@demo.parley.test", password: "parley-agent" };
const MARCO = { id: "demo-customer-2", waId: "393480000002" };
/** Giulia Conti, authorised; Emily Clarke has not authorised contact (demo data). */
const GIULIA = { id: "demo-customer-1", waId: "393480000001", name: "Giulia Conti" };
const EMILY = { id: "demo-customer-3" };
const TEMPLATE = "order_ready";

/** An approved template of the demo number: drafted, submitted, approved by the simulator. */
async function approvedTemplate(): Promise<void> {
  const admin = await apiLogin(stack.url, ADMIN);
  const draft = await apiCall<{ id: string }>(stack.url, admin, "POST", "/api/admin/templates", {
    numberId: DEMO.number.id,
    name: TEMPLATE,
    language: "it",
    category: "UTILITY",
    header: { text: "Ordine {{1}}", example: "A-1" },
    body: {
      text: "Ciao {{1}}, il tuo ordine è pronto: puoi ritirarlo {{2}}. Confermi?",
      examples: ["Anna", "domani"],
    },
    footer: "Demo Company",
    buttons: [
      { type: "QUICK_REPLY", text: "Sì" },
      { type: "QUICK_REPLY", text: "No" },
    ],
  });
  await apiCall(stack.url, admin, "POST", `/api/admin/templates/${draft.id}/submit`, {});
  const deadline = Date.now() + 15_000;
  for (;;) {
    const t = await apiCall<{ status: string }>(
      stack.url,
      admin,
      "GET",
      `/api/admin/templates/${draft.id}`,
    );
    if (t.status === "approved") return;
    if (Date.now() > deadline) throw new Error(`template still ${t.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("outbound", () => {
  it("starting an outbound conversation with a template", async () => {
    await approvedTemplate();
    const page = await signedInPage(browser, stack.url, ALICE, {
      ready: LIVE_DESK,
      language: "en",
      context: { viewport: { width: 1366, height: 768 } },
    });

    await page.click("#nav-outbound");
    await page.locator("#outbound-empty").waitFor();
    await page.screenshot({ path: "test-results/outbound-empty.png" });

    await page.click("#outbound-start");
    const dialog = page.locator("#outbound-dialog");
    await dialog.waitFor();
    // Focus starts in the search; the customer without opt-in is marked and cannot be chosen.
    await page.locator("#outbound-customer-search:focus").waitFor();
    const emily = page.locator(`li[data-customer="${EMILY.id}"]`);
    await emily.locator(".not-authorized").waitFor();
    await expect(emily.locator("button").isDisabled()).resolves.toBe(true);

    await page.keyboard.type("Giulia");
    const giulia = page.locator(`li[data-customer="${GIULIA.id}"]`);
    await giulia.waitFor();
    await page.locator("li[data-customer]").nth(1).waitFor({ state: "detached" });
    // She never wrote: no green tick, templates only.
    await expect(giulia.locator(".window-open").count()).resolves.toBe(0);
    await page.screenshot({ path: "test-results/outbound-search.png" });
    await page.keyboard.press("Enter");
    await page.locator("#outbound-chosen").waitFor();
    await expect(
      page.locator('input[name="outbound-kind"][value="text"]').isChecked(),
    ).resolves.toBe(false);

    await page.selectOption("select[name=template]", { label: `${TEMPLATE} (it)` });
    await page.fill("input[name=var-header]", "B-42");
    await page.fill("input[name=var-body-1]", "Giulia");
    // The preview follows the form; the empty variable still shows its placeholder.
    await page
      .locator("#outbound-preview", {
        hasText: "Ciao Giulia, il tuo ordine è pronto: puoi ritirarlo {{2}}",
      })
      .waitFor();
    // Sending with a variable empty names it and sends nothing.
    await page.click("#outbound-send");
    await page.locator("input[name=var-body-2][aria-invalid=true]:focus").waitFor();
    expect(await phoneThread(GIULIA.waId, stack.simUrl)).toEqual([]);
    await page.fill("input[name=var-body-2]", "oggi dopo le 15");
    await page.locator("#outbound-preview", { hasText: "ritirarlo oggi dopo le 15" }).waitFor();
    await expect(page.locator(".outbound-quick-replies li").allTextContents()).resolves.toEqual([
      "Sì",
      "No",
    ]);
    await page.screenshot({ path: "test-results/outbound-dialog.png" });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: "test-results/outbound-dialog-tablet.png" });
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.click("#outbound-send");
    await dialog.waitFor({ state: "detached" });
    await page.locator("#outbound-notice", { hasText: GIULIA.name }).waitFor();

    // The phone received Meta's template body.
    const sent = await (async () => {
      for (let i = 0; i < 50; i++) {
        const got = await phoneThread(GIULIA.waId, stack.simUrl);
        if (got.length > 0) return got;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error("the phone received nothing");
    })();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe("template");
    expect(sent[0]!.raw.template).toMatchObject({
      name: TEMPLATE,
      language: { code: "it" },
      components: [
        { type: "header", parameters: [{ type: "text", text: "B-42" }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "Giulia" },
            { type: "text", text: "oggi dopo le 15" },
          ],
        },
        { type: "button", sub_type: "quick_reply", index: "0" },
        { type: "button", sub_type: "quick_reply", index: "1" },
      ],
    });

    // Pending in Sent templates, with its tick; not on the desk.
    const row = page.locator("#outbound-table tr[data-conversation]");
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(GIULIA.name);
    await expect(row.textContent()).resolves.toContain(TEMPLATE);
    await page.locator('.outbound-tick[data-status="delivered"]').waitFor({ timeout: 15_000 });
    await expect(page.locator(".conversation-item").count()).resolves.toBe(0);
    await page.screenshot({ path: "test-results/outbound-pending.png" });
    const conversationId = await row.getAttribute("data-conversation");
    expect(conversationId).toBeTruthy();

    const phone = await (await browser.newContext()).newPage();
    await phone.goto(`${stack.simUrl}/phone?number=${GIULIA.waId}&name=Giulia%20Conti`);
    await phone.locator('#phone-messages li[data-direction="out"]').first().waitFor();
    await phone.screenshot({ path: "test-results/outbound-phone.png" });

    // The customer answers: the conversation moves to Alice's conversations.
    const answer = await fetch(`${stack.simUrl}/_sim/inbound`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        from: GIULIA.waId,
        name: GIULIA.name,
        phoneNumberId: DEMO.number.phoneNumberId,
        text: "Sì, passo oggi",
      }),
    });
    expect(answer.status).toBe(200);
    // Live, with the answer counted unread.
    await page.locator(".conversation-item .badge", { hasText: "1" }).waitFor();
    await page.locator("#outbound-empty").waitFor();
    await expect(page.locator(".offer-card").count()).resolves.toBe(0);
    await page.locator(".conversation-item", { hasText: GIULIA.name }).click();
    await page
      .locator('#messages .message[data-direction="in"]', { hasText: "Sì, passo oggi" })
      .waitFor();
    await page
      .locator('#messages .message[data-direction="out"]', { hasText: "Ciao Giulia" })
      .waitFor();
    await page.screenshot({ path: "test-results/outbound-answered.png" });
  });

  it("shows the server's refusal with its reason, in Italian, by keyboard", async () => {
    const admin = await apiLogin(stack.url, ADMIN);
    const page = await signedInPage(browser, stack.url, BRUNO, {
      ready: LIVE_DESK,
      language: "it",
      context: { viewport: { width: 1366, height: 768 } },
    });
    await page.focus("#nav-outbound");
    await page.keyboard.press("Enter");
    await page.locator("#outbound-title", { hasText: "Modelli inviati" }).waitFor();
    await page.locator("#outbound-start", { hasText: "Avvia una conversazione" }).click();
    await page.locator("#outbound-customer-search:focus").waitFor();
    await page.keyboard.type("Marco");
    await page.locator(`li[data-customer="${MARCO.id}"]`).waitFor();
    await page.locator("li[data-customer]").nth(1).waitFor({ state: "detached" });
    // Enter picks the only match; focus lands on the chosen customer.
    await page.keyboard.press("Enter");
    await page.locator("#outbound-chosen:focus").waitFor();
    await page
      .locator("text=Il cliente non ha scritto nelle ultime 24 ore: solo modelli.")
      .waitFor();
    await page.focus("select[name=template]");
    await page.selectOption("select[name=template]", { label: `${TEMPLATE} (it)` });
    await page.keyboard.press("Tab");
    await page.keyboard.type("C-7");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Marco");
    await page.keyboard.press("Tab");
    await page.keyboard.type("domani");

    // Meanwhile the administrator stops agents from sending templates.
    const settings = await apiCall<{ version: number }>(
      stack.url,
      admin,
      "GET",
      "/api/admin/settings",
    );
    await apiCall(stack.url, admin, "PATCH", "/api/admin/settings", {
      version: settings.version,
      agentsMaySendTemplates: false,
    });
    await page.keyboard.press("Enter");
    await page
      .locator("#outbound-error", {
        hasText: "L'amministratore non consente agli operatori di inviare modelli.",
      })
      .waitFor();
    await page.screenshot({ path: "test-results/outbound-refused-it.png" });
    expect(await phoneThread(MARCO.waId, stack.simUrl)).toEqual([]);
    // Escape closes the dialog and gives focus back to the button that opened it.
    await page.keyboard.press("Escape");
    await page.locator("#outbound-dialog").waitFor({ state: "detached" });
    await page.locator("#outbound-start:focus").waitFor();
  });
  it("withdraws a template that has no reply, by keyboard", async () => {
    const admin = await apiLogin(stack.url, ADMIN);
    const bruno = await apiLogin(stack.url, BRUNO);
    // The refusal test may have turned agents' templates off.
    const settings = await apiCall<{ version: number }>(
      stack.url,
      admin,
      "GET",
      "/api/admin/settings",
    );
    await apiCall(stack.url, admin, "PATCH", "/api/admin/settings", {
      version: settings.version,
      agentsMaySendTemplates: true,
    });
    const customer = await apiCall<{ id: string }>(stack.url, admin, "POST", "/api/customers", {
      name: "Marta Neri",
      phone: "+393480000077",
      authorized: true,
    });
    const { templates } = await apiCall<{ templates: { id: string; name: string }[] }>(
      stack.url,
      bruno,
      "GET",
      `/api/outbound/templates?numberId=${DEMO.number.id}`,
    );
    const template = templates.find((t) => t.name === TEMPLATE)!;
    await apiCall(stack.url, bruno, "POST", "/api/outbound", {
      clientId: crypto.randomUUID(),
      customerId: customer.id,
      numberId: DEMO.number.id,
      message: {
        type: "template",
        templateId: template.id,
        variables: { header: "C-7", body: ["Marta", "domani"] },
      },
    });

    const page = await signedInPage(browser, stack.url, BRUNO, {
      ready: LIVE_DESK,
      language: "en",
      context: { viewport: { width: 1366, height: 768 } },
    });
    await page.click("#nav-outbound");
    const row = page.locator("#outbound-table tr[data-conversation]", { hasText: "Marta Neri" });
    await row.locator("button.withdraw").focus();
    await page.keyboard.press("Enter");
    await page.locator("#outbound-notice", { hasText: "Marta Neri" }).waitFor();
    await row.waitFor({ state: "detached" });
    await page.screenshot({ path: "test-results/outbound-withdrawn.png" });
    const pending = await apiCall<{ items: unknown[] }>(
      stack.url,
      bruno,
      "GET",
      "/api/outbound/pending",
    );
    expect(pending.items).toEqual([]);
  });
});
