/**
 * Pure logic of the template editor: the form's draft and its conversion to the
 * contract's body, the {{n}} variables of header and body with their examples, Meta's
 * button rules, and the segments of the live preview.
 */
import type { TemplateFields, TemplateStatus, TemplateView } from "../../../shared/admin.ts";

/**
 * Meta's limits (the contract and the server's template rules check the same). Buttons
 * are either up to 3 quick replies or up to 2 call-to-action buttons (website or call,
 * at most one call), never both kinds.
 */
export const TEMPLATE_LIMITS = {
  header: 60,
  body: 1024,
  footer: 60,
  buttonText: 25,
  example: 200,
  quickReplies: 3,
  callToActions: 2,
  urlButtons: 2,
  phoneButtons: 1,
} as const;

export const TEMPLATE_CATEGORIES = ["UTILITY", "MARKETING", "AUTHENTICATION"] as const;

/** Language codes offered as suggestions; any code of the form `ll` or `ll_CC` is accepted. */
export const COMMON_LANGUAGES = [
  "it",
  "en",
  "en_US",
  "en_GB",
  "es",
  "es_ES",
  "fr",
  "de",
  "pt_BR",
  "pt_PT",
  "nl",
  "ar",
] as const;

export type TemplateButton = TemplateFields["buttons"][number];
export type ButtonType = TemplateButton["type"];

/** What the form edits: plain strings where the contract has nullable parts. */
export interface TemplateDraft {
  numberId: string;
  name: string;
  language: string;
  category: TemplateFields["category"];
  /** Blank = no header. */
  headerText: string;
  headerExample: string;
  bodyText: string;
  /** One per body variable, in order; kept in step with the body by `withBodyText`. */
  bodyExamples: string[];
  /** Blank = no footer. */
  footer: string;
  buttons: TemplateButton[];
}

/** A new template for a number. */
export function emptyDraft(numberId = ""): TemplateDraft {
  return {
    numberId,
    name: "",
    language: "it",
    category: "UTILITY",
    headerText: "",
    headerExample: "",
    bodyText: "",
    bodyExamples: [],
    footer: "",
    buttons: [],
  };
}

/** The form's draft of a stored template. */
export function draftFrom(view: TemplateView): TemplateDraft {
  return {
    numberId: view.numberId,
    name: view.name,
    language: view.language,
    category: view.category,
    headerText: view.header?.text ?? "",
    headerExample: view.header?.example ?? "",
    bodyText: view.body.text,
    bodyExamples: syncExamples(view.body.examples, variableCount(view.body.text)),
    footer: view.footer ?? "",
    buttons: view.buttons,
  };
}

/** The contract's body for a draft: blank header/footer become null, examples match the variables. */
export function toTemplateFields(draft: TemplateDraft): TemplateFields {
  const headerText = draft.headerText.trim();
  const headerHasVariable = variablesIn(headerText).length > 0;
  return {
    numberId: draft.numberId,
    name: draft.name,
    language: draft.language,
    category: draft.category,
    header: headerText
      ? { text: headerText, example: headerHasVariable ? draft.headerExample : null }
      : null,
    body: {
      text: draft.bodyText,
      examples: syncExamples(draft.bodyExamples, variableCount(draft.bodyText)),
    },
    footer: draft.footer.trim() ? draft.footer : null,
    buttons: draft.buttons,
  };
}

/** Only drafts and rejected templates may be edited (the server refuses the rest). */
export function isEditable(status: TemplateStatus): boolean {
  return status === "draft" || status === "rejected";
}

/**
 * Only drafts are sent to Meta for review; a rejected template becomes a draft again
 * when it is edited and saved.
 */
export function canSubmit(status: TemplateStatus): boolean {
  return status === "draft";
}

// ---- variables ------------------------------------------------------------------------

/** A variable as Meta writes it: {{1}} … {{99}}, no spaces. */
const VARIABLE = /\{\{([1-9]\d?)\}\}/g;
/** Anything in double braces, to spot variables written wrongly ({{name}}, {{ 1 }}). */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The distinct variable numbers in the text, ascending: "{{2}} and {{1}}" → [1, 2]. */
export function variablesIn(text: string): number[] {
  const found = new Set<number>();
  for (const match of text.matchAll(VARIABLE)) found.add(Number(match[1]));
  return [...found].sort((a, b) => a - b);
}

