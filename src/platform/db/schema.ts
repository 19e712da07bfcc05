/**
 * D1 schema: tenants, users, sessions, managed numbers, skillsets and customers.
 * Conversations and messages live in Durable Objects (see src/durable); D1 holds
 * configuration and the customer database. Every table but `tenants` carries
 * `tenant_id` and every query filters on it.
 */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status", { enum: ["active", "suspended"] })
    .notNull()
    .default("active"),
  /** How many templates the tenant may hold (set by the platform operator). */
  templateLimit: integer("template_limit").notNull().default(250),
  agentsMaySendTemplates: integer("agents_may_send_templates", { mode: "boolean" })
    .notNull()
    .default(true),
  maskSensitiveData: integer("mask_sensitive_data", { mode: "boolean" }).notNull().default(false),
  defaultLanguage: text("default_language", { enum: ["en", "it"] })
    .notNull()
    .default("en"),
  /** Base of the video-call links agents send (https), or "" when none is configured. */
  meetingUrl: text("meeting_url").notNull().default(""),
  /** A session unused for this long ends (its desktops are disconnected). */
  sessionIdleMinutes: integer("session_idle_minutes").notNull().default(120),
  version: integer("version").notNull().default(1),
  createdAt: integer("created_at").notNull().default(now),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    /** `operator` users belong to the `platform` tenant and manage tenants. */
    role: text("role", { enum: ["admin", "agent", "operator"] }).notNull(),
    isolated: integer("isolated", { mode: "boolean" }).notNull().default(false),
    maxConversations: integer("max_conversations").notNull().default(3),
    language: text("language", { enum: ["en", "it"] })
      .notNull()
      .default("en"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("users_email").on(t.email), index("users_tenant").on(t.tenantId)],
);

