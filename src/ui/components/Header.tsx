/**
 * The desktop's top bar: who I am, my status and load, the connection, the service
 * status, the way to the customers (admins and agents) and to the administration (admins
 * only), notifications, shortcuts, language, logout. On narrow screens the views and
 * links fold into a menu (`#desk-menu`) and a button (`#conversations-toggle`) pulls out
 * the conversation drawer; CSS decides what shows, the menu's state is all JS keeps.
 */

import { useEffect, useState } from "preact/hooks";
import type { AgentView, SelectableStatus } from "../../shared/protocol.ts";
import { useSession } from "../admin/kit/context.ts";
import { Link } from "../admin/kit/router.tsx";
import { ProfileButton } from "../desk/account/ProfileButton.tsx";
import { NotifySettingsButton } from "../desk/notify/NotifySettings.tsx";
import { LoadCounter, StatusField } from "../desk/session/DeskStatus.tsx";
import { useI18n } from "../i18n.ts";
import { DeskNav, type DeskView } from "../lifecycle/DeskNav.tsx";
import type { ConnectionState } from "../live.ts";
import { LanguageSelect } from "./LanguageSelect.tsx";
import { ServiceStatusIndicator } from "./ServiceStatus.tsx";

interface HeaderProps {
  agentName: string;
  agent: AgentView | null;
  /** Conversations on my desk, and offers waiting for me (counted apart). */
  conversations: number;
  offers: number;
  statusBusy: boolean;
  connection: ConnectionState;
  onStatusChange: (status: SelectableStatus) => void;
  onLogout: () => void;
  loggingOut: boolean;
  /** What the main area shows, and how to switch it. */
  view: DeskView;
  onView: (view: DeskView) => void;
  /** Narrow screens: whether the conversation drawer is out, and its switch. */
  drawerOpen?: boolean;
  onToggleDrawer?: () => void;
  /** Unread customer messages over all my conversations, for the drawer's switch. */
  unreadTotal?: number;
  onShowShortcuts?: () => void;
}

export function Header({
  agentName,
  agent,
  conversations,
  offers,
  statusBusy,
  connection,
  onStatusChange,
  onLogout,
  loggingOut,
  view,
  onView,
  drawerOpen = false,
  onToggleDrawer,
  unreadTotal = 0,
  onShowShortcuts,
}: HeaderProps) {
  const { t } = useI18n();
  const [menuOpen, setMenuOpen] = useState(false);
  useFoldingMenu(menuOpen, setMenuOpen);
  const role = useSession()?.role;
  const isAdmin = role === "admin";
  const rona = agent?.status === "rona";
  const live = connection === "live";
  return (
    <header class={rona ? "desktop-header is-rona" : "desktop-header"}>
      {onToggleDrawer && (
        <button
          id="conversations-toggle"
          type="button"
          class="button drawer-toggle"
          aria-expanded={drawerOpen}
          aria-controls="conversation-list"
          title={t("convList.toggleLabel")}
          onClick={onToggleDrawer}
        >
          <span aria-hidden="true">☰</span> {t("list.title")}
          {unreadTotal > 0 && (
            <span class="badge">
              <span aria-hidden="true">{unreadTotal}</span>
              <span class="visually-hidden">{t("list.unread", { n: unreadTotal })}</span>
            </span>
          )}
        </button>
      )}
      <p class="brand">{t("app.name")}</p>
      <p class="agent-name">
        <span class="visually-hidden">{t("header.agent")}: </span>
        {agentName}
      </p>

      <StatusField agent={agent} busy={statusBusy} onChange={onStatusChange} />

      {agent && (
        <LoadCounter conversations={conversations} max={agent.maxConversations} offers={offers} />
      )}

      <p
        id="connection"
        class="connection"
        data-state={live ? "live" : "reconnecting"}
        role="status"
      >
        <span class="connection-dot" aria-hidden="true" />
        {live ? t("connection.live") : t("connection.reconnecting")}
      </p>

      <ServiceStatusIndicator />

      <button
        id="desk-menu"
        type="button"
        class="button desk-menu-button"
        aria-expanded={menuOpen}
        aria-controls="desk-menu-panel"
        onClick={() => setMenuOpen((open) => !open)}
      >
        <span aria-hidden="true">⋯</span> {t("deskMenu.open")}
      </button>
      <div id="desk-menu-panel" class={menuOpen ? "desk-menu is-open" : "desk-menu"}>
        <DeskNav view={view} onView={onView} />

        {(isAdmin || role === "agent") && (
          <Link id="nav-customers" class="button" href="/customers">
            {t("nav.customers")}
          </Link>
        )}

        {isAdmin && (
          <Link id="nav-admin" class="button" href="/admin">
            {t("admin.toAdmin")}
          </Link>
        )}

        <div class="header-field">
          <label for="header-language" class="visually-hidden">
            {t("language.label")}
          </label>
          <LanguageSelect id="header-language" />
        </div>

        <NotifySettingsButton />

        {onShowShortcuts && (
          <button
            id="shortcuts-help"
            type="button"
            class="button"
            aria-keyshortcuts="?"
            onClick={onShowShortcuts}
          >
            <span class="chrome-icon chrome-icon-key" aria-hidden="true">
              ?
            </span>
            <span class="chrome-label">{t("shortcuts.open")}</span>
          </button>
        )}

        <ProfileButton />

        <button id="logout" type="button" class="button" onClick={onLogout} disabled={loggingOut}>
          {t("header.logout")}
        </button>
      </div>
    </header>
  );
}

/**
 * While the folded menu is open: Escape (wherever focus is) folds it and puts focus back
 * on its button; a choice inside it (a link, or a button that opens nothing) or a click
 * outside folds it too.
 */
function useFoldingMenu(open: boolean, setOpen: (open: boolean) => void): void {
  useEffect(() => {
    const panel = document.getElementById("desk-menu-panel");
    const button = document.getElementById("desk-menu");
    if (!open || !panel) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || document.querySelector("dialog[open]")) return;
      setOpen(false);
      button?.focus();
    };
    const onClick = (e: MouseEvent) => {
      if (!(e.target instanceof Element)) return;
      const inside = panel.contains(e.target);
      if (
        (inside && e.target.closest("button:not([aria-expanded]), a")) ||
        (!inside && !button?.contains(e.target))
      ) {
        setOpen(false);
      }
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("click", onClick);
    };
  }, [open, setOpen]);
}
