/**
 * Conference: invite a colleague, or the best available agent of a skillset, into the
 * conversation. The invited colleague gets an offer; once accepted both see and write.
 */
import { useState } from "preact/hooks";
import type { ConferenceBody } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";
import { DialogFooter } from "./DialogFooter.tsx";
import { Modal } from "./Modal.tsx";
import { AgentTable, SkillsetList } from "./TargetPicker.tsx";
import { TargetsFrame } from "./TargetsFrame.tsx";
import { useTargets } from "./useTargets.ts";

interface ConferenceDialogProps {
  conversationId: string;
  customerName: string;
  /** Colleagues not to offer (myself and the guests already in). */
  excluded: ReadonlySet<string>;
  /** Sends the invitation; rejects with the error to show. */
  onSubmit: (body: ConferenceBody) => Promise<void>;
  onCancel: () => void;
}

/** Mount to open, unmount to close. */
export function ConferenceDialog({
  conversationId,
  customerName,
  excluded,
  onSubmit,
  onCancel,
}: ConferenceDialogProps) {
  const { t } = useI18n();
  const { state, reload } = useTargets(conversationId);
  const [to, setTo] = useState<ConferenceBody["to"]>("agent");
  const [agentId, setAgentId] = useState<string | null>(null);
  const [skillsetId, setSkillsetId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    let body: ConferenceBody;
    if (to === "agent") {
      if (!agentId) return setError(t("transfer.chooseAgent"));
      body = { to, agentId };
    } else {
      if (!skillsetId) return setError(t("transfer.chooseSkillset"));
      body = { to, skillsetId };
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
    } catch (failure) {
      const message = errorMessage(failure, t("app.networkError"), t("app.unexpectedError"));
      setError(t("conference.failed", { message }));
      setBusy(false);
      reload();
    }
  }

  return (
    <Modal
      id="conference-dialog"
      titleId="conference-title"
      descriptionId="conference-description"
      busy={busy}
      onCancel={onCancel}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="conference-title">{t("conference.title")}</h2>
        <p id="conference-description">{t("conference.description", { name: customerName })}</p>

        <fieldset class="choice-group choice-row">
          <legend>{t("conference.to")}</legend>
          <label class="choice">
            <input
              type="radio"
              name="conference-to"
              value="agent"
              checked={to === "agent"}
              data-autofocus
              onChange={() => {
                setTo("agent");
                setError(null);
              }}
            />
            <span>{t("transfer.toAgent")}</span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="conference-to"
              value="skillset"
              checked={to === "skillset"}
              onChange={() => {
                setTo("skillset");
                setError(null);
              }}
            />
            <span>{t("transfer.toSkillset")}</span>
          </label>
        </fieldset>

        <TargetsFrame prefix="conference" state={state} onReload={reload}>
          {(loaded) =>
            to === "agent" ? (
              <AgentTable
                prefix="conference"
                agents={loaded.agents}
                excluded={excluded}
                selectedId={agentId}
                onSelect={(id) => {
                  setAgentId(id);
                  setError(null);
                }}
              />
            ) : (
              <SkillsetList
                prefix="conference"
                skillsets={loaded.skillsets}
                selectedId={skillsetId}
                onSelect={(id) => {
                  setSkillsetId(id);
                  setError(null);
                }}
              />
            )
          }
        </TargetsFrame>

        <DialogFooter
          prefix="conference"
          error={error}
          busy={busy}
          submitLabel={t("conference.submit")}
          busyLabel={t("conference.submitting")}
          onCancel={onCancel}
        />
      </form>
    </Modal>
  );
}
