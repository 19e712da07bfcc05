/**
 * The administration contract shared by the Worker and the Preact admin screens:
 * every configurable resource as a zod schema (what the API accepts) and a view
 * (what it returns). Editable views carry `version`; an update must send the
 * version it read, and a stale one gets 409 (optimistic concurrency).
 *
 * Conventions of every admin list endpoint (`GET /api/admin/<resource>`):
 * `ListQuery` in, `Page<View>` out; the same query on `…/export.xlsx` downloads
 * exactly the filtered, sorted rows (no paging).
 */
import { z } from "zod";
import { Language } from "./protocol";
import { isTimeZone } from "./working-time";

// ---- building blocks --------------------------------------------------------

/** Priorities of customers, skillsets and agents: 1–9, higher first. */
export const Priority = z.number().int().min(1).max(9);

/** An optional timer in minutes: null = off. At most a week. */
export const OptionalMinutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60)
  .nullable();

/** A message an automatic reply sends; null or blank = not sent. At most 4096 characters. */
export const AutoText = z
  .string()
  .max(4096)
  .nullable()
  .transform((s) => (s?.trim() ? s : null));

/** Sent with every update: the version the editor read. */
export const Version = z.number().int().min(1);

/** Query of every admin list. `sort` must be one of the resource's sortable columns. */
export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(100).default(25),
  q: z.string().trim().max(200).optional(),
  sort: z.string().max(60).optional(),
  dir: z.enum(["asc", "desc"]).default("asc"),
});
export type ListQuery = z.infer<typeof ListQuery>;

export function Page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Body of every "reorder" endpoint: the complete list of ids in their new order. */
export const ReorderBody = z.object({ ids: z.array(z.string().min(1)).min(1).max(500) });

const Email = z.string().trim().toLowerCase().email().max(254);
const Name = z.string().trim().min(1).max(100);

// ---- tenants (platform operator) ---------------------------------------------

export const TenantStatus = z.enum(["active", "suspended"]);
export const TenantView = z.object({
  id: z.string(),
  name: z.string(),
  status: TenantStatus,
  templateLimit: z.number().int(),
  createdAt: z.number(),
  version: z.number().int(),
});
export type TenantView = z.infer<typeof TenantView>;

/** A new tenant and its first administrator, who is invited by e-mail. */
export const CreateTenantBody = z.object({
  name: Name,
  templateLimit: z.number().int().min(0).max(10_000).default(250),
  adminEmail: Email,
  adminName: Name,
  language: Language.default("en"),
});
export const UpdateTenantBody = z.object({
  version: Version,
  name: Name.optional(),
  status: TenantStatus.optional(),
  templateLimit: z.number().int().min(0).max(10_000).optional(),
});

// ---- tenant settings (tenant admin) ------------------------------------------

/**
 * Base of the video-call links agents send: an https URL (a link to a call must
 * not be downgradable), or "" when the tenant has none. Agents' links append a
 * fresh room id to it.
 */
export const MeetingUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => v === "" || /^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i.test(v), {
    message: "an https:// address, or empty",
  });

export const TenantSettings = z.object({
  agentsMaySendTemplates: z.boolean(),
  /** Mask card numbers, IBANs, SSNs, e-mails and phone numbers shown to agents. */
  maskSensitiveData: z.boolean(),
  defaultLanguage: Language,
  meetingUrl: MeetingUrl,
  /** A session unused for this many minutes ends and its desktops are disconnected. */
  sessionIdleMinutes: z.number().int().min(5).max(1440),
});
export type TenantSettings = z.infer<typeof TenantSettings>;
export const TenantSettingsView = TenantSettings.extend({
  name: z.string(),
  templateLimit: z.number().int(),
  templateCount: z.number().int(),
  version: z.number().int(),
});
export type TenantSettingsView = z.infer<typeof TenantSettingsView>;
export const UpdateTenantSettingsBody = TenantSettings.partial().extend({ version: Version });

// ---- users -------------------------------------------------------------------

export const Role = z.enum(["admin", "agent"]);
export type Role = z.infer<typeof Role>;

export const Membership = z.object({ skillsetId: z.string().min(1), agentPriority: Priority });
export type Membership = z.infer<typeof Membership>;

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  isolated: z.boolean(),
  maxConversations: z.number().int(),
  language: Language,
  active: z.boolean(),
  /** True until the invited user has set a password. */
  invitePending: z.boolean(),
  memberships: z.array(
    Membership.extend({ skillsetName: z.string(), numberId: z.string(), numberName: z.string() }),
  ),
  createdAt: z.number(),
  version: z.number().int(),
});
export type UserView = z.infer<typeof UserView>;

