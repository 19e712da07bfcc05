/** The details pane beside a conversation: conversation info, customer info (editable when allowed), the customer's history, send by e-mail. */
import type { ConversationView } from "../../../shared/protocol.ts";

export function DetailsPane(_props: { conversation: ConversationView }) {
  return null;
}
