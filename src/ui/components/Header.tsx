/**
 * The desktop's top bar: who I am, my status and load, the connection, the way to the
 * customers (admins and agents) and to the administration (admins only), language, logout.
 */
import type { AgentView, SelectableStatus } from "../../shared/protocol.ts";
import { SelectableStatus as SelectableStatusSchema } from "../../shared/protocol.ts";
import { useSession } from "../admin/kit/context.ts";
import { Link } from "../admin/kit/router.tsx";
import { ProfileButton } from "../desk/account/ProfileButton.tsx";
import { useI18n } from "../i18n.ts";
import { DeskNav, type DeskView } from "../lifecycle/DeskNav.tsx";
import type { ConnectionState } from "../live.ts";
import { LanguageSelect } from "./LanguageSelect.tsx";
import { ServiceStatusIndicator } from "./ServiceStatus.tsx";

interface HeaderProps {
  agentName: string;
  agent: AgentView | null;
  statusBusy: boolean;
  connection: ConnectionState;
  onStatusChange: (status: SelectableStatus) => void;
  onLogout: () => void;
  loggingOut: boolean;
  /** What the main area shows, and how to switch it. */
  view: DeskView;
  onView: (view: DeskView) => void;
}

const SELECTABLE: readonly SelectableStatus[] = SelectableStatusSchema.options;

export function Header({
  agentName,
  agent,
  statusBusy,
  connection,
  onStatusChange,
  onLogout,
  loggingOut,
  view,
  onView,
}: HeaderProps) {
  const { t } = useI18n();
  const role = useSession()?.role;
  const isAdmin = role === "admin";
  const rona = agent?.status === "rona";
  const live = connection === "live";
  return (
    <header class={rona ? "desktop-header is-rona" : "desktop-header"}>
      <p class="brand">{t("app.name")}</p>
      <p class="agent-name">
        <span class="visually-hidden">{t("header.agent")}: </span>
        {agentName}
      </p>

      <div class="header-field status-field">
        <label for="status-select">{t("status.label")}</label>
        <select
          id="status-select"
          class={agent ? `status-${agent.status}` : undefined}
          value={agent?.status ?? ""}
          disabled={!agent || statusBusy}
          aria-describedby={rona ? "rona-hint" : undefined}
          onChange={(e) => {
            const parsed = SelectableStatusSchema.safeParse(e.currentTarget.value);
            if (parsed.success && parsed.data !== agent?.status) onStatusChange(parsed.data);
          }}
        >
          {rona && (
            <option value="rona" disabled>
              {t("status.rona")}
            </option>
          )}
          {SELECTABLE.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </div>
      {rona && (
        <p id="rona-hint" class="rona-banner" role="alert">
          <strong>{t("status.rona")}</strong> {t("status.ronaHint")}
        </p>
      )}

      {agent && (
        <p class="load" title={t("header.load")}>
          <span class="visually-hidden">
            {t("header.loadLabel", { load: agent.load, max: agent.maxConversations })}
          </span>
          <span aria-hidden="true">
            {t("header.load")}{" "}
            <strong>
              {t("header.loadValue", { load: agent.load, max: agent.maxConversations })}
            </strong>
          </span>
        </p>
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

      <ProfileButton />

      <button id="logout" type="button" class="button" onClick={onLogout} disabled={loggingOut}>
        {t("header.logout")}
      </button>
    </header>
  );
}
