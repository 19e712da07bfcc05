/**
 * Starting a conversation from the desktop (free message or template) and the templates sent without reply.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const outbound = new Hono<AppEnv>();
