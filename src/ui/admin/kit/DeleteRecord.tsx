/**
 * The Delete button of a record page with its confirmation: on confirm it
 * deletes, says so in a toast and leaves for the list. A failure is shown in
 * the dialog, which stays open.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { useAdmin } from "./context.ts";
import { navigate } from "./router.tsx";

interface DeleteRecordProps {
  /** The button's id (tests and labels rely on it). */
  id: string;
  title: string;
  message: ComponentChildren;
  remove: () => Promise<void>;
  /** Where to go once deleted (the list). */
  backTo: string;
}

export function DeleteRecord({ id, title, message, remove, backTo }: DeleteRecordProps) {
  const { t } = useI18n();
  const { showToast } = useAdmin();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button
        type="button"
        class="button button-danger-outline"
        id={id}
        onClick={() => setConfirming(true)}
      >
        {t("admin.delete")}
      </button>
      {confirming && (
        <ConfirmDialog
          title={title}
          message={message}
          confirmLabel={t("admin.delete")}
          danger
          onConfirm={async () => {
            await remove();
            showToast(t("admin.deleted"));
            navigate(backTo, { replace: true });
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  );
}
