/**
 * Closing with the profiling tree in a real browser: the admin gives the demo
 * number a three-level tree of closing reasons and requires one (through the
 * admin API); the agent accepts a conversation, opens Close, cannot confirm
 * until a leaf is chosen, finds the reason with the search box and the
 * keyboard, adds notes the reason allows, confirms; the conversation leaves
 * the list and the customer's history shows the reason's path.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.ts";
import {
  apiCall,
  apiLogin,
  signInPage,
  startBrowserStack,
  stopBrowserStack,
} from "../kit/browser.ts";

const NUMBER = "demo-number";
const CUSTOMER_PHONE = "393470000927";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack({ port: 18827, simPort: 18828 }));
});

afterAll(() => stopBrowserStack({ stack, browser }));

/** The demo number's tree; returns the ids by value. */
async function seedTree(admin: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const add = async (value: string, parent: string | null, more: object = {}) => {
    const node = await apiCall<{ id: string }>(
      stack.url,
      admin,
      "POST",
      `/api/admin/numbers/${NUMBER}/profiling`,
      { value, parentId: parent === null ? null : ids[parent], ...more },
      201,
    );
    ids[value] = node.id;
  };
  await add("Sales", null, { childrenLabel: "Product" });
  await add("Information", null);
  await add("Phones", "Sales", { childrenLabel: "Problem" });
  await add("Laptops", "Sales");
  await add("Broken screen", "Phones");
  await add("Late delivery", "Phones", { notesAllowed: true });
  const number = await apiCall<{ version: number }>(
    stack.url,
    admin,
    "GET",
    `/api/admin/numbers/${NUMBER}`,
    undefined,
    200,
  );
  await apiCall(
    stack.url,
    admin,
    "PATCH",
    `/api/admin/numbers/${NUMBER}`,
    { version: number.version, profiling: { requiredOnClose: true, freeNotes: false } },
    200,
  );
  return ids;
}

async function selectedValue(page: Page, selector: string): Promise<string> {
  return page.locator(selector).inputValue();
}

describe("closing with the profiling tree", () => {
  it("needs a leaf before Confirm, finds it by search, and stores its path in the history", async () => {
    const admin = await apiLogin(stack.url, {
      email: "admin@demo.parley.test",
      password: "parley-admin",
    });
    const ids = await seedTree(admin);

    const agent = await browser.newPage();
    await signInPage(agent, stack.url, {
      email: "alice@demo.parley.test",
      password: "parley-agent",
    });
    await agent.waitForSelector('#connection[data-state="live"]');
    await agent.selectOption("#status-select", "ready");

    const phone = await browser.newPage();
    await phone.goto(`${stack.simUrl}/phone?number=${CUSTOMER_PHONE}&name=Carla%20Neri`);
    await phone.fill("#phone-compose", "Il telefono non è mai arrivato");
    await phone.press("#phone-compose", "Enter");
    await agent.locator(".offer-card", { hasText: "Carla Neri" }).waitFor();
    await agent.click(".offer-accept");
    await agent.locator(".conversation-item", { hasText: "Carla Neri" }).waitFor();

    await agent.click("#close-conversation");
    const confirm = agent.locator("#close-confirm");
    const first = agent.locator('select[name="reason-1"]');
    await first.waitFor();
    // The first choice has focus; nothing chosen yet, so Confirm waits.
    await expect(first.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await expect(agent.locator("#close-notes").isDisabled()).resolves.toBe(true);

    // Level by level: each choice opens the next under its children label.
    await first.selectOption({ label: "Sales" });
    await agent.locator('label[for="close-reason-2"]', { hasText: "Product" }).waitFor();
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await agent.locator('select[name="reason-2"]').selectOption({ label: "Phones" });
    await agent.locator('label[for="close-reason-3"]', { hasText: "Problem" }).waitFor();
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await agent.locator("#close-reason-help", { hasText: "more specific" }).waitFor();

    // A reason the admin deletes meanwhile: the server's refusal shows next to the choice.
    await agent.locator('select[name="reason-2"]').selectOption({ label: "Laptops" });
    await expect(confirm.isEnabled()).resolves.toBe(true);
    const res = await fetch(`${stack.url}/api/admin/numbers/${NUMBER}/profiling/${ids.Laptops}`, {
      method: "DELETE",
      headers: { Cookie: admin },
    });
    expect(res.status).toBe(204);
    await confirm.click();
    await agent
      .locator("#close-reason-error", {
        hasText: "not a closing reason of this conversation's number",
      })
      .waitFor();
    // The choices are redrawn without the deleted reason.
    await agent.locator('select[name="reason-2"] option', { hasText: "Laptops" }).waitFor({
      state: "detached",
    });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await expect(
      agent.locator(".conversation-item", { hasText: "Carla Neri" }).count(),
    ).resolves.toBe(1);

    // The search finds a leaf by words of any level; the keyboard picks it.
    await agent.fill("#close-reason-search", "phones late");
    const hit = agent.locator(".close-hit", { hasText: "Sales › Phones › Late delivery" });
    await hit.waitFor();
    await expect(agent.locator(".close-hit").count()).resolves.toBe(1);
    await agent.press("#close-reason-search", "ArrowDown");
    await expect(hit.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await agent.keyboard.press("Enter");
    await expect(selectedValue(agent, 'select[name="reason-3"]')).resolves.toBe(
      ids["Late delivery"],
    );
    await expect(selectedValue(agent, 'select[name="reason-1"]')).resolves.toBe(ids.Sales);
    await agent
      .locator("#close-reason-help", { hasText: "Sales › Phones › Late delivery" })
      .waitFor();
    await expect(confirm.isEnabled()).resolves.toBe(true);
    await expect(agent.locator("#close-reason-error").textContent()).resolves.toBe("");
    await agent.screenshot({ path: "test-results/close-reasons.png" });

    // This reason allows notes; a sibling that does not disables them again.
    await agent.locator('select[name="reason-3"]').selectOption({ label: "Broken screen" });
    await expect(agent.locator("#close-notes").isDisabled()).resolves.toBe(true);
    await agent.locator('select[name="reason-3"]').selectOption({ label: "Late delivery" });
    await agent.fill("#close-notes", "Courier lost the parcel");
    await confirm.click();
    await agent.locator(".conversation-item", { hasText: "Carla Neri" }).waitFor({
      state: "detached",
    });
    await agent.locator("dialog.close-dialog").waitFor({ state: "detached" });

    // The customer's history keeps the path and the notes.
    const found = await apiCall<{ items: { id: string }[] }>(
      stack.url,
      admin,
      "GET",
      `/api/customers?q=${CUSTOMER_PHONE}`,
      undefined,
      200,
    );
    const customerId = found.items[0]?.id;
    expect(customerId).toBeTruthy();
    // The history row is written just after the close answers: poll briefly.
    let newest: { closeReason: string | null; closeNotes: string | null } | undefined;
    for (let i = 0; i < 50 && !newest?.closeReason; i++) {
      const history = await apiCall<{
        items: { closeReason: string | null; closeNotes: string | null }[];
      }>(stack.url, admin, "GET", `/api/customers/${customerId}/conversations`, undefined, 200);
      newest = history.items[0];
      if (!newest?.closeReason) await new Promise((r) => setTimeout(r, 200));
    }
    expect(newest).toMatchObject({
      closeReason: "Sales › Phones › Late delivery",
      closeNotes: "Courier lost the parcel",
    });
  });
});
