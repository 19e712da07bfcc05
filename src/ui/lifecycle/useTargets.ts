/**
 * Loads who a conversation can be transferred to or shared with, and reloads on demand
 * (readiness changes by the second). Keeps the last list on screen while refreshing.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { TransferTargets } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";
import { lifecycleApi } from "./api.ts";

/** The targets' load state: `refreshing` while a reload of a shown list is under way. */
export type TargetsState =
  | { kind: "loading" }
  | { kind: "loaded"; targets: TransferTargets; refreshing: boolean }
  | { kind: "failed"; message: string };

/** The targets of `conversationId` and a `reload` that fetches them again. */
export function useTargets(conversationId: string): {
  state: TargetsState;
  reload: () => void;
} {
  const { t } = useI18n();
  const [state, setState] = useState<TargetsState>({ kind: "loading" });
  const latest = useRef(0);

  const reload = useCallback(() => {
    const call = ++latest.current;
    setState((s) => (s.kind === "loaded" ? { ...s, refreshing: true } : { kind: "loading" }));
    lifecycleApi.transferTargets(conversationId).then(
      (targets) => {
        if (call === latest.current) setState({ kind: "loaded", targets, refreshing: false });
      },
      (error: unknown) => {
        if (call !== latest.current) return;
        const message = errorMessage(error, t("app.networkError"), t("app.unexpectedError"));
        setState({ kind: "failed", message });
      },
    );
  }, [conversationId, t]);

  useEffect(() => {
    reload();
    return () => {
      latest.current++; // answers arriving after closing are dropped
    };
  }, [reload]);

  return { state, reload };
}
