/**
 * A tiny synchronous store around the pure reducer. It lives outside Preact on purpose:
 * the WebSocket manager must see the `seq` of the frame it applied a moment ago, before
 * Preact gets round to re-rendering, or back-to-back frames would look like a gap.
 */
import { useEffect, useState } from "preact/hooks";
import { type DesktopAction, type DesktopState, initialState, reduce } from "./state.ts";

export interface DesktopStore {
  getState(): DesktopState;
  dispatch(action: DesktopAction): void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Creates a store; `readSeq` seeds what the agent has already read (from local storage). */
export function createDesktopStore(readSeq: Record<string, number> = {}): DesktopStore {
  let state = initialState(readSeq);
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's current state; re-renders the caller on every change. */
export function useDesktopState(store: DesktopStore): DesktopState {
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}
