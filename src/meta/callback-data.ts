/**
 * Our `biz_opaque_callback_data`: every message we send carries
 * `<conversation id>/<message id>`, and Meta echoes it on that message's
 * status webhooks, so a status finds its conversation and message without a
 * wamid lookup. The conversation id is a UUID; the message id is everything
 * after the first "/" (an automatic message's id may itself hold a "/").
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CallbackRef {
  conversationId: string;
  messageId: string;
}

/** The callback data sent with message `messageId` of conversation `conversationId`. */
export function callbackData(conversationId: string, messageId: string): string {
  return `${conversationId}/${messageId}`;
}

/** The conversation and message a status's callback data names, or null when it is not ours. */
export function parseCallbackData(data: string | null | undefined): CallbackRef | null {
  if (!data) return null;
  const slash = data.indexOf("/");
  if (slash < 0) return null;
  const conversationId = data.slice(0, slash);
  const messageId = data.slice(slash + 1);
  if (!UUID.test(conversationId) || messageId === "") return null;
  return { conversationId, messageId };
}
