/**
 * The pure logic behind the composer's pickers: filtering predefined messages
 * by category and words, filtering locations, building a video-call link, and
 * inserting text at the caret within WhatsApp's length limit.
 */

/** A predefined message as the picker lists it. */
export interface PredefinedItem {
  id: string;
  category: string;
  title: string;
  text: string;
  interactive: { type: "buttons" | "list" } | null;
}

/** A predefined location as the picker lists it. */
export interface LocationItem {
  id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

/** Lowercase without accents, so "perche" finds "Perché". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Whether every word of `query` appears in one of `fields` (accents and case ignored). */
export function matches(query: string, fields: readonly string[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const haystack = fold(fields.join("\n"));
  return words.every((w) => haystack.includes(w));
}

/** The categories present, sorted as people read them. */
export function categoriesOf(items: readonly PredefinedItem[]): string[] {
  return [...new Set(items.map((i) => i.category))].sort((a, b) =>
    a.localeCompare(b, undefined, { sensitivity: "base" }),
  );
}

/**
 * The predefined messages in `category` ("" = all) whose category, title or
 * text contain every word of `query`, grouped by category in order.
 */
export function filterPredefined(
  items: readonly PredefinedItem[],
  category: string,
  query: string,
): { category: string; items: PredefinedItem[] }[] {
  const groups = new Map<string, PredefinedItem[]>();
  for (const item of items) {
    if (category && item.category !== category) continue;
    if (!matches(query, [item.category, item.title, item.text])) continue;
    const group = groups.get(item.category) ?? [];
    group.push(item);
    groups.set(item.category, group);
  }
  return categoriesOf(items)
    .filter((c) => groups.has(c))
    .map((c) => ({ category: c, items: groups.get(c)! }));
}

/** The locations whose name or address contain every word of `query`. */
export function filterLocations(items: readonly LocationItem[], query: string): LocationItem[] {
  return items.filter((l) => matches(query, [l.name, l.address]));
}

/** A room name nobody can guess: "parley-" and 12 random base-36 characters. */
export function newRoomName(random: () => number = Math.random): string {
  let room = "";
  for (let i = 0; i < 12; i++) room += Math.floor(random() * 36).toString(36);
  return `parley-${room}`;
}

/** The tenant's meeting URL with a fresh room: "https://meet.example.com/x" + "/parley-…". */
export function meetingLink(meetingUrl: string, room: string): string {
  const [base = "", query] = meetingUrl.trim().split(/\?(.*)/s, 2);
  const link = `${base.replace(/\/+$/, "")}/${encodeURIComponent(room)}`;
  return query ? `${link}?${query}` : link;
}

/**
 * `value` with `insert` put in place of the selection [start, end), cut so the
 * result stays within `max` characters; returns the new text and caret. A
 * space separates an inserted word from text right before it.
 */
export function insertAt(
  value: string,
  start: number,
  end: number,
  insert: string,
  max: number,
  spaced = false,
): { text: string; caret: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const gap = spaced && before !== "" && !/\s$/.test(before) ? " " : "";
  const room = Math.max(0, max - before.length - after.length);
  // By code point: never cut an emoji or another astral character in half.
  let piece = "";
  for (const ch of gap + insert) {
    if (piece.length + ch.length > room) break;
    piece += ch;
  }
  return { text: before + piece + after, caret: before.length + piece.length };
}
