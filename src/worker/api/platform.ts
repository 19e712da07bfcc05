/** The platform operator's API, mounted at /api/platform: tenants. */
import { Hono } from "hono";
import type { AppEnv } from "../app-types";
import { requireOperator } from "./admin/common";

export const platform = new Hono<AppEnv>();
platform.use("*", requireOperator);
