/**
 * The desktop's dashboard: today's conversations, the tenant's agent statuses, the hourly distribution.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const dashboard = new Hono<AppEnv>();
