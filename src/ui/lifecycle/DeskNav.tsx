/** The header's switches between my conversations, the waiting conversations and my wait queue. */
import { useI18n } from "../i18n.ts";

/** What the desktop's main area shows. */
export type DeskView = "conversations" | "waiting" | "wait_queue";

/** Two toggle buttons; pressing the active one goes back to my conversations. */
export function DeskNav({ view, onView }: { view: DeskView; onView: (view: DeskView) => void }) {
  const { t } = useI18n();
  const toggle = (target: DeskView) => onView(view === target ? "conversations" : target);
  return (
    <nav class="desk-nav" aria-label={t("nav.views")}>
      <button
        id="nav-waiting"
        type="button"
        class="button"
        aria-pressed={view === "waiting"}
        onClick={() => toggle("waiting")}
      >
        {t("nav.waiting")}
      </button>
      <button
        id="nav-wait-queue"
        type="button"
        class="button"
        aria-pressed={view === "wait_queue"}
        onClick={() => toggle("wait_queue")}
      >
        {t("nav.waitQueue")}
      </button>
    </nav>
  );
}
