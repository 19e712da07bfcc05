/**
 * The customer-property form's draft and its conversion to the contract's body. Choices
 * of a `choice` property are typed one per line.
 */
import type { CustomerPropertyView, PropertyType } from "../../../shared/admin.ts";

type PropertyTypeValue = (typeof PropertyType.options)[number];

/** What the property form edits. */
export interface PropertyDraft {
  name: string;
  type: PropertyTypeValue;
  /** One choice per line (only for `choice`). */
  optionsText: string;
  modifiableByAgent: boolean;
  showInCustomerList: boolean;
  showInConversationList: boolean;
}

/** A new property: free text, editable by agents, shown nowhere yet. */
export function emptyProperty(): PropertyDraft {
  return {
    name: "",
    type: "text",
    optionsText: "",
    modifiableByAgent: true,
    showInCustomerList: false,
    showInConversationList: false,
  };
}

export function propertyToDraft(view: CustomerPropertyView): PropertyDraft {
  return {
    name: view.name,
    type: view.type,
    optionsText: view.options.join("\n"),
    modifiableByAgent: view.modifiableByAgent,
    showInCustomerList: view.showInCustomerList,
    showInConversationList: view.showInConversationList,
  };
}

/** The choices typed one per line: trimmed, blank lines dropped, duplicates kept once. */
export function optionsFromText(text: string): string[] {
  const seen = new Set<string>();
  const options: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const option = line.trim();
    if (!option || seen.has(option)) continue;
    seen.add(option);
    options.push(option);
  }
  return options;
}

/** The body of a create or update: only a `choice` property keeps its choices. */
export function propertyBody(draft: PropertyDraft) {
  return {
    name: draft.name,
    type: draft.type,
    options: draft.type === "choice" ? optionsFromText(draft.optionsText) : [],
    modifiableByAgent: draft.modifiableByAgent,
    showInCustomerList: draft.showInCustomerList,
    showInConversationList: draft.showInConversationList,
  };
}

/** The first server error about one of the choices (`options.3`), reported on the textarea. */
export function optionsError(errors: Readonly<Record<string, string>>): string | undefined {
  if (errors.options) return errors.options;
  const key = Object.keys(errors).find((k) => /^options\.\d+$/.test(k));
  if (!key) return undefined;
  return `${Number(key.split(".")[1]) + 1}: ${errors[key]}`;
}
