/**
 * Templates I sent without reply (they move to my conversations when the customer
 * answers), and starting a conversation. Its code loads on first use, so the desktop's
 * first download does not grow.
 */
import type { ConversationView } from "../../../shared/protocol.ts";
import { lazyScreen } from "../../components/lazy.tsx";

export interface OutboundViewProps {
  /** The signed-in agent: the dialog tells their own open conversations from others'. */
  myId: string;
  /** Changes whenever my desk's conversations change: the list is fetched again. */
  liveSignal: string;
  /** A free message started (or continued) this conversation: show it on my desk. */
  onOpen: (conversation: ConversationView) => void;
}

export const OutboundView = lazyScreen<OutboundViewProps>(() => import("./OutboundScreen.tsx"));
