/**
 * "Apply this import?" — the kit's ConfirmDialog with the preview's counts. In
 * Insert/Update/Delete mode it repeats the warning and Apply stays disabled until the
 * person ticks that they understand customers will be deleted.
 */
import { useState } from "preact/hooks";
import type { ImportView } from "../../../shared/customer-import.ts";
import { ConfirmDialog } from "../../admin/kit/ConfirmDialog.tsx";
import { useI18n } from "../../i18n.ts";

interface ApplyDialogProps {
  view: ImportView;
  /** Applies; a rejection is shown inside the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

export function ApplyDialog({ view, onConfirm, onCancel }: ApplyDialogProps) {
  const { t, language } = useI18n();
  const [acknowledged, setAcknowledged] = useState(false);
  const replace = view.mode === "replace";
  const n = (value: number) => new Intl.NumberFormat(language).format(value);

  return (
    <ConfirmDialog
      class="import-apply-dialog"
      title={t("import.applyTitle")}
      confirmLabel={t("import.apply")}
      danger={replace}
      confirmDisabled={replace && !acknowledged}
      onConfirm={onConfirm}
      onCancel={onCancel}
      message={
        <>
          <p>
            {t("import.applyMessage", {
              inserts: n(view.inserts),
              updates: n(view.updates),
              unchanged: n(view.unchanged),
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
                  onChange={(e) => setAcknowledged(e.currentTarget.checked)}
                />
                {t("import.replaceAck", { deletes: n(view.deletes) })}
              </label>
            </>
          )}
        </>
      }
    />
  );
}
