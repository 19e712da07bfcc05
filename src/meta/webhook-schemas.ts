/**
 * The shapes of Meta's WhatsApp Cloud API webhook body, as zod schemas (loose
 * objects: fields Meta adds later never break parsing). webhook-payload.ts
 * reads a body with them into flat items.
 *
 * Contract: Meta's webhook reference (messages, statuses, errors, template updates).
 */
import { z } from "zod";
import { cleanFileName } from "../shared/file-names";

/** Non-empty string, or a safe integer (Meta sends some ids as numbers) as a string. */
const IdSchema = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);

/** A number, or a decimal string holding one. */
const NumberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** Unix seconds (Meta sends strings; numbers accepted too) → epoch milliseconds. */
const SecondsToMs = z
  .union([
    z.number().nonnegative(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .transform((s) => Math.round(s * 1000));

const optionalString = z.string().optional().catch(undefined);

export const ErrorSchema = z.looseObject({
  code: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  title: optionalString,
  message: optionalString,
  error_data: z.looseObject({ details: optionalString }).optional().catch(undefined),
});

export const EnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(z.unknown()),
});

export const EntrySchema = z.looseObject({
  id: IdSchema.optional().catch(undefined),
  time: SecondsToMs.optional().catch(undefined),
  changes: z.array(z.unknown()),
});

export const ChangeSchema = z.looseObject({
  field: optionalString,
  value: z.unknown(),
});

export const MessagesValueSchema = z.looseObject({
  metadata: z
    .looseObject({
      phone_number_id: IdSchema.optional().catch(undefined),
      display_phone_number: optionalString,
    })
    .optional()
    .catch(undefined),
  contacts: z.unknown().optional(),
  messages: z.unknown().optional(),
  statuses: z.unknown().optional(),
  errors: z.unknown().optional(),
});

export const ContactSchema = z.looseObject({
  wa_id: optionalString,
  user_id: optionalString,
  profile: z.looseObject({ name: optionalString }).optional().catch(undefined),
});
export type Contact = z.infer<typeof ContactSchema>;

/** Fields common to every inbound message; only `id` is mandatory. */
export const MessageBaseSchema = z.looseObject({
  id: z.string().min(1),
  from: optionalString,
  from_user_id: optionalString,
  timestamp: SecondsToMs.optional().catch(undefined),
  type: optionalString,
  context: z.unknown().optional(),
  referral: z.unknown().optional(),
  errors: z.unknown().optional(),
});
export type MessageBase = z.infer<typeof MessageBaseSchema>;

export const ContextSchema = z.looseObject({
  from: optionalString,
  id: optionalString,
  forwarded: z.boolean().optional().catch(undefined),
  frequently_forwarded: z.boolean().optional().catch(undefined),
});

export const ReferralSchema = z.looseObject({});

const MediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  url: z.string().optional(),
});

const SharedContactSchema = z.looseObject({
  name: z
    .looseObject({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  phones: z.array(z.looseObject({ phone: z.string().optional() })).optional(),
});
export type SharedContact = z.infer<typeof SharedContactSchema>;

/** A customer's answer to an interactive message: a reply button, a list row or a flow. */
export const InteractiveReply = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("button_reply"),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }),
  }),
  z.looseObject({
    type: z.literal("list_reply"),
    list_reply: z.looseObject({
      id: z.string(),
      title: z.string(),
      description: z.string().optional(),
    }),
  }),
  z.looseObject({
    type: z.literal("nfm_reply"),
    nfm_reply: z.looseObject({
      response_json: z.string(),
      body: z.string().optional(),
      name: z.string().optional(),
    }),
  }),
]);
export type InteractiveReply = z.infer<typeof InteractiveReply>;

const OrderSchema = z.looseObject({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.looseObject({
      product_retailer_id: z.string(),
      quantity: NumberLike,
      item_price: NumberLike,
      currency: z.string(),
    }),
  ),
});
export type Order = z.infer<typeof OrderSchema>;

/** The type-specific part of an inbound message, discriminated on `type`. */
export const KnownMessageSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text: z.looseObject({ body: z.string() }) }),
  z.looseObject({
    type: z.literal("image"),
    image: MediaSchema.extend({ caption: z.string().optional() }),
  }),
  z.looseObject({
    type: z.literal("audio"),
    audio: MediaSchema.extend({ voice: z.boolean().optional() }),
  }),
  z.looseObject({
    type: z.literal("video"),
    video: MediaSchema.extend({ caption: z.string().optional() }),
  }),
  z.looseObject({
    type: z.literal("document"),
    document: MediaSchema.extend({
      caption: z.string().optional(),
      // Stored and shown cleaned: no bidirectional or other control characters.
      filename: z.string().transform(cleanFileName).optional(),
    }),
  }),
  z.looseObject({
    type: z.literal("sticker"),
    sticker: MediaSchema.extend({ animated: z.boolean().optional() }),
  }),
  z.looseObject({
    type: z.literal("location"),
    location: z.looseObject({
      latitude: NumberLike,
      longitude: NumberLike,
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    }),
  }),
  z.looseObject({ type: z.literal("contacts"), contacts: z.array(SharedContactSchema) }),
  z.looseObject({ type: z.literal("interactive"), interactive: InteractiveReply }),
  z.looseObject({
    type: z.literal("button"),
    button: z.looseObject({ payload: z.string().optional(), text: z.string() }),
  }),
  z.looseObject({
    type: z.literal("reaction"),
    reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }),
  }),
  z.looseObject({ type: z.literal("order"), order: OrderSchema }),
  z.looseObject({
    type: z.literal("system"),
    system: z.looseObject({ body: z.string(), type: z.string().optional() }),
  }),
  z.looseObject({
    type: z.literal("unsupported"),
    unsupported: z.looseObject({ type: optionalString }).optional().catch(undefined),
  }),
  z.looseObject({ type: z.literal("unknown") }),
]);
export type KnownMessage = z.infer<typeof KnownMessageSchema>;

export const StatusNameSchema = z.enum([
  "sent",
  "delivered",
  "read",
  "played",
  "failed",
  "deleted",
]);

export const StatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: SecondsToMs.optional().catch(undefined),
  recipient_id: optionalString,
  errors: z.unknown().optional(),
  biz_opaque_callback_data: optionalString,
});

export const TemplateValueSchema = z.looseObject({
  event: z.string().min(1),
  message_template_id: IdSchema,
  message_template_name: z.string(),
  message_template_language: z.string(),
  reason: z.string().nullable().optional().catch(null),
  message_template_category: z.string().nullable().optional().catch(null),
});
