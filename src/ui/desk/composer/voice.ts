/**
 * Which format a voice note is recorded in. Meta takes Ogg/Opus (shown on the
 * phone as a voice message) and MP4 audio among what browsers record; WebM, the
 * only format of older Chromium, it refuses. Pure.
 */

/** Preferred first: Ogg/Opus (Firefox), then MP4 audio (Chromium ≥ 126, Safari). */
export const VOICE_RECORDING_TYPES = ["audio/ogg;codecs=opus", "audio/mp4"] as const;

/** The first recording type the browser supports, or null when none Meta accepts is available. */
export function pickVoiceMime(isTypeSupported: (type: string) => boolean): string | null {
  return VOICE_RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** The file name a recording is uploaded with, by its recorded type. */
export function voiceFilename(mime: string, at: Date): string {
  const ext = mime.startsWith("audio/ogg") ? "ogg" : "m4a";
  const stamp = at.toISOString().slice(0, 19).replace(/[-:T]/g, "");
  return `voice-${stamp}.${ext}`;
}
