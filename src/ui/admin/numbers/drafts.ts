/**
 * What the number forms edit, and the conversion to the API's shapes: inputs hold
 * strings, the contract wants null for "not set". Pure; unit-tested.
 */
import {
  BOT_STYLE_LIMITS,
  type BotSettings,
  botMenu,
  type MessageSettings,
  type NumberDetails,
  type NumberView,
} from "../../../shared/admin.ts";

/** The details form: nullable texts as strings ("" = not set). */
export interface DetailsDraft {
  name: string;
  displayPhone: string;
  phoneNumberId: string;
  wabaId: string;
  waitQueueAfterMinutes: number | null;
  acceptOnlyExistingCustomers: boolean;
  agentsMayEditCustomers: boolean;
  acceptAttachments: boolean;
  closeEmailTo: string;
  externalId: string;
}

/** A blank new number: accepts attachments and lets agents edit customers, like most tenants want. */
export const EMPTY_DETAILS: DetailsDraft = {
  name: "",
  displayPhone: "",
  phoneNumberId: "",
  wabaId: "",
  waitQueueAfterMinutes: null,
  acceptOnlyExistingCustomers: false,
  agentsMayEditCustomers: true,
  acceptAttachments: true,
  closeEmailTo: "",
  externalId: "",
};

/** The details of a number as the form shows them. */
export function detailsToDraft(view: NumberDetails): DetailsDraft {
  return {
    name: view.name,
    displayPhone: view.displayPhone,
    phoneNumberId: view.phoneNumberId,
    wabaId: view.wabaId ?? "",
    waitQueueAfterMinutes: view.waitQueueAfterMinutes,
    acceptOnlyExistingCustomers: view.acceptOnlyExistingCustomers,
    agentsMayEditCustomers: view.agentsMayEditCustomers,
    acceptAttachments: view.acceptAttachments,
    closeEmailTo: view.closeEmailTo ?? "",
    externalId: view.externalId ?? "",
  };
}

/** Blank (or only spaces) → null; otherwise trimmed. */
export function orNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** The `details` the API takes (trimmed; blanks as null). */
export function draftToDetails(draft: DetailsDraft): NumberDetails {
  return {
    name: draft.name.trim(),
    displayPhone: draft.displayPhone.trim(),
    phoneNumberId: draft.phoneNumberId.trim(),
    wabaId: orNull(draft.wabaId),
    waitQueueAfterMinutes: draft.waitQueueAfterMinutes,
    acceptOnlyExistingCustomers: draft.acceptOnlyExistingCustomers,
    agentsMayEditCustomers: draft.agentsMayEditCustomers,
    acceptAttachments: draft.acceptAttachments,
    closeEmailTo: orNull(draft.closeEmailTo),
    externalId: orNull(draft.externalId),
  };
}

/** The create form adds the two write-only credentials. */
export interface NewNumberDraft extends DetailsDraft {
  accessToken: string;
  appSecret: string;
}

export const EMPTY_NEW_NUMBER: NewNumberDraft = {
  ...EMPTY_DETAILS,
  accessToken: "",
  appSecret: "",
};

/**
 * The POST body: the details, the WABA id and access token (required: blanks
 * are sent as typed, so the server names them), and the app secret if typed.
 */
export function newNumberBody(draft: NewNumberDraft) {
  const appSecret = draft.appSecret.trim();
  return {
    ...draftToDetails(draft),
    wabaId: draft.wabaId.trim(),
    accessToken: draft.accessToken.trim(),
    ...(appSecret ? { appSecret } : {}),
  };
}

/** The automatic messages, which the form edits as plain strings. */
export type MessagesDraft = {
  [K in keyof MessageSettings]: MessageSettings[K] extends string | null
    ? string
    : MessageSettings[K];
};