/** Server-side sessions; `id` is the SHA-256 of the cookie token, never the token. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    tenantId: text("tenant_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    /**
     * Last request or desktop activity (ms), for the tenant's idle timeout; written at
     * most once a minute. Null until then: the session is as fresh as `createdAt`.
     */
    lastSeenAt: integer("last_seen_at"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const managedNumbers = sqliteTable(
  "managed_numbers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** Meta's phone_number_id: how webhooks and Graph API calls name the number. */
    phoneNumberId: text("phone_number_id").notNull(),
    displayPhone: text("display_phone").notNull(),
    name: text("name").notNull(),
    wabaId: text("waba_id"),
    /** Write-only Graph API token for this number. */
    accessToken: text("access_token"),
    /** Write-only app secret when this number's webhooks come from its own Meta app. */
    appSecret: text("app_secret"),
    /**
     * When Graph last confirmed, with this number's access token, that the token
     * reads the number and its WABA lists it (ms). Null for numbers added before
     * numbers were proved: they keep working as they did.
     */
    provedAt: integer("proved_at"),
    /** Details beyond the columns above plus every settings category, as JSON (see src/shared/admin.ts). */
    settings: text("settings").notNull().default("{}"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("managed_numbers_phone_number_id").on(t.phoneNumberId),
    index("managed_numbers_tenant").on(t.tenantId),
    index("managed_numbers_waba").on(t.wabaId),
  ],
);

/**
 * Which tenant a WhatsApp Business Account belongs to: one tenant platform-wide.
 * A number may name a WABA only when its tenant holds (or takes) the WABA here,
 * in the same D1 batch that writes the number; the last number of a WABA
 * leaving the tenant releases it. Filled from existing numbers by migration
 * (the earliest number's tenant wins when tenants shared a WABA).
 */
export const wabaOwners = sqliteTable(
  "waba_owners",
  {
    wabaId: text("waba_id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("waba_owners_tenant").on(t.tenantId)],
);

export const skillsets = sqliteTable(
  "skillsets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    numberId: text("number_id")
      .notNull()
      .references(() => managedNumbers.id),
    name: text("name").notNull(),
    /** 1–9, higher receives conversations first. */
    priority: integer("priority").notNull().default(5),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    /** What the softbot's menu shows the customer; null = not offered. */
    botLabel: text("bot_label"),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("skillsets_number").on(t.tenantId, t.numberId)],
);

export const skillsetMembers = sqliteTable(
  "skillset_members",
  {
    tenantId: text("tenant_id").notNull(),
    skillsetId: text("skillset_id")
      .notNull()
      .references(() => skillsets.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** 1–9, higher receives conversations first within the skillset. */
    agentPriority: integer("agent_priority").notNull().default(5),
  },
  (t) => [
    primaryKey({ columns: [t.skillsetId, t.userId] }),
    index("skillset_members_user").on(t.tenantId, t.userId),
  ],
);

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /**
     * How Meta names the customer: the wa_id digits, or `u:<BSUID>` for users who
     * adopted a username and have no phone in the webhook.
     */
    contactKey: text("contact_key").notNull(),
    /** E.164 with leading "+", when known. */
    phone: text("phone"),
    name: text("name").notNull(),
    /** 1–9, higher is served first when agents are saturated. */
    priority: integer("priority").notNull().default(5),
    authorized: integer("authorized", { mode: "boolean" }).notNull().default(false),
    defaultSkillsetId: text("default_skillset_id"),
    /** Skip the number's bot: the customer goes straight to the agents. */
    bypassBot: integer("bypass_bot", { mode: "boolean" }).notNull().default(false),
    notes: text("notes"),
    externalId: text("external_id"),
    /** Off: message contents are removed once a conversation closes. */
    keepHistory: integer("keep_history", { mode: "boolean" }).notNull().default(true),
    /** Who last changed `authorized` (a user id, or 'customer' / 'import'): the opt-in evidence. */
    authorizedBy: text("authorized_by"),
    /** When `authorized` last changed (ms). */
    authorizedAt: integer("authorized_at"),
    /** Custom property values: JSON object, property id → value. */
    properties: text("properties").notNull().default("{}"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("customers_contact").on(t.tenantId, t.contactKey)],
);

/** Single-use links: invitations and password resets. `id` is the SHA-256 of the token. */
export const userTokens = sqliteTable(
  "user_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    tenantId: text("tenant_id").notNull(),
    purpose: text("purpose", { enum: ["invite", "reset"] }).notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("user_tokens_user").on(t.tenantId, t.userId)],
);

/** Custom customer fields of a managed number (at most 50), in display order. */
export const customerProperties = sqliteTable(
  "customer_properties",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    numberId: text("number_id")
      .notNull()
      .references(() => managedNumbers.id),
    name: text("name").notNull(),
    type: text("type", { enum: ["text", "number", "date", "boolean", "choice"] }).notNull(),
    /** JSON array of choices for `choice`. */
    options: text("options").notNull().default("[]"),
    modifiableByAgent: integer("modifiable_by_agent", { mode: "boolean" }).notNull().default(true),
    showInCustomerList: integer("show_in_customer_list", { mode: "boolean" })
      .notNull()
      .default(false),
    showInConversationList: integer("show_in_conversation_list", { mode: "boolean" })
      .notNull()
      .default(false),
    position: integer("position").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("customer_properties_number").on(t.tenantId, t.numberId, t.position),
    uniqueIndex("customer_properties_name").on(t.tenantId, t.numberId, t.name),
  ],
);

/** Closing reasons of a managed number: a tree of at most three levels, ordered among siblings. */
export const profilingNodes = sqliteTable(
  "profiling_nodes",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    numberId: text("number_id")
      .notNull()
      .references(() => managedNumbers.id),
    parentId: text("parent_id"),
    level: integer("level").notNull(),
    value: text("value").notNull(),
    childrenLabel: text("children_label"),
    notesAllowed: integer("notes_allowed", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("profiling_nodes_number").on(t.tenantId, t.numberId, t.parentId, t.position)],
);

/** Predefined messages agents pick from, by category; optionally interactive. */
export const predefinedMessages = sqliteTable(
  "predefined_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    category: text("category").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    /** JSON of `Interactive` (reply buttons or a list), or null. */
    interactive: text("interactive"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("predefined_messages_tenant").on(t.tenantId, t.category)],
);

/** Predefined locations agents can send. */
export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    latitude: real("latitude").notNull(),
    longitude: real("longitude").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("locations_tenant").on(t.tenantId)],
);

