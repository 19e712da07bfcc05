/**
 * Records a voice note with the browser's microphone (MediaRecorder) in a
 * format Meta accepts, shows its duration, lets the agent listen, then hands it
 * to the attach panel to upload and send as a voice message. Permission denied
 * and unsupported browsers get a clear message instead.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { SendContent } from "../../../shared/protocol.ts";
import { formatClock, useI18n } from "../../i18n.ts";
import AttachPanel from "./AttachPanel.tsx";
import { needsOggRewrap, pickVoiceMime, voiceFilename } from "./voice.ts";
import { webmToOgg } from "./webm-to-ogg.ts";

interface VoiceRecorderProps {
  conversationId: string;
  onSend: (content: SendContent, summary: string) => void;
  onDone: () => void;
}

type Phase =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "recording"; since: number }
  | { kind: "recorded"; blob: Blob; url: string; durationMs: number }
  | { kind: "failed"; message: string };

/** Longest voice note: well under Meta's 16 MB at recorder bitrates. */
const MAX_RECORDING_MS = 5 * 60 * 1000;

export default function VoiceRecorder({ conversationId, onSend, onDone }: VoiceRecorderProps) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [now, setNow] = useState(Date.now());
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const discard = useRef(false);
  const startRef = useRef<HTMLButtonElement>(null);
  const mime =
    typeof MediaRecorder === "undefined"
      ? null
      : pickVoiceMime((t) => MediaRecorder.isTypeSupported(t));

  useEffect(() => {
    startRef.current?.focus();
    return () => {
      discard.current = true;
      if (recorder.current?.state === "recording") recorder.current.stop();
      for (const track of stream.current?.getTracks() ?? []) track.stop();
    };
  }, []);

  useEffect(() => {
    if (phase.kind !== "recording") return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() - phase.since >= MAX_RECORDING_MS) recorder.current?.stop();
    }, 250);
    return () => clearInterval(timer);
  }, [phase]);

  useEffect(() => {
    if (phase.kind !== "recorded") return;
    return () => URL.revokeObjectURL(phase.url);
  }, [phase]);

  async function start() {
    if (!mime || !navigator.mediaDevices?.getUserMedia) {
      setPhase({ kind: "failed", message: t("compose.voice.unsupported") });
      return;
    }
    setPhase({ kind: "starting" });
    discard.current = false;
    try {
      // Mono: WhatsApp's voice messages are.
      stream.current = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    } catch (e) {
      const denied = e instanceof DOMException && e.name === "NotAllowedError";
      setPhase({
        kind: "failed",
        message: t(denied ? "compose.voice.denied" : "compose.voice.noMicrophone"),
      });
      return;
    }
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(stream.current, { mimeType: mime });
    recorder.current = rec;
    const since = Date.now();
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = async () => {
      for (const track of stream.current?.getTracks() ?? []) track.stop();
      if (discard.current) return;
      let blob = new Blob(chunks, { type: rec.mimeType || mime });
      if (needsOggRewrap(blob.type)) {
        try {
          const ogg = webmToOgg(new Uint8Array(await blob.arrayBuffer()));
          blob = new Blob([ogg], { type: "audio/ogg" });
        } catch (error) {
          console.error("voice note rewrap failed", error);
          setPhase({ kind: "failed", message: t("compose.voice.unsupported") });
          return;
        }
      }
      if (discard.current) return;
      setPhase({
        kind: "recorded",
        blob,
        url: URL.createObjectURL(blob),
        durationMs: Date.now() - since,
      });
    };
    rec.start(250);
    setNow(since);
    setPhase({ kind: "recording", since });
  }

  function stop(keep: boolean) {
    discard.current = !keep;
    recorder.current?.stop();
    if (!keep) setPhase({ kind: "idle" });
  }

  if (phase.kind === "recorded") {
    return (
      <div class="compose-voice">
        {/* biome-ignore lint/a11y/useMediaCaption: the agent's own recording, heard before sending */}
        <audio id="compose-voice-preview" controls src={phase.url} />
        <AttachPanel
          conversationId={conversationId}
          file={phase.blob}
          filename={voiceFilename(phase.blob.type, new Date())}
          kind="audio"
          uploadKind="voice"
          onSend={onSend}
          onDone={onDone}
        />
      </div>
    );
  }
  return (
    <div class="compose-voice">
      {phase.kind === "recording" ? (
        <>
          <p class="compose-recording" role="status">
            <span class="compose-rec-dot" aria-hidden="true" />
            {t("compose.voice.recording")}{" "}
            <span id="compose-voice-duration">{formatClock(now - phase.since)}</span>
          </p>
          <div class="compose-buttons">
            <button
              id="compose-voice-cancel"
              type="button"
              class="button"
              onClick={() => stop(false)}
            >
              {t("compose.cancel")}
            </button>
            <button
              id="compose-voice-stop"
              type="button"
              class="button button-primary"
              onClick={() => stop(true)}
            >
              {t("compose.voice.stop")}
            </button>
          </div>
        </>
      ) : (
        <>
          {phase.kind === "failed" && (
            <p id="compose-voice-error" class="compose-error" role="alert">
              {phase.message}
            </p>
          )}
          <p class="compose-hint">{t("compose.voice.hint")}</p>
          <div class="compose-buttons">
            <button type="button" class="button" onClick={onDone}>
              {t("compose.cancel")}
            </button>
            <button
              id="compose-voice-start"
              ref={startRef}
              type="button"
              class="button button-primary"
              disabled={phase.kind === "starting"}
              onClick={() => void start()}
            >
              {t("compose.voice.start")}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
