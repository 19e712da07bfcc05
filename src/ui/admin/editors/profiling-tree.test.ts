import { describe, expect, it } from "vitest";
import type { ProfilingNodeView } from "../../../shared/admin.ts";
import {
  buildTree,
  canAddChild,
  matchesQuery,
  pathOf,
  siblingIds,
  subtreeSize,
  visibleIds,
} from "./profiling-tree.ts";

function node(
  id: string,
  value: string,
  parentId: string | null,
  level: number,
  position: number,
): ProfilingNodeView {
  return {
    id,
    value,
    parentId,
    level,
    position,
    numberId: "n1",
    childrenLabel: null,
    notesAllowed: false,
    version: 1,
  };
}

// Billing ─ Refund ─ Partial
//         └ Invoice
// Perché? (accented) ─ Other
const nodes = [
  node("inv", "Invoice", "bill", 2, 2),
  node("bill", "Billing", null, 1, 1),
  node("ref", "Refund", "bill", 2, 1),
  node("part", "Partial", "ref", 3, 1),
  node("why", "Perché?", null, 1, 2),
  node("oth", "Other", "why", 2, 1),
  node("orphan", "Lost", "gone", 2, 1),
];

describe("profiling tree", () => {
  it("builds the tree with siblings in position order and drops orphans", () => {
    const tree = buildTree(nodes);
    expect(tree.map((t) => t.node.id)).toEqual(["bill", "why"]);
    expect(tree[0]?.children.map((t) => t.node.id)).toEqual(["ref", "inv"]);
    expect(tree[0]?.children[0]?.children.map((t) => t.node.id)).toEqual(["part"]);
    expect(JSON.stringify(tree)).not.toContain("orphan");
  });

  it("lists sibling ids in order", () => {
    expect(siblingIds(nodes, null)).toEqual(["bill", "why"]);
    expect(siblingIds(nodes, "bill")).toEqual(["ref", "inv"]);
    expect(siblingIds(nodes, "part")).toEqual([]);
  });

  it("searches ignoring case and accents, keeping ancestors of matches", () => {
    expect(visibleIds(nodes, "  ")).toBeNull();
    expect(visibleIds(nodes, "PART")).toEqual(new Set(["part", "ref", "bill"]));
    expect(visibleIds(nodes, "perche")).toEqual(new Set(["why"]));
    expect(visibleIds(nodes, "nothing")).toEqual(new Set());
    expect(matchesQuery(nodes[0] as ProfilingNodeView, "voice")).toBe(true);
    expect(matchesQuery(nodes[0] as ProfilingNodeView, "")).toBe(false);
  });

  it("counts what a delete removes", () => {
    expect(subtreeSize(nodes, "bill")).toBe(4);
    expect(subtreeSize(nodes, "ref")).toBe(2);
    expect(subtreeSize(nodes, "part")).toBe(1);
  });

  it("allows children only above level 3 and names a node by its path", () => {
    expect(canAddChild({ level: 2 })).toBe(true);
    expect(canAddChild({ level: 3 })).toBe(false);
    expect(pathOf(nodes, "part")).toEqual(["Billing", "Refund", "Partial"]);
  });
});
