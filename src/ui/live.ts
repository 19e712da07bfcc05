/**
 * The desktop's WebSocket to its agent actor: resume from the last applied seq on every
 * (re)connect, ping to keep proxies from idling the socket out, reconnect with capped,
 * jittered exponential backoff, and drop any frame that does not match the protocol.
 * The desk's hot actions (send, accept, read) travel over it too (`act`), answered
 * by a `result` frame; without an open socket or an answer they go over HTTP.
 */

import type { ActionResult, ClientFrame } from "../shared/protocol.ts";
import { ServerEvent } from "../shared/protocol.ts";
import { ApiError, NetworkError } from "./api.ts";

/** An action frame before its `ref` is given (ClientFrame's members that carry one). */
export type Action = ClientFrame extends infer F
  ? F extends { ref: string }
    ? Omit<F, "ref">
    : never
  : never;

export type ConnectionState = "connecting" | "live" | "reconnecting";

export interface LiveOptions {
  /** Seq of the last event applied to the state, read synchronously on every frame. */
  getLastSeq(): number | null;
  /** Receives every valid, in-order event (snapshots included); not called for duplicates. */
  onEvent(event: ServerEvent): void;
  onStateChange(state: ConnectionState): void;
  /**
   * Asked after repeated failed attempts; resolve false to stop reconnecting (the session
   * is gone and the app is going back to Login).
   */
  checkSession?(): Promise<boolean>;
  /** Defaults to `/api/ws` on this origin. */
  url?: string;
}

const PING_INTERVAL_MS = 25_000;
/** Two missed pongs and then some: the socket is dead even if the browser has not noticed. */
const STALE_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** Failed attempts in a row before we ask whether the session still exists. */
const SESSION_CHECK_AFTER = 2;
/** The close code the server uses when the socket's session ended. */
const SESSION_ENDED = 4001;
/** An action without its result by then is given up on the socket (and repeated over HTTP). */
const ACTION_TIMEOUT_MS = 10_000;

