/**
 * Which format a voice note is recorded in. WhatsApp plays Ogg/Opus as a voice
 * message. Firefox records it directly; Chromium records WebM/Opus, which
 * Meta refuses, so it is rewrapped as Ogg (webm-to-ogg.ts, same Opus packets);
 * Safari records MP4 audio, which Meta takes as an audio file. Pure.
 */

/** Preferred first: Ogg/Opus as is, WebM/Opus to rewrap as Ogg, then MP4 audio. */
export const VOICE_RECORDING_TYPES = [
  "audio/ogg;codecs=opus",
  "audio/webm;codecs=opus",
  "audio/mp4",
] as const;

/** The first recording type the browser supports, or null when none is available. */
export function pickVoiceMime(isTypeSupported: (type: string) => boolean): string | null {
  return VOICE_RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** Whether a recording of this type must be rewrapped as Ogg before it is sent. */
export function needsOggRewrap(mime: string): boolean {
  return mime.toLowerCase().startsWith("audio/webm");
}

/** The file name a recording is uploaded with, by its (final) type. */
export function voiceFilename(mime: string, at: Date): string {
  const ext = mime.startsWith("audio/ogg") ? "ogg" : "m4a";
  const stamp = at.toISOString().slice(0, 19).replace(/[-:T]/g, "");
  return `voice-${stamp}.${ext}`;
}
