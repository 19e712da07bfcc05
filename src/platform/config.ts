/**
 * Runtime configuration, validated on every request. Production refuses to run
 * with missing or development secrets, or with a Graph API base that is not Meta's
 * (so the simulator can never be reached from a production deployment), and
 * refuses unencrypted SMTP and the development operator password.
 */
import { z } from "zod";
import type { PlatformEnv } from "./env";

export const DEV_APP_SECRET = "dev-app-secret";
export const DEV_VERIFY_TOKEN = "dev-verify-token";
/** The demo operator's password under `npm run dev`; production refuses it. */
export const DEV_OPERATOR_PASSWORD = "parley-operator";
/**
 * The key secrets are sealed with under `npm run dev` and in tests (base64 of 32
 * bytes); production refuses it and needs its own `DATA_KEY` secret.
 */
export const DEV_DATA_KEY = "cGFybGV5LWRldmVsb3BtZW50LWRhdGEta2V5LTMyYiE=";

/**
 * Whether `raw` is a usable `DATA_KEY`: base64 of exactly 32 bytes. Pure. (Here, not
 * in security/secrets.ts: the Node scripts import this module and resolve only what
 * it imports with an extension.)
 */
export function isDataKey(raw: string): boolean {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(raw)) return false;
  try {
    return atob(raw).length === 32;
  } catch {
    return false;
  }
}
/**
 * Where Meta serves the media URLs that Graph returns: lookaside.fbsbx.com, and the
 * CDNs under fbcdn.net and whatsapp.net (a leading dot: any subdomain).
 */
export const DEFAULT_MEDIA_HOSTS = "lookaside.fbsbx.com,.fbcdn.net,.whatsapp.net";

/** How to reach the SMTP server. `none` (plain text) is refused in production. */
export interface MailConfig {
  host: string;
  port: number;
  /** `tls`: implicit TLS (usually port 465); `starttls`: upgrade after connecting (587). */
  secure: "tls" | "starttls" | "none";
  credentials: { username: string; password: string } | null;
  /** The sender address of every mail. */
  from: string;
  /** Base of links in mails, without a trailing slash, e.g. https://parley.example.com */
  publicUrl: string;
  /** Connecting, and each of the server's replies, must happen within this time (ms). */
  timeoutMs: number;
}

/** The platform operator, created on first sign-in from configuration. */
export interface OperatorConfig {
  /** Lower-case, as sign-in compares it. */
  email: string;
  password: string;
}

export interface Config {
  environment: "production" | "development" | "test";
  appSecret: string;
  verifyToken: string;
  graphApiBase: string;
  offerTimeoutMs: number;
  outboundRetryBaseMs: number;
  /**
   * How long a Graph API call (a send, mark-read, a media lookup, the template API)
   * may take before we give up on its answer (ms). A send without an answer has an
   * unknown outcome: it is not sent again (see src/durable/conversation/delivery.ts).
   */
  graphTimeoutMs: number;
  /** How long a media download from Meta or an upload to Meta may take (ms). */
  mediaTimeoutMs: number;
  /**
   * How long a send with an unknown outcome waits for Meta's status webhook before
   * the agent sees it as "not confirmed" with Resend (ms).
   */
  sendConfirmWaitMs: number;
  /**
   * Host names media is downloaded from (Meta's media hosts): `example.com` matches
   * that host only, `.example.com` its subdomains. Redirects elsewhere are not followed.
   */
  mediaHosts: string[];
  /** Whether media may come over plain http (never in production; the simulator is http). */
  mediaAllowHttp: boolean;
  /** Null when SMTP_HOST is unset: invitations then answer 502 "e-mail is not configured". */
  mail: MailConfig | null;
  /** Null when OPERATOR_EMAIL is unset: no platform operator can sign in. */
  operator: OperatorConfig | null;
  /** The `/_drill/*` fault hooks are mounted (DRILL_HOOKS=on; refused in production). */
  drillHooks: boolean;
  /** The session cookie's name: `__Host-` prefixed in production (https only, this host only). */
  sessionCookie: string;
  /** The key numbers' access tokens and app secrets are sealed with (src/platform/secrets.ts). */
  dataKey: string;
}

const Common = z.object({
  ENVIRONMENT: z.enum(["production", "development", "test"]),
  GRAPH_API_BASE: z.url(),
  OFFER_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  OUTBOUND_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
  GRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  MEDIA_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  SEND_CONFIRM_WAIT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(180_000),
  MEDIA_HOSTS: z
    .string()
    .default(DEFAULT_MEDIA_HOSTS)
    .transform((v) =>
      v
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ""),
    )
    .pipe(
      z
        .array(z.string().regex(/^\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "a host name or .domain"))
        .min(1, "at least one host"),
    ),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SMTP_HOST: z.string().trim().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(465),
  SMTP_SECURE: z.enum(["tls", "starttls", "none"]).default("tls"),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.email().optional(),
  PUBLIC_URL: z.url().optional(),
  OPERATOR_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  OPERATOR_PASSWORD: z.string().min(1).optional(),
  DRILL_HOOKS: z.enum(["on"]).optional(),
});

