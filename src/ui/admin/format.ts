/** Small display formatters shared by the admin screens. */
import type { Language } from "../../shared/protocol.ts";

/** A date (no time) in the user's language. */
export function formatDate(language: Language, epochMs: number): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(epochMs));
}

/** A date and time in the user's language. */
export function formatDateTime(language: Language, epochMs: number): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(epochMs),
  );
}
