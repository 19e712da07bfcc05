/**
 * Pure views of a number's profiling (closing reasons): the flat list the API returns
 * turned into a tree, the search that keeps matches' ancestors visible, and the facts
 * the editor needs to enable its actions.
 */
import { MAX_PROFILING_LEVELS, type ProfilingNodeView } from "../../../shared/admin.ts";

/** A node with its children, siblings in their stored order. */
export interface TreeNode {
  node: ProfilingNodeView;
  children: TreeNode[];
}

function byPosition(a: ProfilingNodeView, b: ProfilingNodeView): number {
  return a.position - b.position || a.value.localeCompare(b.value);
}

/** The forest of root nodes. A node whose parent is missing is dropped with its subtree. */
export function buildTree(nodes: readonly ProfilingNodeView[]): TreeNode[] {
  const children = new Map<string | null, ProfilingNodeView[]>();
  for (const node of nodes) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const grow = (parentId: string | null, depth: number): TreeNode[] =>
    // The depth guard protects against a cycle in corrupt data rather than looping forever.
    depth > MAX_PROFILING_LEVELS
      ? []
      : (children.get(parentId) ?? [])
          .sort(byPosition)
          .map((node) => ({ node, children: grow(node.id, depth + 1) }));
  return grow(null, 1);
}

/** The ids of the siblings under `parentId` (null = the top level), in their order. */
export function siblingIds(nodes: readonly ProfilingNodeView[], parentId: string | null): string[] {
  return nodes
    .filter((n) => n.parentId === parentId)
    .sort(byPosition)
    .map((n) => n.id);
}

/** Lowercase without accents, so "perche" finds "Perché". */
export function normalize(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/** True when the node's value contains the (non-blank) query. */
export function matchesQuery(node: ProfilingNodeView, query: string): boolean {
  const q = normalize(query);
  return q !== "" && normalize(node.value).includes(q);
}

/**
 * The ids to show for a search: every match and all its ancestors, so each match is
 * seen in context. A blank query returns null: show everything.
 */
export function visibleIds(nodes: readonly ProfilingNodeView[], query: string): Set<string> | null {
  if (normalize(query) === "") return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const visible = new Set<string>();
  for (const node of nodes) {
    if (!matchesQuery(node, query)) continue;
    let current: ProfilingNodeView | undefined = node;
    while (current && !visible.has(current.id)) {
      visible.add(current.id);
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
  }
  return visible;
}

/** How many nodes deleting `id` removes: the node and its whole subtree. */
export function subtreeSize(nodes: readonly ProfilingNodeView[], id: string): number {
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    children.set(n.parentId, [...(children.get(n.parentId) ?? []), n.id]);
  }
  let count = 0;
  const stack = [id];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    count++;
    stack.push(...(children.get(current) ?? []));
  }
  return count;
}

/** A node may have children only above the deepest level. */
export function canAddChild(node: Pick<ProfilingNodeView, "level">): boolean {
  return node.level < MAX_PROFILING_LEVELS;
}

/** The chain of values from the root to the node, for accessible names ("Billing › Refund"). */
export function pathOf(nodes: readonly ProfilingNodeView[], id: string): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path: string[] = [];
  let current = byId.get(id);
  while (current && path.length <= MAX_PROFILING_LEVELS) {
    path.unshift(current.value);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path;
}
