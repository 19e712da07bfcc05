/**
 * Runtime configuration, validated on every request. Production refuses to run
 * with missing or development secrets, or with a Graph API base that is not Meta's
 * (so the simulator can never be reached from a production deployment).
 */
import { z } from "zod";
import type { Env } from "./env";

export const DEV_APP_SECRET = "dev-app-secret";
export const DEV_VERIFY_TOKEN = "dev-verify-token";

export interface Config {
  environment: "production" | "development" | "test";
  appSecret: string;
  verifyToken: string;
  graphApiBase: string;
  offerTimeoutMs: number;
  outboundRetryBaseMs: number;
}

const Common = z.object({
  ENVIRONMENT: z.enum(["production", "development", "test"]),
  GRAPH_API_BASE: z.url(),
  OFFER_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  OUTBOUND_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
});

const Production = Common.extend({
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
});

const Local = Common.extend({
  META_APP_SECRET: z.string().min(1).default(DEV_APP_SECRET),
  META_VERIFY_TOKEN: z.string().min(1).default(DEV_VERIFY_TOKEN),
});

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses the Worker's vars and secrets. Pure; never throws. */
export function parseConfig(env: Partial<Env> | Record<string, unknown>): ConfigResult {
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
  return {
    ok: true,
    config: {
      environment: v.ENVIRONMENT,
      appSecret: v.META_APP_SECRET,
      verifyToken: v.META_VERIFY_TOKEN,
      graphApiBase: v.GRAPH_API_BASE.replace(/\/+$/, ""),
      offerTimeoutMs: v.OFFER_TIMEOUT_SECONDS * 1000,
      outboundRetryBaseMs: v.OUTBOUND_RETRY_BASE_MS,
    },
  };
}

let cached: { env: object; result: ConfigResult } | undefined;

/** Config for this isolate's env, parsed once per env object. */
export function configOf(env: Env): ConfigResult {
  if (cached?.env !== env) cached = { env, result: parseConfig(env) };
  return cached.result;
}

/** Config for actors, which only run behind a Worker that already checked it. */
export function requireConfig(env: Env): Config {
  const r = configOf(env);
  if (!r.ok) throw new Error(`invalid configuration: ${r.problems.join("; ")}`);
  return r.config;
}
