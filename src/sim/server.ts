/**
 * Meta WhatsApp Cloud API simulator: a plain Node HTTP server that plays both
 * Meta's Graph API (for the Worker) and the customer's phone (for tests and demos),
 * and sends signed webhooks like Meta does. Run with `node src/sim/server.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConnectionDropped, listPhoneNumbers, postAccounts } from "./accounts.ts";
import type { Handler, SimContext } from "./context.ts";
import {
  deleteFaults,
  drainOutbox,
  getFaults,
  getOutbox,
  getThread,
  postFaults,
  postInbound,
  postRawWebhook,
  postReset,
  postThreadRead,
} from "./customer.ts";
import {
  deleteMedia,
  downloadMedia,
  getObject,
  postMedia,
  postMessages,
  redirectMedia,
  storeMedia,
} from "./graph-routes.ts";
import { HttpError, readBody, send, sendJson } from "./http.ts";
import { phonePage } from "./phone-page.ts";
import { MEDIA_URL_STYLES, type MediaUrlStyle, SimState, Timers } from "./state.ts";
import {
  deleteTemplates,
  editTemplate,
  listTemplates,
  postReview,
  postTemplate,
} from "./template-store.ts";
import { WebhookSender } from "./webhook-sender.ts";

/** Options of {@link startSimulator}. */
export interface SimOptions {
  /** Port to listen on; 0 (default) picks a random free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Meta App Secret used to sign webhooks (`X-Hub-Signature-256`). */
  appSecret: string;
  /** Where to POST signed webhooks; without it they are queued in the outbox. */
  webhookUrl?: string;
  /** If set, `read` follows `delivered` after this many ms even without the phone page. */
  autoReadMs?: number;
  /** If set, submitted templates are APPROVED (status webhook included) after this many ms. */
  autoReviewMs?: number;
  /** Logger for delivery problems; default `console.error`. */
  log?: (line: string) => void;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:43123` (Graph API lives under `/v23.0`). */
  url: string;
  /** Stops the server, pending timers and in-flight webhook deliveries. */
  close(): Promise<void>;
}

/**
 * `POST /_sim/media[?url=direct|other-host|redirect|redirect-other-host]` — stores raw
 * bytes (Content-Type header) as media for phone-originated messages; `url` chooses where
 * the media lookup points its download (see MediaItem.urlStyle).
 */
const postSimMedia: Handler = async (ctx, req, res) => {
  const mime = req.headers["content-type"] ?? "application/octet-stream";
  const style = new URL(req.url ?? "/", "http://sim").searchParams.get("url") ?? "direct";
  if (!(MEDIA_URL_STYLES as readonly string[]).includes(style)) {
    throw new HttpError(400, { error: `url must be one of ${MEDIA_URL_STYLES.join(", ")}` });
  }
  const bytes = await readBody(req, 100 * 1024 * 1024);
  const item = storeMedia(ctx, bytes, mime, style as MediaUrlStyle);
  sendJson(res, 200, { id: item.id, mime_type: item.mimeType, sha256: item.sha256 });
};

/** `GET /_sim/media/:id` — how often the file's bytes, and its redirect, were requested. */
const getSimMedia: Handler = (ctx, _req, res, [id = ""]) => {
  const item = ctx.state.media.get(id);
  if (!item) throw new HttpError(404, { error: `no media ${id}` });
  sendJson(res, 200, { id: item.id, downloads: item.downloads, redirects: item.redirects });
};

const healthz: Handler = (_ctx, _req, res) => send(res, 200, "text/plain; charset=utf-8", "ok");
const phone: Handler = (_ctx, _req, res) => send(res, 200, "text/html; charset=utf-8", phonePage());

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const V = "/v\\d+(?:\\.\\d+)?";
const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/healthz$/, handler: healthz },
  { method: "GET", pattern: /^\/phone\/?$/, handler: phone },
  { method: "POST", pattern: new RegExp(`^${V}/([^/]+)/messages$`), handler: postMessages },
  { method: "POST", pattern: new RegExp(`^${V}/([^/]+)/media$`), handler: postMedia },
  {
    method: "POST",
    pattern: new RegExp(`^${V}/([^/]+)/message_templates$`),
    handler: postTemplate,
  },
  {
    method: "GET",
    pattern: new RegExp(`^${V}/([^/]+)/message_templates$`),
    handler: listTemplates,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^${V}/([^/]+)/message_templates$`),
    handler: deleteTemplates,
  },
  { method: "POST", pattern: new RegExp(`^${V}/(\\d+)$`), handler: editTemplate },
  {
    method: "GET",
    pattern: new RegExp(`^${V}/([^/]+)/phone_numbers$`),
    handler: listPhoneNumbers,
  },
  { method: "GET", pattern: new RegExp(`^${V}/([^/]+)$`), handler: getObject },
  { method: "DELETE", pattern: new RegExp(`^${V}/([^/]+)$`), handler: deleteMedia },
  { method: "GET", pattern: /^\/media-download\/([^/]+)$/, handler: downloadMedia },
  { method: "GET", pattern: /^\/media-redirect\/([^/]+)$/, handler: redirectMedia },
  { method: "POST", pattern: /^\/_sim\/inbound$/, handler: postInbound },
  { method: "POST", pattern: /^\/_sim\/webhook$/, handler: postRawWebhook },
  { method: "POST", pattern: /^\/_sim\/media$/, handler: postSimMedia },
  { method: "GET", pattern: /^\/_sim\/media\/([^/]+)$/, handler: getSimMedia },
  { method: "GET", pattern: /^\/_sim\/threads\/([^/]+)$/, handler: getThread },
  { method: "POST", pattern: /^\/_sim\/threads\/([^/]+)\/read$/, handler: postThreadRead },
  { method: "POST", pattern: /^\/_sim\/faults$/, handler: postFaults },
  { method: "GET", pattern: /^\/_sim\/faults$/, handler: getFaults },
  { method: "DELETE", pattern: /^\/_sim\/faults$/, handler: deleteFaults },
  { method: "GET", pattern: /^\/_sim\/outbox$/, handler: getOutbox },
  { method: "POST", pattern: /^\/_sim\/outbox\/drain$/, handler: drainOutbox },
  { method: "POST", pattern: /^\/_sim\/reset$/, handler: postReset },
  { method: "POST", pattern: /^\/_sim\/accounts$/, handler: postAccounts },
  { method: "POST", pattern: /^\/_sim\/templates\/([^/]+)\/review$/, handler: postReview },
];