const UserFields = z.object({
  name: Name,
  role: Role,
  isolated: z.boolean(),
  maxConversations: z.number().int().min(1).max(50),
  language: Language,
  memberships: z.array(Membership).max(200),
});
/** Creating a user sends them an invitation e-mail with a single-use link. */
export const InviteUserBody = UserFields.partial({
  isolated: true,
  maxConversations: true,
  language: true,
  memberships: true,
}).extend({ email: Email });
export const UpdateUserBody = UserFields.partial().extend({
  version: Version,
  /** false deactivates: sessions end at once and conversations go back to routing. */
  active: z.boolean().optional(),
});

/** Completing an invitation (or a password reset): the link's token and a new password. */
export const SetPasswordBody = z.object({
  token: z.string().min(20).max(200),
  password: z.string().min(10, "at least 10 characters").max(200),
});

/** What a valid invitation or reset link is for (`GET /auth/token/:token`); reading it does not use it. */
export const UserTokenView = z.object({
  email: z.string(),
  name: z.string(),
  purpose: z.enum(["invite", "reset"]),
  language: Language,
});
export type UserTokenView = z.infer<typeof UserTokenView>;

// ---- managed numbers ----------------------------------------------------------

const MetaId = z.string().regex(/^\d{5,20}$/, "digits only, as Meta shows it");

export const NumberDetails = z.object({
  name: Name,
  /** As shown to people, e.g. "+39 02 1234 5678". */
  displayPhone: z.string().trim().min(3).max(30),
  phoneNumberId: MetaId,
  wabaId: MetaId.nullable(),
  /** Inactivity before an assigned conversation goes to the wait queue; null = never. */
  waitQueueAfterMinutes: OptionalMinutes,
  acceptOnlyExistingCustomers: z.boolean(),
  agentsMayEditCustomers: z.boolean(),
  acceptAttachments: z.boolean(),
  /** Where a transcript goes when a conversation closes; null = no e-mail. */
  closeEmailTo: Email.nullable(),
  externalId: z.string().trim().max(100).nullable(),
});
export type NumberDetails = z.infer<typeof NumberDetails>;

export const AutoCloseSettings = z.object({
  activeInactivityMinutes: OptionalMinutes,
  queuedInactivityMinutes: OptionalMinutes,
  transferInactivityMinutes: OptionalMinutes,
  afterWorkingHours: z.boolean(),
  after24hFromCustomer: z.boolean(),
  unauthorizedNumbers: z.boolean(),
  /** At the end of the working day, close conversations in these states. */
  endOfDay: z.object({
    categoryWaiting: z.boolean(),
    awaitingAssignment: z.boolean(),
    awaitingTransfer: z.boolean(),
    waitQueue: z.boolean(),
  }),
});
export type AutoCloseSettings = z.infer<typeof AutoCloseSettings>;

export const MessageSettings = z.object({
  welcome: AutoText,
  welcomeOnAssignment: AutoText,
  welcomeOnAssignmentDelaySeconds: z.number().int().min(0).max(3600),
  /** Send the welcome as the assigned agent rather than as the system. */
  welcomeAsAgent: z.boolean(),
  outOfHours: AutoText,
  /** Blank = the transfer is silent. */
  transfer: AutoText,
  close: AutoText,
  waitingAtClosingTime: AutoText,
  unauthorized: AutoText,
  attachmentRejected: AutoText,
});
export type MessageSettings = z.infer<typeof MessageSettings>;

/** "HH:MM", 00:00–24:00. */
export const ClockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "a time HH:MM between 00:00 and 24:00");

/**
 * One opening range. `close` at or before `open` means the range crosses
 * midnight (e.g. 22:00–02:00); 00:00–24:00 is a 24-hour day.
 */
export const OpeningRange = z.object({ open: ClockTime, close: ClockTime });
export type OpeningRange = z.infer<typeof OpeningRange>;

export const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.infer<typeof Weekday>;

export const WorkingTime = z.object({
  /** IANA time zone, e.g. "Europe/Rome". */
  timeZone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Rome"),
  /** Open around the clock, every day; `week` and `closedDates` are then ignored. */
  alwaysOpen: z.boolean(),
  /** Up to 6 ranges per weekday; an empty list is a closed day. */
  week: z.record(Weekday, z.array(OpeningRange).max(6)),
  /** Holidays: closed all day, in the number's time zone. */
  closedDates: z
    .array(
      z.object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"),
        name: z.string().trim().max(100).default(""),
      }),
    )
    .max(366),
});
export type WorkingTime = z.infer<typeof WorkingTime>;

