/**
 * "Are you sure?" for destructive or weighty actions. A native modal <dialog>: the page
 * behind is inert, focus starts on Cancel (the safe choice), Tab is wrapped inside,
 * Escape cancels, and focus returns to whatever opened it. Mount to open, unmount to close.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";

const FOCUSABLE =
  "a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** Keeps Tab and Shift+Tab inside `container`. Use as a keydown handler. */
export function trapTab(container: HTMLElement | null, event: KeyboardEvent): void {
  if (event.key !== "Tab" || !container) return;
  const focusable = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

interface ConfirmDialogProps {
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  /** Red confirm button for destructive actions. */
  danger?: boolean;
  /** Keeps the confirm button disabled, e.g. until an acknowledgement is ticked. */
  confirmDisabled?: boolean;
  /** An extra class on the dialog, for its own styles. */
  class?: string;
  /** Does the action; a rejection is shown inside the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger = false,
  confirmDisabled = false,
  class: extraClass,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useI18n();
  const id = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(errorMessage(failure, t("app.networkError"), t("app.unexpectedError")));
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialogRef}
      class={`dialog confirm-dialog${extraClass ? ` ${extraClass}` : ""}`}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-message`}
      onKeyDown={(e) => trapTab(dialogRef.current, e)}
      onCancel={(e) => {
        // Escape: we unmount it ourselves rather than letting the browser close it.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-message`} class="dialog-message">
        {message}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button ref={cancelRef} type="button" class="button" onClick={onCancel} disabled={busy}>
          {t("admin.cancel")}
        </button>
        <button
          type="button"
          class={`button ${danger ? "button-danger" : "button-primary"} confirm-ok`}
          disabled={busy || confirmDisabled}
          aria-busy={busy}
          onClick={() => void confirm()}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
