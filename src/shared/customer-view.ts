/**
 * A customer as the API returns it, and custom property values: the part of
 * the customer contract the UI needs at run time. Kept apart from
 * `customers.ts` so that screens showing customers do not download the
 * phone-number library's metadata, which only the Worker's validation needs.
 */
import { z } from "zod";
import { Priority } from "./admin";

/** A custom property value; its definition's type decides which is valid. null clears it. */
export const PropertyValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export type PropertyValue = z.infer<typeof PropertyValue>;

/** Custom property values, keyed by property id. */
export const PropertyValues = z.record(z.string().min(1).max(100), PropertyValue);
export type PropertyValues = z.infer<typeof PropertyValues>;

/** A customer as the API returns it. `phone` is null for username-only WhatsApp users. */
export const CustomerView = z.object({
  id: z.string(),
  phone: z.string().nullable(),
  /** The business-scoped user id WhatsApp gives users known by username; null for the others. */
  whatsappUserId: z.string().nullable(),
  name: z.string(),
  authorized: z.boolean(),
  /** Who last changed `authorized`: a user id, or "customer" / "import". */
  authorizedBy: z.string().nullable(),
  /** When `authorized` last changed (ms since the epoch). */
  authorizedAt: z.number().nullable(),
  bypassBot: z.boolean(),
  priority: Priority,
  defaultSkillsetId: z.string().nullable(),
  notes: z.string().nullable(),
  externalId: z.string().nullable(),
  keepHistory: z.boolean(),
  properties: z.record(z.string(), PropertyValue),
  createdAt: z.number(),
  updatedAt: z.number(),
  version: z.number().int(),
});
export type CustomerView = z.infer<typeof CustomerView>;
