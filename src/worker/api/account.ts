/**
 * The signed-in user's profile and password.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const account = new Hono<AppEnv>();
