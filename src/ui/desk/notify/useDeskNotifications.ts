/**
 * What the desk does to get the agent's attention, on every page of the app: the tab
 * title counts pending offers and unread customer messages ("(2) Parley — Agent
 * desktop"); with the agent's choices on, each new offer, and each new customer message
 * in a conversation that is not on screen (or while the tab is hidden), raises a
 * browser notification and/or a beep.
 * Clicking a notification brings the window forward and shows the offer or conversation.
 */
import { useEffect, useRef } from "preact/hooks";
import type { MessageView, OfferView } from "../../../shared/protocol.ts";
import { customerLabel } from "../../components/ConversationList.tsx";
import type { Translate } from "../../i18n.ts";
import { type DesktopState, offerHeading, unreadCount } from "../../state.ts";
import { beep } from "./beep.ts";
import { type NotifySettings, useNotifySettings } from "./settings.ts";
import { freshCustomerMessages, titleWithCount } from "./unread.ts";

interface Options {
  state: DesktopState;
  /** False until the first snapshot is in: nothing is announced before. */
  ready: boolean;
  agentId: string;
  selectedId: string | null;
  t: Translate;
  /** The page's own title, which the count goes in front of. */
  baseTitle: string;
  /** Shows one offer (focus on its Accept). */
  onShowOffer: (conversationId: string) => void;
  /** Shows one of my conversations. */
  onOpen: (conversationId: string) => void;
}

/** Announces new offers and messages and keeps the tab title's count. Call once, in the desk session. */
export function useDeskNotifications({
  state,
  ready,
  agentId,
  selectedId,
  t,
  baseTitle,
  onShowOffer,
  onOpen,
}: Options): void {
  const settings = useNotifySettings(agentId);
  const seenOffers = useRef(new Set<string>());
  /** Per conversation, the highest message seq already looked at. */
  const seenSeq = useRef(new Map<string, number>());
  const latest = useRef({ settings, t, onShowOffer, onOpen });
  latest.current = { settings, t, onShowOffer, onOpen };

  // ---- the tab title ----
  let attention = state.offers.length;
  for (const conversation of state.conversations) attention += unreadCount(state, conversation.id);
  useEffect(() => {
    // After the App's own title effect (parents run theirs after children), not before it.
    queueMicrotask(() => {
      document.title = titleWithCount(baseTitle, attention);
    });
  }, [attention, baseTitle]);
  const latestTitle = useRef(baseTitle);
  latestTitle.current = baseTitle;
  useEffect(
    () => () => {
      document.title = latestTitle.current;
    },
    [],
  );

  // ---- new offers ----
  useEffect(() => {
    if (!ready) return;
    const fresh = state.offers.filter((offer) => !seenOffers.current.has(offer.conversationId));
    seenOffers.current = new Set(state.offers.map((offer) => offer.conversationId));
    const { settings: now, t: translate } = latest.current;
    for (const offer of fresh) {
      announce(
        now,
        offerTitle(translate, offer),
        offerBody(translate, offer),
        offer.conversationId,
        () => latest.current.onShowOffer(offer.conversationId),
      );
    }
  }, [ready, state.offers]);

  // ---- new customer messages ----
  useEffect(() => {
    if (!ready) return;
    const { settings: now, t: translate } = latest.current;
    for (const conversation of state.conversations) {
      const seen = seenSeq.current.get(conversation.id);
      // What the server held when we first saw the conversation is its history, not news.
      if (seen === undefined) {
        seenSeq.current.set(conversation.id, conversation.lastSeq);
        continue;
      }
      const messages = state.messages[conversation.id];
      if (!messages || messages.length === 0) continue;
      seenSeq.current.set(conversation.id, Math.max(seen, messages[messages.length - 1]!.seq));
      const fresh = freshCustomerMessages(messages, seen, state.readSeq[conversation.id] ?? 0);
      const last: MessageView | undefined = fresh[fresh.length - 1];
      if (!last) continue;
      const onScreen = conversation.id === selectedId && document.visibilityState === "visible";
      if (onScreen) continue;
      const name = customerLabel(conversation, translate("app.none"));
      announce(
        now,
        translate("notify.messageTitle", { name }),
        last.text,
        `message-${conversation.id}`,
        () => latest.current.onOpen(conversation.id),
      );
    }
  }, [ready, state.conversations, state.messages, state.readSeq, selectedId]);
}

/** The same words as the pop-up card's title: "New conversation: Maria Rossi". */
function offerTitle(t: Translate, offer: OfferView): string {
  const name = offer.customerName.trim() || offer.customerPhone || t("app.none");
  const heading = offerHeading(offer);
  return `${t(heading.key, heading.name ? { name: heading.name } : undefined)}: ${name}`;
}

function offerBody(t: Translate, offer: OfferView): string {
  return t("notify.offerBody", {
    number: offer.numberName,
    queue: offer.skillsetName ?? t("app.none"),
  });
}

/** A beep and/or a browser notification, as the agent chose; never throws. */
function announce(
  settings: NotifySettings,
  title: string,
  body: string,
  tag: string,
  onClick: () => void,
): void {
  if (settings.sound) beep();
  if (!settings.browser) return;
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  try {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the pop-up still shows.
  }
}
