/**
 * What a conversation actor is created with (`ConversationInit`): the number,
 * its configuration, and the customer, found (or created with Meta's profile
 * name) in D1 once per conversation and then kept on the row. Concurrent
 * first messages of one conversation share one lookup.
 */
import { and, eq } from "drizzle-orm";
import { type D1Db, d1 } from "../../platform/db/d1";
import { redacted } from "../../platform/db/errors";
import { customers, skillsets } from "../../platform/db/schema";
import { pipelineDb } from "../../platform/pipeline-db";
import {
  type ConversationInit,
  type CustomerRef,
  defaultNumberConfig,
  type NumberConfig,
  type NumberInfo,
} from "../contracts";
import type { Env } from "../env";
import type { ActorDb } from "../sql";
import type { CachedConfig } from "./config-cache";
import { type ConversationRow, contactJson, customerOf, setCustomer } from "./conversations";

/** What the lookup needs of the actor. */
export interface CustomerLookupDeps {
  db: ActorDb;
  env: Env;
  /** The number, known once a webhook named it (always, by the time a message is routed). */
  number: () => NumberInfo;
  config: (number: NumberInfo) => Promise<CachedConfig | null>;
}

/** Builds conversation actors' inits, looking customers up once per conversation. */
export class CustomerLookup {
  /** In-flight customer lookups, so concurrent first messages share one. */
  private readonly pending = new Map<string, Promise<ConversationInit>>();

  constructor(private readonly deps: CustomerLookupDeps) {}

  /** The conversation actor's init for `row`: the customer is looked up in D1 the first time. */
  async init(row: ConversationRow): Promise<ConversationInit> {
    const cached = await this.deps.config(this.deps.number());
    const number = cached?.number ?? this.deps.number();
    const config = cached?.config ?? defaultNumberConfig();
    const customer = customerOf(row);
    if (customer) {
      return {
        id: row.id,
        tenantId: number.tenantId,
        number,
        customer,
        skillsetId: row.skillset_id,
        createdAt: row.arrived_at,
        config,
      };
    }
    let pending = this.pending.get(row.id);
    if (!pending) {
      pending = this.lookUp(number, row, config).finally(() => this.pending.delete(row.id));
      this.pending.set(row.id, pending);
    }
    return pending;
  }

  /**
   * Reads the customer from D1, creating them with Meta's profile name unless
   * the number accepts only existing customers (then an unknown sender stays
   * unknown: `known` false, no record).
   */
  private async lookUp(
    number: NumberInfo,
    row: ConversationRow,
    config: NumberConfig,
  ): Promise<ConversationInit> {
    const contact = contactJson.read(row.contact_json);
    const phone = contact.waId ? `+${contact.waId}` : null;
    const name = contact.name?.trim() || phone || "WhatsApp user";
    const acceptOnlyExisting = config.settings.details.acceptOnlyExistingCustomers;
    const found = await findCustomer(d1(pipelineDb(this.deps.env.DB)), number, {
      contactKey: row.contact_key,
      phone,
      name,
      create: !acceptOnlyExisting,
    }).catch((err: unknown) => {
      throw redacted(err);
    });
    if (!found && !acceptOnlyExisting) throw new Error(`customer ${row.contact_key} vanished`);
    const customer: CustomerRef = {
      id: found?.id ?? "",
      name: found?.name ?? name,
      phone: found?.phone ?? phone,
      contactKey: row.contact_key,
      recipient: row.contact_key.startsWith("u:") ? row.contact_key.slice(2) : row.contact_key,
      priority: found?.priority ?? 5,
      known: found !== null,
      bypassBot: found?.bypassBot === true,
    };
    const skillsetId = found?.skillsetId ?? null;
    setCustomer(this.deps.db, row.id, customer, skillsetId);
    return {
      id: row.id,
      tenantId: number.tenantId,
      number,
      customer,
      skillsetId,
      createdAt: row.arrived_at,
      config,
    };
  }
}

/**
 * The customer of `contactKey` in the number's tenant, with the default
 * skillset when it is one of this number's; created first (when `create`)
 * unless they exist.
 */
async function findCustomer(
  db: D1Db,
  number: NumberInfo,
  wanted: { contactKey: string; phone: string | null; name: string; create: boolean },
) {
  if (wanted.create) {
    await db
      .insert(customers)
      .values({
        id: crypto.randomUUID(),
        tenantId: number.tenantId,
        contactKey: wanted.contactKey,
        phone: wanted.phone,
        name: wanted.name,
      })
      .onConflictDoNothing({ target: [customers.tenantId, customers.contactKey] });
  }
  const found = await db
    .select({
      id: customers.id,
      name: customers.name,
      phone: customers.phone,
      priority: customers.priority,
      bypassBot: customers.bypassBot,
      skillsetId: skillsets.id,
    })
    .from(customers)
    .leftJoin(
      skillsets,
      and(
        eq(skillsets.id, customers.defaultSkillsetId),
        eq(skillsets.tenantId, customers.tenantId),
        eq(skillsets.numberId, number.id),
      ),
    )
    .where(
      and(eq(customers.tenantId, number.tenantId), eq(customers.contactKey, wanted.contactKey)),
    )
    .get();
  return found ?? null;
}
