/**
 * Our `biz_opaque_callback_data`: what we send with each message so that
 * Meta's status webhooks say whose message they describe, written and read
 * here only. The format is `<conversationId>/<messageId>`; a message id may
 * itself hold a "/" (an automatic message's id can carry a wamid), so it is
 * read up to the first one. A conversation id is a UUID (the number actor
 * makes it): data of another shape was not written by us.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a status belongs: the conversation and its message. */
export interface CallbackTarget {
  conversationId: string;
  messageId: string;
}

/** The callback data sent with a conversation's message. Pure. */
export function writeCallbackData(target: CallbackTarget): string {
  return `${target.conversationId}/${target.messageId}`;
}

/** The conversation and message a status's callback data names, or null (none, or not ours). Pure. */
export function readCallbackData(data: string | null | undefined): CallbackTarget | null {
  const text = data ?? "";
  const slash = text.indexOf("/");
  if (slash <= 0) return null;
  const conversationId = text.slice(0, slash);
  const messageId = text.slice(slash + 1);
  return UUID.test(conversationId) && messageId ? { conversationId, messageId } : null;
}