/** How many examples the text needs: its highest variable number ({{3}} alone needs 3). */
export function variableCount(text: string): number {
  return variablesIn(text).at(-1) ?? 0;
}

/** Meta wants variables numbered 1, 2, 3… with none skipped. */
export function variablesAreSequential(text: string): boolean {
  return variablesIn(text).every((n, i) => n === i + 1);
}

/** The examples resized to `count`: extra ones dropped, missing ones blank. */
export function syncExamples(examples: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => examples[i] ?? "");
}

/** A new body text, with its examples kept in step (one per variable). */
export function withBodyText(draft: TemplateDraft, bodyText: string): TemplateDraft {
  return {
    ...draft,
    bodyText,
    bodyExamples: syncExamples(draft.bodyExamples, variableCount(bodyText)),
  };
}

/** Appends the next variable ({{n+1}}) to the body, as the "Add variable" button does. */
export function appendVariable(draft: TemplateDraft): TemplateDraft {
  const next = (variablesIn(draft.bodyText).at(-1) ?? 0) + 1;
  const spacer = draft.bodyText === "" || /\s$/.test(draft.bodyText) ? "" : " ";
  return withBodyText(draft, `${draft.bodyText}${spacer}{{${next}}}`);
}

/** A piece of preview text: literal text, or a variable shown with its example. */
export type PreviewSegment =
  | { kind: "text"; text: string }
  | { kind: "variable"; n: number; example: string };

/** Splits text into literal pieces and variables filled from `examples` ({{1}} ← examples[0]). */
export function previewSegments(text: string, examples: readonly string[]): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    const index = match.index ?? 0;
    if (index > last) segments.push({ kind: "text", text: text.slice(last, index) });
    const n = Number(match[1]);
    segments.push({ kind: "variable", n, example: examples[n - 1] ?? "" });
    last = index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: "text", text: text.slice(last) });
  return segments;
}

/** What a name input turns typing into: Meta's lowercase letters, digits and underscores. */
export function normalizeTemplateName(input: string): string {
  return (
    input
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      // Separators become one underscore; other punctuation just disappears.
      .replace(/[^a-z0-9_\s\-\u2013\u2014]/g, "")
      .replace(/[\s\-\u2013\u2014]+/g, "_")
      .slice(0, 512)
  );
}

// ---- buttons -----------------------------------------------------------------------------

const PER_TYPE: Record<ButtonType, number> = {
  QUICK_REPLY: TEMPLATE_LIMITS.quickReplies,
  URL: TEMPLATE_LIMITS.urlButtons,
  PHONE_NUMBER: TEMPLATE_LIMITS.phoneButtons,
};

function isQuickReply(type: ButtonType): boolean {
  return type === "QUICK_REPLY";
}

/** How many buttons of a type the template has. */
export function countButtons(buttons: readonly TemplateButton[], type: ButtonType): number {
  return buttons.filter((b) => b.type === type).length;
}

/**
 * Whether a button of `type` fits: never mixing quick replies with call-to-action
 * buttons; quick replies ≤ 3; call-to-action ≤ 2, of which calls ≤ 1.
 */
export function canAddButton(buttons: readonly TemplateButton[], type: ButtonType): boolean {
  if (buttons.some((b) => isQuickReply(b.type) !== isQuickReply(type))) return false;
  if (!isQuickReply(type) && buttons.length >= TEMPLATE_LIMITS.callToActions) return false;
  return countButtons(buttons, type) < PER_TYPE[type];
}

function blankButton(type: ButtonType): TemplateButton {
  if (type === "URL") return { type, text: "", url: "https://" };
  if (type === "PHONE_NUMBER") return { type, text: "", phoneNumber: "+" };
  return { type, text: "" };
}

/** Adds a blank button of a type at the end; at a limit (or a mix) nothing changes. */
export function addButton(buttons: readonly TemplateButton[], type: ButtonType): TemplateButton[] {
  if (!canAddButton(buttons, type)) return [...buttons];
  return [...buttons, blankButton(type)];
}

