/**
 * The customer records API contract (/api/customers), shared by the Worker and
 * the UI. Phones are real numbers in international format, checked with the
 * full metadata of a phone-number library (not a regex) and stored as E.164.
 */
import { isValidPhoneNumber, parsePhoneNumberWithError } from "libphonenumber-js/max";
import { z } from "zod";
import { Priority } from "./admin";
import { PropertyValues } from "./customer-view";

export {
  CustomerView,
  PropertyValue,
  PropertyValues,
} from "./customer-view";

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