/** Message templates, drafted here and reviewed by Meta per WhatsApp Business Account. */
export const templates = sqliteTable(
  "templates",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    numberId: text("number_id")
      .notNull()
      .references(() => managedNumbers.id),
    name: text("name").notNull(),
    language: text("language").notNull(),
    category: text("category", { enum: ["UTILITY", "MARKETING", "AUTHENTICATION"] }).notNull(),
    /** JSON of header, body, footer and buttons (see `TemplateFields`). */
    components: text("components").notNull(),
    status: text("status", {
      enum: ["draft", "pending", "approved", "rejected", "paused", "disabled"],
    })
      .notNull()
      .default("draft"),
    statusReason: text("status_reason"),
    metaTemplateId: text("meta_template_id"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("templates_name").on(t.tenantId, t.numberId, t.name, t.language),
    index("templates_meta").on(t.metaTemplateId),
  ],
);

/**
 * Makes a D1 batch fail when its optimistic-concurrency update matched no row:
 * `INSERT INTO version_guard (ok) VALUES (changes())` right after the UPDATE
 * violates the CHECK, which rolls back the whole batch (see api/admin/common.ts).
 * It never holds rows: the same batch deletes what it inserted.
 */
export const versionGuard = sqliteTable("version_guard", { ok: integer("ok").notNull() }, (t) => [
  check("version_guard_ok", sql`${t.ok} = 1`),
]);

/**
 * The history of conversations, per customer. A row appears when an agent takes
 * the conversation (so isolated agents see the customers of their skillsets'
 * conversations) and is completed when it closes. Deleting a customer deletes
 * their history.
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    numberId: text("number_id").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    skillsetId: text("skillset_id"),
    agentId: text("agent_id"),
    agentName: text("agent_name"),
    openedAt: integer("opened_at").notNull(),
    closedAt: integer("closed_at"),
    /** User id of who closed it (null while open). */
    closedBy: text("closed_by"),
    closedByName: text("closed_by_name"),
    closeReason: text("close_reason"),
    closeNotes: text("close_notes"),
    /** False when the customer's "keep message history" was off at closing: texts were removed. */
    messagesKept: integer("messages_kept", { mode: "boolean" }).notNull().default(true),
    messageCount: integer("message_count").notNull().default(0),
  },
  (t) => [
    index("conversations_customer").on(t.tenantId, t.customerId, t.openedAt),
    index("conversations_skillset").on(t.tenantId, t.skillsetId),
  ],
);

/**
 * Conversations whose customer was deleted and whose actor has not yet been
 * told (so that it drops their contents and deletes their files from R2). Rows
 * are written in the same D1 batch as the deletion, read and removed once the
 * actor has taken note (src/worker/jobs/customer-deletions.ts), and retried by the
 * scheduled sweep when that did not happen at once.
 */
