/**
 * Transfer: to a colleague (immediate or exclusive), to a skillset, or to the wait
 * queue (public or personal). The server's refusal (nobody available, not allowed…)
 * stays in the dialog; success is the caller's to announce.
 */
import { useState } from "preact/hooks";
import type { TransferBody, TransferMode, WaitQueueKind } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";
import { DialogFooter } from "./DialogFooter.tsx";
import { readinessLabel } from "./labels.ts";
import { Modal } from "./Modal.tsx";
import { AgentTable, SkillsetList } from "./TargetPicker.tsx";
import { TargetsFrame } from "./TargetsFrame.tsx";
import { useTargets } from "./useTargets.ts";

type Destination = TransferBody["to"];

interface TransferDialogProps {
  conversationId: string;
  customerName: string;
  /** Colleagues not to offer (myself). */
  excluded: ReadonlySet<string>;
  /**
   * Transfers; `targetName` names the colleague or skillset (null for the wait queue),
   * `unavailable` says the colleague could not take it now. Rejects with the error to show.
   */
  onSubmit: (body: TransferBody, targetName: string | null, unavailable: boolean) => Promise<void>;
  onCancel: () => void;
}

const DESTINATIONS: readonly {
  value: Destination;
  key: "transfer.toAgent" | "transfer.toSkillset" | "transfer.toWaitQueue";
}[] = [
  { value: "agent", key: "transfer.toAgent" },
  { value: "skillset", key: "transfer.toSkillset" },
  { value: "wait_queue", key: "transfer.toWaitQueue" },
];

/** Mount to open, unmount to close. */
export function TransferDialog({
  conversationId,
  customerName,
  excluded,
  onSubmit,
  onCancel,
}: TransferDialogProps) {
  const { t } = useI18n();
  const { state, reload } = useTargets(conversationId);
  const [to, setTo] = useState<Destination>("agent");
  const [agentId, setAgentId] = useState<string | null>(null);
  const [mode, setMode] = useState<TransferMode>("immediate");
  const [skillsetId, setSkillsetId] = useState<string | null>(null);
  const [waitKind, setWaitKind] = useState<WaitQueueKind>("personal");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = state.kind === "loaded" ? state.targets : null;

  /** The body to send and whom it names, or the message asking for a choice. */
  function choice():
    | { body: TransferBody; name: string | null; unavailable: boolean }
    | { missing: string } {
    if (to === "wait_queue")
      return { body: { to, kind: waitKind }, name: null, unavailable: false };
    if (to === "agent") {
      const agent = targets?.agents.find((a) => a.id === agentId);
      if (!agentId) return { missing: t("transfer.chooseAgent") };
      return {
        body: { to, agentId, mode },
        name: agent?.name ?? null,
        unavailable: agent ? !agent.available : false,
      };
    }
    const skillset = targets?.skillsets.find((s) => s.id === skillsetId);
    if (!skillsetId) return { missing: t("transfer.chooseSkillset") };
    return { body: { to, skillsetId }, name: skillset?.name ?? null, unavailable: false };
  }

  // The colleague chosen cannot take it now (Offline, Back office, at their limit): what
  // the transfer will do is said before it is made.
  const chosenAgent = to === "agent" ? targets?.agents.find((a) => a.id === agentId) : undefined;
  const unavailableNote =
    chosenAgent && !chosenAgent.available
      ? t(
          mode === "exclusive" ? "transfer.unavailableExclusive" : "transfer.unavailableImmediate",
          {
            name: chosenAgent.name,
            status: t(readinessLabel(chosenAgent).key),
          },
        )
      : null;

  async function submit(event: Event) {
    event.preventDefault();
    const chosen = choice();
    if ("missing" in chosen) {
      setError(chosen.missing);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(chosen.body, chosen.name, chosen.unavailable);
    } catch (failure) {
      const message = errorMessage(failure, t("app.networkError"), t("app.unexpectedError"));
      setError(t("transfer.failed", { message }));
      setBusy(false);
      // What was true a moment ago (who is Ready) may be why it failed.
      reload();
    }
  }

  return (
    <Modal
      id="transfer-dialog"
      titleId="transfer-title"
      descriptionId="transfer-description"
      busy={busy}
      onCancel={onCancel}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="transfer-title">{t("transfer.title")}</h2>
        <p id="transfer-description">{t("transfer.description", { name: customerName })}</p>

        <fieldset class="choice-group choice-row">
          <legend>{t("transfer.to")}</legend>
          {DESTINATIONS.map((destination, index) => (
            <label key={destination.value} class="choice">
              <input
                type="radio"
                name="transfer-to"
                value={destination.value}
                checked={to === destination.value}
                data-autofocus={index === 0 ? true : undefined}
                onChange={() => {
                  setTo(destination.value);
                  setError(null);
                }}
              />
              <span>{t(destination.key)}</span>
            </label>
          ))}
        </fieldset>

        {to === "wait_queue" ? (
          <fieldset class="choice-group">
            <legend>{t("transfer.waitKind")}</legend>
            <RadioChoice
              name="wait-kind"
              value="personal"
              checked={waitKind === "personal"}
              label={t("transfer.personal")}
              help={t("transfer.personalHelp")}
              onChange={() => setWaitKind("personal")}
            />
            <RadioChoice
              name="wait-kind"
              value="public"
              checked={waitKind === "public"}
              label={t("transfer.public")}
              help={t("transfer.publicHelp")}
              onChange={() => setWaitKind("public")}
            />
          </fieldset>
        ) : (
          <TargetsFrame prefix="transfer" state={state} onReload={reload}>
            {(loaded) =>
              to === "agent" ? (
                <>
                  <AgentTable
                    prefix="transfer"
                    agents={loaded.agents}
                    excluded={excluded}
                    selectedId={agentId}
                    onSelect={(id) => {
                      setAgentId(id);
                      setError(null);
                    }}
                  />
                  <fieldset class="choice-group">
                    <legend>{t("transfer.mode")}</legend>
                    <RadioChoice
                      name="transfer-mode"
                      value="immediate"
                      checked={mode === "immediate"}
                      label={t("transfer.immediate")}
                      help={t("transfer.immediateHelp")}
                      onChange={() => setMode("immediate")}
                    />
                    <RadioChoice
                      name="transfer-mode"
                      value="exclusive"
                      checked={mode === "exclusive"}
                      label={t("transfer.exclusive")}
                      help={t("transfer.exclusiveHelp")}
                      onChange={() => setMode("exclusive")}
                    />
                  </fieldset>
                  {unavailableNote && (
                    <p id="transfer-unavailable" class="field-note" role="status">
                      {unavailableNote}
                    </p>
                  )}
                </>
              ) : (
                <SkillsetList
                  prefix="transfer"
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
        )}

        <DialogFooter
          prefix="transfer"
          error={error}
          busy={busy}
          submitLabel={t("transfer.submit")}
          busyLabel={t("transfer.submitting")}
          onCancel={onCancel}
        />
      </form>
    </Modal>
  );
}

/** A radio with its one-line explanation, tied to it for screen readers. */
export function RadioChoice({
  name,
  value,
  checked,
  label,
  help,
  onChange,
}: {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  help: string;
  onChange: () => void;
}) {
  const helpId = `${name}-${value}-help`;
  return (
    <label class="choice">
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        aria-describedby={helpId}
        onChange={onChange}
      />
      <span>
        {label}
        <span id={helpId} class="choice-help">
          {help}
        </span>
      </span>
    </label>
  );
}
