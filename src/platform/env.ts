/**
 * The platform's bindings and vars (see wrangler.toml), without the actors'
 * namespaces: those are typed by the actors' layer (src/durable/env.ts), which
 * extends this, so nothing here imports an actor.
 */
export interface PlatformEnv {
  DB: D1Database;
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
