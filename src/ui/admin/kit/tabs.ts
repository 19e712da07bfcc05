/** Keyboard movement in a tab list. */

/** The index of the tab a key press moves to from `current` (wrapping), or null for other keys. */
export function tabAfterKey(keys: readonly string[], current: string, key: string): number | null {
  const index = keys.indexOf(current);
  const last = keys.length - 1;
  if (key === "ArrowRight") return index >= last ? 0 : index + 1;
  if (key === "ArrowLeft") return index <= 0 ? last : index - 1;
  if (key === "Home") return 0;
  if (key === "End") return last;
  return null;
}
