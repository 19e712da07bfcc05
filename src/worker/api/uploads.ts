/**
 * Agents' attachments: checked against Meta's type and size limits, stored in R2 and uploaded to Meta.
 * Mounted at /api before the desktop router (whose guard covers all of /api/*), so
 * each route here carries its own guard.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";

export const uploads = new Hono<AppEnv>();
