/**
 * M agents on the desktop's real protocol: sign in, set Ready, hold the live
 * WebSocket (`/api/ws`, `resume`), accept every offer, answer every customer
 * message once, and record when each frame arrived. Also tracks, from the frames
 * alone, how many offers + conversations each agent held at any moment.
 */
import { z } from "zod";

/**
 * The parts of the desktop's server events (src/shared/protocol.ts `ServerEvent`)
 * the bench reads. Restated here because that module's extensionless imports do
 * not load in Node; the type check below keeps the two from drifting.
 */
const Agent = z.looseObject({ id: z.string(), load: z.number(), maxConversations: z.number() });
const ServerEventSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("snapshot"),
    snapshot: z.looseObject({
      seq: z.number(),
      agent: Agent,
      offers: z.array(z.looseObject({ conversationId: z.string() })),
      conversations: z.array(z.looseObject({ id: z.string() })),
    }),
  }),
  z.looseObject({ type: z.literal("agent"), agent: Agent }),
  z.looseObject({
    type: z.literal("offer"),
    offer: z.looseObject({ conversationId: z.string(), customerPhone: z.string().nullable() }),
  }),
  z.looseObject({ type: z.literal("offer_withdrawn"), conversationId: z.string() }),
  z.looseObject({
    type: z.literal("conversation"),
    conversation: z.looseObject({
      id: z.string(),
      state: z.string(),
      agentId: z.string().nullable(),
    }),
  }),
  z.looseObject({
    type: z.literal("message"),
    conversationId: z.string(),
    message: z.looseObject({
      id: z.string().optional(),
      seq: z.number().optional(),
      direction: z.string(),
      text: z.string(),
      status: z.string().nullable().optional(),
    }),
  }),
  z.looseObject({ type: z.literal("pong") }),
  z.looseObject({ type: z.literal("error"), code: z.string(), message: z.string() }),
  z.looseObject({
    type: z.literal("result"),
    ref: z.string(),
    error: z.looseObject({ status: z.number() }).optional(),
  }),
]);
type ServerEvent = z.infer<typeof ServerEventSchema>;
type ResultFrame = Extract<ServerEvent, { type: "result" }>;
// Compile-time only: every real event must satisfy the bench's view of it.
type _Check = import("../../src/shared/protocol.ts").ServerEvent extends ServerEvent ? true : never;
const _check: _Check = true;
void _check;

/** The bench's shared bookkeeping: what was sent when, and what the agents saw. */
export class Tracker {
  /** Message id → performance.now() when its webhook POST started. */
  readonly sentAt = new Map<string, number>();
  /** Message id → how many `message` frames carried it. */
  readonly frames = new Map<string, number>();
  /** Message id → conversation it arrived in. */
  readonly conversationOf = new Map<string, string>();
  /** Webhook sent → frame received, ms, for the current window. */
  endToEnd: number[] = [];
  /** Message id → Date.now() when the agent sent its reply (on the socket, or POSTed). */
  readonly replySentAt = new Map<string, number>();
  replyErrors = 0;
  /**
   * Replies the desk marked not confirmed (no answer and no status from
   * WhatsApp within SEND_CONFIRM_WAIT_MS) that the agent sent again with
   * Resend, as the desk offers; and Resend requests that failed.
   */
  resent = 0;
  resendErrors = 0;
  /** Customer phone (digits) → performance.now() of their first message, until the offer. */
  readonly offerWaiting = new Map<string, number>();
  readonly offerLatency: number[] = [];
  /** Whether agents answer messages (off for the burst, which only measures delivery). */
  replying = true;
}

/** The text of bench message `id`: the id travels in the body so the frame can be matched. */
export const benchText = (id: string) => `bench:${id}:`;
/** The bench message id inside a text, if it is one. */
export const idOf = (text: string) => /^bench:([\w.-]+):/.exec(text)?.[1];
/** The text of the agent's reply to message `id`. */
export const replyText = (id: string) => `re:${id}`;

/** Signs in; returns the session cookie. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  const cookie = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  if (res.status !== 200 || !cookie) throw new Error(`login of ${email} answered ${res.status}`);
  return cookie;
}

/** One simulated agent at the desktop. */
export class BenchAgent {
  readonly offers = new Set<string>();
  readonly conversations = new Set<string>();
  /** Largest offers + conversations seen at once, from the frames. */
  maxHeld = 0;
  /** Largest `load` the agent actor reported in `agent` frames. */
  maxReportedLoad = 0;
  maxConversations = 0;
  badFrames = 0;
  private myId: string | undefined;
  private ws: WebSocket | undefined;

