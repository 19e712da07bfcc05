/** Pure reordering of id lists, shared by the reorderable list and the profiling tree. */

/**
 * Moves `id` by `delta` places (−1 up, +1 down), clamped to the list. Returns the same
 * array when nothing moves, so callers can skip a pointless save.
 */
export function moveBy(ids: readonly string[], id: string, delta: number): readonly string[] {
  const from = ids.indexOf(id);
  if (from < 0) return ids;
  return moveTo(ids, from, from + delta);
}

/** Moves the item at `from` to index `to` (clamped); the same array when nothing moves. */
export function moveTo(ids: readonly string[], from: number, to: number): readonly string[] {
  const target = Math.max(0, Math.min(ids.length - 1, to));
  if (from < 0 || from >= ids.length || target === from) return ids;
  const next = [...ids];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}

/** Orders `items` as `ids` lists them; items missing from `ids` keep their order at the end. */
export function orderBy<T>(
  items: readonly T[],
  ids: readonly string[],
  idOf: (item: T) => string,
): T[] {
  const rank = new Map(ids.map((id, i) => [id, i]));
  return items
    .map((item, i) => ({ item, i, r: rank.get(idOf(item)) ?? ids.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.item);
}
