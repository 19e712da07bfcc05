/**
 * Keeps the session alive while a person is using the page. Sessions end after the
 * tenant's idle time without requests, but an agent reading their desk or typing a
 * long reply makes none (the live connection's pings do not count as use). So a
 * keystroke, click or touch tells the server "still here", at most once a minute;
 * a session whose person has gone away still ends on time.
 */
import { useEffect } from "preact/hooks";
import { api } from "./api.ts";

/** At most one "still here" per this interval. */
export const KEEPALIVE_INTERVAL_MS = 60_000;

export function useActivityKeepAlive(signedIn: boolean): void {
  useEffect(() => {
    if (!signedIn) return;
    let last = Date.now();
    const onActivity = () => {
      const now = Date.now();
      if (now - last < KEEPALIVE_INTERVAL_MS) return;
      last = now;
      // A 401 here takes the app back to Login, like any other call.
      api.me().catch(() => undefined);
    };
    const events = ["keydown", "pointerdown", "touchstart"] as const;
    for (const type of events) window.addEventListener(type, onActivity, { passive: true });
    return () => {
      for (const type of events) window.removeEventListener(type, onActivity);
    };
  }, [signedIn]);
}
