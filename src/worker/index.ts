/**
 * The Parley Worker: Meta's webhook, the HTTP API, the desktop's WebSocket and
 * the built Preact app (static assets). Actors are exported for the runtime.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ApiError } from "../shared/protocol";
import { admin } from "./api/admin";
import { customerHistory } from "./api/customer-history";
import { customerImport } from "./api/customer-import";
import { customers } from "./api/customers";
import { desktop } from "./api/desktop";
import { lifecycle } from "./api/lifecycle";
import { platform } from "./api/platform";
import { serviceStatus } from "./api/service-status";
import type { AppEnv } from "./app-types";
import { auth } from "./auth";
import { configOf } from "./config";
import { openApiDocument } from "./http";
import { webhook } from "./webhook";

export { AgentActor } from "../durable/agent";
export { ConversationActor } from "../durable/conversation";
export { NumberActor } from "../durable/number";

const app = new Hono<AppEnv>();

// A production deployment without real secrets refuses every request.
app.use(async (c, next) => {
  const result = configOf(c.env);
  if (!result.ok) {
    console.error("configuration invalid:", result.problems.join("; "));
    const body: ApiError = {
      error: { code: "misconfigured", message: "The server is not configured; see the logs" },
    };
    return c.json(body, 503);
  }
  c.set("config", result.config);
  await next();
});

app.route("/webhooks", webhook);
app.route("/auth", auth);
app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
app.route("/api/admin", admin);
app.route("/api/platform", platform);
// Before `customers`, whose guard on /customers/* would otherwise run a second time.
app.route("/api", customerHistory);
// Before `customers`, so /customers/fields and /customers/imports are not read as customer ids.
app.route("/api", customerImport);
app.route("/api", customers);
// Before `desktop`, whose guard covers all of /api/* and would check the session twice.
app.route("/api", serviceStatus);
app.route("/api", lifecycle);
app.route("/api", desktop);

app.notFound((c) => {
  const body: ApiError = {
    error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` },
  };
  return c.json(body, 404);
});

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  console.error("unhandled error", err);
  const body: ApiError = { error: { code: "internal", message: "Something went wrong" } };
  return c.json(body, 500);
});

export default app;
