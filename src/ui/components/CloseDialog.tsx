/**
 * Asks for the closing reason and optional notes (kept in the customer's history). A native modal <dialog>: the page behind is inert and
 * Escape cancels; Tab is additionally wrapped so focus never leaves for the browser chrome.
 * Focus returns to whatever opened it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { CloseBody } from "../../shared/protocol.ts";
import { errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";

/** Max length of a closing reason, as the server validates it. */
const MAX_REASON_LENGTH = CloseBody.shape.reason.unwrap().maxLength ?? 500;
/** Max length of the closing notes, as the server validates them. */
const MAX_NOTES_LENGTH = CloseBody.shape.notes.unwrap().maxLength ?? 2000;

interface CloseDialogProps {
  customerName: string;
  /** Closes the conversation (notes undefined when left empty); rejects with the error to show. */
  onConfirm: (reason: string, notes: string | undefined) => Promise<void>;
  onCancel: () => void;
}

/** Mount to open, unmount to close. */
export function CloseDialog({ customerName, onConfirm, onCancel }: CloseDialogProps) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    reasonRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) {
      setError(t("close.required"));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(trimmed, notes.trim() || undefined);
    } catch (failure) {
      setError(
        t("close.failed", {
          message: errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
        }),
      );
      setBusy(false);
    }
  }

  function trapTab(event: KeyboardEvent) {
    if (event.key !== "Tab" || !dialogRef.current) return;
    const focusable = Array.from(
      dialogRef.current.querySelectorAll<HTMLElement>(
        "button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])",
      ),
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
      ref={dialogRef}
      class="dialog"
      aria-labelledby="close-title"
      aria-describedby="close-description"
      onKeyDown={trapTab}
      onCancel={(e) => {
        // Escape: let us unmount it rather than the browser closing it behind our back.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="close-title">{t("close.title")}</h2>
        <p id="close-description">{t("close.description", { name: customerName })}</p>
        <div class="field">
          <label for="close-reason">{t("close.reason")}</label>
          <textarea
            id="close-reason"
            ref={reasonRef}
            rows={3}
            required
            maxLength={MAX_REASON_LENGTH}
            value={reason}
            aria-invalid={error !== null}
            aria-describedby="close-reason-help close-reason-error"
            onInput={(e) => {
              setReason(e.currentTarget.value);
              if (error) setError(null);
            }}
          />
          <p id="close-reason-help" class="field-help">
            {t("close.reasonHelp", { max: MAX_REASON_LENGTH })}{" "}
            <span class="char-count">
              {t("composer.count", { n: reason.length, max: MAX_REASON_LENGTH })}
            </span>
          </p>
          <p id="close-reason-error" class="form-error" role="alert">
            {error}
          </p>
        </div>
        <div class="field">
          <label for="close-notes">
            {t("close.notes")} <span class="muted">({t("close.optional")})</span>
          </label>
          <textarea
            id="close-notes"
            name="notes"
            rows={3}
            maxLength={MAX_NOTES_LENGTH}
            value={notes}
            aria-describedby="close-notes-help"
            onInput={(e) => setNotes(e.currentTarget.value)}
          />
          <p id="close-notes-help" class="field-help">
            {t("close.notesHelp")}{" "}
            <span class="char-count">
              {t("composer.count", { n: notes.length, max: MAX_NOTES_LENGTH })}
            </span>
          </p>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            {t("close.cancel")}
          </button>
          <button
            id="close-confirm"
            type="submit"
            class="button button-danger"
            disabled={busy}
            aria-busy={busy}
          >
            {busy && <span class="spinner spinner-small" aria-hidden="true" />}
            {busy ? t("close.closing") : t("close.confirm")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
