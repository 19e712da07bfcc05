/**
 * "Apply this import?" — a native modal dialog like the kit's ConfirmDialog (focus starts
 * on Cancel, Tab stays inside, Escape cancels, focus returns to the opener). In
 * Insert/Update/Delete mode it repeats the warning and Apply stays disabled until the
 * person ticks that they understand customers will be deleted.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ImportView } from "../../../shared/customer-import.ts";
import { trapTab } from "../../admin/kit/ConfirmDialog.tsx";
import { errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";

interface ApplyDialogProps {
  view: ImportView;
  /** Applies; a rejection is shown inside the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

export function ApplyDialog({ view, onConfirm, onCancel }: ApplyDialogProps) {
  const { t, language } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const replace = view.mode === "replace";
  const n = (value: number) => new Intl.NumberFormat(language).format(value);

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
      class="dialog confirm-dialog import-apply-dialog"
      aria-labelledby="import-apply-title"
      aria-describedby="import-apply-message"
      onKeyDown={(e) => trapTab(dialogRef.current, e)}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="import-apply-title">{t("import.applyTitle")}</h2>
      <div id="import-apply-message" class="dialog-message">
        <p>
          {t("import.applyMessage", {
            inserts: n(view.inserts),
            updates: n(view.updates),
            deletes: n(view.deletes),
          })}
        </p>
        {replace && (
          <>
            <p class="import-replace-warning">{t("import.replaceWarning")}</p>
            <label class="radio">
              <input
                id="import-replace-ack"
                type="checkbox"
                checked={acknowledged}
                disabled={busy}
                onChange={(e) => setAcknowledged(e.currentTarget.checked)}
              />
              {t("import.replaceAck", { deletes: n(view.deletes) })}
            </label>
          </>
        )}
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
          class={`button ${replace ? "button-danger" : "button-primary"} confirm-ok`}
          disabled={busy || (replace && !acknowledged)}
          aria-busy={busy}
          onClick={() => void confirm()}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {t("import.apply")}
        </button>
      </div>
    </dialog>
  );
}
