/**
 * Inbound intake: each webhook message goes to its customer's one open
 * conversation (or opens one), once per wamid (`inbound_seen`, kept while
 * Meta may still redeliver), and the number remembers when each customer last
 * wrote (`contact_inbound`, kept after their conversations close: the 24-hour
 * window of a conversation an agent starts). Statuses go to `statuses.ts`.
 */
import type { InboundContact, InboundMessage, StatusUpdate } from "../../meta/webhook-payload";
import type {
  ConversationInit,
  NumberInfo,
  NumberItem,
  NumberToken,
  RouteRequest,
} from "../contracts";
import type { Env } from "../env";
import { type ActorDb, sql } from "../sql";
import {
  type ConversationRow,
  conversationOfContact,
  conversationRow,
  insertArrived,
} from "./conversations";
import { applyStatuses } from "./statuses";

/** Meta retries deliveries for up to 7 days; keep dedupe keys a day longer. */
const DEDUPE_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

/** How often old dedupe keys are swept (not at every delivery). */
const FORGET_EVERY_MS = 10 * 60 * 1000;

/** The key that makes "one open conversation per customer": wa_id, else BSUID. Pure. */
export function contactKeyOf(contact: InboundContact, message: InboundMessage): string | null {
  const waId = message.from ?? contact.waId;
  if (waId) return waId;
  const userId = message.fromUserId ?? contact.userId;
  return userId ? `u:${userId}` : null;
}

/** When the customer last wrote to this number (ms, Meta's time), as far as this actor has seen. */
export function lastInboundAt(db: ActorDb, contactKey: string): number | null {
  return (
    db.one<{ at: number }>(sql`SELECT at FROM contact_inbound WHERE contact_key = ${contactKey}`)
      ?.at ?? null
  );
}

/** What the actor lends the intake. */
export interface IntakeDeps {
  db: ActorDb;
  env: Env;
  now: () => number;
  number: () => NumberInfo | null;
  /** What the conversation actor is created with (the customer looked up once). */
  conversationInit: (row: ConversationRow) => Promise<ConversationInit>;
  /** The number's access token (sealed), handed to the conversation with its messages; null when not cached. */
  token: () => NumberToken | null;
  /** The conversation answered its messages with a routing request. */
  routeRequested: (conversationId: string, route: RouteRequest) => void;
}

/** Webhook messages to their conversations, once per wamid. */
export class Intake {
  /** When this incarnation last forgot old dedupe keys (at most every FORGET_EVERY_MS). */
  private forgotAt = 0;

  constructor(private readonly deps: IntakeDeps) {}

  /**
   * Routes a batch of webhook items: resolves once every message is stored by
   * its conversation actor and every status applied. Idempotent per wamid.
   */
  async store(
    items: NumberItem[],
  ): Promise<{ messages: number; statuses: number; skipped: number }> {
    const byConversation = new Map<string, InboundMessage[]>();
    let skipped = 0;
    // Map every message to its conversation synchronously, before any await, so
    // 20 concurrent messages from one customer can never open two conversations.
    for (const item of items) {
      if (item.kind !== "message") continue;
      const conversationId = this.conversationFor(item.contact, item.message);
      if (!conversationId) {
        console.warn("inbound message without sender", item.message.id);
        skipped++;
        continue;
      }
      const list = byConversation.get(conversationId) ?? [];
      list.push(item.message);
      byConversation.set(conversationId, list);
    }
    const statuses = statusesOf(items);
    await Promise.all([
      ...[...byConversation].map(([id, messages]) => this.deliver(id, messages)),
      applyStatuses(this.deps, statuses),
    ]);
    const messages = [...byConversation.values()].reduce((n, l) => n + l.length, 0);
    return { messages, statuses: statuses.length, skipped };
  }

  /**
   * Meta retries a delivery for at most 7 days, so dedupe keys older than that
   * can go.
   */
  forgetOldDeliveries(): void {
    const { db, now } = this.deps;
    if (now() - this.forgotAt < FORGET_EVERY_MS) return;
    this.forgotAt = now();
    const cutoff = now() - DEDUPE_RETENTION_MS;
    db.run(sql`DELETE FROM inbound_seen WHERE seen_at < ${cutoff}`);
  }

  /** The conversation a message belongs to: where it went before, else the open one, else a new one. */
  private conversationFor(contact: InboundContact, message: InboundMessage): string | null {
    const { db, now } = this.deps;
    const seen = db.one<{ conversation_id: string }>(
      sql`SELECT conversation_id FROM inbound_seen WHERE wamid = ${message.id}`,
    );
    if (seen) return seen.conversation_id;
    const contactKey = contactKeyOf(contact, message);
    if (!contactKey) return null;
    db.run(
      sql`INSERT INTO contact_inbound (contact_key, at) VALUES (${contactKey}, ${message.timestampMs})
          ON CONFLICT (contact_key) DO UPDATE SET at = max(at, excluded.at)`,
    );
    let id = conversationOfContact(db, contactKey)?.id;
    if (!id) {
      id = insertArrived(db, contactKey, { ...contact, waId: message.from ?? contact.waId }, now());
    }
    db.run(
      sql`INSERT INTO inbound_seen (wamid, conversation_id, seen_at)
          VALUES (${message.id}, ${id}, ${now()})`,
    );
    return id;
  }

  private async deliver(conversationId: string, messages: InboundMessage[]): Promise<void> {
    const row = conversationRow(this.deps.db, conversationId);
    const stub = this.deps.env.CONVERSATION.getByName(conversationId);
    if (!row) {
      // A redelivery of messages whose conversation has closed: the conversation
      // actor already has them and deduplicates.
      await stub.appendInbound(null, messages, this.deps.token());
      return;
    }
    const init = await this.deps.conversationInit(row);
    const { route } = await stub.appendInbound(init, messages, this.deps.token());
    if (route) this.deps.routeRequested(conversationId, route);
  }
}

/** The statuses of a batch of webhook items. */
export function statusesOf(items: NumberItem[]): StatusUpdate[] {
  return items.flatMap((i) => (i.kind === "status" ? [i.status] : []));
}
