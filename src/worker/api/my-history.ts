/**
 * The agent's own history: conversations they closed or handled in the last four weeks.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const myHistory = new Hono<AppEnv>();
