/**
 * The customer form's draft and the bodies it sends. Property inputs hold what the
 * browser's controls hold (text, or a checkbox's state); values are typed only when
 * sent. An update sends only what the user changed, so an agent never touches a field
 * they did not edit. Pure; unit-tested.
 */
import type { CustomerField } from "../../shared/customer-import.ts";
import type { CustomerView, PropertyValue } from "../../shared/customer-view.ts";

/** What a property's control holds: a checkbox's state, or text (number, date, choice, text). */
export type PropertyInput = string | boolean;

export interface CustomerDraft {
  phone: string;
  name: string;
  authorized: boolean;
  bypassBot: boolean;
  priority: number;
  /** "" = none. */
  defaultSkillsetId: string;
  notes: string;
  externalId: string;
  keepHistory: boolean;
  /** By property id; a missing id is an empty control. */
  properties: Record<string, PropertyInput>;
}

/** The priority of a new customer: the middle of 1–9, as the API defaults. */
export const DEFAULT_CUSTOMER_PRIORITY = 5;

/** A new customer, as the API's defaults would make it. */
export function emptyCustomer(): CustomerDraft {
  return {
    phone: "",
    name: "",
    authorized: false,
    bypassBot: false,
    priority: DEFAULT_CUSTOMER_PRIORITY,
    defaultSkillsetId: "",
    notes: "",
    externalId: "",
    keepHistory: true,
    properties: {},
  };
}

/** The control's content for a stored value. */
export function propertyInput(
  type: CustomerField["type"],
  value: PropertyValue | undefined,
): PropertyInput {
  if (type === "boolean") return value === true;
  if (value === null || value === undefined) return "";
  return String(value);
}

/**
 * The value to send for a control's content: empty clears it (null); a number that does
 * not parse is sent as typed, so the server names the field instead of the UI guessing.
 */
export function propertyValue(type: CustomerField["type"], input: PropertyInput): PropertyValue {
  if (typeof input === "boolean") return input;
  const text = type === "text" ? input : input.trim();
  if (text.trim() === "") return null;
  if (type === "number") {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

export function customerToDraft(
  view: CustomerView,
  fields: readonly CustomerField[],
): CustomerDraft {
  const properties: Record<string, PropertyInput> = {};
  for (const field of fields)
    properties[field.id] = propertyInput(field.type, view.properties[field.id]);
  return {
    phone: view.phone ?? "",
    name: view.name,
    authorized: view.authorized,
    bypassBot: view.bypassBot,
    priority: view.priority,
    defaultSkillsetId: view.defaultSkillsetId ?? "",
    notes: view.notes ?? "",
    externalId: view.externalId ?? "",
    keepHistory: view.keepHistory,
    properties,
  };
}

/** The input of one property in a draft (an untouched control is empty). */
export function inputOf(draft: CustomerDraft, field: CustomerField): PropertyInput {
  return draft.properties[field.id] ?? propertyInput(field.type, undefined);
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/**
 * POST /api/customers. Only properties the caller may edit and that hold a value are
 * sent (the server refuses an agent's restricted property even when empty).
 */
export function createBody(
  draft: CustomerDraft,
  fields: readonly CustomerField[],
  mayEditProperty: (field: CustomerField) => boolean,
) {
  const properties: Record<string, PropertyValue> = {};
  for (const field of fields) {
    if (!mayEditProperty(field)) continue;
    const value = propertyValue(field.type, inputOf(draft, field));
    if (value !== null && value !== false) properties[field.id] = value;
  }
  return {
    phone: draft.phone.trim(),
    name: draft.name.trim(),
    authorized: draft.authorized,
    bypassBot: draft.bypassBot,
    priority: draft.priority,
    defaultSkillsetId: draft.defaultSkillsetId || null,
    notes: orNull(draft.notes),
    externalId: orNull(draft.externalId),
    keepHistory: draft.keepHistory,
    properties,
  };
}

/**
 * PATCH /api/customers/:id: the version read plus what differs from `view`. Properties
 * are compared as their controls show them, so an untouched empty checkbox never writes
 * `false`; a cleared one is sent as null (the API removes it). Properties the caller may
 * not edit are never sent.
 */
export function updateBody(
  draft: CustomerDraft,
  view: CustomerView,
  fields: readonly CustomerField[],
  mayEditProperty: (field: CustomerField) => boolean,
) {
  const was = customerToDraft(view, fields);
  const body: Record<string, unknown> & { version: number } = { version: view.version };
  if (draft.phone.trim() !== was.phone) body.phone = draft.phone.trim();
  if (draft.name.trim() !== was.name) body.name = draft.name.trim();
  if (draft.authorized !== was.authorized) body.authorized = draft.authorized;
  if (draft.bypassBot !== was.bypassBot) body.bypassBot = draft.bypassBot;
  if (draft.priority !== was.priority) body.priority = draft.priority;
  if (draft.defaultSkillsetId !== was.defaultSkillsetId)
    body.defaultSkillsetId = draft.defaultSkillsetId || null;
  if (draft.notes.trim() !== was.notes.trim()) body.notes = orNull(draft.notes);
  if (draft.externalId.trim() !== was.externalId.trim()) body.externalId = orNull(draft.externalId);
  if (draft.keepHistory !== was.keepHistory) body.keepHistory = draft.keepHistory;
  const properties: Record<string, PropertyValue> = {};
  for (const field of fields) {
    if (!mayEditProperty(field)) continue;
    const input = inputOf(draft, field);
    if (input === inputOf(was, field)) continue;
    properties[field.id] = propertyValue(field.type, input);
  }
  if (Object.keys(properties).length > 0) body.properties = properties;
  return body;
}
