/** Tenant content and settings: predefined messages, locations, templates, tenant settings. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-types";

export const content = new Hono<AppEnv>();
