/**
 * The end of a lifecycle dialog's form: its error line (announced), Cancel, and
 * the submit button that shows a spinner and its busy label while the request runs.
 */
import { useI18n } from "../i18n.ts";

export function DialogFooter({
  prefix,
  error,
  busy,
  submitLabel,
  busyLabel,
  onCancel,
}: {
  /** Ids are `<prefix>-error` and `<prefix>-submit`. */
  prefix: string;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <p id={`${prefix}-error`} class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel} disabled={busy}>
          {t("transfer.cancel")}
        </button>
        <button
          id={`${prefix}-submit`}
          type="submit"
          class="button button-primary"
          disabled={busy}
          aria-busy={busy}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
