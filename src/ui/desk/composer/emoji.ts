/**
 * The emoji picker's small built-in set (common emoji by category, no download)
 * and its keyboard navigation over a grid. Pure.
 */

/** A category of the picker; `id` names its label in the dictionary (`compose.emoji.<id>`). */
export interface EmojiCategory {
  id: "smileys" | "gestures" | "hearts" | "objects" | "symbols";
  emoji: readonly string[];
}

/** What agents reach for in customer service, by category. */
export const EMOJI: readonly EmojiCategory[] = [
  {
    id: "smileys",
    emoji: [
      "😀",
      "😃",
      "😄",
      "😁",
      "😊",
      "🙂",
      "😉",
      "😍",
      "😘",
      "😎",
      "🤔",
      "😅",
      "😂",
      "🙃",
      "😇",
      "🤗",
      "😌",
      "😔",
      "😢",
      "😮",
      "😴",
      "🙁",
      "😬",
      "🥳",
    ],
  },
  {
    id: "gestures",
    emoji: [
      "👍",
      "👎",
      "👌",
      "🙏",
      "👏",
      "🙌",
      "👋",
      "🤝",
      "✌️",
      "🤞",
      "💪",
      "👉",
      "👈",
      "☝️",
      "✋",
      "🫶",
    ],
  },
  {
    id: "hearts",
    emoji: [
      "❤️",
      "🧡",
      "💛",
      "💚",
      "💙",
      "💜",
      "🤍",
      "💯",
      "✨",
      "⭐",
      "🌟",
      "🔥",
      "🎉",
      "🎁",
      "🌸",
      "☀️",
    ],
  },
  {
    id: "objects",
    emoji: [
      "📞",
      "📱",
      "💻",
      "📧",
      "📦",
      "🚚",
      "🧾",
      "💳",
      "🛒",
      "📅",
      "⏰",
      "📍",
      "🔑",
      "📎",
      "📝",
      "📷",
    ],
  },
  {
    id: "symbols",
    emoji: [
      "✅",
      "❌",
      "⚠️",
      "❓",
      "❗",
      "ℹ️",
      "➡️",
      "⬅️",
      "🔄",
      "⏳",
      "🆗",
      "🆕",
      "🔔",
      "🔒",
      "💬",
      "👀",
    ],
  },
];

/**
 * Where the focus goes in a grid of `count` cells, `columns` wide, on `key`:
 * arrows move (left/right wrap across rows), Home/End go to the row's ends,
 * PageUp/PageDown to the first/last cell. Null for keys the grid ignores.
 */
export function moveInGrid(
  index: number,
  key: string,
  columns: number,
  count: number,
): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const rowStart = index - (index % columns);
  switch (key) {
    case "ArrowRight":
      return Math.min(index + 1, last);
    case "ArrowLeft":
      return Math.max(index - 1, 0);
    case "ArrowDown":
      return index + columns <= last ? index + columns : index;
    case "ArrowUp":
      return index - columns >= 0 ? index - columns : index;
    case "Home":
      return rowStart;
    case "End":
      return Math.min(rowStart + columns - 1, last);
    case "PageUp":
      return 0;
    case "PageDown":
      return last;
    default:
      return null;
  }
}