export const ProfilingSettings = z.object({
  /** Agents must pick a closing reason to close. */
  requiredOnClose: z.boolean(),
  /** Agents may add free notes when closing. */
  freeNotes: z.boolean(),
});
export type ProfilingSettings = z.infer<typeof ProfilingSettings>;

/**
 * The number's softbot: before routing, it asks the customer what they need
 * with a menu of the skillsets that have a bot label (in skillset priority
 * order) and hands the conversation to the chosen one. An answer that matches
 * no option gets `invalidChoice` and the menu again; no valid answer within
 * `timeoutSeconds` sends the conversation to the default skillset. Customers
 * with "bypass bot" or a default skillset of this number skip it.
 */
export const BotSettings = z.object({
  enabled: z.boolean(),
  /** The menu's question, e.g. "Hello! What do you need?". */
  prompt: z.string().trim().min(1).max(1024),
  /** Numbered text lines, reply buttons (up to 3 options) or a list (up to 10). */
  style: z.enum(["text", "buttons", "list"]),
  /** Sent before the menu is repeated; null or blank = the menu alone. */
  invalidChoice: AutoText,
  timeoutSeconds: z
    .number()
    .int()
    .min(10)
    .max(24 * 60 * 60),
});
export type BotSettings = z.infer<typeof BotSettings>;

/**
 * What WhatsApp lets each bot style show: reply buttons up to 3 options with
 * titles of at most 20 characters, a list up to 10 rows of at most 24; numbered
 * text has no limit (null).
 */
export const BOT_STYLE_LIMITS = {
  text: { maxOptions: null, maxTitle: null },
  buttons: { maxOptions: 3, maxTitle: 20 },
  list: { maxOptions: 10, maxTitle: 24 },
} as const satisfies Record<
  BotSettings["style"],
  { maxOptions: number | null; maxTitle: number | null }
>;

/**
 * The softbot's menu in the order the customer sees it (option 1 first): the
 * skillsets with a bot label, higher priority first, then by name and id in
 * code-unit order, like the number actor's `ORDER BY priority DESC, name, id`.
 * Pure; the admin preview shows what the bot sends.
 */
export function botMenu<
  S extends { id?: string; name: string; priority: number; botLabel: string | null },
>(skillsets: readonly S[]): (S & { botLabel: string })[] {
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return skillsets
    .filter((s): s is S & { botLabel: string } => s.botLabel !== null && s.botLabel !== "")
    .sort(
      (a, b) => b.priority - a.priority || order(a.name, b.name) || order(a.id ?? "", b.id ?? ""),
    );
}

export const NumberSettings = z.object({
  autoClose: AutoCloseSettings,
  messages: MessageSettings,
  workingTime: WorkingTime,
  profiling: ProfilingSettings,
  bot: BotSettings,
});
export type NumberSettings = z.infer<typeof NumberSettings>;

export const NumberView = NumberDetails.extend({
  id: z.string(),
  settings: NumberSettings,
  /** Credentials are write-only: only whether they are set is ever returned. */
  hasAccessToken: z.boolean(),
  hasAppSecret: z.boolean(),
  /**
   * When Meta last confirmed that the access token reads the number and its
   * WABA lists it (ms); null for a number never proved (added before proofs).
   */
  provedAt: z.number().nullable(),
  createdAt: z.number(),
  version: z.number().int(),
});
export type NumberView = z.infer<typeof NumberView>;

/**
 * A new number: its WABA id and access token are required, because the number
 * is stored only once Graph confirms, with that token, that the token reads
 * the number and the WABA lists it.
 */
export const CreateNumberBody = NumberDetails.partial({
  waitQueueAfterMinutes: true,
  acceptOnlyExistingCustomers: true,
  agentsMayEditCustomers: true,
  acceptAttachments: true,
  closeEmailTo: true,
  externalId: true,
}).extend({
  wabaId: MetaId,
  accessToken: z.string().trim().min(10).max(1000),
  appSecret: z.string().min(10).max(200).optional(),
});
/** Each category saves on its own; all share the number's version. */
export const UpdateNumberBody = z.object({
  version: Version,
  details: NumberDetails.partial().optional(),
  autoClose: AutoCloseSettings.optional(),
  messages: MessageSettings.optional(),
  workingTime: WorkingTime.optional(),
  profiling: ProfilingSettings.optional(),
  bot: BotSettings.optional(),
});
/**
 * Write-only credentials; null clears one, absent leaves it. A new access
 * token is kept only once it proves the number (as on creation).
 */
