import { describe, expect, it } from "vitest";
import type { CloseOptions, CloseReasonNode } from "../../shared/protocol.ts";
import { choiceLevels, closeState, leavesOf, searchLeaves } from "./close-reasons.ts";

function node(id: string, value: string, children: CloseReasonNode[] = [], more = {}) {
  return { id, value, childrenLabel: null, notesAllowed: false, children, ...more };
}

const tree: CloseReasonNode[] = [
  node(
    "sales",
    "Sales",
    [
      node(
        "phones",
        "Phones",
        [node("broken", "Broken"), node("late", "Late", [], { notesAllowed: true })],
        {
          childrenLabel: "Problem",
        },
      ),
      node("laptops", "Laptops"),
    ],
    { childrenLabel: "Product" },
  ),
  node("info", "Informazioni sull'attività"),
];

const rules = (required: boolean, freeNotes = false): CloseOptions => ({
  required,
  freeNotes,
  tree,
});

describe("choiceLevels", () => {
  it("shows the first level, then the children of each chosen node under its label", () => {
    expect(choiceLevels(tree, []).map((l) => [l.label, l.chosen])).toEqual([[null, null]]);
    const levels = choiceLevels(tree, ["sales", "phones"]);
    expect(levels.map((l) => [l.label, l.options.map((o) => o.id), l.chosen])).toEqual([
      [null, ["sales", "info"], "sales"],
      ["Product", ["phones", "laptops"], "phones"],
      ["Problem", ["broken", "late"], null],
    ]);
    // A leaf adds no level; an id that is not there ends the path.
    expect(choiceLevels(tree, ["sales", "laptops"])).toHaveLength(2);
    expect(choiceLevels(tree, ["sales", "gone", "broken"])).toHaveLength(2);
    expect(choiceLevels([], [])).toEqual([]);
  });
});

describe("closeState", () => {
  it("is valid with a leaf, or with nothing when nothing is required; never half-way", () => {
    expect(closeState(rules(true), [])).toMatchObject({ valid: false, incomplete: false });
    expect(closeState(rules(false), [])).toMatchObject({ valid: true, leaf: null });
    expect(closeState(rules(false), ["sales", "phones"])).toMatchObject({
      valid: false,
      incomplete: true,
    });
    expect(closeState(rules(true), ["sales", "phones", "broken"]).leaf?.id).toBe("broken");
    expect(closeState(rules(true), ["info"])).toMatchObject({ valid: true });
  });

  it("allows notes per the number's free notes or the chosen leaf", () => {
    expect(closeState(rules(true), ["sales", "phones", "broken"]).notesAllowed).toBe(false);
    expect(closeState(rules(true), ["sales", "phones", "late"]).notesAllowed).toBe(true);
    expect(closeState(rules(true, true), ["sales", "phones", "broken"]).notesAllowed).toBe(true);
    expect(closeState(rules(true), ["sales"]).notesAllowed).toBe(false);
    // Without a choice the server takes notes unless a reason is required.
    expect(closeState(rules(false), []).notesAllowed).toBe(true);
    expect(closeState({ required: false, freeNotes: false, tree: [] }, []).notesAllowed).toBe(true);
  });
});

describe("searchLeaves", () => {
  const leaves = leavesOf(tree);

  it("lists leaves depth-first with their paths", () => {
    expect(leaves.map((l) => l.text)).toEqual([
      "Sales › Phones › Broken",
      "Sales › Phones › Late",
      "Sales › Laptops",
      "Informazioni sull'attività",
    ]);
    expect(leaves[1]?.ids).toEqual(["sales", "phones", "late"]);
  });

  it("matches every word across levels, ignoring case and accents", () => {
    expect(searchLeaves(leaves, "phones").map((l) => l.ids.at(-1))).toEqual(["broken", "late"]);
    expect(searchLeaves(leaves, "late SALES").map((l) => l.ids.at(-1))).toEqual(["late"]);
    expect(searchLeaves(leaves, "attivita").map((l) => l.ids.at(-1))).toEqual(["info"]);
    expect(searchLeaves(leaves, "phones tablet")).toEqual([]);
    expect(searchLeaves(leaves, "   ")).toEqual([]);
    expect(searchLeaves(leaves, "a", 2)).toHaveLength(2);
  });
});
