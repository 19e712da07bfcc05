/**
 * The lifecycle part of the conversation pane: Transfer and Invite for the owner, Leave
 * for a conference guest, and who else is in a conference.
 */
import { useState } from "preact/hooks";
import type { ConversationView } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";
import { isGuest } from "../state.ts";
import { useLifecycle } from "./actions.ts";
import { ConferenceDialog } from "./ConferenceDialog.tsx";
import { TransferDialog } from "./TransferDialog.tsx";

type Open = "transfer" | "conference" | null;

/** Transfer / Invite (owner) or Leave (guest), with their dialogs. */
export function ConversationTools({
  conversation,
  customerName,
}: {
  conversation: ConversationView;
  customerName: string;
}) {
  const { t } = useI18n();
  const lifecycle = useLifecycle();
  const [open, setOpen] = useState<Open>(null);
  const [leaving, setLeaving] = useState(false);
  if (!lifecycle) return null;
  const { myId } = lifecycle;
  const id = conversation.id;

  if (isGuest(conversation, myId)) {
    return (
      <div class="conversation-tools">
        <button
          id="conference-leave"
          type="button"
          class="button"
          disabled={leaving}
          aria-busy={leaving}
          onClick={async () => {
            setLeaving(true);
            await lifecycle.leave(id);
            setLeaving(false);
          }}
        >
          {t("conference.leave")}
        </button>
      </div>
    );
  }

  const excluded = new Set([myId, ...conversation.participants.map((p) => p.id)]);
  return (
    <div class="conversation-tools">
      <button
        id="transfer-open"
        type="button"
        class="button"
        aria-haspopup="dialog"
        onClick={() => setOpen("transfer")}
      >
        {t("transfer.open")}
      </button>
      <button
        id="conference-open"
        type="button"
        class="button"
        aria-haspopup="dialog"
        onClick={() => setOpen("conference")}
      >
        {t("conference.open")}
      </button>
      {open === "transfer" && (
        <TransferDialog
          conversationId={id}
          customerName={customerName}
          excluded={new Set([myId])}
          onCancel={() => setOpen(null)}
          onSubmit={async (body, name, unavailable) => {
            await lifecycle.transfer(id, body, name, unavailable);
            setOpen(null);
          }}
        />
      )}
      {open === "conference" && (
        <ConferenceDialog
          conversationId={id}
          customerName={customerName}
          excluded={excluded}
          onCancel={() => setOpen(null)}
          onSubmit={async (body) => {
            await lifecycle.invite(id, body);
            setOpen(null);
          }}
        />
      )}
    </div>
  );
}

/** The conference guests, when there are any. */
export function Participants({ conversation }: { conversation: ConversationView }) {
  const { t } = useI18n();
  const lifecycle = useLifecycle();
  if (conversation.participants.length === 0) return null;
  return (
    <div class="participants">
      <h3 class="participants-title">{t("conference.participants")}</h3>
      <ul>
        {conversation.participants.map((participant) => (
          <li key={participant.id} data-participant={participant.id}>
            {participant.name}
            {participant.id === lifecycle?.myId && (
              <span class="visually-hidden"> ({t("conference.you")})</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Whether the signed-in agent is only a conference guest here (may not close, transfer or invite). */
export function useIsGuest(conversation: ConversationView): boolean {
  const lifecycle = useLifecycle();
  return lifecycle ? isGuest(conversation, lifecycle.myId) : false;
}
