/** Loads a picker's list when it opens: loading, loaded or failed (with a retry). */
import { useCallback, useEffect, useState } from "preact/hooks";

/** The state of one load. */
export type LoadState<T> =
  | { kind: "loading" }
  | { kind: "loaded"; value: T }
  | { kind: "failed"; error: unknown };

/** Runs `load` on mount and on `retry`; a late answer after unmount is ignored. */
export function useLoad<T>(load: () => Promise<T>): { state: LoadState<T>; retry: () => void } {
  const [state, setState] = useState<LoadState<T>>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    load().then(
      (value) => live && setState({ kind: "loaded", value }),
      (error: unknown) => live && setState({ kind: "failed", error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { state, retry: useCallback(() => setAttempt((n) => n + 1), []) };
}
