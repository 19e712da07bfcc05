/**
 * A short two-tone beep made with WebAudio, so no sound file ships with the desk.
 * Browsers start audio only after a user gesture: `unlockSound` is called from the
 * click that turns sound on, and later beeps reuse that context.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  if (typeof AudioContext === "undefined") return null;
  context = new AudioContext();
  return context;
}

/** Creates (or resumes) the audio context; call from a click or key press. */
export function unlockSound(): void {
  void audio()
    ?.resume()
    .catch(() => undefined);
}

/** Plays about 0.3 s of beep; silent when the browser has no WebAudio or refuses to play. */
export function beep(): void {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
  const start = ctx.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.16, 1175],
  ] as const) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    // A quick fade in and out: a click-free blip rather than a harsh square edge.
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.15);
  }
}
