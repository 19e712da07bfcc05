/**
 * A waiting list that refreshes itself every few seconds while shown, and on demand
 * (`usePolled` with the list's items).
 */
import type { WaitingItem, WaitingList } from "../../shared/protocol.ts";
import { usePolled } from "../components/usePolled.ts";

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
  const { data, error, refreshing, refresh } = usePolled(load, intervalMs);
  return { items: data?.items ?? null, error, refreshing, refresh };
}
