/**
 * The arithmetic of the dashboard's hand-drawn SVG charts: bar lengths, pie slices and
 * line points. Pure; unit-tested.
 */

/** A round "nice" top for an axis holding `max` (at least 1): 1, 2, 5, 10, 20, 50… */
export function niceMax(max: number): number {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (max <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

/** One slice of a pie: its SVG path (a full circle when it is the only slice) and share. */
export interface Slice {
  key: string;
  value: number;
  /** 0–100, rounded to a whole number for reading aloud. */
  percent: number;
  path: string;
}

const point = (cx: number, cy: number, r: number, turn: number) => {
  const angle = turn * 2 * Math.PI - Math.PI / 2;
  return `${(cx + r * Math.cos(angle)).toFixed(3)} ${(cy + r * Math.sin(angle)).toFixed(3)}`;
};

/**
 * The slices of a pie of radius `r` centred at (`cx`, `cy`), clockwise from twelve
 * o'clock, for the non-zero values; empty when they sum to zero.
 */
export function pieSlices(
  values: readonly { key: string; value: number }[],
  cx: number,
  cy: number,
  r: number,
): Slice[] {
  const total = values.reduce((sum, v) => sum + Math.max(0, v.value), 0);
  if (total === 0) return [];
  const shown = values.filter((v) => v.value > 0);
  let start = 0;
  return shown.map(({ key, value }) => {
    const share = value / total;
    const percent = Math.round(share * 100);
    if (shown.length === 1) {
      // An arc cannot start and end at the same point: two half circles make the disc.
      const top = point(cx, cy, r, 0);
      const bottom = point(cx, cy, r, 0.5);
      return {
        key,
        value,
        percent,
        path: `M ${top} A ${r} ${r} 0 1 1 ${bottom} A ${r} ${r} 0 1 1 ${top} Z`,
      };
    }
    const end = start + share;
    const large = share > 0.5 ? 1 : 0;
    const path = `M ${cx} ${cy} L ${point(cx, cy, r, start)} A ${r} ${r} 0 ${large} 1 ${point(cx, cy, r, end)} Z`;
    start = end;
    return { key, value, percent, path };
  });
}

/**
 * The points of a line over `values` inside a `width` × `height` box (y grows downwards),
 * the first value at x = 0 and the last at x = width, `max` at the top.
 */
export function linePoints(
  values: readonly number[],
  width: number,
  height: number,
  max: number,
): { x: number; y: number }[] {
  const top = Math.max(1, max);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => ({
    x: Number((i * step).toFixed(3)),
    y: Number((height - (Math.max(0, v) / top) * height).toFixed(3)),
  }));
}
