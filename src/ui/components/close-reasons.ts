/**
 * The close dialog's reasoning about a number's profiling tree, kept pure so it
 * is tested without a browser: which choices to show for a partly chosen path,
 * whether the choice may be sent, whether notes are allowed, and the search
 * over every leaf's path.
 */
import {
  CLOSE_REASON_SEPARATOR,
  type CloseOptions,
  type CloseReasonNode,
} from "../../shared/protocol.ts";

/** One choice to draw: the options at this level, its label (null = the first level's), the chosen id. */
export interface ChoiceLevel {
  label: string | null;
  options: CloseReasonNode[];
  chosen: string | null;
}

/** The nodes along `path` (ids from the top), stopping at the first id that is not there. */
export function chosenNodes(tree: readonly CloseReasonNode[], path: readonly string[]) {
  const nodes: CloseReasonNode[] = [];
  let level: readonly CloseReasonNode[] = tree;
  for (const id of path) {
    const node = level.find((n) => n.id === id);
    if (!node) break;
    nodes.push(node);
    level = node.children;
  }
  return nodes;
}

/**
 * The choices to draw for `path`: the first level always (when the tree has
 * one), then the children of each chosen node that has any, under that node's
 * children label.
 */
export function choiceLevels(
  tree: readonly CloseReasonNode[],
  path: readonly string[],
): ChoiceLevel[] {
  if (tree.length === 0) return [];
  const nodes = chosenNodes(tree, path);
  const levels: ChoiceLevel[] = [{ label: null, options: [...tree], chosen: nodes[0]?.id ?? null }];
  nodes.forEach((node, i) => {
    if (node.children.length > 0) {
      levels.push({
        label: node.childrenLabel,
        options: node.children,
        chosen: nodes[i + 1]?.id ?? null,
      });
    }
  });
  return levels;
}

/** What the current choice allows. */
export interface CloseState {
  /** The chosen leaf, or null (nothing chosen, or a reason with more specific ones below). */
  leaf: CloseReasonNode | null;
  /** Something was chosen but it is not a leaf yet. */
  incomplete: boolean;
  /** The choice may be sent: a leaf, or nothing when nothing is required. */
  valid: boolean;
  /** Notes may be written: always without a chosen reason, else by the number's or the leaf's rule. */
  notesAllowed: boolean;
}

/** The rules the server applies (see the Worker's close route), applied to the choice so far. */
export function closeState(options: CloseOptions, path: readonly string[]): CloseState {
  const nodes = chosenNodes(options.tree, path);
  const last = nodes.at(-1) ?? null;
  const leaf = last && last.children.length === 0 ? last : null;
  const incomplete = last !== null && leaf === null;
  const nothing = last === null;
  return {
    leaf,
    incomplete,
    valid: leaf !== null || (nothing && !options.required),
    notesAllowed: options.freeNotes || (leaf ? leaf.notesAllowed : nothing && !options.required),
  };
}

/** A reason that can be chosen (a leaf), with its path from the top. */
export interface ReasonLeaf {
  ids: string[];
  text: string;
  /** `text` folded for matching. */
  folded: string;
}

/** Lower case without accents, so "perche" finds "Perché". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Every leaf of the tree, depth-first in the admin's order. */
export function leavesOf(tree: readonly CloseReasonNode[]): ReasonLeaf[] {
  const leaves: ReasonLeaf[] = [];
  const walk = (nodes: readonly CloseReasonNode[], ids: string[], values: string[]) => {
    for (const node of nodes) {
      const here = [...ids, node.id];
      const names = [...values, node.value];
      if (node.children.length === 0) {
        const text = names.join(CLOSE_REASON_SEPARATOR);
        leaves.push({ ids: here, text, folded: fold(text) });
      } else {
        walk(node.children, here, names);
      }
    }
  };
  walk(tree, [], []);
  return leaves;
}

/**
 * Leaves whose path contains every word of `query` (any level, any order,
 * ignoring case and accents), at most `limit`. An empty query finds nothing.
 */
export function searchLeaves(
  leaves: readonly ReasonLeaf[],
  query: string,
  limit = 8,
): ReasonLeaf[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return leaves.filter((leaf) => words.every((w) => leaf.folded.includes(w))).slice(0, limit);
}
