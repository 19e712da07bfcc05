/**
 * The composer's toolbar: emoji, attach a file, record a voice note, send a
 * predefined location or message, insert a video-call link, dictate. Each
 * panel opens in a popover above the composer (Esc closes it and focus goes
 * back to its button) and loads its code on first use.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  acceptAttribute,
  checkMedia,
  formatBytes,
  type MediaKind,
  type MediaProblem,
} from "../../../shared/media-limits.ts";
import type { SendContent } from "../../../shared/protocol.ts";
import { lazyPanel } from "../../components/lazy.tsx";
import { useI18n } from "../../i18n.ts";
import { deskMeeting } from "./api.ts";
import { useDictation } from "./dictation.ts";
import { Icon } from "./icons.tsx";
import { meetingLink, newRoomName } from "./pickers.ts";

const EmojiPicker = lazyPanel(() => import("./EmojiPicker.tsx"));
const AttachPanel = lazyPanel(() => import("./AttachPanel.tsx"));
const VoiceRecorder = lazyPanel(() => import("./VoiceRecorder.tsx"));
const LocationPicker = lazyPanel(() => import("./LocationPicker.tsx"));
const PredefinedPicker = lazyPanel(() => import("./PredefinedPicker.tsx"));

const ALL_KINDS: readonly MediaKind[] = ["image", "audio", "video", "document", "sticker"];

type Panel =
  | { kind: "emoji" | "voice" | "location" | "predefined" }
  | { kind: "attach"; file: File; mediaKind: MediaKind }
  | { kind: "refused"; message: string };

interface ComposerToolsProps {
  conversationId: string;
  /** False outside the 24-hour window: nothing can be sent, the tools are disabled. */
  enabled: boolean;
  /** Puts text in the composer at the caret (`spaced`: separated from a word before it). */
  insert: (text: string, spaced?: boolean) => void;
  onSendContent: (content: SendContent, summary: string) => void;
}

