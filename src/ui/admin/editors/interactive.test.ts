import { describe, expect, it } from "vitest";
import { type Interactive, PredefinedMessageFields } from "../../../shared/admin.ts";
import {
  addButton,
  addRow,
  addSection,
  canAddRow,
  canAddSection,
  draftsFrom,
  emptyDrafts,
  interactiveWarnings,
  kindOf,
  type ListValue,
  removeButton,
  removeRow,
  removeSection,
  rowCount,
  setButtonTitle,
  setListButton,
  setRow,
  setSectionTitle,
  textLimit,
  valueOfKind,
} from "./interactive.ts";

describe("interactive editor logic", () => {
  it("keeps each kind's draft so switching back loses nothing", () => {
    const stored: Interactive = { type: "buttons", buttons: [{ title: "Yes" }, { title: "No" }] };
    const drafts = draftsFrom(stored);
    expect(kindOf(stored)).toBe("buttons");
    expect(valueOfKind("none", drafts)).toBeNull();
    expect(valueOfKind("list", drafts)?.type).toBe("list");
    expect(valueOfKind("buttons", drafts)).toEqual(stored);
    expect(kindOf(null)).toBe("none");
  });

  it("allows at most 3 buttons and keeps at least one", () => {
    let value = emptyDrafts().buttons;
    value = setButtonTitle(value, 0, "Yes");
    value = addButton(addButton(addButton(value)));
    expect(value.buttons).toHaveLength(3);
    value = removeButton(removeButton(removeButton(value, 2), 1), 0);
    expect(value.buttons).toHaveLength(1);
    value = removeButton(value, 0);
    expect(value.buttons).toHaveLength(1);
  });

  it("counts rows across sections and stops at 10", () => {
    let value: ListValue = setListButton(emptyDrafts().list, "Choose");
    value = setRow(value, 0, 0, { title: "Row 1" });
    for (let i = 0; i < 5; i++) value = addRow(value, 0);
    expect(rowCount(value)).toBe(6);
    for (let i = 0; i < 3; i++) value = addSection(value);
    expect(value.sections).toHaveLength(4);
    expect(rowCount(value)).toBe(9);
    value = addRow(value, 3);
    expect(rowCount(value)).toBe(10);
    expect(canAddRow(value)).toBe(false);
    expect(canAddSection(value)).toBe(false);
    expect(addRow(value, 1)).toBe(value);
    expect(addSection(value)).toBe(value);
  });

  it("removes rows and sections but never the last one", () => {
    let value = addSection(emptyDrafts().list);
    value = removeRow(value, 0, 0);
    expect(value.sections[0]?.rows).toHaveLength(1);
    value = removeSection(value, 0);
    expect(value.sections).toHaveLength(1);
    expect(removeSection(value, 0).sections).toHaveLength(1);
  });

  it("produces values the contract accepts once filled", () => {
    let value = setListButton(emptyDrafts().list, "Pick one");
    value = setRow(value, 0, 0, { title: "Opening hours", description: "When we are open" });
    value = setSectionTitle(addSection(value), 1, "More");
    value = setRow(value, 1, 0, { title: "Address" });
    value = setSectionTitle(value, 0, "Info");
    const parsed = PredefinedMessageFields.safeParse({
      category: "Info",
      title: "Menu",
      text: "How can we help?",
      interactive: value,
    });
    expect(parsed.success).toBe(true);
  });

  it("limits interactive text to 1024 characters", () => {
    expect(textLimit(null)).toBe(4096);
    expect(textLimit(emptyDrafts().buttons)).toBe(1024);
  });

  it("warns about Meta's rules the server does not check", () => {
    expect(interactiveWarnings(null)).toEqual([]);
    expect(
      interactiveWarnings({ type: "buttons", buttons: [{ title: "Yes" }, { title: " yes " }] }),
    ).toEqual([{ path: "buttons.1.title", kind: "duplicateTitle" }]);
    let list = setRow(emptyDrafts().list, 0, 0, { title: "A" });
    list = setRow(addSection(list), 1, 0, { title: "a" });
    expect(interactiveWarnings(list)).toEqual([
      { path: "sections.0.title", kind: "sectionTitleRequired" },
      { path: "sections.1.title", kind: "sectionTitleRequired" },
      { path: "sections.1.rows.0.title", kind: "duplicateTitle" },
    ]);
  });
});
