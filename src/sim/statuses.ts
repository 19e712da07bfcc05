/**
 * The life of an outbound message: `sent` → `delivered` → `read` status
 * webhooks (or a single `failed`), each a separate signed POST.
 */
import type { SimContext } from "./context.ts";
import type { JsonObject } from "./http.ts";
import { nowSeconds, webhookEnvelope } from "./meta.ts";
import type { MessageStatus, StoredMessage } from "./state.ts";

const SENT_AFTER_MS = 50;
const DELIVERED_AFTER_MS = 150;

function pricing(m: StoredMessage): JsonObject {
  const template = m.type === "template";
  return {
    billable: template,
    pricing_model: "PMP",
    category: template ? "utility" : "service",
    type: template ? "regular" : "free_customer_service",
  };
}

function conversation(ctx: SimContext, m: StoredMessage, withExpiry: boolean): JsonObject {
  const origin = m.type === "template" ? "utility" : "service";
  const conv = ctx.state.conversation(m.phoneNumberId, m.customer, origin);
  return {
    id: conv.id,
    ...(withExpiry ? { expiration_timestamp: String(conv.expiresAt) } : {}),
    origin: { type: conv.origin },
  };
}

/** Builds one `statuses[]` item, with pricing/conversation where Meta puts them. */
function statusItem(
  ctx: SimContext,
  m: StoredMessage,
  status: MessageStatus,
  errors?: JsonObject[],
): JsonObject {
  const item: JsonObject = {
    id: m.id,
    status,
    timestamp: String(nowSeconds()),
    recipient_id: m.customer,
  };
  const billed =
    status === "sent" || status === "delivered" || (status === "read" && m.skippedDelivered);
  if (billed) {
    item.conversation = conversation(ctx, m, status === "sent");
    item.pricing = pricing(m);
  }
  if (m.bizOpaque !== undefined) item.biz_opaque_callback_data = m.bizOpaque;
  if (errors) item.errors = errors;
  return item;
}

/** Updates the thread and sends the status webhook (fire and forget). */
function emit(
  ctx: SimContext,
  m: StoredMessage,
  status: MessageStatus,
  errors?: JsonObject[],
): void {
  m.status = status;
  const payload = webhookEnvelope(m.phoneNumberId, {
    statuses: [statusItem(ctx, m, status, errors)],
  });
  void ctx.webhooks.send(payload);
}

function deliver(ctx: SimContext, m: StoredMessage): void {
  if (m.status !== "sent") return;
  if (m.readRequested) {
    // Meta skips `delivered` when delivery and read happen together.
    m.skippedDelivered = true;
    emit(ctx, m, "read");
    return;
  }
  emit(ctx, m, "delivered");
  if (ctx.autoReadMs !== undefined) ctx.timers.later(ctx.autoReadMs, () => markRead(ctx, m));
}

/**
 * Schedules the status webhooks of a freshly accepted outbound message.
 * With `failure`, a single `failed` status carrying it is sent instead.
 */
export function scheduleStatuses(ctx: SimContext, m: StoredMessage, failure?: JsonObject): void {
  if (failure) {
    ctx.timers.later(SENT_AFTER_MS, () => emit(ctx, m, "failed", [failure]));
    return;
  }
  ctx.timers.later(SENT_AFTER_MS, () => emit(ctx, m, "sent"));
  ctx.timers.later(DELIVERED_AFTER_MS, () => deliver(ctx, m));
}

/**
 * The customer has seen this business message: sends `read` once if it was
 * delivered, or remembers to send it as soon as it is.
 */
export function markRead(ctx: SimContext, m: StoredMessage): void {
  if (m.direction !== "out") return;
  if (m.status === "delivered") emit(ctx, m, "read");
  else if (m.status === null || m.status === "sent") m.readRequested = true;
}