interface Pending {
  resolve: (result: ActionResult) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 10 s, with "equal
 * jitter" (half fixed, half random) so a fleet of desktops does not reconnect in lockstep.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** The WebSocket URL for a path on this page's origin (wss on https). */
export function socketUrl(path: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/** One live connection; `start()` once, `stop()` on logout or unmount. */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private stopped = false;
  private state: ConnectionState | null = null;
  /** Actions sent and not yet answered, by ref. */
  private readonly pending = new Map<string, Pending>();
  private nextRef = 0;

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    this.stopped = false;
    if (typeof window !== "undefined") window.addEventListener("online", this.handleOnline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (typeof window !== "undefined") window.removeEventListener("online", this.handleOnline);
    this.clearRetry();
    this.dropSocket();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState(this.attempt === 0 && this.state === null ? "connecting" : "reconnecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url ?? socketUrl("/api/ws"));
    } catch (error) {
      console.warn("WebSocket could not be created", error);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.lastFrameAt = Date.now();
      this.send({ type: "resume", lastSeq: this.options.getLastSeq() });
      this.setState("live");
      this.pingTimer = setInterval(() => this.heartbeat(), PING_INTERVAL_MS);
    };
    socket.onmessage = (message: MessageEvent) => this.receive(message.data);
    socket.onerror = () => {
      // The close event follows with the details; reconnection is handled there.
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      console.info(`WebSocket closed (${event.code}${event.reason ? ` ${event.reason}` : ""})`);
      this.dropSocket();
      // The server ended the session (logout, password change, expiry): ask at once
      // whether it is gone rather than after a few failed reconnects.
      if (event.code === SESSION_ENDED) this.attempt = Math.max(this.attempt, SESSION_CHECK_AFTER);
      this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    this.lastFrameAt = Date.now();
    if (typeof data !== "string") {
      console.warn("Ignoring a non-text frame");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn("Ignoring a frame that is not JSON", data.slice(0, 200));
      return;
    }
    const parsed = ServerEvent.safeParse(json);
    if (!parsed.success) {
      console.warn("Ignoring a frame outside the protocol", parsed.error.issues, json);
      return;
    }
    const event = parsed.data;
    switch (event.type) {
      case "pong":
        return;
      case "result": {
        const pending = this.pending.get(event.ref);
        if (!pending) return; // given up on already (timed out)
        this.pending.delete(event.ref);
        clearTimeout(pending.timer);
        pending.resolve(event);
        return;
      }
      case "error": {
        console.warn(`Server error on the live connection: ${event.code} ${event.message}`);
        // An action the server could not read: it gets no result, so it goes over HTTP
        // (whose answer names the field in the user's language).
        const pending = event.ref === undefined ? undefined : this.pending.get(event.ref);
        if (pending && event.ref !== undefined) {
          this.pending.delete(event.ref);
          clearTimeout(pending.timer);
          pending.reject(new NetworkError("the live connection could not read the action"));
        }
        return;
      }
      case "snapshot":
        this.attempt = 0;
        this.options.onEvent(event);
        return;
      default: {
        const lastSeq = this.options.getLastSeq();
        if (lastSeq !== null && event.seq <= lastSeq) return; // replayed duplicate
        if (lastSeq !== null && event.seq > lastSeq + 1) {
          // Something went missing in between: reconnecting resumes from what we have,
          // and the server replays the rest (or sends a fresh snapshot).
          console.warn(`Event gap: have ${lastSeq}, got ${event.seq}; resuming`);
          this.dropSocket();
          this.scheduleReconnect();
          return;
        }
        this.attempt = 0;
        this.options.onEvent(event);
      }
    }
  }

  private heartbeat(): void {
    if (Date.now() - this.lastFrameAt > STALE_AFTER_MS) {
      console.warn("WebSocket silent for too long; reconnecting");
      this.dropSocket();
      this.scheduleReconnect();
      return;
    }
    this.send({ type: "ping" });
  }

  /** Sends a frame if the socket is open; false when it is not (the caller may use HTTP). */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends an action and resolves with its `result` frame; rejects with a
   * NetworkError when the socket is not open, closes first, or no answer
   * comes within ACTION_TIMEOUT_MS (the action may or may not have run).
   */
  request(action: Action): Promise<ActionResult> {
    const ref = `a${++this.nextRef}`;
    return new Promise((resolve, reject) => {
      if (!this.send({ ...action, ref } as ClientFrame)) {
        reject(new NetworkError("the live connection is not open"));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new NetworkError("no answer on the live connection"));
      }, ACTION_TIMEOUT_MS);
      this.pending.set(ref, { resolve, reject, timer });
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.setState("reconnecting");
    const attempt = this.attempt++;
    const timer: ReturnType<typeof setTimeout> = setTimeout(async () => {
      if (attempt >= SESSION_CHECK_AFTER && this.options.checkSession) {
        const alive = await this.options.checkSession().catch(() => true);
        if (!alive) {
          this.stop();
          return;
        }
      }
      // Superseded while we were asking (stopped, or "online" already reconnected).
      if (this.retryTimer !== timer) return;
      this.retryTimer = null;
      this.connect();
    }, backoffDelayMs(attempt));
    this.retryTimer = timer;
  }

  private readonly handleOnline = (): void => {
    // The network came back: skip whatever backoff is left.
    if (this.socket !== null || this.stopped) return;
    this.clearRetry();
    this.attempt = 0;
    this.connect();
  };

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Detaches and closes the current socket without triggering its close handler. */
  private dropSocket(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const [ref, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(ref);
      pending.reject(new NetworkError("the live connection closed"));
    }
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      socket.close(1000);
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange(state);
  }
}

/**
 * Runs a desk action over the live connection when it is open, else (or when
 * the socket gave no answer, or the server could not run it) over HTTP
 * (`http`, the same action's route: a send is idempotent by its clientId).
 * Resolves with `pick` of the result (what the route would answer); a refusal
 * rejects with its ApiError.
 */
export async function act<T>(
  live: LiveConnection | null,
  action: Action,
  pick: (result: ActionResult) => T,
  http: () => Promise<T>,
): Promise<T> {
  if (live) {
    try {
      const result = await live.request(action);
      const { error } = result;
      if (!error) return pick(result);
      if (error.status < 500) throw new ApiError(error.status, error.code, error.message);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    }
  }
  return http();
}

/** What a `result` frame must carry for its action; a frame without it is the server's fault. */
export function answered<T>(value: T | undefined): T {
  if (value === undefined)
    throw new ApiError(500, "bad_response", "Unexpected answer on the live connection");
  return value;
}
