/**
 * Webhook delivery: serialise once (Meta-style escaped JSON), sign the exact
 * bytes, POST with retries and backoff, or queue in an outbox when no URL is set.
 */
import type { Json } from "./http.ts";
import { encodeMetaJson, signBody } from "./meta.ts";
import type { Timers } from "./state.ts";

/** A signed webhook waiting in the outbox; `signature` is the full header value `sha256=<hex>`. */
export interface OutboxItem {
  body: string;
  signature: string;
}

/** Outcome of the first delivery attempt. */
export interface DeliveryResult {
  delivered: boolean;
  /** HTTP status of the first attempt, null on network error or when queued in the outbox. */
  httpStatus: number | null;
}

/** Options for a {@link WebhookSender}. */
export interface WebhookSenderOptions {
  appSecret: string;
  webhookUrl?: string;
  timers: Timers;
  log: (line: string) => void;
}

/** Delays before each retry after a failed attempt; after the last one we give up. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const ATTEMPT_TIMEOUT_MS = 10_000;

/** Sends signed webhooks to the configured URL, or into an in-memory outbox. */
export class WebhookSender {
  #opts: WebhookSenderOptions;
  #outbox: OutboxItem[] = [];
  #abort = new AbortController();

  constructor(opts: WebhookSenderOptions) {
    this.#opts = opts;
  }

  /**
   * Serialises and signs `payload`, then delivers it. Resolves with the first
   * attempt's result; retries continue in the background.
   */
  send(payload: Json): Promise<DeliveryResult> {
    const body = encodeMetaJson(payload);
    const item: OutboxItem = { body, signature: signBody(this.#opts.appSecret, body) };
    const url = this.#opts.webhookUrl;
    if (!url) {
      this.#outbox.push(item);
      return Promise.resolve({ delivered: false, httpStatus: null });
    }
    return this.#attempt(url, item, 0);
  }

  /** Queued webhooks (outbox mode), oldest first. */
  outbox(): OutboxItem[] {
    return [...this.#outbox];
  }

  /**
   * Returns and removes the queued webhooks, or only those whose body mentions
   * `phoneNumberId`, or whose entry is the WhatsApp Business Account `wabaId`
   * (template status updates name no number), so concurrent test files each
   * take their own.
   */
  drain(filter: { phoneNumberId?: string; wabaId?: string } = {}): OutboxItem[] {
    const { phoneNumberId, wabaId } = filter;
    if (!phoneNumberId && !wabaId) return this.#outbox.splice(0, this.#outbox.length);
    const needle = phoneNumberId
      ? `"phone_number_id":"${phoneNumberId}"`
      : `"entry":[{"id":"${wabaId}"`;
    const taken = this.#outbox.filter((i) => i.body.includes(needle));
    const kept = this.#outbox.filter((i) => !i.body.includes(needle));
    this.#outbox.splice(0, this.#outbox.length, ...kept);
    return taken;
  }

  /** Empties the outbox. */
  clear(): void {
    this.#outbox.length = 0;
  }

  /** Aborts in-flight requests; no further attempts are made. */
  close(): void {
    this.#abort.abort();
  }

  async #attempt(url: string, item: OutboxItem, attempt: number): Promise<DeliveryResult> {
    if (this.#abort.signal.aborted) return { delivered: false, httpStatus: null };
    const httpStatus = await this.#post(url, item);
    const delivered = httpStatus === 200;
    if (delivered) return { delivered, httpStatus };
    const delay = RETRY_DELAYS_MS[attempt];
    const why = httpStatus === null ? "network error" : `HTTP ${httpStatus}`;
    if (delay === undefined) {
      this.#opts.log(`[sim] webhook given up after ${attempt + 1} attempts (${why})`);
    } else if (!this.#abort.signal.aborted) {
      this.#opts.log(`[sim] webhook attempt ${attempt + 1} failed (${why}); retry in ${delay} ms`);
      this.#opts.timers.later(delay, async () => {
        await this.#attempt(url, item, attempt + 1);
      });
    }
    return { delivered, httpStatus };
  }

  /** One POST; returns the HTTP status or null on network error / timeout. */
  async #post(url: string, item: OutboxItem): Promise<number | null> {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Hub-Signature-256": item.signature,
          "User-Agent": "facebookexternalua",
        },
        body: item.body,
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return null;
    }
  }
}
