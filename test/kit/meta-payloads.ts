/** Meta-shaped webhook payloads for tests and benchmarks (no runtime imports: usable from Node and workerd). */

/** The envelope Meta wraps one `messages` change in. */
function envelope(phoneNumberId: string, value: Record<string, unknown>): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "200000000000001",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550100001", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A Meta-shaped inbound text webhook. */
export function textWebhook(
  phoneNumberId: string,
  messages: { from: string; id?: string; text: string; name?: string; timestamp?: number }[],
): unknown {
  return envelope(phoneNumberId, {
    contacts: [...new Map(messages.map((m) => [m.from, m])).values()].map((m) => ({
      profile: { name: m.name ?? `Customer ${m.from}` },
      wa_id: m.from,
    })),
    messages: messages.map((m) => ({
      from: m.from,
      id: m.id ?? `wamid.${crypto.randomUUID()}`,
      timestamp: String(Math.floor((m.timestamp ?? Date.now()) / 1000)),
      type: "text",
      text: { body: m.text },
    })),
  });
}

/**
 * A Meta-shaped inbound text from a user who adopted a username: no `wa_id`
 * and no `from`, only their business-scoped user id (BSUID).
 */
export function usernameTextWebhook(
  phoneNumberId: string,
  message: { userId: string; text: string; name: string; username: string },
): unknown {
  return envelope(phoneNumberId, {
    contacts: [
      { profile: { name: message.name, username: message.username }, user_id: message.userId },
    ],
    messages: [
      {
        from_user_id: message.userId,
        id: `wamid.${crypto.randomUUID()}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: "text",
        text: { body: message.text },
      },
    ],
  });
}

/** A Meta-shaped status webhook. */
export function statusWebhook(
  phoneNumberId: string,
  statuses: {
    id: string;
    status: string;
    recipient?: string;
    callback?: string;
    errors?: unknown[];
  }[],
): unknown {
  return envelope(phoneNumberId, {
    statuses: statuses.map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: s.recipient ?? "393331234567",
      ...(s.callback ? { biz_opaque_callback_data: s.callback } : {}),
      ...(s.errors ? { errors: s.errors } : {}),
    })),
  });
}

/**
 * A Meta-shaped template status update of the WhatsApp Business Account `wabaId`
 * (it names no number), with Meta's `reason` ("NONE" unless rejected or disabled).
 */
export function templateStatusWebhook(
  wabaId: string,
  templateId: string,
  event: string,
  reason = "NONE",
): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: wabaId,
        time: Math.floor(Date.now() / 1000),
        changes: [
          {
            value: {
              event,
              message_template_id: Number(templateId),
              message_template_name: "whatever",
              message_template_language: "en_US",
              reason,
            },
            field: "message_template_status_update",
          },
        ],
      },
    ],
  };
}
