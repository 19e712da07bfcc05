/**
 * The product under load: a stack (wrangler dev + simulator + SMTP sink) seeded
 * for the bench, its M agents, and K customers playing Meta with signed webhooks.
 * Scenarios run against it and the exactly-once accounting reads it at the end.
 */
import { createHmac } from "node:crypto";
import { rmSync } from "node:fs";
import { textWebhook } from "../../test/kit/meta-payloads.ts";
import { DEMO } from "../demo-data.ts";
import { freshStateDir, type Stack, startStack } from "../stack.ts";
import { BenchAgent, benchText, idOf, login, replyText, Tracker } from "./agents.ts";
import { post } from "./load.ts";
import { AGENT_PASSWORD, agentEmail, customerPhone, preSeed } from "./seed.ts";

/** How the product is set up for a run. */
export interface ProductOptions {
  port: number;
  simPort: number;
  agents: number;
  maxConversations: number;
  customers: number;
  /** Stored customers with a closed conversation each, seeded before start. */
  history: number;
  build: boolean;
  /** wrangler dev's inspector port, for a CPU profile. */
  inspectorPort?: number;
  /** Mount the `/_drill/*` fault hooks (the drills). */
  drillHooks?: boolean;
  /** SEND_CONFIRM_WAIT_MS: how long a send without an answer waits for a status before the desk shows it not confirmed (Resend). */
  sendConfirmWaitMs?: number;
}

/** The end-of-run accounting; every list should be empty and every flag true. */
export interface Accounting {
  messagesSent: number;
  /** Ids whose frame count is not exactly 1 (id → count). */
  shownNotOnce: Record<string, number>;
  /** Ids stored (conversation API) not exactly once. */
  storedNotOnce: Record<string, number>;
  repliesAttempted: number;
  replyErrors: number;
  /** Replies shown not confirmed that the agents resent (each must still reach WhatsApp once). */
  resent: number;
  resendErrors: number;
  /** Replies at the simulator not exactly once (id → count). */
  repliedNotOnce: Record<string, number>;
  /** Per agent: max held from frames, max load reported, load at the end, limit. */
  capacity: {
    agent: number;
    maxHeld: number;
    maxReportedLoad: number;
    endLoad: number;
    max: number;
  }[];
  capacityOk: boolean;
  /** Message ids missing from any check above (not shown, stored or replied), and ids seen more than once in any. */
  lost: number;
  duplicated: number;
  /** WebSocket closes and seq gaps the agents recovered from by resuming, as the desktop does. */
  reconnects: number;
  gaps: number;
  ok: boolean;
}

const sign = (body: string) =>
  `sha256=${createHmac("sha256", "dev-app-secret").update(body).digest("hex")}`;

/** A webhook body with one text message per entry of `messages` ([customer, text]). */
export function webhookBody(messages: [string, string][]): string {
  return JSON.stringify(
    textWebhook(
      DEMO.number.phoneNumberId,
      messages.map(([from, text]) => ({ from, text, id: `wamid.bench.${crypto.randomUUID()}` })),
    ),
  );
}

/** Everything a run started that must stop with it, even on Ctrl-C. */
const running = new Set<{ stop(): unknown }>();
const stopAll = (code: number) =>
  void Promise.allSettled([...running].map((r) => r.stop())).then(() => process.exit(code));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopAll(130));
// A crash must not leave the stacks running either.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (err) => {
    console.error(event, err);
    stopAll(1);
  });
}

/** Stops `thing` with the run if the run is interrupted; returns it. */
export function stopOnSignal<T extends { stop(): unknown }>(thing: T): T {
  running.add(thing);
  return thing;
}

/** The product stack with its agents and customers. */
export class Product {
  readonly tracker = new Tracker();
  readonly agents: BenchAgent[] = [];
  readonly customers: string[];
  /** Customers a drill added (first-time writers), whose replies are accounted too. */
  readonly newcomers: string[] = [];
  readonly stack: Stack;
  readonly opts: ProductOptions;

  private readonly persistTo: string;

  private constructor(stack: Stack, opts: ProductOptions, persistTo: string) {
    this.stack = stack;
    this.opts = opts;
    this.persistTo = persistTo;
    this.customers = Array.from({ length: opts.customers }, (_, i) => customerPhone(i));
  }

