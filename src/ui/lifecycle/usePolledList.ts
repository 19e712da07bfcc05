/**
 * A list that refreshes itself every few seconds while shown, and on demand. The last
 * good list stays on screen while a refresh is under way or after one fails.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { WaitingItem, WaitingList } from "../../shared/protocol.ts";

/** How often a shown waiting list refreshes itself. */
export const POLL_INTERVAL_MS = 5000;

export interface PolledList {
  /** Null until the first answer. */
  items: readonly WaitingItem[] | null;
  /** The error of the latest attempt, if it failed. */
  error: unknown;
  /** A refresh the agent asked for is under way (background polls do not show). */
  refreshing: boolean;
  /** Fetches the list now; during a background poll, once more right after it. */
  refresh: () => void;
}

/** Calls `load` now, every `intervalMs` and on `refresh()`; never two calls at once. */
export function usePolledList(
  load: () => Promise<WaitingList>,
  intervalMs = POLL_INTERVAL_MS,
): PolledList {
  const [items, setItems] = useState<readonly WaitingItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const inFlight = useRef(false);
  /** A manual refresh arrived during a call: its answer may predate what the agent expects. */
  const again = useRef(false);
  const mounted = useRef(true);

  const fetchList = useCallback(
    (manual: boolean) => {
      if (inFlight.current) {
        if (manual) {
          again.current = true;
          setRefreshing(true);
        }
        return;
      }
      inFlight.current = true;
      if (manual) setRefreshing(true);
      load()
        .then(
          (list) => {
            if (!mounted.current) return;
            setItems(list.items);
            setError(null);
          },
          (failure: unknown) => {
            if (mounted.current) setError(failure);
          },
        )
        .finally(() => {
          inFlight.current = false;
          if (!mounted.current) return;
          if (again.current) {
            again.current = false;
            fetchList(true);
          } else {
            setRefreshing(false);
          }
        });
    },
    [load],
  );

  useEffect(() => {
    mounted.current = true;
    fetchList(false);
    const poll = () => {
      // A hidden tab need not poll; it refreshes when it is looked at again.
      if (document.visibilityState === "visible") fetchList(false);
    };
    const timer = setInterval(poll, intervalMs);
    document.addEventListener("visibilitychange", poll);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", poll);
    };
  }, [fetchList, intervalMs]);

  const refresh = useCallback(() => fetchList(true), [fetchList]);
  return { items, error, refreshing, refresh };
}