export const NumberCredentialsBody = z.object({
  version: Version,
  accessToken: z.string().min(10).max(1000).nullable().optional(),
  appSecret: z.string().min(10).max(200).nullable().optional(),
});

// ---- customer properties (per number, at most 50, ordered) -------------------

export const PropertyType = z.enum(["text", "number", "date", "boolean", "choice"]);
const CustomerPropertyBase = z.object({
  name: z.string().trim().min(1).max(60),
  type: PropertyType,
  /** Choices of a `choice` property. */
  options: z.array(z.string().trim().min(1).max(100)).max(100),
  modifiableByAgent: z.boolean(),
  showInCustomerList: z.boolean(),
  showInConversationList: z.boolean(),
});
export const CustomerPropertyFields = CustomerPropertyBase.extend({
  options: CustomerPropertyBase.shape.options.default([]),
  modifiableByAgent: z.boolean().default(true),
  showInCustomerList: z.boolean().default(false),
  showInConversationList: z.boolean().default(false),
});
export const CustomerPropertyView = CustomerPropertyFields.extend({
  id: z.string(),
  numberId: z.string(),
  position: z.number().int(),
  version: z.number().int(),
});
export type CustomerPropertyView = z.infer<typeof CustomerPropertyView>;
/** Partial of the base: zod 4 applies defaults even to optional keys, which would reset them. */
export const UpdateCustomerPropertyBody = CustomerPropertyBase.partial().extend({
  version: Version,
});
export const MAX_CUSTOMER_PROPERTIES = 50;

// ---- profiling (closing reasons; per number; a tree of at most 3 levels) -------

const ProfilingNodeBase = z.object({
  value: z.string().trim().min(1).max(100),
  /** Label of the next level's choice, e.g. "Product". */
  childrenLabel: z.string().trim().max(60).nullable(),
  notesAllowed: z.boolean(),
});
export const ProfilingNodeFields = ProfilingNodeBase.extend({
  childrenLabel: ProfilingNodeBase.shape.childrenLabel.default(null),
  notesAllowed: z.boolean().default(false),
});
export const ProfilingNodeView = ProfilingNodeFields.extend({
  id: z.string(),
  numberId: z.string(),
  parentId: z.string().nullable(),
  /** 1–3. */
  level: z.number().int(),
  position: z.number().int(),
  version: z.number().int(),
});
export type ProfilingNodeView = z.infer<typeof ProfilingNodeView>;
export const CreateProfilingNodeBody = ProfilingNodeFields.extend({
  parentId: z.string().nullable().default(null),
});
/** Partial of the base, so absent fields stay as they are. */
export const UpdateProfilingNodeBody = ProfilingNodeBase.partial().extend({ version: Version });
export const MAX_PROFILING_LEVELS = 3;

// ---- skillsets (per number) --------------------------------------------------

const SkillsetBase = z.object({
  name: Name,
  priority: Priority,
  /** The number's default skillset (exactly one per number once any exists). */
  isDefault: z.boolean(),
  /** What the softbot's menu shows the customer; null = not offered by the bot. */
  botLabel: z.string().trim().min(1).max(24).nullable(),
  members: z.array(z.object({ userId: z.string().min(1), agentPriority: Priority })).max(500),
});
export const SkillsetFields = SkillsetBase.extend({
  isDefault: z.boolean().default(false),
  botLabel: SkillsetBase.shape.botLabel.default(null),
  members: SkillsetBase.shape.members.default([]),
});
export const SkillsetView = SkillsetFields.extend({
  id: z.string(),
  numberId: z.string(),
  numberName: z.string(),
  members: z.array(
    z.object({ userId: z.string(), agentPriority: z.number().int(), name: z.string() }),
  ),
  version: z.number().int(),
});
export type SkillsetView = z.infer<typeof SkillsetView>;
export const CreateSkillsetBody = SkillsetFields.extend({ numberId: z.string().min(1) });
/** Partial of the base, so absent fields (members!) stay as they are. */
export const UpdateSkillsetBody = SkillsetBase.partial().extend({ version: Version });

// ---- predefined messages (tenant) ------------------------------------------------

