/**
 * The desk on the app's other pages (customers, administration): the offers waiting for
 * me, in a column over the page's corner, each with its Accept. Accepting takes the
 * conversation and brings me back to the desk with it open; an offer gone meanwhile or
 * a failure says so. Status and load are in those pages' header (`DeskStatusBar`).
 */

import { Toasts, useToasts } from "../../components/Feedback.tsx";
import { OfferStack } from "../../components/OfferStack.tsx";
import { useI18n } from "../../i18n.ts";
import { useDeskSession } from "./session.tsx";

export function DeskAway() {
  const { t } = useI18n();
  const session = useDeskSession();
  const { toasts, showToast, dismissToast } = useToasts();
  if (session?.phase.kind !== "ready") return null;
  const { state, accept, openOnDesk } = session;
  return (
    <>
      <OfferStack
        away
        offers={state.offers}
        onAccept={async (conversationId) => {
          const outcome = await accept(conversationId);
          if (outcome.kind === "taken") openOnDesk(conversationId);
          else if (outcome.kind === "gone") showToast(t("offer.gone"));
          else showToast(outcome.message, "error");
        }}
      />
      <Toasts toasts={toasts} onDismiss={dismissToast} />
    </>
  );
}
