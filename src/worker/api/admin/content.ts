/** Tenant content and settings: predefined messages, locations, templates, tenant settings. */
import { Hono } from "hono";
import type { AppEnv } from "../../app/app-types";
import { locations } from "./locations";
import { predefinedMessages } from "./predefined";
import { settings } from "./settings";
import { templates } from "./templates";

export const content = new Hono<AppEnv>();
content.route("/", settings);
content.route("/", predefinedMessages);
content.route("/", locations);
content.route("/", templates);