function findRoute(method: string, path: string): { handler: Handler; params: string[] } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { handler: route.handler, params: match.slice(1).map(decodeURIComponent) };
  }
  return null;
}

async function handle(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://sim").pathname;
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  try {
    const route = findRoute(method, path);
    if (!route) {
      sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
      return;
    }
    await route.handler(ctx, req, res, route.params);
  } catch (err) {
    if (err instanceof HttpError) {
      sendJson(res, err.status, err.body);
    } else if (err instanceof ConnectionDropped) {
      // The fault already closed the socket: Meta never answered.
    } else {
      ctx.log(
        `[sim] ${req.method} ${path} failed: ${err instanceof Error ? err.stack : String(err)}`,
      );
      if (!res.headersSent) sendJson(res, 500, { error: "internal simulator error" });
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts a simulator; resolves once it is listening. */
export async function startSimulator(opts: SimOptions): Promise<Simulator> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? ((line: string) => console.error(line));
  const timers = new Timers();
  const webhooks = new WebhookSender({
    appSecret: opts.appSecret,
    timers,
    log,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
  });
  const ctx: SimContext = {
    state: new SimState(),
    timers,
    webhooks,
    appSecret: opts.appSecret,
    baseUrl: "",
    log,
    ...(opts.autoReadMs !== undefined ? { autoReadMs: opts.autoReadMs } : {}),
    ...(opts.autoReviewMs !== undefined ? { autoReviewMs: opts.autoReviewMs } : {}),
  };
  const server = createServer((req, res) => void handle(ctx, req, res));
  const address = await listen(server, opts.port ?? 0, host);
  ctx.baseUrl = `http://${urlHost(host)}:${address.port}`;
  return {
    url: ctx.baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        timers.clear();
        webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const webhookUrl = env.SIM_WEBHOOK_URL ?? "http://127.0.0.1:8787/webhooks/whatsapp";
  const autoRead = env.SIM_AUTO_READ_MS ? Number(env.SIM_AUTO_READ_MS) : undefined;
  const autoReview = env.SIM_AUTO_REVIEW_MS ? Number(env.SIM_AUTO_REVIEW_MS) : undefined;
  const sim = await startSimulator({
    port: Number(env.SIM_PORT ?? 8788),
    appSecret: env.META_APP_SECRET ?? "dev-app-secret",
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(autoRead !== undefined && Number.isFinite(autoRead) ? { autoReadMs: autoRead } : {}),
    ...(autoReview !== undefined && Number.isFinite(autoReview)
      ? { autoReviewMs: autoReview }
      : {}),
    log: (line) => console.log(line),
  });
  console.log(`Meta simulator listening on ${sim.url}`);
  console.log(`  Graph API: ${sim.url}/v23.0   customer phone: ${sim.url}/phone`);
  console.log(`  webhooks → ${webhookUrl || "outbox (GET /_sim/outbox)"}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.main) await main();