export const ReplyButtons = z.object({
  type: z.literal("buttons"),
  buttons: z
    .array(z.object({ title: z.string().trim().min(1).max(20) }))
    .min(1)
    .max(3),
});
export const ReplyList = z.object({
  type: z.literal("list"),
  /** The button that opens the list. */
  button: z.string().trim().min(1).max(20),
  sections: z
    .array(
      z.object({
        title: z.string().trim().max(24).default(""),
        rows: z
          .array(
            z.object({
              title: z.string().trim().min(1).max(24),
              description: z.string().trim().max(72).default(""),
            }),
          )
          .min(1)
          .max(10),
      }),
    )
    .min(1)
    .max(10)
    .refine((s) => s.reduce((n, x) => n + x.rows.length, 0) <= 10, "at most 10 rows in all"),
});
export const Interactive = z.discriminatedUnion("type", [ReplyButtons, ReplyList]);
export type Interactive = z.infer<typeof Interactive>;

const PredefinedMessageBase = z.object({
  category: z.string().trim().min(1).max(60),
  title: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(4096),
  interactive: Interactive.nullable(),
});
export const PredefinedMessageFields = PredefinedMessageBase.extend({
  interactive: Interactive.nullable().default(null),
});
export const PredefinedMessageView = PredefinedMessageFields.extend({
  id: z.string(),
  updatedAt: z.number(),
  version: z.number().int(),
});
export type PredefinedMessageView = z.infer<typeof PredefinedMessageView>;
// Partial of the base, not of the fields: zod 4 applies a default even to an
// optional key, so `.partial()` of a defaulted field would reset it on every update.
export const UpdatePredefinedMessageBody = PredefinedMessageBase.partial().extend({
  version: Version,
});

// ---- predefined locations (tenant) ------------------------------------------------

const LocationBase = z.object({
  name: z.string().trim().min(1).max(100),
  address: z.string().trim().max(300),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
export const LocationFields = LocationBase.extend({
  address: LocationBase.shape.address.default(""),
});
export const LocationView = LocationFields.extend({ id: z.string(), version: z.number().int() });
export type LocationView = z.infer<typeof LocationView>;
/** Partial of the base: a defaulted field would otherwise be reset by every update. */
export const UpdateLocationBody = LocationBase.partial().extend({ version: Version });

// ---- templates (tenant, per number's WhatsApp Business Account) --------------------

export const TemplateCategory = z.enum(["UTILITY", "MARKETING", "AUTHENTICATION"]);
export const TemplateStatus = z.enum([
  "draft",
  "pending",
  "approved",
  "rejected",
  "paused",
  "disabled",
]);
export type TemplateStatus = z.infer<typeof TemplateStatus>;

export const TemplateButton = z.discriminatedUnion("type", [
  z.object({ type: z.literal("QUICK_REPLY"), text: z.string().trim().min(1).max(25) }),
  z.object({
    type: z.literal("URL"),
    text: z.string().trim().min(1).max(25),
    url: z.string().url().max(2000),
  }),
  z.object({
    type: z.literal("PHONE_NUMBER"),
    text: z.string().trim().min(1).max(25),
    phoneNumber: z.string().regex(/^\+\d{6,15}$/, "international format, e.g. +390212345678"),
  }),
]);

export const TemplateFields = z.object({
  numberId: z.string().min(1),
  /** Meta's rules: lowercase letters, digits and underscores. */
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "lowercase letters, digits and underscores"),
  /** Meta's language code, e.g. "en_US", "it". */
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a language code such as en_US or it"),
  category: TemplateCategory,
  header: z
    .object({ text: z.string().trim().min(1).max(60), example: z.string().max(60).nullable() })
    .nullable(),
  /** Variables are {{1}}, {{2}}… in order; each needs an example. */
  body: z.object({
    text: z.string().trim().min(1).max(1024),
    examples: z.array(z.string().min(1).max(200)).max(20),
  }),
  footer: z.string().trim().min(1).max(60).nullable(),
  /** Up to 3 quick replies, or up to 2 call-to-action buttons. */
  buttons: z.array(TemplateButton).max(10),
});
export type TemplateFields = z.infer<typeof TemplateFields>;
/** What a template says, without the number it belongs to. */
export type TemplateContent = Omit<TemplateFields, "numberId">;
export const TemplateView = TemplateFields.extend({
  id: z.string(),
  numberName: z.string(),
  status: TemplateStatus,
  /** Meta's reason for a rejection, pause or disable. */
  statusReason: z.string().nullable(),
  metaTemplateId: z.string().nullable(),
  updatedAt: z.number(),
  version: z.number().int(),
});
export type TemplateView = z.infer<typeof TemplateView>;
/** Only drafts and rejected templates may be edited; editing a rejected one makes it a draft. */
export const UpdateTemplateBody = TemplateFields.omit({ numberId: true })
  .partial()
  .extend({ version: Version });
