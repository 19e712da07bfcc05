/**
 * A modal dialog around a form (a customer property, for one): the page behind is inert,
 * focus starts on the first field, Tab stays inside, Escape closes, and focus returns to
 * whatever opened it. Mount to open, unmount to close.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { trapTab } from "../kit/ConfirmDialog.tsx";

interface FormDialogProps {
  title: string;
  /** Escape, the close button, or the caller's Cancel. */
  onClose: () => void;
  /** While saving, Escape does nothing (the request is under way). */
  busy?: boolean;
  children: ComponentChildren;
}

export function FormDialog({ title, onClose, busy = false, children }: FormDialogProps) {
  const { t } = useI18n();
  const id = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    dialog
      ?.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), select, textarea")
      ?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialogRef}
      class="dialog form-dialog"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => trapTab(dialogRef.current, e)}
      onCancel={(e) => {
        // Escape: the caller unmounts us, rather than the browser closing it behind our back.
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <div class="form-dialog-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button
          type="button"
          class="icon-button"
          aria-label={t("dialog.close")}
          disabled={busy}
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
