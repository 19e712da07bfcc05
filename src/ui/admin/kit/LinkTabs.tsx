/**
 * Tabs that are links: each tab has its own address, so Back/Forward and reload keep
 * it. Arrow keys, Home and End move between tabs, as in any tab list; only the
 * selected tab is in the Tab order. The panel is the caller's, with id `panelId`.
 */
import { Link, navigate } from "./router.tsx";
import { tabAfterKey } from "./tabs.ts";

export interface LinkTab {
  key: string;
  href: string;
  label: string;
}

export function LinkTabs({
  tabs,
  active,
  label,
  panelId,
}: {
  tabs: readonly LinkTab[];
  active: string;
  /** The tab list's accessible name. */
  label: string;
  panelId: string;
}) {
  const onKeyDown = (event: KeyboardEvent) => {
    const next = tabAfterKey(
      tabs.map((tab) => tab.key),
      active,
      event.key,
    );
    const target = next === null ? undefined : tabs[next];
    if (!target) return;
    event.preventDefault();
    navigate(target.href);
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[role=tab][data-tab="${target.key}"]`)?.focus(),
    );
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const selected = tab.key === active;
        return (
          <Link
            key={tab.key}
            id={`tab-${tab.key}`}
            href={tab.href}
            role="tab"
            data-tab={tab.key}
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
          >
            {tab.label}
          </Link>
        );
      })}
    </div>
  );
}
