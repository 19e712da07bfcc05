/**
 * Notes the system adds to a conversation when something it owed in the
 * background failed for good (the e-mail on close) or keeps failing (saving
 * the history): visible to the agents on the desk and, once the history has
 * it, to everyone who reads the customer's history. The text is stored in the
 * tenant's language (what the history and its search show); the desk shows
 * the notice in each agent's own language from its code (see MessageContent).
 */
import { eq } from "drizzle-orm";
import { d1 } from "../../platform/db/d1";
import { tenants } from "../../platform/db/schema";
import type { NoticeCode } from "../../shared/message-content";
import type { Language } from "../../shared/protocol";
import { StoredJson } from "../sql";
import type { ConversationDeps } from "./deps";
import { insertOurs, toView } from "./message-rows";
import { type NotifyDeps, notifyAgents } from "./notify";
import type { ConversationRecord } from "./record";

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
  joined: {
    en: (name) => `${name} joined the conversation`,
    it: (name) => `${name} ora partecipa alla conversazione`,
  },
  left: {
    en: (name) => `${name} left the conversation`,
    it: (name) => `${name} non partecipa più alla conversazione`,
  },
};

/** The stored text of a notice in `language`. Pure. */
export function noticeText(code: NoticeCode, language: Language, detail: string): string {
  return TEXTS[code][language](detail);
}

/** A notice's `payload` column (stored-content.ts reads it back, validated). */
const noticePayloadJson = new StoredJson<{ notice: NoticeCode; detail: string }>();

/** The note's payload: what the desk renders in the agent's language. */
export function noticePayload(code: NoticeCode, detail: string): string {
  return noticePayloadJson.write({ notice: code, detail });
}

/** The tenant's default language (rejects when D1 fails). */
export async function tenantLanguage(
  deps: Pick<ConversationDeps, "env">,
  tenantId: string,
): Promise<Language> {
  const row = await d1(deps.env.DB)
    .select({ defaultLanguage: tenants.defaultLanguage })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return row?.defaultLanguage === "it" ? "it" : "en";
}

export type NoticeDeps = NotifyDeps & Pick<ConversationDeps, "now" | "record">;

/**
 * A note saying what failed in the background, once per `code` and `detail`;
 * its text in the tenant's language (English when D1 cannot be read), shown
 * on the seated agents' desks.
 */
export async function addNotice(
  deps: NoticeDeps,
  record: ConversationRecord,
  code: NoticeCode,
  detail: string,
): Promise<void> {
  const language = await tenantLanguage(deps, record.tenantId).catch(() => "en" as const);
  const row = insertOurs(
    deps.db,
    {
      id: `note:${code}:${detail}`,
      kind: "note",
      text: noticeText(code, language, detail),
      payload: noticePayload(code, detail),
      status: null,
      sender: { type: "system" },
      at: deps.now(),
    },
    true,
  );
  const latest = deps.record();
  if (row && latest) notifyAgents(deps, latest, [toView(latest.id, row)]);
}
