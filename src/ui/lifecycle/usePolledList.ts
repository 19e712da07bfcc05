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
  refreshing: boolean;
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
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRefreshing(true);
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
        if (mounted.current) setRefreshing(false);
      });
  }, [load]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    const timer = setInterval(() => {
      // A hidden tab need not poll; it refreshes when it is looked at again.
      if (document.visibilityState === "visible") refresh();
    }, intervalMs);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [refresh, intervalMs]);

  return { items, error, refreshing, refresh };
}
