/**
 * The agent's notification choices (browser notifications, sound), kept per agent in
 * this browser's local storage and shared live between the header's settings and the
 * desk's notifier.
 */
import { useEffect, useState } from "preact/hooks";

/** What the agent chose; both off until they turn them on. */
export interface NotifySettings {
  browser: boolean;
  sound: boolean;
}

const OFF: NotifySettings = { browser: false, sound: false };
const listeners = new Set<() => void>();
const key = (agentId: string) => `parley.notify.${agentId}`;

/** The stored choices of `agentId`; off when none or unreadable. */
export function readNotifySettings(agentId: string): NotifySettings {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(agentId)) ?? "null");
    if (typeof parsed !== "object" || parsed === null) return OFF;
    const record = parsed as Record<string, unknown>;
    return { browser: record.browser === true, sound: record.sound === true };
  } catch {
    return OFF;
  }
}

/** Stores a change for `agentId` and tells every mounted `useNotifySettings`. */
export function writeNotifySettings(agentId: string, patch: Partial<NotifySettings>): void {
  const next = { ...readNotifySettings(agentId), ...patch };
  try {
    localStorage.setItem(key(agentId), JSON.stringify(next));
  } catch {
    // Storage disabled: the choice lasts until the page reloads, through the listeners only.
    memory.set(agentId, next);
  }
  for (const listener of listeners) listener();
}

/** Choices kept in memory when storage refuses them. */
const memory = new Map<string, NotifySettings>();

function current(agentId: string | null): NotifySettings {
  return agentId ? (memory.get(agentId) ?? readNotifySettings(agentId)) : OFF;
}

/** The live choices of `agentId` (null: nobody signed in, everything off). */
export function useNotifySettings(agentId: string | null): NotifySettings {
  const [settings, setSettings] = useState(() => current(agentId));
  useEffect(() => {
    const listener = () => setSettings(current(agentId));
    listener();
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [agentId]);
  return settings;
}
