/**
 * The agent's status and load as the headers show them: the status choice (with the
 * RONA warning), "Conversations n / max" counted from the conversations on the desk,
 * and the offers waiting, shown apart. The desk's header uses the parts; the other
 * pages of the app (customers, administration) show `DeskStatusBar`, from the session.
 */
import type { AgentView, SelectableStatus } from "../../../shared/protocol.ts";
import { SelectableStatus as SelectableStatusSchema } from "../../../shared/protocol.ts";
import { useI18n } from "../../i18n.ts";
import { useDeskSession } from "./session.tsx";

const SELECTABLE: readonly SelectableStatus[] = SelectableStatusSchema.options;

/** The status choice; while RONA, its warning beside it. */
export function StatusField({
  agent,
  busy,
  onChange,
}: {
  agent: AgentView | null;
  busy: boolean;
  onChange: (status: SelectableStatus) => void;
}) {
  const { t } = useI18n();
  const rona = agent?.status === "rona";
  return (
    <>
      <div class="header-field status-field">
        <label for="status-select">{t("status.label")}</label>
        <select
          id="status-select"
          class={agent ? `status-${agent.status}` : undefined}
          value={agent?.status ?? ""}
          disabled={!agent || busy}
          aria-describedby={rona ? "rona-hint" : undefined}
          onChange={(e) => {
            const parsed = SelectableStatusSchema.safeParse(e.currentTarget.value);
            if (parsed.success && parsed.data !== agent?.status) onChange(parsed.data);
          }}
        >
          {rona && (
            <option value="rona" disabled>
              {t("status.rona")}
            </option>
          )}
          {SELECTABLE.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </div>
      {rona && (
        <p id="rona-hint" class="rona-banner" role="alert">
          <strong>{t("status.rona")}</strong> {t("status.ronaHint")}
        </p>
      )}
    </>
  );
}

/** "Conversations 1 / 3", and "Offers 2" beside it while offers wait. */
export function LoadCounter({
  conversations,
  max,
  offers,
}: {
  conversations: number;
  max: number;
  offers: number;
}) {
  const { t } = useI18n();
  return (
    <p class="load" title={t("header.load")}>
      <span id="load-conversations">
        <span class="visually-hidden">{t("header.loadLabel", { load: conversations, max })}</span>
        <span aria-hidden="true">
          {t("header.load")} <strong>{t("header.loadValue", { load: conversations, max })}</strong>
        </span>
      </span>
      {offers > 0 && (
        <span id="load-offers" class="load-offers">
          <span class="visually-hidden">{t("header.offersLabel", { n: offers })}</span>
          <span aria-hidden="true">
            {t("header.offers")} <strong>{offers}</strong>
          </span>
        </span>
      )}
    </p>
  );
}

/**
 * Status and load in another page's header (customers, administration), for admins and
 * agents: the same desk session as the desk's own header. Nothing for the operator.
 */
export function DeskStatusBar({ onFailure }: { onFailure: (message: string) => void }) {
  const session = useDeskSession();
  if (session?.phase.kind !== "ready") return null;
  const { state, statusBusy, changeStatus } = session;
  return (
    <div class="desk-status-bar">
      <StatusField
        agent={state.agent}
        busy={statusBusy}
        onChange={(status) => {
          void changeStatus(status).then((failure) => failure && onFailure(failure));
        }}
      />
      {state.agent && (
        <LoadCounter
          conversations={state.conversations.length}
          max={state.agent.maxConversations}
          offers={state.offers.length}
        />
      )}
    </div>
  );
}
