/** Users of the tenant: invitations, roles, limits, skillset memberships, deactivation. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-types";

export const users = new Hono<AppEnv>();
