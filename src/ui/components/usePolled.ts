/**
 * Data that refreshes itself every few seconds while shown, and on demand. The last
 * good answer stays on screen while a refresh is under way or after one fails. Used by
 * the waiting lists, the dashboard and the sent templates.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Polled<T> {
  /** Null until the first answer. */
  data: T | null;
  /** The error of the latest attempt, if it failed. */
  error: unknown;
  /** A refresh the user asked for is under way (background polls do not show). */
  refreshing: boolean;
  /** When the shown data arrived (ms), null before the first answer. */
  updatedAt: number | null;
  /** Fetches now, shown as refreshing; during a call, once more right after it. */
  refresh: () => void;
  /** Fetches now in the background; during a call, once more right after it (news arrived). */
  reload: () => void;
}

/**
 * Calls `load` when mounted, every `intervalMs` while the page is visible, and on
 * `refresh()` / `reload()`; never two calls at once. A timer tick during a call is
 * dropped (the call under way is as fresh); a refresh or reload is queued behind it.
 */
export function usePolled<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const inFlight = useRef(false);
  /** A refresh or reload arrived during a call: its answer may predate what is expected. */
  const again = useRef<"manual" | "quiet" | null>(null);
  const mounted = useRef(true);

  const fetchNow = useCallback(
    (mode: "manual" | "quiet" | "tick") => {
      if (inFlight.current) {
        if (mode === "manual") {
          again.current = "manual";
          setRefreshing(true);
        } else if (mode === "quiet") {
          again.current ??= "quiet";
        }
        return;
      }
      inFlight.current = true;
      if (mode === "manual") setRefreshing(true);
      load()
        .then(
          (answer) => {
            if (!mounted.current) return;
            setData(answer);
            setError(null);
            setUpdatedAt(Date.now());
          },
          (failure: unknown) => {
            if (mounted.current) setError(failure);
          },
        )
        .finally(() => {
          inFlight.current = false;
          if (!mounted.current) return;
          const next = again.current;
          again.current = null;
          if (next) fetchNow(next);
          else setRefreshing(false);
        });
    },
    [load],
  );

  useEffect(() => {
    mounted.current = true;
    fetchNow("tick");
    const poll = () => {
      // A hidden tab need not poll; it refreshes when it is looked at again.
      if (document.visibilityState === "visible") fetchNow("tick");
    };
    const timer = setInterval(poll, intervalMs);
    document.addEventListener("visibilitychange", poll);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", poll);
    };
  }, [fetchNow, intervalMs]);

  const refresh = useCallback(() => fetchNow("manual"), [fetchNow]);
  const reload = useCallback(() => fetchNow("quiet"), [fetchNow]);
  return { data, error, refreshing, updatedAt, refresh, reload };
}
