/**
 * The header's "Profile" button: opens the profile dialog, whose code loads on the
 * first click (it is rarely used, so it stays out of the desktop's first download).
 */
import type { FunctionComponent } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n.ts";

type Dialog = FunctionComponent<{ onClose: () => void }>;
let loaded: Dialog | null = null;

export function ProfileButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(() => loaded);
  const [loading, setLoading] = useState(false);

  function openDialog() {
    setOpen(true);
    if (loaded) return;
    setLoading(true);
    import("./ProfileDialog.tsx").then(
      (module) => {
        loaded = module.default;
        setDialog(() => module.default);
        setLoading(false);
      },
      (error: unknown) => {
        console.warn("Could not load the profile dialog", error);
        setLoading(false);
        setOpen(false);
      },
    );
  }

  const Dialog = dialog;
  return (
    <>
      <button
        id="profile-open"
        type="button"
        class="button"
        aria-haspopup="dialog"
        aria-label={t("profile.openLabel")}
        aria-busy={loading}
        onClick={openDialog}
      >
        {t("profile.open")}
      </button>
      {open && Dialog && <Dialog onClose={() => setOpen(false)} />}
    </>
  );
}
