/**
 * Loads who a conversation can be transferred to or shared with, reloads on demand and
 * every few seconds while the dialog is open (readiness changes by the second, and a
 * status shown must be the status now). Keeps the last list on screen while refreshing.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { TransferTargets } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";
import { lifecycleApi } from "./api.ts";

/** How often an open dialog's list is fetched again. */
const REFRESH_MS = 5_000;

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

  /** Fetches again; a background refresh that fails keeps the list shown. */
  const fetchTargets = useCallback(
    (background: boolean) => {
      const call = ++latest.current;
      // A background refresh shows nothing until its answer: no spinner every few seconds.
      if (!background) {
        setState((s) => (s.kind === "loaded" ? { ...s, refreshing: true } : { kind: "loading" }));
      }
      lifecycleApi.transferTargets(conversationId).then(
        (targets) => {
          if (call === latest.current) setState({ kind: "loaded", targets, refreshing: false });
        },
        (error: unknown) => {
          if (call !== latest.current) return;
          const message = errorMessage(error, t("app.networkError"), t("app.unexpectedError"));
          setState((s) =>
            background && s.kind === "loaded"
              ? { ...s, refreshing: false }
              : { kind: "failed", message },
          );
        },
      );
    },
    [conversationId, t],
  );
  const reload = useCallback(() => fetchTargets(false), [fetchTargets]);

  useEffect(() => {
    fetchTargets(false);
    const timer = setInterval(() => fetchTargets(true), REFRESH_MS);
    return () => {
      clearInterval(timer);
      latest.current++; // answers arriving after closing are dropped
    };
  }, [fetchTargets]);

  return { state, reload };
}
