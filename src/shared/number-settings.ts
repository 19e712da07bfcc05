/**
 * Defaults of a managed number's settings and how the `managed_numbers.settings`
 * JSON column is read. The column holds the details that are not columns
 * (`details`) and every settings category; anything missing or unreadable gets
 * its default, so rows written before a setting existed (`{}`) keep working.
 *
 * One deliberate asymmetry: a stored row *without* a working time is always
 * open (numbers created before working time existed keep routing as they did),
 * while a number created through the API starts with office hours.
 */

import type { z } from "zod";
import {
  AutoCloseSettings,
  BotSettings,
  MessageSettings,
  NumberDetails,
  type NumberSettings,
  ProfilingSettings,
  WorkingTime,
} from "./admin";

/** The details of a number kept in the settings JSON (the others are columns). */
export const NumberExtras = NumberDetails.pick({
  waitQueueAfterMinutes: true,
  acceptOnlyExistingCustomers: true,
  agentsMayEditCustomers: true,
  acceptAttachments: true,
  closeEmailTo: true,
  externalId: true,
});
export type NumberExtras = z.infer<typeof NumberExtras>;

/** What `managed_numbers.settings` holds once written by the API. */
export type StoredSettings = NumberSettings & { details: NumberExtras };

/** Details of a new number: no wait queue timer, anyone may write, attachments accepted. */
export function defaultNumberExtras(): NumberExtras {
  return {
    waitQueueAfterMinutes: null,
    acceptOnlyExistingCustomers: false,
    agentsMayEditCustomers: true,
    acceptAttachments: true,
    closeEmailTo: null,
    externalId: null,
  };
}

/** Mon–Fri 09:00–18:00 in Europe/Rome, no holidays: what a new number starts with. */
export function defaultWorkingTime(): WorkingTime {
  const office = () => [{ open: "09:00", close: "18:00" }];
  return {
    timeZone: "Europe/Rome",
    alwaysOpen: false,
    week: {
      mon: office(),
      tue: office(),
      wed: office(),
      thu: office(),
      fri: office(),
      sat: [],
      sun: [],
    },
    closedDates: [],
  };
}

/** The working time of a stored number that has none: open around the clock (the office hours are kept for when the admin turns that off). */
export function alwaysOpenWorkingTime(): WorkingTime {
  return { ...defaultWorkingTime(), alwaysOpen: true };
}

/** Settings of a new number: every timer off, no automatic messages, profiling optional, office hours. */
export function defaultNumberSettings(): NumberSettings {
  return {
    autoClose: {
      activeInactivityMinutes: null,
      queuedInactivityMinutes: null,
      transferInactivityMinutes: null,
      afterWorkingHours: false,
      after24hFromCustomer: false,
      unauthorizedNumbers: false,
      endOfDay: {
        categoryWaiting: false,
        awaitingAssignment: false,
        awaitingTransfer: false,
        waitQueue: false,
      },
    },
    messages: {
      welcome: null,
      welcomeOnAssignment: null,
      welcomeOnAssignmentDelaySeconds: 0,
      welcomeAsAgent: false,
      outOfHours: null,
      transfer: null,
      close: null,
      waitingAtClosingTime: null,
      unauthorized: null,
      attachmentRejected: null,
    },
    workingTime: defaultWorkingTime(),
    profiling: { requiredOnClose: false, freeNotes: false },
    bot: {
      enabled: false,
      prompt: "Hello! How can we help you? Reply with the number of your choice.",
      style: "text",
      invalidChoice: null,
      timeoutSeconds: 300,
    },
  };
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Stored fields over defaults, validated; the defaults when the result is invalid. */
function overDefaults<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  defaults: T,
  stored: unknown,
): T {
  const fields = record(stored);
  if (!fields) return defaults;
  const parsed = schema.safeParse({ ...(defaults as object), ...fields });
  return parsed.success ? parsed.data : defaults;
}

/**
 * Reads `managed_numbers.settings`. Never throws: unreadable JSON or a category
 * that no longer validates falls back to its defaults; a missing working time
 * is always open (see the module comment).
 */
export function readSettings(json: string | null | undefined): StoredSettings {
  let raw: Record<string, unknown> = {};
  try {
    raw = record(JSON.parse(json ?? "{}")) ?? {};
  } catch {
    // keep the defaults
  }
  const defaults = defaultNumberSettings();
  const autoCloseRaw = record(raw.autoClose);
  const workingTime = WorkingTime.safeParse(raw.workingTime);
  return {
    details: overDefaults(NumberExtras, defaultNumberExtras(), raw.details),
    autoClose: overDefaults(
      AutoCloseSettings,
      defaults.autoClose,
      autoCloseRaw && {
        ...autoCloseRaw,
        endOfDay: { ...defaults.autoClose.endOfDay, ...record(autoCloseRaw.endOfDay) },
      },
    ),
    messages: overDefaults(MessageSettings, defaults.messages, raw.messages),
    workingTime: workingTime.success ? workingTime.data : alwaysOpenWorkingTime(),
    profiling: overDefaults(ProfilingSettings, defaults.profiling, raw.profiling),
    bot: overDefaults(BotSettings, defaults.bot, raw.bot),
  };
}
