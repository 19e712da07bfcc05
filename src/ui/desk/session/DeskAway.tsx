/**
 * The desk on the app's other pages (customers, administration): the offers waiting for
 * me, in a column over the page's corner, each with its Accept. Accepting takes the
 * conversation and brings me back to the desk with it open; an offer gone meanwhile or
 * a failure says so. Status and load are in those pages' header (`DeskStatusBar`).
 */

import { Toasts, useToasts } from "../../components/Feedback.tsx";
import { OfferStack } from "../../components/OfferStack.tsx";
import { useDeskSession } from "./session.tsx";

export function DeskAway() {
  const session = useDeskSession();
  const { toasts, showToast, dismissToast } = useToasts();
  if (session?.phase.kind !== "ready") return null;
  const { state, takeOffer } = session;
  return (
    <>
      <OfferStack
        away
        offers={state.offers}
        onAccept={async (conversationId) => {
          const problem = await takeOffer(conversationId);
          if (problem) showToast(problem.text, problem.tone);
        }}
      />
      <Toasts toasts={toasts} onDismiss={dismissToast} />
    </>
  );
}
