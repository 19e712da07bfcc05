/**
 * The shortcuts help (`#shortcuts-dialog`), opened with `?` outside text fields or from
 * the header: every shortcut of the registry with its keys, in the user's language.
 * Escape or Close shuts it and focus goes back where it was.
 */
import { useI18n } from "../../i18n.ts";
import { Modal } from "../../lifecycle/Modal.tsx";
import { SHORTCUTS } from "./registry.ts";

/** Mount to open, unmount to close. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      id="shortcuts-dialog"
      titleId="shortcuts-title"
      descriptionId="shortcuts-intro"
      busy={false}
      onCancel={onClose}
    >
      <div class="shortcuts-help">
        <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
        <p id="shortcuts-intro">{t("shortcuts.intro")}</p>
        <table class="shortcuts-table">
          <thead>
            <tr>
              <th scope="col">{t("shortcuts.key")}</th>
              <th scope="col">{t("shortcuts.action")}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.id} data-shortcut={shortcut.id}>
                <td>
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && " + "}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(shortcut.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="dialog-actions">
          <button
            id="shortcuts-close"
            type="button"
            class="button"
            data-autofocus
            onClick={onClose}
          >
            {t("shortcuts.close")}
          </button>
        </div>
      </div>
    </Modal>
  );
}
