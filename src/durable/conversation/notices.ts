/**
 * Notes the system adds to a conversation when something it owed in the
 * background failed for good (the e-mail on close) or keeps failing (saving
 * the history): visible to the agents on the desk and, once the history has
 * it, to everyone who reads the customer's history. The text is stored in the
 * tenant's language (what the history and its search show); the desk shows
 * the notice in each agent's own language from its code (see MessageContent).
 */
import type { NoticeCode } from "../../shared/message-content";
import type { Language } from "../../shared/protocol";

export type { NoticeCode };

const TEXTS: Record<NoticeCode, Record<Language, (detail: string) => string>> = {
  close_mail_failed: {
    en: (to) => `The transcript of this conversation could not be e-mailed to ${to}.`,
    it: (to) => `Non è stato possibile inviare per e-mail la trascrizione a ${to}.`,
  },
  history_failed: {
    en: () =>
      "This conversation could not be saved to the customer's history yet; it is tried again every few minutes.",
    it: () =>
      "Non è stato ancora possibile salvare questa conversazione nello storico del cliente; si riprova ogni pochi minuti.",
  },
};

/** The stored text of a notice in `language`. Pure. */
export function noticeText(code: NoticeCode, language: Language, detail: string): string {
  return TEXTS[code][language](detail);
}

/** The note's payload: what the desk renders in the agent's language. */
export function noticePayload(code: NoticeCode, detail: string): string {
  return JSON.stringify({ notice: code, detail });
}
