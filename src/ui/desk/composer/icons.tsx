/**
 * The toolbar's icons as inline SVG (stroke drawings on a 24-unit grid): they
 * render the same everywhere, unlike emoji that depend on the system's fonts.
 */

const PATHS = {
  emoji: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm-3.5-7.5a4 4 0 0 0 7 0M9 9.5h.01M15 9.5h.01",
  attach:
    "m21 11.5-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9",
  voice: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3Zm-7 9a7 7 0 0 0 14 0M12 19v3",
  location:
    "M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21Zm0-9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z",
  predefined: "M4 5h16v11H9l-5 4V5Zm4 4h8M8 12h5",
  meeting: "M3 7h12v10H3zM15 10.5l6-3.5v10l-6-3.5",
  dictation: "M4 12h2M8 8v8M12 5v14M16 8v8M20 11v2",
} as const;

/** One toolbar icon; decorative (its button carries the label). */
export function Icon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg
      class="compose-icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
