/**
 * The header's notification settings (`#desk-settings`): a small popover with two
 * checkboxes, browser notifications (`#notify-browser`) and sound (`#notify-sound`),
 * stored per agent. The browser's permission is asked only from the click that turns
 * notifications on; a refusal is explained next to the box. Escape or leaving the
 * popover closes it, and Escape puts focus back on the button.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useSession } from "../../admin/kit/context.ts";
import { useI18n } from "../../i18n.ts";
import { beep, unlockSound } from "./beep.ts";
import { useNotifySettings, writeNotifySettings } from "./settings.ts";

type Problem = "denied" | "unsupported" | null;

export function NotifySettingsButton() {
  const { t } = useI18n();
  const agentId = useSession()?.id ?? null;
  const settings = useNotifySettings(agentId);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = boxRef.current;
    if (!open || !box) return;
    // Escape or focus leaving the popover folds it; Escape also returns focus to its button.
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget instanceof Node && !box.contains(e.relatedTarget)) setOpen(false);
    };
    box.addEventListener("keydown", onKeyDown);
    box.addEventListener("focusout", onFocusOut);
    return () => {
      box.removeEventListener("keydown", onKeyDown);
      box.removeEventListener("focusout", onFocusOut);
    };
  }, [open]);
  if (!agentId) return null;
  const id = agentId;
  // A permission revoked in the browser's settings turns the box off in effect.
  const browserOn = settings.browser && permission() === "granted";

  async function toggleBrowser(box: HTMLInputElement) {
    const on = box.checked;
    setProblem(null);
    if (!on) {
      writeNotifySettings(id, { browser: false });
      return;
    }
    if (typeof Notification === "undefined") {
      box.checked = false;
      setProblem("unsupported");
      return;
    }
    const answer =
      Notification.permission === "default"
        ? await Notification.requestPermission()
        : Notification.permission;
    if (answer === "granted") {
      writeNotifySettings(id, { browser: true });
    } else {
      box.checked = false;
      setProblem("denied");
    }
  }

  function toggleSound(on: boolean) {
    writeNotifySettings(id, { sound: on });
    if (on) {
      // This click is the gesture browsers want before any sound; play one to show it.
      unlockSound();
      beep();
    }
  }

  return (
    <div class="desk-settings" ref={boxRef}>
      <button
        id="desk-settings"
        ref={buttonRef}
        type="button"
        class="button"
        aria-expanded={open}
        aria-controls="desk-settings-panel"
        title={t("notify.settingsTitle")}
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon />
        <span class="chrome-label">{t("notify.settings")}</span>
      </button>
      <fieldset id="desk-settings-panel" class="desk-settings-panel" hidden={!open}>
        <legend>{t("notify.settingsTitle")}</legend>
        <label class="notify-option">
          <input
            id="notify-browser"
            type="checkbox"
            checked={browserOn}
            aria-describedby="notify-browser-hint"
            onChange={(e) => void toggleBrowser(e.currentTarget)}
          />
          {t("notify.browser")}
        </label>
        <p
          id="notify-browser-hint"
          class={problem ? "notify-problem" : "notify-hint"}
          role="status"
        >
          {problem === "denied"
            ? t("notify.denied")
            : problem === "unsupported"
              ? t("notify.unsupported")
              : t("notify.hint")}
        </p>
        <label class="notify-option">
          <input
            id="notify-sound"
            type="checkbox"
            checked={settings.sound}
            onChange={(e) => toggleSound(e.currentTarget.checked)}
          />
          {t("notify.sound")}
        </label>
      </fieldset>
    </div>
  );
}

function permission(): NotificationPermission | "unsupported" {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** A small bell drawn inline (emoji fonts are not everywhere). */
function BellIcon() {
  return (
    <svg class="chrome-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
      />
    </svg>
  );
}
