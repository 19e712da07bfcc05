/**
 * The platform floor: the least a Worker and a Durable Object can do per request,
 * so the product's figures can be read as a ratio to what the runtime costs.
 * - `POST /noop` answers 200 at once (the Worker's own floor);
 * - `POST /store/:key` writes one row in the SQLite of the Durable Object named
 *   `key` and answers 200 (the floor of "a webhook stored in an actor").
 * Not part of the product: `npm run bench` starts it with its own wrangler config.
 */
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  STORE: DurableObjectNamespace<FloorStore>;
}

/** One row per request, in the object's own SQLite. */
export class FloorStore extends DurableObject<FloorEnv> {
  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  /** Stores `body` as one row (durable before the caller is answered, as the output gate holds it). */
  store(body: string): void {
    this.ctx.storage.sql.exec("INSERT INTO rows (body, at) VALUES (?, ?)", body, Date.now());
  }
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    if (url.pathname === "/noop") return new Response("ok");
    const key = /^\/store\/([\w-]{1,64})$/.exec(url.pathname)?.[1];
    if (!key) return new Response("not found", { status: 404 });
    // The body is read and kept, as a webhook would be.
    await env.STORE.getByName(key).store(await request.text());
    return new Response("ok");
  },
} satisfies ExportedHandler<FloorEnv>;