  readonly url: string;
  readonly cookie: string;
  readonly tracker: Tracker;

  constructor(url: string, cookie: string, tracker: Tracker) {
    this.url = url;
    this.cookie = cookie;
    this.tracker = tracker;
  }

  private get headers() {
    return { Cookie: this.cookie, "Content-Type": "application/json" };
  }

  /** Sets Ready and opens the WebSocket; resolves on the first snapshot. */
  async start(): Promise<void> {
    const res = await fetch(`${this.url}/api/me/status`, {
      method: "POST",
      headers: this.headers,
      body: JSON.stringify({ status: "ready" }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ready answered ${res.status}`);
    await new Promise<void>((resolve, reject) => {
      this.firstSnapshot = resolve;
      this.connect(reject);
    });
  }

  /** The desktop's event seq this agent is current to (null before the first snapshot). */
  private lastSeq: number | null = null;
  /**
   * Per conversation, the message seqs seen: every one up to `upTo`, and those
   * above it. Not a high-water mark: live frames can overtake a catch-up fetch,
   * and a mark moved by them would hide the older messages the fetch brings.
   */
  private readonly seenMessages = new Map<string, { upTo: number; above: Set<number> }>();
  private firstSnapshot: (() => void) | undefined;
  private stopped = false;
  /** Times the socket closed under us, or a seq gap made us resume (as the desktop does). */
  reconnects = 0;
  gaps = 0;

  /** Opens the socket and resumes from `lastSeq`, like src/ui/live.ts. */
  private connect(fail?: (err: Error) => void): void {
    // Node's WebSocket (undici) takes headers as an extension of the browser API.
    const init = { headers: { Cookie: this.cookie } } as unknown as string[];
    const ws = new WebSocket(`${this.url.replace(/^http/, "ws")}/api/ws`, init);
    this.ws = ws;
    ws.addEventListener("open", () =>
      ws.send(JSON.stringify({ type: "resume", lastSeq: this.lastSeq })),
    );
    ws.addEventListener("error", () => fail?.(new Error("WebSocket failed")));
    ws.addEventListener("close", () => {
      for (const [ref, answer] of this.pending) {
        this.pending.delete(ref);
        answer(null);
      }
      if (this.ws !== ws || this.stopped) return;
      this.reconnects += 1;
      setTimeout(() => this.connect(), 200);
    });
    ws.addEventListener("message", (e) => {
      if (this.ws !== ws) return;
      const parsed = ServerEventSchema.safeParse(JSON.parse(String(e.data)));
      if (!parsed.success) {
        this.badFrames += 1;
        return;
      }
      const event = parsed.data;
      if (event.type === "result") {
        this.pending.get(event.ref)?.(event);
        return;
      }
      if (event.type === "snapshot") {
        const resumed = this.lastSeq !== null;
        this.lastSeq = event.snapshot.seq;
        this.onEvent(event);
        if (resumed) void this.catchUp(event.snapshot.conversations);
        this.firstSnapshot?.();
        this.firstSnapshot = undefined;
        return;
      }
      if (!("seq" in event) || typeof event.seq !== "number") return;
      if (this.lastSeq !== null && event.seq <= this.lastSeq) return; // replayed duplicate
      if (this.lastSeq !== null && event.seq > this.lastSeq + 1) {
        // Something went missing: resume from what we have (the server replays or snapshots).
        this.gaps += 1;
        ws.close();
        return;
      }
      this.lastSeq = event.seq;
      this.onEvent(event);
    });
  }

  /** After a fresh snapshot: fetch each conversation's messages we have not seen, as the desktop does. */
  private async catchUp(conversations: { id: string; lastSeq?: unknown }[]): Promise<void> {
    for (const c of conversations) {
      const after = this.seenMessages.get(c.id)?.upTo ?? 0;
      if (typeof c.lastSeq === "number" && c.lastSeq <= after) continue;
      const { body } = (await attempt(
        `${this.url}/api/conversations/${c.id}/messages?after=${after}`,
        { headers: this.headers },
      )) as { body: { messages?: { seq: number; direction: string; text: string }[] } | null };
      for (const m of body?.messages ?? []) {
        this.onEvent({ type: "message", seq: 0, conversationId: c.id, message: m });
      }
    }
  }

  /** Records message `seq` of `conversationId` as seen; false if it already was. */
  private markSeen(conversationId: string, seq: number): boolean {
    let seen = this.seenMessages.get(conversationId);
    if (!seen) {
      seen = { upTo: 0, above: new Set() };
      this.seenMessages.set(conversationId, seen);
    }
    if (seq <= seen.upTo || seen.above.has(seq)) return false;
    seen.above.add(seq);
    while (seen.above.delete(seen.upTo + 1)) seen.upTo += 1;
    return true;
  }

  private held() {
    this.maxHeld = Math.max(this.maxHeld, this.offers.size + this.conversations.size);
  }

  private onEvent(event: ServerEvent): void {
    const now = performance.now();
    switch (event.type) {
      case "snapshot":
        this.myId = event.snapshot.agent.id;
        this.maxConversations = event.snapshot.agent.maxConversations;
        for (const o of event.snapshot.offers) this.offers.add(o.conversationId);
        for (const c of event.snapshot.conversations) this.conversations.add(c.id);
        this.held();
        break;
      case "agent":
        this.maxConversations = event.agent.maxConversations;
        this.maxReportedLoad = Math.max(this.maxReportedLoad, event.agent.load);
        break;
      case "offer": {
        this.offers.add(event.offer.conversationId);
        this.held();
        const phone = (event.offer.customerPhone ?? "").replace(/^\+/, "");
        const t0 = this.tracker.offerWaiting.get(phone);
        if (t0 !== undefined) {
          this.tracker.offerLatency.push(now - t0);
          this.tracker.offerWaiting.delete(phone);
        }
        void this.accept(event.offer.conversationId);
        break;
      }
      case "offer_withdrawn":
        this.offers.delete(event.conversationId);
        break;
      case "conversation": {
        const c = event.conversation;
        this.offers.delete(c.id);
        if (c.state === "closed" || c.agentId !== this.myId) {
          this.conversations.delete(c.id);
        } else if (!this.conversations.has(c.id)) {
          this.conversations.add(c.id);
          // Newly ours: load what the customer wrote before, as the desktop does on opening it.
          void this.catchUp([{ id: c.id }]);
        }
        this.held();
        break;
      }
      case "message": {
        const m = event.message;
        if (m.direction === "out" && m.status === "unconfirmed" && m.id) {
          void this.resend(event.conversationId, m.id, m.text);
        }
        // Status updates re-send a message; only a new seq is a new message shown.
        if (typeof m.seq === "number" && !this.markSeen(event.conversationId, m.seq)) break;
        if (m.direction !== "in") break;
        const id = idOf(m.text);
        if (!id) break;
        const sent = this.tracker.sentAt.get(id);
        if (sent !== undefined) this.tracker.endToEnd.push(now - sent);
        this.tracker.frames.set(id, (this.tracker.frames.get(id) ?? 0) + 1);
        this.tracker.conversationOf.set(id, event.conversationId);
        if (this.tracker.replying) void this.reply(event.conversationId, id);
        break;
      }
      default:
        break;
    }
  }

  /** Actions sent on the socket and not yet answered, by ref. */
  private readonly pending = new Map<string, (result: ResultFrame | null) => void>();
  private nextRef = 0;

  /**
   * An action over the socket, as the desktop sends it (src/ui/live.ts `act`):
   * its result, or null without an open socket or an answer within 10 s (the
   * caller then makes the HTTP request, as the desktop does).
   */
  private action(frame: Record<string, unknown>): Promise<ResultFrame | null> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    const ref = `b${++this.nextRef}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        resolve(null);
      }, 10_000);
      this.pending.set(ref, (result) => {
        clearTimeout(timer);
        this.pending.delete(ref);
        resolve(result);
      });
      ws.send(JSON.stringify({ ...frame, ref }));
    });
  }

  /** Accepts an offer on the socket, else over HTTP (a request the overloaded stack dropped is made again). */
  private async accept(conversationId: string): Promise<void> {
    const result = await this.action({ type: "accept", conversationId });
    if (result && (result.error?.status ?? 0) < 500) return;
    await attempt(`${this.url}/api/offers/${conversationId}/accept`, {
      method: "POST",
      headers: this.headers,
    });
  }

  /**
   * Replies to message `id` on the socket, as the desktop does. Without an
   * answer there (or with a 5xx) it is sent over HTTP with the same clientId,
   * and a failed POST (an actor restarting under it) again, as the desktop's
   * retry would: the server stores it once.
   */
  private async reply(conversationId: string, id: string): Promise<void> {
    this.tracker.replySentAt.set(id, Date.now());
    const clientId = crypto.randomUUID();
    const result = await this.action({
      type: "send",
      conversationId,
      clientId,
      text: replyText(id),
    });
    if (result && !result.error) return;
    if (result?.error && result.error.status < 500) {
      this.tracker.replyErrors += 1;
      return;
    }
    const body = JSON.stringify({ clientId, text: replyText(id) });
    const { status } = await attempt(`${this.url}/api/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: this.headers,
      body,
    });
    if (status === 0 || status >= 300) this.tracker.replyErrors += 1;
  }

  /** Our messages this agent has resent (a replayed frame must not resend again). */
  private readonly resentIds = new Set<string>();

  /**
   * Resends a reply the desk shows as not confirmed, once, as an agent does
   * with Resend: the first send got no answer (an overloaded stack's Graph
   * call can time out before it is written) and no status came, so nothing
   * says WhatsApp has it. The server resends a message once at most.
   */
  private async resend(conversationId: string, messageId: string, text: string): Promise<void> {
    if (!text.startsWith(replyText("")) || this.resentIds.has(messageId)) return;
    this.resentIds.add(messageId);
    this.tracker.resent += 1;
    const { status } = await attempt(
      `${this.url}/api/conversations/${conversationId}/messages/${messageId}/resend`,
      {
        method: "POST",
        headers: this.headers,
        body: JSON.stringify({ clientId: crypto.randomUUID() }),
      },
    );
    if (status === 0 || status >= 300) this.tracker.resendErrors += 1;
  }

  /** The agent's user id (known from the first snapshot). */
  get id(): string | undefined {
    return this.myId;
  }

  /** Messages of `conversationId` as stored by its actor (via the API); `status` is the outbound tick. */
  async storedMessages(
    conversationId: string,
  ): Promise<{ direction: string; text: string; status?: string | null }[]> {
    const res = await fetch(`${this.url}/api/conversations/${conversationId}/messages`, {
      headers: this.headers,
    });
    const body = (await res.json()) as {
      messages?: { direction: string; text: string; status?: string | null }[];
    };
    return body.messages ?? [];
  }

  /** Inbound messages of `conversationId` as stored by its actor (via the API). */
  async storedTexts(conversationId: string): Promise<string[]> {
    const messages = await this.storedMessages(conversationId);
    return messages.filter((m) => m.direction === "in").map((m) => m.text);
  }

  /** `GET /api/desktop`: the agent actor's own load and limit. */
  async desktopLoad(): Promise<{ load: number; max: number }> {
    const res = await fetch(`${this.url}/api/desktop`, { headers: this.headers });
    const body = (await res.json()) as { agent: { load: number; maxConversations: number } };
    return { load: body.agent.load, max: body.agent.maxConversations };
  }

  /**
   * Drops the agent's connection without warning (a drill's fault): the socket is
   * abandoned at once, whatever it still carries, and the agent resumes as after
   * any drop. Not left to the `close` event: a socket closed while still
   * connecting never reports it in Node's WebSocket, and would stay dead.
   */
  drop(): void {
    const ws = this.ws;
    if (!ws || this.stopped) return;
    this.ws = undefined;
    ws.close();
    this.reconnects += 1;
    setTimeout(() => this.connect(), 200);
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }
}

/**
 * A request made up to 5 times while the answer is a network error or a 5xx
 * (an overloaded local stack drops connections, or cuts an answer off): the
 * last status (0: no answer) and its JSON body (null when not JSON). Never
 * rejects: the run goes on and the accounting shows what a request that
 * never got through left undone.
 */
async function attempt(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  for (let n = 1; ; n++) {
    const answer = await fetch(url, init)
      .then(async (res) => ({ status: res.status, text: await res.text() }))
      .catch(() => ({ status: 0, text: "" }));
    if ((answer.status > 0 && answer.status < 500) || n === 5) {
      try {
        return { status: answer.status, body: JSON.parse(answer.text) as unknown };
      } catch {
        return { status: answer.status, body: null };
      }
    }
    await new Promise((r) => setTimeout(r, 300 * n));
  }
}
