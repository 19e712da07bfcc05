/**
 * The dashboard: today's conversations as bars, the tenant's agent statuses as a pie, the
 * hourly distribution as a line; refresh and live updates. Its code loads on first use
 * (it is not what an agent opens first), so the desktop's first download does not grow.
 */
import type { ConversationView, OfferView } from "../../../shared/protocol.ts";
import { lazyScreen } from "../../components/lazy.tsx";

export interface DashboardProps {
  /** Changes whenever the desk hears of a conversation event: the figures are fetched again. */
  liveSignal: string;
}

/**
 * What the desk knows that moves the dashboard: its conversations with their states and
 * its offers. New messages do not change it. Pure.
 */
export function deskSignal(state: {
  conversations: readonly ConversationView[];
  offers: readonly OfferView[];
}): string {
  return [
    ...state.conversations.map((c) => `${c.id}:${c.state}`),
    ...state.offers.map((o) => `offer:${o.conversationId}`),
  ].join(",");
}

export const DashboardView = lazyScreen<DashboardProps>(() => import("./DashboardScreen.tsx"));
