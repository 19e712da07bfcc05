/**
 * The frame of the lifecycle dialogs: a native modal <dialog> (the page behind is inert,
 * Escape cancels), Tab wrapped inside it, focus on the first control on opening and back
 * on whatever opened it on closing. Mount to open, unmount to close.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface ModalProps {
  id: string;
  /** Ids of the title and description elements inside `children`. */
  titleId: string;
  descriptionId: string;
  /** While true, Escape does nothing (a request is on its way). */
  busy: boolean;
  onCancel: () => void;
  children: ComponentChildren;
}

const FOCUSABLE =
  "button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** A modal dialog wide enough for a table of colleagues. */
export function Modal({ id, titleId, descriptionId, busy, onCancel, children }: ModalProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  function trapTab(event: KeyboardEvent) {
    if (event.key !== "Tab" || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      tabStop,
    );
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

  return (
    <dialog
      id={id}
      ref={dialogRef}
      class="dialog dialog-wide"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={trapTab}
      onCancel={(e) => {
        // Escape: let the owner unmount it rather than the browser closing it behind its back.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      {children}
    </dialog>
  );
}

/** Whether Tab can land on `element`: of a radio group only the checked radio is a stop. */
function tabStop(element: HTMLElement): boolean {
  if (!(element instanceof HTMLInputElement) || element.type !== "radio" || element.checked) {
    return true;
  }
  const form = element.form ?? element.closest("dialog");
  const group = form?.querySelectorAll<HTMLInputElement>(
    `input[type=radio][name="${element.name}"]`,
  );
  return !Array.from(group ?? []).some((radio) => radio.checked);
}
