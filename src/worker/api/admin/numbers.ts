/** Managed numbers and their seven settings categories: details, auto-close, messages, working time, customer properties, profiling, skillsets. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-types";

export const numbers = new Hono<AppEnv>();
