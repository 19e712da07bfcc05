/**
 * D1 schema: tenants, users, sessions, managed numbers, skillsets and customers.
 * Conversations and messages live in Durable Objects (see src/durable); D1 holds
 * configuration and the customer database. Every table but `tenants` carries
 * `tenant_id` and every query filters on it.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
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
    role: text("role", { enum: ["admin", "agent"] }).notNull(),
    isolated: integer("isolated", { mode: "boolean" }).notNull().default(false),
    maxConversations: integer("max_conversations").notNull().default(3),
    language: text("language", { enum: ["en", "it"] })
      .notNull()
      .default("en"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
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
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("managed_numbers_phone_number_id").on(t.phoneNumberId),
    index("managed_numbers_tenant").on(t.tenantId),
  ],
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
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("customers_contact").on(t.tenantId, t.contactKey)],
);
