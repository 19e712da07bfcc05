/**
 * Sending a chosen file: its name, size and kind, a caption where WhatsApp
 * shows one, the upload's progress, and the server's refusal if any. The file
 * was already checked against Meta's limits before this panel opened.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes, type MediaKind, type UploadKind } from "../../../shared/media-limits.ts";
import { MAX_CAPTION_LENGTH, type SendContent } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { type UploadHandle, uploadFile } from "./api.ts";

interface AttachPanelProps {
  conversationId: string;
  file: Blob;
  filename: string;
  kind: MediaKind;
  /** Sent as this upload kind (a recorded voice note is `voice`). */
  uploadKind?: UploadKind;
  onSend: (content: SendContent, summary: string) => void;
  onDone: () => void;
}

const CAPTIONED: readonly MediaKind[] = ["image", "video", "document"];

export default function AttachPanel(props: AttachPanelProps) {
  const { t } = useI18n();
  const [caption, setCaption] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handle = useRef<UploadHandle | null>(null);
  const captionRef = useRef<HTMLInputElement>(null);
  const sendRef = useRef<HTMLButtonElement>(null);
  const captioned = CAPTIONED.includes(props.kind);

  useEffect(() => {
    (captionRef.current ?? sendRef.current)?.focus();
    return () => handle.current?.abort();
  }, []);

  async function send() {
    setError(null);
    setProgress(0);
    const upload = uploadFile(
      props.conversationId,
      props.file,
      props.filename,
      props.uploadKind ?? props.kind,
      setProgress,
    );
    handle.current = upload;
    try {
      const result = await upload.done;
      const text = caption.trim();
      const summary = text || `[${t(`compose.kind.${result.kind}`)}] ${result.filename}`;
      props.onSend(
        { type: "media", uploadId: result.id, ...(text ? { caption: text } : {}) },
        summary,
      );
      props.onDone();
    } catch (e) {
      setProgress(null);
      setError(errorMessage(e, t("app.networkError"), t("app.unexpectedError")));
    } finally {
      handle.current = null;
    }
  }

  const busy = progress !== null;
  return (
    <form
      class="compose-attach"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void send();
      }}
    >
      <p class="compose-file">
        <strong id="compose-file-name">{props.filename}</strong>{" "}
        <span class="compose-muted">
          {t(`compose.kind.${props.uploadKind ?? props.kind}`)} · {formatBytes(props.file.size)}
        </span>
      </p>
      {captioned && (
        <label class="compose-field">
          <span>{t("compose.attach.caption")}</span>
          <input
            id="compose-caption"
            ref={captionRef}
            type="text"
            maxLength={MAX_CAPTION_LENGTH}
            value={caption}
            disabled={busy}
            onInput={(e) => setCaption(e.currentTarget.value)}
          />
        </label>
      )}
      {busy && (
        <progress
          id="compose-upload-progress"
          max={1}
          value={progress}
          aria-label={t("compose.attach.uploading")}
        />
      )}
      {error && (
        <p id="compose-attach-error" class="compose-error" role="alert">
          {error}
        </p>
      )}
      <div class="compose-buttons">
        <button type="button" class="button" onClick={props.onDone}>
          {t("compose.cancel")}
        </button>
        <button
          id="compose-attach-send"
          ref={sendRef}
          type="submit"
          class="button button-primary"
          disabled={busy}
        >
          {busy ? t("compose.attach.uploading") : error ? t("app.retry") : t("compose.send")}
        </button>
      </div>
    </form>
  );
}
