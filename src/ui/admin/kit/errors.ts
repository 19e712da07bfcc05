/**
 * Turns the server's 400 `fields` into what a form shows: one message per path, looked
 * up by the field that renders it. Pure; unit-tested.
 */
import type { FieldIssue } from "../../api.ts";

/** Messages by path (e.g. `name`, `memberships.0.userId`); the first message of a path wins. */
export type FieldErrors = Readonly<Record<string, string>>;

export const NO_ERRORS: FieldErrors = Object.freeze({});

/**
 * Maps issues to messages by path. With `prefix` (e.g. `details` for a body
 * `{version, details:{…}}`) the prefix is stripped, so a form's fields are named as in
 * the contract's object whatever envelope the request wrapped them in. Issues outside
 * the prefix keep their full path, so nothing is lost from the summary.
 */
export function fieldErrors(issues: readonly FieldIssue[], prefix?: string): FieldErrors {
  const result: Record<string, string> = {};
  const lead = prefix ? `${prefix}.` : null;
  for (const issue of issues) {
    const path = lead && issue.path.startsWith(lead) ? issue.path.slice(lead.length) : issue.path;
    if (!(path in result)) result[path] = issue.message;
  }
  return result;
}

/**
 * The errors below `path` with `path.` removed, for a sub-editor that names its own
 * fields relative to itself (`members.0.userId` → `0.userId` under `members`).
 */
export function errorsUnder(errors: FieldErrors, path: string): FieldErrors {
  const lead = `${path}.`;
  const result: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key.startsWith(lead)) result[key.slice(lead.length)] = message;
  }
  return result;
}

/** True when there is no error at all. */
export function isEmpty(errors: FieldErrors): boolean {
  return Object.keys(errors).length === 0;
}

/** A DOM id for a field's error message, stable and safe for `aria-describedby`. */
export function errorId(formId: string, path: string): string {
  return `${formId}-err-${path.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The DOM id of the control for `path` in form `formId` (what the summary's links point to). */
export function fieldDomId(formId: string, path: string): string {
  return `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}
