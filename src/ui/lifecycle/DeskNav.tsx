/**
 * The header's switches for the desktop's main area: the dashboard, the waiting
 * conversations, my wait queue, my history and my templates without reply. Each is a
 * toggle; pressing the active one goes back to my conversations.
 */
import type { MessageKey } from "../i18n.ts";
import { useI18n } from "../i18n.ts";

/** What the desktop's main area shows. */
export type DeskView =
  | "conversations"
  | "dashboard"
  | "waiting"
  | "wait_queue"
  | "history"
  | "outbound";

/** The switches in header order, with their element ids (tests and shortcuts use them). */
const VIEWS: readonly {
  view: Exclude<DeskView, "conversations">;
  id: string;
  label: MessageKey;
}[] = [
  { view: "dashboard", id: "nav-dashboard", label: "nav.dashboard" },
  { view: "waiting", id: "nav-waiting", label: "nav.waiting" },
  { view: "wait_queue", id: "nav-wait-queue", label: "nav.waitQueue" },
  { view: "history", id: "nav-history", label: "nav.history" },
  { view: "outbound", id: "nav-outbound", label: "nav.outbound" },
];

export function DeskNav({ view, onView }: { view: DeskView; onView: (view: DeskView) => void }) {
  const { t } = useI18n();
  const toggle = (target: DeskView) => onView(view === target ? "conversations" : target);
  return (
    <nav class="desk-nav" aria-label={t("nav.views")}>
      {VIEWS.map((item) => (
        <button
          key={item.view}
          id={item.id}
          type="button"
          class="button"
          aria-pressed={view === item.view}
          onClick={() => toggle(item.view)}
        >
          {t(item.label)}
        </button>
      ))}
    </nav>
  );
}
