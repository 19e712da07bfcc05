/**
 * Forgotten passwords: a reset link sent by e-mail (the link itself is used through
 * `POST /auth/password`, like an invitation). Mounted at /auth.
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-types";

export const passwordReset = new Hono<AppEnv>();
