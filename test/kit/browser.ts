/**
 * Browser tests (Node) on the whole local stack: Debian's Chromium, launched the way
 * these machines allow (see the README's Test section), signing in on a page or
 * through the API, JSON calls with a session cookie, and downloads.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Page,
  type Response,
} from "playwright-core";
import { expect } from "vitest";
import { freshStateDir, type Stack, type StackOptions, startStack } from "../../scripts/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches headless Chromium; fails clearly when it is not installed. `extraArgs`
 * add flags for one test file (e.g. a fake microphone).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/**
 * Starts the whole local stack (fresh state, quiet) and Chromium (with
 * `chromiumArgs`) for one browser test file; stops the stack if Chromium fails.
 */
export async function startBrowserStack(
  options: Omit<StackOptions, "persistTo" | "quiet">,
  chromiumArgs: readonly string[] = [],
): Promise<{ stack: Stack; browser: Browser }> {
  const stack = await startStack({ ...options, persistTo: freshStateDir(), quiet: true });
  try {
    return { stack, browser: await launchChromium(chromiumArgs) };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** Closes what startBrowserStack started (either may be missing when it failed). */
export async function stopBrowserStack(started: { stack?: Stack; browser?: Browser }) {
  await started.browser?.close();
  await started.stack?.stop();
}

/** Who signs in. */
export interface Credentials {
  email: string;
  password: string;
}

/** What the desktop shows once its WebSocket is live. */
export const LIVE_DESK = '#connection[data-state="live"]';

/**
 * Signs in on `page` through the form at `url`, in `language` when given, and waits
 * for `ready` (the desktop's status select unless given; null: no wait). Returns
 * the response to the page's load.
 */
export async function signInPage(
  page: Page,
  url: string,
  who: Credentials,
  opts: { ready?: string | null; language?: "en" | "it" } = {},
): Promise<Response | null> {
  const response = await page.goto(url);
  if (opts.language) await page.selectOption("#login-language", opts.language);
  await page.fill("#login-email", who.email);
  await page.fill("#login-password", who.password);
  await page.click("#login-submit");
  const ready = opts.ready === undefined ? "#status-select" : opts.ready;
  if (ready !== null) await page.waitForSelector(ready);
  return response;
}

/** Signs in on a page of a fresh browser context (its own cookies, `context` options). */
export async function signedInPage(
  browser: Browser,
  url: string,
  who: Credentials,
  opts: { ready?: string | null; language?: "en" | "it"; context?: BrowserContextOptions } = {},
): Promise<Page> {
  const page = await (await browser.newContext(opts.context)).newPage();
  await signInPage(page, url, who, opts);
  return page;
}

/** Signs in through the API (200 expected); returns the session cookie pair. */
export async function apiLogin(url: string, who: Credentials): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  expect(res.status).toBe(200);
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

/**
 * One JSON call with the session cookie; fails the test when the status is not
 * `expected` (any 2xx when not given). Returns the parsed answer (null when empty).
 */
export async function apiCall<T = unknown>(
  url: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  expected?: number,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { Cookie: cookie, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (expected === undefined ? !res.ok : res.status !== expected) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}

/** Clicks `selector` and returns the bytes of the file it downloads. */
export async function download(page: Page, selector: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return readFileSync(await file.path());
}

/** The text of one count of the customer import's summary. */
export function importCount(page: Page, key: string): Promise<string | null> {
  return page.locator(`#import-summary [data-count="${key}"] dd`).textContent();
}
