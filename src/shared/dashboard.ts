/**
 * The desktop's dashboard (GET /api/dashboard), shared by the Worker and the UI:
 * today's conversations of the caller's tenant, its agents' statuses and the
 * hourly distribution. "Today" is the tenant's day: the working-time zone of its
 * numbers (see `dashboardTimeZone`), at the actors' clock.
 */
import { z } from "zod";
import { AgentStatus } from "./protocol";

/** Hours of a day, 0–23, on the wall clock of the dashboard's time zone. */
export const HOURS = 24;

/** The zone "today" is read in when the tenant has no number yet. */
export const DEFAULT_DASHBOARD_ZONE = "Europe/Rome";

export const DashboardView = z.object({
  /** IANA zone of "today" and of the hours. */
  timeZone: z.string(),
  /** Today, "YYYY-MM-DD" in `timeZone`. */
  day: z.string(),
  /** When the figures were taken (ms, the actors' clock). */
  generatedAt: z.number(),
  conversations: z.object({
    /** Opened today (arrived at a number today), whatever became of them. */
    total: z.number().int().nonnegative(),
    /** Closed today (as the history records it). */
    closed: z.number().int().nonnegative(),
    /** Open and assigned to an agent right now. */
    active: z.number().int().nonnegative(),
    /** Handed to a colleague or a skillset who has not accepted yet, right now. */
    awaitingTransfer: z.number().int().nonnegative(),
  }),
  /** How many of the tenant's agents are in each status right now. */
  agents: z.record(AgentStatus, z.number().int().nonnegative()),
  /** Conversations opened and closed in each hour of today, index 0 = 00:00–00:59. */
  hourly: z.object({
    opened: z.array(z.number().int().nonnegative()).length(HOURS),
    closed: z.array(z.number().int().nonnegative()).length(HOURS),
  }),
});
export type DashboardView = z.infer<typeof DashboardView>;

/**
 * The zone the tenant's "today" is read in: its numbers' working-time zone
 * (the first number's, by name, when they differ), else Europe/Rome. Pure.
 */
export function dashboardTimeZone(numberZones: readonly string[]): string {
  return numberZones[0] ?? DEFAULT_DASHBOARD_ZONE;
}
