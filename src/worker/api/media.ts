/**
 * Media of conversations: inbound media fetched from Meta into R2, served to the tenant's agents.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const media = new Hono<AppEnv>();
