/**
 * The tenant administrator's API, mounted at /api/admin. Every route requires an
 * admin of the caller's tenant and reads or writes only that tenant's rows.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-types";
import { requireAdmin } from "./common";
import { content } from "./content";
import { numbers } from "./numbers";
import { users } from "./users";

export const admin = new Hono<AppEnv>();
admin.use("*", requireAdmin);
admin.route("/", users);
admin.route("/", numbers);
admin.route("/", content);
