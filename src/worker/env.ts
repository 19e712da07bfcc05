import type { AgentActor } from "../durable/agent";
import type { ConversationActor } from "../durable/conversation";
import type { LimiterActor } from "../durable/limiter";
import type { NumberActor } from "../durable/number";

/** Bindings and vars of the Worker and its actors (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  NUMBER: DurableObjectNamespace<NumberActor>;
  CONVERSATION: DurableObjectNamespace<ConversationActor>;
  AGENT: DurableObjectNamespace<AgentActor>;
  /** Throttles: one actor per throttled key (see src/worker/security/limits.ts). */
  LIMITER: DurableObjectNamespace<LimiterActor>;
  ASSETS?: Fetcher;
  /** Media files: inbound media fetched from Meta and agents' uploads, by tenant. */
  MEDIA: R2Bucket;
  /** "production" on Cloudflare; "development" under `npm run dev`; "test" in vitest. */
  ENVIRONMENT: string;
  META_APP_SECRET?: string;
  META_VERIFY_TOKEN?: string;
  /** Graph API base including the version, e.g. https://graph.facebook.com/v23.0 */
  GRAPH_API_BASE: string;
  OFFER_TIMEOUT_SECONDS?: string;
  /** Base delay of the outbound retry backoff; tests shorten it. */
  OUTBOUND_RETRY_BASE_MS?: string;
  /** Time allowed for a Graph API call's answer, default 15000 ms; tests shorten it. */
  GRAPH_TIMEOUT_MS?: string;
  /** Time allowed for a media download or upload, default 30000 ms. */
  MEDIA_TIMEOUT_MS?: string;
  /** How long a send without an answer waits for Meta's status before "not confirmed", default 180000 ms. */
  SEND_CONFIRM_WAIT_MS?: string;
  /**
   * Comma-separated hosts media is downloaded from; `.domain` allows its subdomains.
   * Default Meta's: lookaside.fbsbx.com,.fbcdn.net,.whatsapp.net (development adds the simulator's).
   */
  MEDIA_HOSTS?: string;
  /** Time allowed to connect to the SMTP server and for each of its replies, default 10000 ms. */
  SMTP_TIMEOUT_MS?: string;
  /** SMTP server for invitations; unset disables e-mail. */
  SMTP_HOST?: string;
  /** Default 465. */
  SMTP_PORT?: string;
  /** "tls" (implicit, default), "starttls", or "none" (refused in production). */
  SMTP_SECURE?: string;
  SMTP_USER?: string;
  /** Secret. */
  SMTP_PASSWORD?: string;
  /** Sender address of every mail, e.g. no-reply@parley.example.com */
  MAIL_FROM?: string;
  /** Base of links in mails, e.g. https://parley.example.com */
  PUBLIC_URL?: string;
  /** The platform operator's e-mail; the account is created at its first sign-in. */
  OPERATOR_EMAIL?: string;
  /** Secret: the platform operator's password. */
  OPERATOR_PASSWORD?: string;
  /** Secret: base64 of 32 random bytes; numbers' access tokens and app secrets are sealed with it. */
  DATA_KEY?: string;
  /** "on" mounts the drills' fault hooks (`/_drill/*`); production refuses it. */
  DRILL_HOOKS?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends ParleyEnv {
      /** Tests only: the Meta simulator's base URL. */
      SIM_URL?: string;
      /** Tests only: the loopback SMTP sink's HTTP API (GET /messages?to=). */
      MAIL_SINK_URL?: string;
      /** Tests only: the D1 migrations to apply. */
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "NumberActor" | "ConversationActor" | "AgentActor" | "LimiterActor";
    }
  }
}

type ParleyEnv = Env;