export function ComposerTools({
  conversationId,
  enabled,
  insert,
  onSendContent,
}: ComposerToolsProps) {
  const { t, language } = useI18n();
  const [panel, setPanel] = useState<Panel | null>(null);
  const [meetingUrl, setMeetingUrl] = useState("");
  const opener = useRef<HTMLButtonElement | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const dictation = useDictation(language, (text) => insert(text, true));

  useEffect(() => {
    let live = true;
    deskMeeting().then(
      (m) => live && setMeetingUrl(m.meetingUrl),
      () => live && setMeetingUrl(""),
    );
    return () => {
      live = false;
    };
  }, []);

  function open(next: Panel, button: EventTarget | null) {
    opener.current = button instanceof HTMLButtonElement ? button : null;
    setPanel(next);
  }

  function close() {
    setPanel(null);
    // After the popover unmounts, so focus lands on a button that is still there.
    queueMicrotask(() => opener.current?.focus());
  }

  async function chooseFile(file: File) {
    const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
    const checked = checkMedia({
      type: file.type,
      name: file.name,
      size: file.size,
      head,
    });
    if (checked.ok) setPanel({ kind: "attach", file, mediaKind: checked.value.kind });
    else setPanel({ kind: "refused", message: problemText(checked.problem) });
  }

  function problemText(problem: MediaProblem): string {
    switch (problem.code) {
      case "unsupported_type":
        return t("compose.attach.unsupported", { type: problem.mime || "?" });
      case "too_large":
        return t("compose.attach.tooLarge", {
          kind: t(`compose.kind.${problem.kind}`),
          max: formatBytes(problem.maxBytes),
        });
      case "content_mismatch":
        return t("compose.attach.mismatch", { type: problem.mime });
      case "empty":
        return t("compose.attach.empty");
    }
  }

  const tool = (
    id: string,
    label: string,
    icon: Parameters<typeof Icon>[0]["name"],
    onClick: (e: MouseEvent) => void,
    pressed?: boolean,
  ) => (
    <button
      id={id}
      type="button"
      class={pressed ? "compose-tool is-active" : "compose-tool"}
      title={label}
      aria-label={label}
      aria-pressed={pressed}
      disabled={!enabled}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );

  const sendAndClose = (content: SendContent, summary: string) => onSendContent(content, summary);

  return (
    <div class="compose-tools" role="toolbar" aria-label={t("compose.tools")}>
      {tool("compose-emoji", t("compose.emoji.open"), "emoji", (e) =>
        open({ kind: "emoji" }, e.currentTarget),
      )}
      {tool("compose-attach", t("compose.attach.open"), "attach", (e) => {
        opener.current = e.currentTarget as HTMLButtonElement;
        fileInput.current?.click();
      })}
      <input
        ref={fileInput}
        id="compose-file"
        type="file"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept={acceptAttribute(ALL_KINDS)}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (file) void chooseFile(file);
        }}
      />
      {tool("compose-voice", t("compose.voice.open"), "voice", (e) =>
        open({ kind: "voice" }, e.currentTarget),
      )}
      {tool("compose-location", t("compose.location.open"), "location", (e) =>
        open({ kind: "location" }, e.currentTarget),
      )}
      {tool("compose-predefined", t("compose.predefined.open"), "predefined", (e) =>
        open({ kind: "predefined" }, e.currentTarget),
      )}
      {meetingUrl &&
        tool("compose-meeting", t("compose.meeting.insert"), "meeting", () =>
          insert(meetingLink(meetingUrl, newRoomName()), true),
        )}
      {dictation.supported &&
        tool(
          "compose-dictation",
          dictation.listening ? t("compose.dictation.stop") : t("compose.dictation.start"),
          "dictation",
          dictation.toggle,
          dictation.listening,
        )}
      {(dictation.listening || dictation.error) && (
        <span id="compose-dictation-status" class="compose-muted" role="status">
          {dictation.error
            ? t(
                dictation.error === "not-allowed"
                  ? "compose.dictation.denied"
                  : "compose.dictation.failed",
              )
            : dictation.interim || t("compose.dictation.listening")}
        </span>
      )}

      {panel && (
        <Popover title={titleOf(panel)} onClose={close}>
          {panel.kind === "emoji" && (
            <EmojiPicker
              onPick={(emoji: string) => {
                insert(emoji);
                setPanel(null);
              }}
            />
          )}
          {panel.kind === "attach" && (
            <AttachPanel
              conversationId={conversationId}
              file={panel.file}
              filename={panel.file.name}
              kind={panel.mediaKind}
              onSend={sendAndClose}
              onDone={close}
            />
          )}
          {panel.kind === "refused" && (
            <p id="compose-attach-refused" class="compose-error" role="alert">
              {panel.message}
            </p>
          )}
          {panel.kind === "voice" && (
            <VoiceRecorder conversationId={conversationId} onSend={sendAndClose} onDone={close} />
          )}
          {panel.kind === "location" && <LocationPicker onSend={sendAndClose} onDone={close} />}
          {panel.kind === "predefined" && (
            <PredefinedPicker
              onInsert={(text: string) => insert(text, true)}
              onSend={sendAndClose}
              onDone={close}
            />
          )}
        </Popover>
      )}
    </div>
  );

  function titleOf(p: Panel): string {
    switch (p.kind) {
      case "emoji":
        return t("compose.emoji.open");
      case "attach":
      case "refused":
        return t("compose.attach.open");
      case "voice":
        return t("compose.voice.open");
      case "location":
        return t("compose.location.open");
      case "predefined":
        return t("compose.predefined.open");
    }
  }
}

/** A non-modal dialog above the composer: labelled, Esc closes, a Close button too. */
function Popover({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Panels focus their own first field; otherwise the popover itself takes focus.
    const el = ref.current;
    if (el && !el.contains(document.activeElement)) el.focus();
  }, []);
  return (
    <div
      ref={ref}
      id="compose-popover"
      class="compose-popover"
      role="dialog"
      aria-labelledby="compose-popover-title"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header class="compose-popover-header">
        <h2 id="compose-popover-title">{title}</h2>
        <button
          type="button"
          class="compose-close"
          aria-label={t("compose.close")}
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <div class="compose-popover-body">{children}</div>
    </div>
  );
}
