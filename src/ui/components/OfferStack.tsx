/**
 * Pop-up cards for conversations offered to me, oldest first: customer name and phone,
 * the number, the queue (skillset), time since the customer's first message, time left
 * to accept, and Accept (Alt+A takes the oldest).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { OfferView } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";
import { offerHeading } from "../state.ts";
import { Countdown, Elapsed } from "./Timers.tsx";

interface OfferStackProps {
  offers: readonly OfferView[];
  /** Shown over another page of the app (customers, administration), not in the desk. */
  away?: boolean;
  /** Resolves when the accept call finished, whatever its outcome. */
  onAccept: (conversationId: string) => Promise<void>;
}

export function OfferStack({ offers, away = false, onAccept }: OfferStackProps) {
  const { t } = useI18n();
  const seen = useRef(new Set<string>());
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  // Focus the Accept button of the newest offer as it arrives, so Enter or Space takes
  // it. Not while the agent is typing: a stray Enter must not accept a conversation.
  useEffect(() => {
    const fresh = offers.filter((offer) => !seen.current.has(offer.conversationId));
    seen.current = new Set(offers.map((offer) => offer.conversationId));
    const newest = fresh[fresh.length - 1];
    if (!newest || isTyping(document.activeElement)) return;
    buttons.current.get(newest.conversationId)?.focus();
  }, [offers]);

  if (offers.length === 0) return null;
  return (
    <section class={away ? "offer-stack is-away" : "offer-stack"} aria-label={t("offers.title")}>
      {offers.map((offer, index) => (
        <OfferCard
          key={offer.conversationId}
          offer={offer}
          oldest={index === 0}
          onAccept={onAccept}
          buttonRef={(button) => {
            if (button) buttons.current.set(offer.conversationId, button);
            else buttons.current.delete(offer.conversationId);
          }}
        />
      ))}
    </section>
  );
}

function OfferCard({
  offer,
  oldest,
  onAccept,
  buttonRef,
}: {
  offer: OfferView;
  /** The oldest pending offer is the one Alt+A accepts. */
  oldest: boolean;
  onAccept: (conversationId: string) => Promise<void>;
  buttonRef: (button: HTMLButtonElement | null) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const id = offer.conversationId;
  const name = offer.customerName.trim() || offer.customerPhone || t("app.none");
  const heading = offerHeading(offer);

  async function accept() {
    setBusy(true);
    try {
      await onAccept(id);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      class="offer-card"
      data-conversation-id={id}
      data-kind={offer.kind}
      role="alertdialog"
      aria-live="assertive"
      aria-labelledby={`offer-title-${id}`}
      aria-describedby={`offer-details-${id}`}
    >
      <h2 id={`offer-title-${id}`} class="offer-title">
        {t(heading.key, heading.name ? { name: heading.name } : undefined)}: {name}
      </h2>
      {/* Two pairs a row: the card stays short, so offers never push the conversation away. */}
      <dl id={`offer-details-${id}`} class="offer-details">
        <dt>{t("offer.phone")}</dt>
        <dd>{offer.customerPhone ?? t("app.none")}</dd>
        <dt>{t("offer.number")}</dt>
        <dd>{offer.numberName}</dd>
        <dt>{t("offer.skillset")}</dt>
        <dd>{offer.skillsetName ?? t("app.none")}</dd>
        <dt>{t("offer.waiting")}</dt>
        <dd>
          <Elapsed since={offer.arrivedAt} />
        </dd>
        <dt>{t("offer.expires")}</dt>
        <dd>
          <Countdown until={offer.expiresAt} />
        </dd>
      </dl>
      <button
        type="button"
        class="button button-primary button-wide offer-accept"
        ref={buttonRef}
        disabled={busy}
        aria-busy={busy}
        aria-label={t("offer.acceptLabel", { name })}
        aria-keyshortcuts={oldest ? "Alt+A" : undefined}
        title={oldest ? t("shortcuts.accept") : undefined}
        onClick={accept}
      >
        {busy && <span class="spinner spinner-small" aria-hidden="true" />}
        {busy ? t("offer.accepting") : t("offer.accept")}
      </button>
    </section>
  );
}

function isTyping(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement) return true;
  if (element instanceof HTMLElement && element.isContentEditable) return true;
  return (
    element instanceof HTMLInputElement &&
    !["button", "checkbox", "radio", "submit", "reset"].includes(element.type)
  );
}

/** The Accept button of the offer of `conversationId`, wherever the stack is shown. */
export function offerAcceptButton(conversationId: string): HTMLButtonElement | null {
  return document.querySelector<HTMLButtonElement>(
    `.offer-card[data-conversation-id="${CSS.escape(conversationId)}"] .offer-accept`,
  );
}