/** Changes fields of one button; its type never changes (remove and add instead). */
export function setButton(
  buttons: readonly TemplateButton[],
  index: number,
  patch: { text?: string; url?: string; phoneNumber?: string },
): TemplateButton[] {
  return buttons.map((b, i) => {
    if (i !== index) return b;
    if (b.type === "URL") return { ...b, text: patch.text ?? b.text, url: patch.url ?? b.url };
    if (b.type === "PHONE_NUMBER") {
      return { ...b, text: patch.text ?? b.text, phoneNumber: patch.phoneNumber ?? b.phoneNumber };
    }
    return { ...b, text: patch.text ?? b.text };
  });
}

export function removeButton(buttons: readonly TemplateButton[], index: number): TemplateButton[] {
  return buttons.filter((_, i) => i !== index);
}

// ---- Meta's rules worth a warning before submitting ------------------------------------------

export type TemplateWarningKind =
  | "variableMalformed"
  | "variablesNotSequential"
  | "bodyEdgeVariable"
  | "headerOneVariable"
  | "exampleMissing"
  | "footerNoVariables"
  | "urlNoVariables"
  | "buttonsMixed"
  | "authNoHeader"
  | "authNoFooter"
  | "authNoButtons"
  | "authOneVariable";

/** A rule the draft breaks, at the contract's path of the field to fix. */
export interface TemplateWarning {
  path: string;
  kind: TemplateWarningKind;
}

function malformed(text: string): boolean {
  return [...text.matchAll(PLACEHOLDER)].some((m) => !/^[1-9]\d?$/.test(m[1] ?? ""));
}

/**
 * What the server (and Meta's review) would refuse, found while typing: variables
 * written wrongly or skipped, a body that starts or ends with a variable, more than one
 * header variable, variables without an example, variables in the footer or a button
 * URL, mixed button kinds, and the fixed shape of authentication templates.
 */
export function templateWarnings(draft: TemplateDraft): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const body = draft.bodyText.trim();
  if (malformed(draft.bodyText)) {
    warnings.push({ path: "body.text", kind: "variableMalformed" });
  } else if (!variablesAreSequential(draft.bodyText)) {
    warnings.push({ path: "body.text", kind: "variablesNotSequential" });
  } else if (/^\{\{\d+\}\}/.test(body) || /\{\{\d+\}\}$/.test(body)) {
    warnings.push({ path: "body.text", kind: "bodyEdgeVariable" });
  }
  if (malformed(draft.headerText))
    warnings.push({ path: "header.text", kind: "variableMalformed" });
  const headerVars = variablesIn(draft.headerText);
  if (headerVars.length > 1 || (headerVars.length === 1 && headerVars[0] !== 1)) {
    warnings.push({ path: "header.text", kind: "headerOneVariable" });
  }
  if (headerVars.length > 0 && !draft.headerExample.trim()) {
    warnings.push({ path: "header.example", kind: "exampleMissing" });
  }
  syncExamples(draft.bodyExamples, variableCount(draft.bodyText)).forEach((example, i) => {
    if (!example.trim()) warnings.push({ path: `body.examples.${i}`, kind: "exampleMissing" });
  });
  if (draft.footer.includes("{{")) warnings.push({ path: "footer", kind: "footerNoVariables" });
  draft.buttons.forEach((b, i) => {
    if (b.type === "URL" && b.url.includes("{{")) {
      warnings.push({ path: `buttons.${i}.url`, kind: "urlNoVariables" });
    }
  });
  const quickReplies = countButtons(draft.buttons, "QUICK_REPLY");
  if (quickReplies > 0 && quickReplies < draft.buttons.length) {
    warnings.push({ path: "buttons", kind: "buttonsMixed" });
  }
  if (draft.category === "AUTHENTICATION") {
    if (draft.headerText.trim()) warnings.push({ path: "header.text", kind: "authNoHeader" });
    if (draft.footer.trim()) warnings.push({ path: "footer", kind: "authNoFooter" });
    if (draft.buttons.length > 0) warnings.push({ path: "buttons", kind: "authNoButtons" });
    if (variablesIn(draft.bodyText).length !== 1) {
      warnings.push({ path: "body.text", kind: "authOneVariable" });
    }
  }
  return warnings;
}