export const customerDeletions = sqliteTable(
  "customer_deletions",
  {
    conversationId: text("conversation_id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    deletedAt: integer("deleted_at").notNull(),
  },
  (t) => [index("customer_deletions_deleted").on(t.deletedAt)],
);

/**
 * Messages of closed conversations, copied from the conversation actor when it
 * closes. `text` is null when the contents were not kept. Full-text search runs
 * on `conversation_messages_fts` (FTS5, kept in step by triggers; see the
 * migration 0003).
 */
export const conversationMessages = sqliteTable(
  "conversation_messages",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    tenantId: text("tenant_id").notNull(),
    direction: text("direction", { enum: ["in", "out"] }).notNull(),
    /** Who wrote it: the customer's or the agent's name, or "system". */
    senderName: text("sender_name").notNull(),
    kind: text("kind").notNull(),
    text: text("text"),
    createdAt: integer("created_at").notNull(),
    /** Our messages: the last delivery tick (e.g. `unconfirmed`, `failed`); null for the customer's. */
    status: text("status"),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);

/**
 * A customer import: the uploaded file is parsed and checked into
 * `customer_import_rows` (status `receiving`, with `processed_rows` as progress),
 * previewed (`ready`), then applied in one D1 batch that also flips the status to
 * `applied`, so either the whole import lands or none of it.
 */
export const customerImports = sqliteTable(
  "customer_imports",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    createdBy: text("created_by").notNull(),
    fileName: text("file_name").notNull(),
    /** `upsert`: insert/update; `replace`: insert/update/delete (the file becomes the list). */
    mode: text("mode", { enum: ["upsert", "replace"] }).notNull(),
    status: text("status", { enum: ["receiving", "ready", "applied", "failed"] }).notNull(),
    /** JSON array of the customer fields the file has columns for (absent ones are left alone). */
    columns: text("columns").notNull().default("[]"),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    validRows: integer("valid_rows").notNull().default(0),
    /** JSON array of {row, column, reason}, the first ones only (see rejected_rows for the count). */
    rejections: text("rejections").notNull().default("[]"),
    rejectedRows: integer("rejected_rows").notNull().default(0),
    /** Preview counts: rows that create, update, and customers that would be deleted. */
    inserts: integer("inserts").notNull().default(0),
    updates: integer("updates").notNull().default(0),
    /** Valid rows that name a customer whose values are already those of the file. */
    unchanged: integer("unchanged").notNull().default(0),
    deletes: integer("deletes").notNull().default(0),
    /** Refused rows that name an existing customer: left as they are, never deleted. */
    keptRows: integer("kept_rows").notNull().default(0),
    /**
     * When the preview was counted (D1's clock, ms): `replace` deletes only
     * customers that existed then, so it deletes no one the admin was not shown.
     * Null for an import checked before this was recorded: it must be uploaded again.
     */
    previewedAt: integer("previewed_at"),
    error: text("error"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    appliedAt: integer("applied_at"),
  },
  (t) => [index("customer_imports_tenant").on(t.tenantId, t.createdAt)],
);

/**
 * The checked, valid rows of an import, ready to be applied, and (with a
 * negative row number, never applied) the refused rows that name an existing
 * customer, so that `replace` does not delete them.
 */
export const customerImportRows = sqliteTable(
  "customer_import_rows",
  {
    importId: text("import_id")
      .notNull()
      .references(() => customerImports.id, { onDelete: "cascade" }),
    rowNo: integer("row_no").notNull(),
    /** The existing customer the row names (by ID, phone or WhatsApp user ID); null adds one. */
    customerId: text("customer_id"),
    /** How it was matched: `id`, `phone` or `userId`. */
    matchedBy: text("matched_by", { enum: ["id", "phone", "userId"] }),
    /** The customer's key once applied (see `customers.contact_key`). */
    contactKey: text("contact_key").notNull(),
    /** Null only for a customer known by WhatsApp user ID who has no phone. */
    phone: text("phone"),
    name: text("name"),
    authorized: integer("authorized", { mode: "boolean" }),
    bypassBot: integer("bypass_bot", { mode: "boolean" }),
    priority: integer("priority"),
    defaultSkillsetId: text("default_skillset_id"),
    notes: text("notes"),
    externalId: text("external_id"),
    keepHistory: integer("keep_history", { mode: "boolean" }),
    /** JSON object of the property columns present: id → value, null clears. */
    properties: text("properties").notNull().default("{}"),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNo] }),
    uniqueIndex("customer_import_rows_contact").on(t.importId, t.contactKey),
    index("customer_import_rows_customer").on(t.importId, t.customerId),
  ],
);

/**
 * The audit trail: who changed which setting, user, number, skillset, template,
 * content or customer import, when, and each field before and after (secrets
 * only as "changed"). Written in the same D1 batch as the change it records.
 * The platform operator's tenant operations are kept under tenant `platform`.
 * Rows are only ever inserted.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    at: integer("at").notNull(),
    /** The user who made the change (null for the system). */
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    actorEmail: text("actor_email").notNull().default(""),
    /** What was done: create, update, delete, or a named operation (e.g. suspend, apply). */
    action: text("action").notNull(),
    /** What kind of thing: settings, user, number, skillset, template, customer_import, … */
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    /** The thing's name when it was changed, so a deleted one is still recognisable. */
    entityLabel: text("entity_label").notNull().default(""),
    /** JSON: [{ field, before, after }] with secrets as { field, secret: true }. */
    changes: text("changes").notNull().default("[]"),
    requestId: text("request_id"),
  },
  (t) => [index("audit_events_tenant_at").on(t.tenantId, t.at)],
);
