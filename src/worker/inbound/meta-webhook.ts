/**
 * Meta's webhook: the subscribe handshake (GET) and signed deliveries (POST).
 * A POST is acknowledged with 200 only after every item has been stored by the
 * actor that owns it, so a failure before storage makes Meta retry.
 */
import { z } from "zod";
import type { NumberItem } from "../../durable/contracts";
import { readCallbackData } from "../../meta/callback-data";
import {
  extractWebhookItems,
  type StatusUpdate,
  type WebhookItem,
} from "../../meta/webhook-payload";
import { verifySignature } from "../../platform/crypto";
import { Routes } from "../app/routes";
import { applyTemplateStatuses } from "../db/template-store";
import { securityLog } from "../security/log";
import { numbersByPhoneId } from "./number-lookup";
import { verifyWithNumberSecret } from "./webhook-secrets";

/** Meta sends at most 3 MB per POST. */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

const Handshake = z.object({
  "hub.mode": z.string().optional(),
  "hub.verify_token": z.string().optional(),
  "hub.challenge": z.string().max(1024).optional(),
});

/** Statuses that name their conversation, by number then conversation. */
type DirectStatuses = Map<string, Map<string, { status: StatusUpdate; messageId: string }[]>>;

/**
 * Splits the items: messages, and statuses without our callback data, go to
 * their number's actor (which serialises a number's conversations); statuses
 * with it go straight to their conversation, so ticks never queue behind a
 * busy number.
 */
function groupByNumber(items: WebhookItem[]): {
  groups: Map<string, NumberItem[]>;
  direct: DirectStatuses;
} {
  const groups = new Map<string, NumberItem[]>();
  const direct: DirectStatuses = new Map();
  for (const item of items) {
    let entry: NumberItem;
    let phoneNumberId: string;
    if (item.kind === "message") {
      entry = { kind: "message", contact: item.contact, message: item.message };
      phoneNumberId = item.phoneNumberId;
    } else if (item.kind === "status") {
      const ours = readCallbackData(item.status.bizOpaqueCallbackData);
      if (ours) {
        const { conversationId, messageId } = ours;
        const byConversation = direct.get(item.phoneNumberId) ?? new Map();
        const list = byConversation.get(conversationId) ?? [];
        list.push({ status: item.status, messageId });
        byConversation.set(conversationId, list);
        direct.set(item.phoneNumberId, byConversation);
        continue;
      }
      entry = { kind: "status", status: item.status };
      phoneNumberId = item.phoneNumberId;
    } else if (item.kind === "error") {
      // Account-level errors (`value.errors`): for operators to see; nothing to store.
      const errors = item.errors.map(
        (e) => `${e.code} ${e.title}${e.details ? ` (${e.details})` : ""}`,
      );
      console.warn(
        `Meta reported errors for number ${item.phoneNumberId ?? "(none)"}: ${errors.join("; ")}`,
      );
      continue;
    } else {
      continue; // template status updates: see applyTemplateStatuses
    }
    const list = groups.get(phoneNumberId) ?? [];
    list.push(entry);
    groups.set(phoneNumberId, list);
  }
  return { groups, direct };
}

export const webhook = new Routes()
  .endpoint(
    {
      method: "get",
      path: "/webhooks/whatsapp",
      summary: "Meta's subscribe handshake: echoes hub.challenge when the verify token matches",
      tag: "webhook",
      access: "public",
      query: Handshake,
    },
    (c) => {
      const q = c.req.valid("query");
      const token = q["hub.verify_token"] ?? "";
      if (
        q["hub.mode"] === "subscribe" &&
        token === c.var.config.verifyToken &&
        q["hub.challenge"]
      ) {
        return c.text(q["hub.challenge"], 200);
      }
      return c.text("Forbidden", 403);
    },
  )
  .endpoint(
    {
      method: "post",
      path: "/webhooks/whatsapp",
      summary: "Meta's signed webhook deliveries (messages, statuses, errors, template updates)",
      tag: "webhook",
      access: "public",
    },
    async (c) => {
      const declared = Number(c.req.header("Content-Length") ?? "0");
      if (declared > MAX_WEBHOOK_BYTES) return c.text("Payload Too Large", 413);
      const body = await c.req.arrayBuffer();
      if (body.byteLength > MAX_WEBHOOK_BYTES) return c.text("Payload Too Large", 413);
      // The signature covers the exact bytes Meta sent: verify before parsing.
      const signature = c.req.header("X-Hub-Signature-256");
      // The global app secret first; else a number's own app (see webhook-secrets.ts).
      const valid =
        (await verifySignature(c.var.config.appSecret, body, signature)) ||
        (await verifyWithNumberSecret(c.env.DB, c.var.config.dataKey, body, signature));
      if (!valid) {
        securityLog("webhook_bad_signature", {
          signaturePresent: Boolean(signature),
          bytes: body.byteLength,
        });
        return c.text("Invalid signature", 401);
      }

      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(body));
      } catch {
        console.warn("signed webhook body is not JSON");
        return c.text("OK", 200); // Meta must not retry a body we can never parse.
      }
      const { items, problems } = extractWebhookItems(json);
      for (const p of problems) console.warn("webhook:", p);

      await applyTemplateStatuses(c.env.DB, items);
      const { groups, direct } = groupByNumber(items);
      const numbers = await numbersByPhoneId(c.env.DB, [
        ...new Set([...groups.keys(), ...direct.keys()]),
      ]);
      const known = (phoneNumberId: string, count: number) => {
        const found = numbers.get(phoneNumberId);
        if (!found) {
          console.warn(`webhook for unknown number ${phoneNumberId}: ${count} items ignored`);
        }
        return found;
      };
      await Promise.all([
        ...[...groups].map(async ([phoneNumberId, list]) => {
          const found = known(phoneNumberId, list.length);
          // A suspended tenant's messages are kept by the number's actor, not routed.
          if (found) {
            await c.env.NUMBER.getByName(found.number.id).ingest(found.number, list, {
              suspended: found.suspended,
            });
          }
        }),
        // Ticks are applied for suspended tenants too: they send nothing.
        ...[...direct].flatMap(([phoneNumberId, byConversation]) => {
          const count = [...byConversation.values()].reduce((n, list) => n + list.length, 0);
          const found = known(phoneNumberId, count);
          if (!found) return [];
          return [...byConversation].map(([conversationId, list]) =>
            c.env.CONVERSATION.getByName(conversationId).statusesFromMeta(found.number.id, list),
          );
        }),
      ]);
      return c.text("OK", 200);
    },
  );
