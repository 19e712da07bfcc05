/**
 * The customer records API contract (/api/customers), shared by the Worker and
 * the UI. Phones are real numbers in international format, checked with the
 * full metadata of a phone-number library (not a regex) and stored as E.164.
 */
import { isValidPhoneNumber, parsePhoneNumberWithError } from "libphonenumber-js/max";
import { z } from "zod";
import { Priority } from "./admin";

/** Message of every refused phone (also translated by the Worker). */
export const PHONE_MESSAGE = "a valid mobile number in international format, e.g. +393331234567";

// Types a WhatsApp account can live on; fixed lines, toll-free and the like cannot.
const NOT_MOBILE = new Set(["FIXED_LINE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST", "UAN"]);

/**
 * Parses a phone written in international format ("+39 333 123 4567") to E.164
 * ("+393331234567"); null when it is not a real mobile-capable number.
 */
export function toE164(input: string): string | null {
  const text = input.trim();
  if (!text.startsWith("+") || !isValidPhoneNumber(text)) return null;
  const parsed = parsePhoneNumberWithError(text);
  const type = parsed.getType();
  if (type && NOT_MOBILE.has(type)) return null;
  return parsed.number;
}

/** A phone in international format, normalised to E.164. */
export const CustomerPhone = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const e164 = toE164(value);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: PHONE_MESSAGE });
      return z.NEVER;
    }
    return e164;
  });

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

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v ? v : null));

const editable = {
  /** Blank means "the phone". */
  name: z.string().trim().max(200),
  authorized: z.boolean(),
  bypassBot: z.boolean(),
  priority: Priority,
  defaultSkillsetId: z.string().min(1).max(100).nullable(),
  notes: optionalText(4000),
  externalId: optionalText(200),
  keepHistory: z.boolean(),
};

/** POST /api/customers. */
export const CreateCustomerBody = z.object({
  phone: CustomerPhone,
  name: editable.name.default(""),
  authorized: editable.authorized.default(false),
  bypassBot: editable.bypassBot.default(false),
  priority: editable.priority.default(5),
  defaultSkillsetId: editable.defaultSkillsetId.default(null),
  notes: editable.notes.default(null),
  externalId: editable.externalId.default(null),
  keepHistory: editable.keepHistory.default(true),
  properties: PropertyValues.default({}),
});
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

/**
 * PATCH /api/customers/:id: only what is sent changes. `properties` is merged
 * into the stored values (null removes one), so an agent can send just the
 * property they may edit.
 */
export const UpdateCustomerBody = z.object({
  version: z.number().int().min(1),
  phone: CustomerPhone.optional(),
  name: editable.name.optional(),
  authorized: editable.authorized.optional(),
  bypassBot: editable.bypassBot.optional(),
  priority: editable.priority.optional(),
  defaultSkillsetId: editable.defaultSkillsetId.optional(),
  notes: editable.notes.optional(),
  externalId: editable.externalId.optional(),
  keepHistory: editable.keepHistory.optional(),
  properties: PropertyValues.optional(),
});
export type UpdateCustomerBody = z.infer<typeof UpdateCustomerBody>;