  /** Seeds, starts the stack and the agents, and has every customer's conversation assigned. */
  static async start(opts: ProductOptions): Promise<Product> {
    const persistTo = freshStateDir(true);
    const t0 = performance.now();
    await preSeed(persistTo, opts);
    console.log(
      `  seeded ${opts.history} stored customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const stack = await startStack({
      port: opts.port,
      simPort: opts.simPort,
      persistTo,
      build: opts.build,
      quiet: true,
      ...(opts.inspectorPort ? { inspectorPort: opts.inspectorPort } : {}),
      ...(opts.drillHooks ? { drillHooks: true } : {}),
      // Offers are accepted at once; a long timeout keeps a slow accept from being a RONA.
      offerTimeoutSeconds: 120,
      ...(opts.sendConfirmWaitMs
        ? { vars: { SEND_CONFIRM_WAIT_MS: String(opts.sendConfirmWaitMs) } }
        : {}),
    });
    const product = stopOnSignal(new Product(stack, opts, persistTo));
    try {
      await product.startAgents();
      await product.assignAll();
    } catch (err) {
      await product.stop();
      throw err;
    }
    return product;
  }

  private async startAgents(): Promise<void> {
    for (let i = 0; i < this.opts.agents; i++) {
      const cookie = await login(this.stack.url, agentEmail(i), AGENT_PASSWORD);
      const agent = new BenchAgent(this.stack.url, cookie, this.tracker);
      await agent.start();
      this.agents.push(agent);
    }
  }

  /** Each customer writes once; agents accept the offers; resolves when all are held. */
  private async assignAll(): Promise<void> {
    for (const customer of this.customers) {
      this.tracker.offerWaiting.set(customer, performance.now());
      await this.webhook(webhookBody([[customer, `hello from ${customer}`]]));
    }
    const deadline = Date.now() + 60_000;
    while (this.agents.reduce((n, a) => n + a.conversations.size, 0) < this.customers.length) {
      if (Date.now() > deadline) {
        throw new Error(
          `only ${this.agents.reduce((n, a) => n + a.conversations.size, 0)} of ${this.customers.length} conversations assigned`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A signed-in administrator's session cookie (for checks through the admin API). */
  adminCookie(): Promise<string> {
    const admin = DEMO.users.find((u) => u.role === "admin")!;
    return login(this.stack.url, admin.email, admin.password);
  }

  /** POSTs a signed webhook; rejects unless 200. */
  webhook(body: string): Promise<void> {
    return post(`${this.stack.url}/webhooks/whatsapp`, body, {
      "Content-Type": "application/json",
      "X-Hub-Signature-256": sign(body),
    });
  }

  /** Sends message `id` from customer `i % K` (records the send time first). */
  send(id: string, i: number): { body: string; sent: Promise<void> } {
    const customer = this.customers[i % this.customers.length] ?? "";
    const body = webhookBody([[customer, benchText(id)]]);
    this.tracker.sentAt.set(id, performance.now());
    return { body, sent: this.webhook(body) };
  }

  /** Waits until every id in `ids` was shown to an agent (or `timeoutMs` passed). */
  async drainFrames(ids: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => !this.tracker.frames.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Outbound Graph sends at the simulator per customer: text → receivedAtMs list. */
  async simReplies(): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (const customer of [...this.customers, ...this.newcomers]) {
      const res = await fetch(`${this.stack.simUrl}/_sim/threads/${customer}`);
      const body = (await res.json()) as {
        messages: { direction: string; text: string; receivedAtMs?: number }[];
      };
      for (const m of body.messages) {
        if (m.direction !== "out") continue;
        out.set(m.text, [...(out.get(m.text) ?? []), m.receivedAtMs ?? Number.NaN]);
      }
    }
    return out;
  }

  /** Reply → Graph latencies (ms) for `ids`, waiting up to `timeoutMs` for them to arrive. */
  async replyLatencies(ids: string[], timeoutMs: number): Promise<number[]> {
    const expected = ids.filter((id) => this.tracker.replySentAt.has(id));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const replies = await this.simReplies();
      const missing = expected.filter((id) => !replies.has(replyText(id)));
      if (!missing.length || Date.now() > deadline) {
        return expected.flatMap((id) => {
          const at = replies.get(replyText(id))?.[0];
          const sent = this.tracker.replySentAt.get(id);
          return at === undefined || sent === undefined ? [] : [at - sent];
        });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Checks every bench message was shown and stored once, every reply sent once, no agent over its limit.
   * `only` restricts the messages and replies checked (a drill's own ids); capacity is always the whole run's.
   */
  async account(only: (id: string) => boolean = () => true): Promise<Accounting> {
    const { tracker } = this;
    const sent = [...tracker.sentAt.keys()].filter(only);
    const replied = [...tracker.replySentAt.keys()].filter(only);
    const shownNotOnce: Record<string, number> = {};
    for (const id of sent) {
      const n = tracker.frames.get(id) ?? 0;
      if (n !== 1) shownNotOnce[id] = n;
    }
    const stored = new Map<string, number>();
    for (const agent of this.agents) {
      for (const conversation of agent.conversations) {
        for (const text of await agent.storedTexts(conversation)) {
          const id = idOf(text);
          if (id) stored.set(id, (stored.get(id) ?? 0) + 1);
        }
      }
    }
    const storedNotOnce: Record<string, number> = {};
    for (const id of sent) {
      const n = stored.get(id) ?? 0;
      if (n !== 1) storedNotOnce[id] = n;
    }
    // Replies leave through the conversations' outboxes: give the last ones time to go,
    // and one the desk is about to show not confirmed the time to be resent.
    let replies = await this.simReplies();
    const deadline = Date.now() + 60_000 + (this.opts.sendConfirmWaitMs ?? 0);
    while (replied.some((id) => !replies.has(replyText(id))) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      replies = await this.simReplies();
    }
    const repliedNotOnce: Record<string, number> = {};
    for (const id of replied) {
      const n = replies.get(replyText(id))?.length ?? 0;
      if (n !== 1) repliedNotOnce[id] = n;
    }
    const capacity = await Promise.all(
      this.agents.map(async (a, i) => {
        const end = await a.desktopLoad();
        return {
          agent: i,
          maxHeld: a.maxHeld,
          maxReportedLoad: a.maxReportedLoad,
          endLoad: end.load,
          max: end.max,
        };
      }),
    );
    const capacityOk = capacity.every(
      (c) => c.maxHeld <= c.max && c.maxReportedLoad <= c.max && c.endLoad <= c.max,
    );
    const entries = [shownNotOnce, storedNotOnce, repliedNotOnce].flatMap((r) => Object.entries(r));
    const idsWhere = (bad: (n: number) => boolean) =>
      new Set(entries.filter(([, n]) => bad(n)).map(([id]) => id)).size;
    const ok =
      capacityOk &&
      !Object.keys(shownNotOnce).length &&
      !Object.keys(storedNotOnce).length &&
      !Object.keys(repliedNotOnce).length &&
      tracker.replyErrors === 0 &&
      tracker.resendErrors === 0;
    return {
      messagesSent: sent.length,
      shownNotOnce: firstOf(shownNotOnce),
      storedNotOnce: firstOf(storedNotOnce),
      repliesAttempted: replied.length,
      replyErrors: tracker.replyErrors,
      resent: tracker.resent,
      resendErrors: tracker.resendErrors,
      repliedNotOnce: firstOf(repliedNotOnce),
      capacity,
      capacityOk,
      lost: idsWhere((n) => n === 0),
      duplicated: idsWhere((n) => n > 1),
      reconnects: this.agents.reduce((n, a) => n + a.reconnects, 0),
      gaps: this.agents.reduce((n, a) => n + a.gaps, 0),
      ok,
    };
  }

  async stop(): Promise<void> {
    running.delete(this);
    for (const a of this.agents) a.stop();
    await this.stack.stop();
    rmSync(this.persistTo, { recursive: true, force: true });
  }
}

/** At most 20 entries (plus a count), so a broken run stays readable. */
function firstOf(r: Record<string, number>): Record<string, number> {
  const entries = Object.entries(r);
  if (entries.length <= 20) return r;
  return { ...Object.fromEntries(entries.slice(0, 20)), [`…${entries.length} in all`]: -1 };
}
