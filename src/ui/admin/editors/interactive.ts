/**
 * Pure edits of a predefined message's interactive part: none, up to 3 reply buttons, or
 * a list. The limits are Meta's (they are also what the contract validates); the editor
 * shows them as live counters so nobody learns them from a rejected send.
 */
import type { Interactive } from "../../../shared/admin.ts";

/** Meta's limits for interactive messages. */
export const INTERACTIVE_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  listButton: 20,
  sections: 10,
  sectionTitle: 24,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  /** An interactive message's body is shorter than a plain text message. */
  interactiveText: 1024,
  text: 4096,
} as const;

export type ButtonsValue = Extract<Interactive, { type: "buttons" }>;
export type ListValue = Extract<Interactive, { type: "list" }>;
export type InteractiveKind = "none" | "buttons" | "list";

/** What each kind holds while the user switches between them, so switching back loses nothing. */
export interface InteractiveDrafts {
  buttons: ButtonsValue;
  list: ListValue;
}

/** A fresh draft of each kind: one empty button, one section with one empty row. */
export function emptyDrafts(): InteractiveDrafts {
  return {
    buttons: { type: "buttons", buttons: [{ title: "" }] },
    list: {
      type: "list",
      button: "",
      sections: [{ title: "", rows: [{ title: "", description: "" }] }],
    },
  };
}

/** The drafts to start an editor with: the stored value fills its own kind. */
export function draftsFrom(value: Interactive | null): InteractiveDrafts {
  const drafts = emptyDrafts();
  if (value?.type === "buttons") drafts.buttons = value;
  if (value?.type === "list") drafts.list = value;
  return drafts;
}

export function kindOf(value: Interactive | null): InteractiveKind {
  return value?.type ?? "none";
}

/** The value for a kind: null for none, else that kind's draft. */
export function valueOfKind(kind: InteractiveKind, drafts: InteractiveDrafts): Interactive | null {
  return kind === "none" ? null : drafts[kind];
}

/** The body's character limit: Meta allows less text on an interactive message. */
export function textLimit(value: Interactive | null): number {
  return value ? INTERACTIVE_LIMITS.interactiveText : INTERACTIVE_LIMITS.text;
}

// ---- buttons -----------------------------------------------------------------------

export function canAddButton(value: ButtonsValue): boolean {
  return value.buttons.length < INTERACTIVE_LIMITS.buttons;
}

export function addButton(value: ButtonsValue): ButtonsValue {
  if (!canAddButton(value)) return value;
  return { ...value, buttons: [...value.buttons, { title: "" }] };
}

export function setButtonTitle(value: ButtonsValue, index: number, title: string): ButtonsValue {
  return { ...value, buttons: value.buttons.map((b, i) => (i === index ? { title } : b)) };
}

/** Removes a button; the last one stays (a buttons message needs one — choose "none" instead). */
export function removeButton(value: ButtonsValue, index: number): ButtonsValue {
  if (value.buttons.length <= 1) return value;
  return { ...value, buttons: value.buttons.filter((_, i) => i !== index) };
}

// ---- list --------------------------------------------------------------------------

/** Rows across all sections; Meta allows 10 in all. */
export function rowCount(value: ListValue): number {
  return value.sections.reduce((n, s) => n + s.rows.length, 0);
}

export function canAddRow(value: ListValue): boolean {
  return rowCount(value) < INTERACTIVE_LIMITS.rows;
}

/** A new section brings its first row, so it needs room for one more row too. */
export function canAddSection(value: ListValue): boolean {
  return value.sections.length < INTERACTIVE_LIMITS.sections && canAddRow(value);
}

export function setListButton(value: ListValue, button: string): ListValue {
  return { ...value, button };
}

export function addSection(value: ListValue): ListValue {
  if (!canAddSection(value)) return value;
  return {
    ...value,
    sections: [...value.sections, { title: "", rows: [{ title: "", description: "" }] }],
  };
}

/** Removes a section with its rows; the last section stays. */
export function removeSection(value: ListValue, index: number): ListValue {
  if (value.sections.length <= 1) return value;
  return { ...value, sections: value.sections.filter((_, i) => i !== index) };
}

export function setSectionTitle(value: ListValue, index: number, title: string): ListValue {
  return {
    ...value,
    sections: value.sections.map((s, i) => (i === index ? { ...s, title } : s)),
  };
}

export function addRow(value: ListValue, section: number): ListValue {
  if (!canAddRow(value)) return value;
  return {
    ...value,
    sections: value.sections.map((s, i) =>
      i === section ? { ...s, rows: [...s.rows, { title: "", description: "" }] } : s,
    ),
  };
}

/** Removes a row; a section's last row stays (remove the section instead). */
export function removeRow(value: ListValue, section: number, row: number): ListValue {
  return {
    ...value,
    sections: value.sections.map((s, i) =>
      i === section && s.rows.length > 1 ? { ...s, rows: s.rows.filter((_, j) => j !== row) } : s,
    ),
  };
}

export function setRow(
  value: ListValue,
  section: number,
  row: number,
  patch: Partial<{ title: string; description: string }>,
): ListValue {
  return {
    ...value,
    sections: value.sections.map((s, i) =>
      i === section
        ? { ...s, rows: s.rows.map((r, j) => (j === row ? { ...r, ...patch } : r)) }
        : s,
    ),
  };
}

// ---- Meta's rules the contract does not check ------------------------------------------

/** A rule Meta enforces at send time, found before saving. `path` is below `interactive`. */
export interface InteractiveWarning {
  path: string;
  kind: "duplicateTitle" | "sectionTitleRequired";
}

/**
 * Meta refuses duplicate button titles, duplicate row titles, and untitled sections in a
 * list with more than one section. The server accepts these (a draft may be unfinished),
 * so the editor warns instead of blocking.
 */
export function interactiveWarnings(value: Interactive | null): InteractiveWarning[] {
  if (!value) return [];
  const warnings: InteractiveWarning[] = [];
  const seen = new Set<string>();
  const duplicate = (title: string) => {
    const key = title.trim().toLowerCase();
    if (!key) return false;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };
  if (value.type === "buttons") {
    value.buttons.forEach((b, i) => {
      if (duplicate(b.title)) warnings.push({ path: `buttons.${i}.title`, kind: "duplicateTitle" });
    });
    return warnings;
  }
  value.sections.forEach((s, i) => {
    if (value.sections.length > 1 && !s.title.trim()) {
      warnings.push({ path: `sections.${i}.title`, kind: "sectionTitleRequired" });
    }
    s.rows.forEach((r, j) => {
      if (duplicate(r.title)) {
        warnings.push({ path: `sections.${i}.rows.${j}.title`, kind: "duplicateTitle" });
      }
    });
  });
  return warnings;
}
