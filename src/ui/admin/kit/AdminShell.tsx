/**
 * The frame of the administration (and of the operator's platform pages): a header
 * with the way back to the agent desktop (`#nav-desktop`, admins and agents), language and
 * logout; a sidebar of sections (`a[data-nav=…]`); the content; and the toast region
 * that every screen reaches through `useAdmin().showToast`.
 */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { MeView } from "../../../shared/protocol.ts";
import { api, errorMessage, NetworkError } from "../../api.ts";
import { Toasts, useToasts } from "../../components/Feedback.tsx";
import { LanguageSelect } from "../../components/LanguageSelect.tsx";
import { DeskStatusBar } from "../../desk/session/DeskStatus.tsx";
import { useI18n } from "../../i18n.ts";
import { AdminContext } from "./context.ts";
import { isUnder } from "./route.ts";
import { Link, useRoute } from "./router.tsx";

const MAX_TOASTS = 3;

/** One sidebar entry: `key` is its `data-nav`, `href` where it leads. */
export interface NavItem {
  key: string;
  href: string;
  label: string;
}

interface AdminShellProps {
  me: MeView;
  nav: readonly NavItem[];
  onSignedOut: () => void;
  /** The header's title; defaults to Administration (Platform for the operator). */
  title?: string;
  children: ComponentChildren;
}

export function AdminShell({ me, nav, onSignedOut, title, children }: AdminShellProps) {
  const { t } = useI18n();
  const route = useRoute();
  const { toasts, showToast, dismissToast } = useToasts();
  const [loggingOut, setLoggingOut] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  // A new page moves focus to its content, as a full page load would for screen readers.
  // The first render keeps the browser's own focus, and so does a control inside the
  // content that is still there (a tab of the number editor moving to its own URL).
  const firstPath = useRef(route.path);
  useEffect(() => {
    if (route.path === firstPath.current) return;
    firstPath.current = "";
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.isConnected && mainRef.current?.contains(active)) {
      if (active !== mainRef.current) return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    } else {
      mainRef.current?.focus({ preventScroll: true });
    }
  }, [route.path]);

  const logout = useCallback(async () => {
    setLoggingOut(true);
    try {
      await api.logout();
      onSignedOut();
    } catch (error) {
      if (error instanceof NetworkError) {
        showToast(errorMessage(error, t("app.networkError"), t("app.unexpectedError")), "error");
        setLoggingOut(false);
      } else {
        onSignedOut(); // Any answer from the server means the session is unusable anyway.
      }
    }
  }, [onSignedOut, showToast, t]);

  const context = useMemo(() => ({ me, showToast }), [me, showToast]);

  return (
    <AdminContext.Provider value={context}>
      <div class="admin">
        <header class="admin-header">
          <p class="brand">{t("app.name")}</p>
          <p class="admin-title">
            {title ?? (me.role === "operator" ? t("admin.platform") : t("admin.heading"))}
            {me.role !== "operator" && <span class="muted"> · {me.tenantName}</span>}
          </p>
          <p class="admin-user">{me.name}</p>
          <DeskStatusBar onFailure={(message) => showToast(message, "error")} />
          {me.role !== "operator" && (
            <Link id="nav-desktop" class="button" href="/">
              {t("admin.toDesktop")}
            </Link>
          )}
          <div class="header-field">
            <label for="admin-language" class="visually-hidden">
              {t("language.label")}
            </label>
            <LanguageSelect id="admin-language" />
          </div>
          <button
            id="logout"
            type="button"
            class="button"
            onClick={() => void logout()}
            disabled={loggingOut}
          >
            {t("header.logout")}
          </button>
        </header>
        <nav class="admin-nav" aria-label={t("admin.navLabel")}>
          <ul>
            {nav.map((item) => (
              <li key={item.key}>
                <Link
                  href={item.href}
                  data-nav={item.key}
                  aria-current={isUnder(route.path, item.href) ? "page" : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main class="admin-main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
        {/* The latest few only: a burst of saves should not wall off the page. */}
        <Toasts toasts={toasts.slice(-MAX_TOASTS)} onDismiss={dismissToast} />
      </div>
    </AdminContext.Provider>
  );
}
