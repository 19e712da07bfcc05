/**
 * The desktop's calls for starting conversations and the templates sent without reply.
 * Same client as the rest of the desktop: answers validated against the shared schemas,
 * failures as ApiError / NetworkError.
 */
import {
  OutboundCustomers,
  OutboundTemplates,
  PendingOutboundList,
  type StartOutboundBody,
} from "../../../shared/outbound.ts";
import { ConversationView } from "../../../shared/protocol.ts";
import { request } from "../../api.ts";

export const outboundApi = {
  /** Customers matching `q` (name or phone), with their 24-hour window and open conversation per number. */
  customers: (q: string) =>
    request(`/api/outbound/customers?q=${encodeURIComponent(q)}&limit=20`, OutboundCustomers),
  /** The approved templates usable from `numberId`, and whether I may send them. */
  templates: (numberId: string) =>
    request(`/api/outbound/templates?numberId=${encodeURIComponent(numberId)}`, OutboundTemplates),
  /** My templates the customer has not answered yet. */
  pending: () => request("/api/outbound/pending", PendingOutboundList),
  /** Starts (or continues) the conversation; resolves with it. */
  start: (body: StartOutboundBody) =>
    request("/api/outbound", ConversationView, { method: "POST", body }),
  /** Withdraws my unanswered template: the conversation closes without a message. */
  withdraw: (conversationId: string) =>
    request(`/api/outbound/${encodeURIComponent(conversationId)}/withdraw`, ConversationView, {
      method: "POST",
    }),
};