const Production = Common.extend({
  DATA_KEY: z
    .string({ error: "required: 32 random bytes in base64 (openssl rand -base64 32)" })
    .refine(isDataKey, "must be 32 random bytes in base64 (openssl rand -base64 32)")
    .refine((s) => s !== DEV_DATA_KEY, "is the development default"),
  META_APP_SECRET: z
    .string()
    .min(16, "must be the Meta app secret")
    .refine((s) => s !== DEV_APP_SECRET, "is the development default"),
  META_VERIFY_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .refine((s) => s !== DEV_VERIFY_TOKEN, "is the development default"),
  GRAPH_API_BASE: z
    .url()
    .refine(
      (u) => u.startsWith("https://graph.facebook.com/"),
      "must be https://graph.facebook.com/<version> in production",
    ),
  SMTP_SECURE: z
    .enum(["tls", "starttls", "none"])
    .default("tls")
    .refine((s) => s !== "none", "must be tls or starttls in production"),
  PUBLIC_URL: z
    .url()
    .refine((u) => u.startsWith("https://"), "must be an https:// URL in production")
    .optional(),
  OPERATOR_PASSWORD: z
    .string()
    .min(12, "must be at least 12 characters")
    .refine((s) => s !== DEV_OPERATOR_PASSWORD, "is the development default")
    .optional(),
  DRILL_HOOKS: z
    .undefined({ error: "fault-injection hooks must not be enabled in production" })
    .optional(),
});

const Local = Common.extend({
  DATA_KEY: z
    .string()
    .refine(isDataKey, "must be 32 random bytes in base64 (openssl rand -base64 32)")
    .default(DEV_DATA_KEY),
  META_APP_SECRET: z.string().min(1).default(DEV_APP_SECRET),
  META_VERIFY_TOKEN: z.string().min(1).default(DEV_VERIFY_TOKEN),
});

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type Vars = z.infer<typeof Local>;

/** Settings that only make sense together: mail needs a sender and a link base, and so on. */
function pairingProblems(v: Vars): string[] {
  const problems: string[] = [];
  if (v.SMTP_HOST) {
    if (!v.MAIL_FROM) problems.push("MAIL_FROM: required when SMTP_HOST is set");
    if (!v.PUBLIC_URL) problems.push("PUBLIC_URL: required when SMTP_HOST is set");
  }
  if (!v.SMTP_USER !== !v.SMTP_PASSWORD)
    problems.push("SMTP_USER: SMTP_USER and SMTP_PASSWORD go together");
  if (v.OPERATOR_EMAIL && !v.OPERATOR_PASSWORD)
    problems.push("OPERATOR_PASSWORD: required when OPERATOR_EMAIL is set");
  return problems;
}

function mailConfig(v: Vars): MailConfig | null {
  if (!v.SMTP_HOST || !v.MAIL_FROM || !v.PUBLIC_URL) return null;
  return {
    host: v.SMTP_HOST,
    port: v.SMTP_PORT,
    secure: v.SMTP_SECURE,
    credentials:
      v.SMTP_USER && v.SMTP_PASSWORD ? { username: v.SMTP_USER, password: v.SMTP_PASSWORD } : null,
    from: v.MAIL_FROM,
    publicUrl: v.PUBLIC_URL.replace(/\/+$/, ""),
    timeoutMs: v.SMTP_TIMEOUT_MS,
  };
}

/** Parses the Worker's vars and secrets. Pure; never throws. */
export function parseConfig(env: Partial<PlatformEnv> | Record<string, unknown>): ConfigResult {
  const vars = env as Record<string, unknown>;
  const schema = vars.ENVIRONMENT === "production" ? Production : Local;
  const parsed = schema.safeParse(vars);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`),
    };
  }
  const v = parsed.data;
  const problems = pairingProblems(v);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      environment: v.ENVIRONMENT,
      appSecret: v.META_APP_SECRET,
      verifyToken: v.META_VERIFY_TOKEN,
      graphApiBase: v.GRAPH_API_BASE.replace(/\/+$/, ""),
      offerTimeoutMs: v.OFFER_TIMEOUT_SECONDS * 1000,
      outboundRetryBaseMs: v.OUTBOUND_RETRY_BASE_MS,
      graphTimeoutMs: v.GRAPH_TIMEOUT_MS,
      mediaTimeoutMs: v.MEDIA_TIMEOUT_MS,
      sendConfirmWaitMs: v.SEND_CONFIRM_WAIT_MS,
      mediaHosts: v.MEDIA_HOSTS,
      mediaAllowHttp: v.ENVIRONMENT !== "production",
      mail: mailConfig(v),
      operator:
        v.OPERATOR_EMAIL && v.OPERATOR_PASSWORD
          ? { email: v.OPERATOR_EMAIL, password: v.OPERATOR_PASSWORD }
          : null,
      drillHooks: v.DRILL_HOOKS === "on",
      dataKey: v.DATA_KEY,
      sessionCookie: v.ENVIRONMENT === "production" ? "__Host-parley_session" : "parley_session",
    },
  };
}

let cached: { env: object; result: ConfigResult } | undefined;

/** Config for this isolate's env, parsed once per env object. */
export function configOf(env: PlatformEnv): ConfigResult {
  if (cached?.env !== env) cached = { env, result: parseConfig(env) };
  return cached.result;
}

/** Config for actors, which only run behind a Worker that already checked it. */
export function requireConfig(env: PlatformEnv): Config {
  const r = configOf(env);
  if (!r.ok) throw new Error(`invalid configuration: ${r.problems.join("; ")}`);
  return r.config;
}
