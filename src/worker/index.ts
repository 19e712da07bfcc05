/**
 * The Parley Worker: Meta's webhook, the HTTP API, the desktop's WebSocket and
 * the built Preact app (static assets). Actors are exported for the runtime.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Env } from "../durable/env";
import { configOf } from "../platform/config";
import { redacted } from "../platform/db/errors";
import { count, meteredEnv } from "../platform/meter";
import { account } from "./api/account";
import { admin } from "./api/admin";
import { customerHistory } from "./api/customer-history";
import { customerImport } from "./api/customer-import";
import { customers } from "./api/customers";
import { dashboard } from "./api/dashboard";
import { deskContent } from "./api/desk-content";
import { desktop } from "./api/desktop";
import { lifecycle } from "./api/lifecycle";
import { media } from "./api/media";
import { myHistory } from "./api/my-history";
import { outbound } from "./api/outbound";
import { platform } from "./api/platform";
import { serviceStatus } from "./api/service-status";
import { uploads } from "./api/uploads";
import type { AppEnv } from "./app/app-types";
import { drillHooks } from "./app/drill-hooks";
import { errorBody, speakCallerLanguage } from "./app/http";
import { maskForAgents } from "./app/mask-for-agents";
import { openApiDocument } from "./app/openapi";
import { auth } from "./auth/auth";
import { guardApi } from "./auth/guard";
import { passwordReset } from "./auth/password-reset";
import { webhook } from "./inbound/meta-webhook";
import { tellDeletedConversations } from "./jobs/customer-deletions";
import { requestId, securityHeaders } from "./security/headers";
import { logDenied, requestContext } from "./security/log";
import { checkOrigin } from "./security/origin";

export { AgentActor } from "../durable/agent/actor";
export { ConversationActor } from "../durable/conversation/actor";
export { LimiterActor } from "../durable/limiter/actor";
export { NumberActor } from "../durable/number/actor";

const app = new Hono<AppEnv>();

// First, so every answer (errors and the app's files included) carries them.
app.use(requestId);
app.use(requestContext);
// Refusals in the caller's language: the API and sign-in only (not Meta's webhook, the hot path).
app.use("/api/*", speakCallerLanguage);
app.use("/auth/*", speakCallerLanguage);
app.use(securityHeaders);
app.use(logDenied);

// A production deployment without real secrets refuses every request.
app.use(async (c, next) => {
  const result = configOf(c.env);
  if (!result.ok) {
    console.error("configuration invalid:", result.problems.join("; "));
    return c.json(errorBody("misconfigured", "The server is not configured; see the logs"), 503);
  }
  c.set("config", result.config);
  await next();
});

// Routers declare full paths (src/worker/app/routes.ts), so they are mounted at the root.
app.route("/", webhook);
// Meta's webhooks come from Meta's servers; everything else a browser may send is checked.
app.use(checkOrigin);
app.route("/_drill", drillHooks);
app.route("/", auth);
app.route("/", passwordReset);
// Registered before every /api router so it sees their answers on the way out.
app.use("/api/*", maskForAgents);
// The one guard of the API: the session, read once, and the caller's role by path.
app.use("/api/*", guardApi);
app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
app.route("/", admin);
app.route("/", platform);
// Where two routes match one path, the first registered answers: these come before
// `customers`, so /customers/fields and /customers/imports are not read as customer ids.
app.route("/", customerHistory);
app.route("/", customerImport);
app.route("/", customers);
app.route("/", serviceStatus);
app.route("/", account);
app.route("/", dashboard);
app.route("/", myHistory);
app.route("/", media);
app.route("/", uploads);
app.route("/", deskContent);
app.route("/", outbound);
app.route("/", lifecycle);
app.route("/", desktop);

// The built app (Workers static assets; unknown paths get index.html for the client router).
app.on(["GET", "HEAD"], "*", async (c, next) => {
  const path = c.req.path;
  if (!c.env.ASSETS || path.startsWith("/api/") || path.startsWith("/auth/")) return next();
  return c.env.ASSETS.fetch(c.req.raw);
});

app.notFound((c) =>
  c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`), 404),
);

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  console.error("unhandled error", redacted(err));
  return c.json(errorBody("internal", "Something went wrong"), 500);
});

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    count("worker.requests");
    return app.fetch(request, meteredEnv(env), ctx);
  },
  /**
   * The sweep (`[triggers] crons` in wrangler.toml): tells the conversation
   * actors of deleted customers what the deletion itself could not tell them,
   * so their files are deleted from R2. Idempotent.
   */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      tellDeletedConversations(env).then(
        (told) => {
          if (told > 0) console.log("customer deletions told to conversations:", told);
        },
        (err: unknown) => console.error("customer deletions sweep failed", redacted(err)),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
