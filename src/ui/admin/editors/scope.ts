/**
 * How the editors find their errors and DOM ids inside an `AdminForm`: paths are joined
 * under the editor's base path, and ids match the ones the form's error summary links to.
 */
import { errorId, type FieldErrors, fieldDomId } from "../kit/errors.ts";

/** `base` + parts as a dotted path; an empty base adds no leading dot. */
export function joinPath(base: string, ...parts: readonly (string | number)[]): string {
  return [base, ...parts.map(String)].filter((p) => p !== "").join(".");
}

/** What a control needs to show its error accessibly. */
export interface ScopedField {
  path: string;
  id: string;
  errId: string;
  error: string | undefined;
  /** `aria-invalid` value: true or absent. */
  invalid: true | undefined;
  /** `aria-describedby` value for the error, or undefined. */
  describedBy: string | undefined;
}

/** The ids and error of the control at `path` in form `formId`. */
export function scopedField(formId: string, errors: FieldErrors, path: string): ScopedField {
  const error = errors[path];
  const errId = errorId(formId, path);
  return {
    path,
    id: fieldDomId(formId, path),
    errId,
    error,
    invalid: error ? true : undefined,
    describedBy: error ? errId : undefined,
  };
}

/** The first error at any of `paths` (e.g. a row's own path, then its fields'). */
export function firstError(errors: FieldErrors, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const message = errors[path];
    if (message) return message;
  }
  return undefined;
}
