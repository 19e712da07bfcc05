/**
 * What is throttled, and how hard. Each rule counts events of one key in a
 * LimiterActor (src/durable/limiter/actor.ts); over the limit the answer is 429 with
 * `Retry-After`. Sign-in counts failures per account and per client IP, the same
 * whether or not the account exists; per-user quotas count every use.
 */
import type { Context } from "hono";
import type { LimitResult, LimitRule } from "../../durable/limiter/actor";
import type { AppEnv } from "../app/app-types";
import { apiError, languageOf } from "../app/http";
import { type SecurityEvent, securityLog } from "./log";

const MINUTE = 60_000;

/** The rules, by what they protect. */
export const LIMITS = {
  /** Failed sign-ins of one e-mail address (existing or not). */
  loginAccount: { limit: 5, windowMs: 15 * MINUTE },
  /** Failed sign-ins from one client IP, whatever the addresses. */
  loginIp: { limit: 20, windowMs: 15 * MINUTE },
  /** Unusable invitation or reset links tried from one client IP. */
  linkIp: { limit: 10, windowMs: 15 * MINUTE },
  /** Failed uses of one account's links (a used or expired link, a refused password). */
  linkAccount: { limit: 5, windowMs: 15 * MINUTE },
  /** Password-reset requests from one client IP. */
  resetIp: { limit: 10, windowMs: 60 * MINUTE },
  /** Password-reset requests for one e-mail address, known or not (at most one mail a minute anyway). */
  resetAccount: { limit: 5, windowMs: 60 * MINUTE },
  /** Transcripts one user may mail. */
  transcriptMail: { limit: 20, windowMs: 60 * MINUTE },
  /** Files one user may upload. */
  upload: { limit: 60, windowMs: 10 * MINUTE },
  /** Conversations one user may start (free messages and templates). */
  outboundStart: { limit: 60, windowMs: 60 * MINUTE },
  /** Numbers one admin may prove with Meta (each proof is several Graph API calls). */
  numberProof: { limit: 30, windowMs: 60 * MINUTE },
} satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof LIMITS;

/** The client's IP as Cloudflare reports it; "unknown" outside Cloudflare without the header. */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header("CF-Connecting-IP")?.slice(0, 64) || "unknown";
}

/** One throttled key: the rule's name and what it counts (an e-mail, an IP, a user id). */
export interface Throttle {
  rule: LimitName;
  subject: string;
}

function stub(c: Context<AppEnv>, t: Throttle) {
  return c.env.LIMITER.getByName(`${t.rule}:${t.subject.toLowerCase()}`);
}

/** Answers 429 with Retry-After (seconds), in the caller's language. */
export function tooManyRequests(
  c: Context<AppEnv>,
  retryAfterMs: number,
  event: SecurityEvent,
  rule: LimitName,
): never {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  securityLog(event, { rule, retryAfterSeconds: seconds });
  const message =
    languageOf(c) === "it"
      ? `Troppi tentativi. Riprova tra ${minutes === 1 ? "un minuto" : `${minutes} minuti`}.`
      : `Too many attempts. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`;
  apiError(429, "rate_limited", message, undefined, { "Retry-After": String(seconds) });
}

function worst(results: LimitResult[]): LimitResult {
  const refused = results.filter((r) => !r.allowed);
  if (refused.length === 0) return { allowed: true, retryAfterMs: 0 };
  return { allowed: false, retryAfterMs: Math.max(...refused.map((r) => r.retryAfterMs)) };
}

/** 429 when any of the keys is already over its limit; counts nothing. */
export async function refuseIfThrottled(
  c: Context<AppEnv>,
  throttles: Throttle[],
  event: SecurityEvent = "throttled",
): Promise<void> {
  const verdict = worst(await Promise.all(throttles.map((t) => stub(c, t).check(LIMITS[t.rule]))));
  if (!verdict.allowed) tooManyRequests(c, verdict.retryAfterMs, event, throttles[0]!.rule);
}

/** Counts a failure against each key (they answer 429 from the next attempt once over). */
export async function countFailure(c: Context<AppEnv>, throttles: Throttle[]): Promise<void> {
  await Promise.all(throttles.map((t) => stub(c, t).take(LIMITS[t.rule])));
}

/** Forgets a key's failures (a successful sign-in clears its account's count). */
export async function clearThrottle(c: Context<AppEnv>, throttle: Throttle): Promise<void> {
  await stub(c, throttle).reset();
}

/** Counts one use of a quota, or answers 429 when it is used up (nothing is counted then). */
export async function takeQuota(c: Context<AppEnv>, throttle: Throttle): Promise<void> {
  const result = await stub(c, throttle).take(LIMITS[throttle.rule]);
  if (!result.allowed) tooManyRequests(c, result.retryAfterMs, "throttled", throttle.rule);
}
