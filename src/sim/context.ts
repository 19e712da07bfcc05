/** What every simulator request handler gets. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimState, Timers } from "./state.ts";
import type { WebhookSender } from "./webhook-sender.ts";

/** Shared simulator services. */
export interface SimContext {
  state: SimState;
  timers: Timers;
  webhooks: WebhookSender;
  appSecret: string;
  autoReadMs?: number;
  /** If set, a submitted template is APPROVED (with its webhook) after this many ms. */
  autoReviewMs?: number;
  /** Public base URL of the simulator, e.g. `http://127.0.0.1:8788`. */
  baseUrl: string;
  log: (line: string) => void;
}

/** A route handler; `params` are the route pattern's capture groups. */
export type Handler = (
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  params: string[],
) => void | Promise<void>;
