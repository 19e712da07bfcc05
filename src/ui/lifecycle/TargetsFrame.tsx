/** Loading, failure and refresh around the targets of a dialog, so both dialogs read alike. */
import type { ComponentChildren } from "preact";
import type { TransferTargets } from "../../shared/protocol.ts";
import { LoadError, Loading } from "../components/Feedback.tsx";
import { useI18n } from "../i18n.ts";
import type { TargetsState } from "./useTargets.ts";

interface TargetsFrameProps {
  prefix: string;
  state: TargetsState;
  onReload: () => void;
  /** What to show once the targets are loaded. */
  children: (targets: TransferTargets) => ComponentChildren;
}

/** The targets' current state, with a Refresh button (`#<prefix>-refresh`) once loaded. */
export function TargetsFrame({ prefix, state, onReload, children }: TargetsFrameProps) {
  const { t } = useI18n();
  if (state.kind === "loading") return <Loading />;
  if (state.kind === "failed") {
    return (
      <LoadError message={t("targets.loadFailed", { message: state.message })} onRetry={onReload} />
    );
  }
  return (
    <div class="targets" aria-busy={state.refreshing}>
      <div class="targets-toolbar">
        <button
          id={`${prefix}-refresh`}
          type="button"
          class="button"
          disabled={state.refreshing}
          onClick={onReload}
        >
          {state.refreshing && <span class="spinner spinner-small" aria-hidden="true" />}
          {t("targets.refresh")}
        </button>
      </div>
      {children(state.targets)}
    </div>
  );
}