/** The messages tab's texts; null shows as "". */
export function messagesToDraft(view: NumberView): MessagesDraft {
  const m = view.settings.messages;
  return {
    welcome: m.welcome ?? "",
    welcomeOnAssignment: m.welcomeOnAssignment ?? "",
    welcomeOnAssignmentDelaySeconds: m.welcomeOnAssignmentDelaySeconds,
    welcomeAsAgent: m.welcomeAsAgent,
    outOfHours: m.outOfHours ?? "",
    transfer: m.transfer ?? "",
    close: m.close ?? "",
    waitingAtClosingTime: m.waitingAtClosingTime ?? "",
    unauthorized: m.unauthorized ?? "",
    attachmentRejected: m.attachmentRejected ?? "",
  };
}

/** The `messages` the API takes: blank texts are null (not sent). Texts keep their spacing. */
export function draftToMessages(draft: MessagesDraft): MessageSettings {
  const text = (s: string) => (s.trim() === "" ? null : s);
  return {
    welcome: text(draft.welcome),
    welcomeOnAssignment: text(draft.welcomeOnAssignment),
    welcomeOnAssignmentDelaySeconds: draft.welcomeOnAssignmentDelaySeconds,
    welcomeAsAgent: draft.welcomeAsAgent,
    outOfHours: text(draft.outOfHours),
    transfer: text(draft.transfer),
    close: text(draft.close),
    waitingAtClosingTime: text(draft.waitingAtClosingTime),
    unauthorized: text(draft.unauthorized),
    attachmentRejected: text(draft.attachmentRejected),
  };
}

/**
 * The softbot tab: the invalid-choice text as a string ("" = no message before the menu
 * again) and the timeout as the number input holds it (null while emptied).
 */
export type BotDraft = Omit<BotSettings, "invalidChoice" | "timeoutSeconds"> & {
  invalidChoice: string;
  timeoutSeconds: number | null;
};

/** The softbot settings as the form shows them. */
export function botToDraft(view: NumberView): BotDraft {
  const bot = view.settings.bot;
  return { ...bot, invalidChoice: bot.invalidChoice ?? "" };
}

/**
 * The `bot` the API takes: a blank invalid-choice text is null; texts keep their
 * spacing. An emptied timeout goes as null, for the server to name the field.
 */
export function draftToBot(draft: BotDraft) {
  return {
    ...draft,
    invalidChoice: draft.invalidChoice.trim() === "" ? null : draft.invalidChoice,
  };
}

/** What the softbot preview needs of a skillset. */
export interface BotSkillset {
  id: string;
  name: string;
  priority: number;
  isDefault: boolean;
  botLabel: string | null;
}

/** Why the softbot menu would not work as configured (the preview shows each). */
export type BotWarning =
  | { kind: "noOptions" }
  | { kind: "tooManyOptions"; count: number; max: number }
  | { kind: "titleTooLong"; label: string; max: number }
  | { kind: "noDefault" };

/**
 * The menu the customer would get with `style` (numbered from 1, in the bot's order)
 * and what is wrong with it: no labelled skillset, more options or longer titles than
 * the style shows (the server refuses those too), no default skillset to send a
 * timed-out customer to. Pure.
 */
export function botPreview<S extends BotSkillset>(
  skillsets: readonly S[],
  style: BotSettings["style"],
): { options: (S & { botLabel: string })[]; warnings: BotWarning[] } {
  const options = botMenu(skillsets);
  const { maxOptions, maxTitle } = BOT_STYLE_LIMITS[style];
  const warnings: BotWarning[] = [];
  if (options.length === 0) warnings.push({ kind: "noOptions" });
  if (maxOptions !== null && options.length > maxOptions) {
    warnings.push({ kind: "tooManyOptions", count: options.length, max: maxOptions });
  }
  if (maxTitle !== null) {
    const long = options.find((o) => o.botLabel.length > maxTitle);
    if (long) warnings.push({ kind: "titleTooLong", label: long.botLabel, max: maxTitle });
  }
  if (!skillsets.some((s) => s.isDefault)) warnings.push({ kind: "noDefault" });
  return { options, warnings };
}
