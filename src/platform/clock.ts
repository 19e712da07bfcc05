/**
 * The actors' clock. Every deadline (timers, offers, windows) is computed from
 * `now()`, so tests move time forward with `advanceClock` instead of sleeping.
 * In production the skew is always 0.
 */
let skewMs = 0;

/** Milliseconds since the epoch, as the actors see it. */
export function now(): number {
  return Date.now() + skewMs;
}

/** Tests only: moves the actors' clock forward (or back) by `ms`. */
export function advanceClock(ms: number): void {
  skewMs += ms;
}

/** Tests only: back to the real time. */
export function resetClock(): void {
  skewMs = 0;
}
