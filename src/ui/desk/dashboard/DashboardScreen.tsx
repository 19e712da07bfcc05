/**
 * The dashboard's screen: fetches today's figures when shown, every 15 s while the page
 * is visible, right after a conversation event on the desk (`liveSignal`) and on Refresh;
 * the last good figures stay on screen while a refresh runs or after one fails.
 */
import { useEffect, useRef } from "preact/hooks";
import type { AgentStatus } from "../../../shared/protocol.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { usePolled } from "../../components/usePolled.ts";
import { type MessageKey, useI18n } from "../../i18n.ts";
import { fetchDashboard } from "./api.ts";
import { BarChart, LineChart, PieChart } from "./charts.tsx";
import "./dashboard.css";
import type { DashboardProps } from "./DashboardView.tsx";

/** How often a shown dashboard refreshes itself. */
export const DASHBOARD_POLL_MS = 15_000;
/** Events come in bursts (offer, accept, conversation): one fetch after the burst. */
const LIVE_DEBOUNCE_MS = 400;

const STATUSES: readonly { key: AgentStatus; label: MessageKey }[] = [
  { key: "ready", label: "status.ready" },
  { key: "back_office", label: "status.back_office" },
  { key: "break", label: "status.break" },
  { key: "rona", label: "status.rona" },
  { key: "offline", label: "status.offline" },
];

export default function DashboardScreen({ liveSignal }: DashboardProps) {
  const { t, language } = useI18n();
  const { data, error, refreshing, updatedAt, refresh, reload } = usePolled(
    fetchDashboard,
    DASHBOARD_POLL_MS,
  );
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);

  // The first value is what we mounted with; only later changes are news.
  const firstSignal = useRef(liveSignal);
  useEffect(() => {
    if (liveSignal === firstSignal.current) return;
    const timer = setTimeout(reload, LIVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [liveSignal, reload]);

  const describe = (failure: unknown) =>
    errorMessage(failure, t("app.networkError"), t("app.unexpectedError"));
  const clock = (ms: number) =>
    new Intl.DateTimeFormat(language, { timeStyle: "medium" }).format(new Date(ms));

  return (
    <section class="waiting-view dashboard" id="dashboard-view" aria-labelledby="dashboard-title">
      <header class="waiting-header">
        <div>
          <h2 id="dashboard-title" ref={titleRef} tabIndex={-1}>
            {t("dashboard.title")}
          </h2>
          {data && (
            <p class="muted dashboard-day">
              {t("dashboard.today", {
                day: new Intl.DateTimeFormat(language, {
                  dateStyle: "full",
                  timeZone: "UTC",
                }).format(new Date(`${data.day}T00:00:00Z`)),
                zone: data.timeZone,
              })}
            </p>
          )}
        </div>
        <div class="dashboard-actions">
          {updatedAt !== null && (
            <span class="muted" id="dashboard-updated" role="status">
              {t("dashboard.updatedAt", { time: clock(updatedAt) })}
            </span>
          )}
          <button
            id="dashboard-refresh"
            type="button"
            class="button"
            disabled={refreshing}
            aria-busy={refreshing}
            onClick={refresh}
          >
            {refreshing && <span class="spinner spinner-small" aria-hidden="true" />}
            {refreshing ? t("dashboard.refreshing") : t("dashboard.refresh")}
          </button>
        </div>
      </header>

      {error !== null &&
        (data === null ? (
          <LoadError
            message={t("dashboard.loadFailed", { message: describe(error) })}
            onRetry={refresh}
          />
        ) : (
          <p class="field-warning" role="alert">
            {t("dashboard.staleFailed", {
              message: describe(error),
              time: updatedAt === null ? "" : clock(updatedAt),
            })}
          </p>
        ))}
      {data === null ? (
        error === null && <Loading />
      ) : (
        <div class="dashboard-grid">
          <section class="dashboard-card" aria-labelledby="dashboard-conversations-title">
            <h3 id="dashboard-conversations-title">{t("dashboard.conversations")}</h3>
            <BarChart
              id="dashboard-conversations"
              title={t("dashboard.conversations")}
              figures={[
                { key: "total", label: t("dashboard.total"), value: data.conversations.total },
                { key: "closed", label: t("dashboard.closed"), value: data.conversations.closed },
                { key: "active", label: t("dashboard.active"), value: data.conversations.active },
                {
                  key: "awaitingTransfer",
                  label: t("dashboard.awaitingTransfer"),
                  value: data.conversations.awaitingTransfer,
                },
              ]}
            />
          </section>
          <section class="dashboard-card" aria-labelledby="dashboard-agents-title">
            <h3 id="dashboard-agents-title">{t("dashboard.agents")}</h3>
            <PieChart
              id="dashboard-agents"
              title={t("dashboard.agents")}
              empty={t("dashboard.noAgents")}
              figures={STATUSES.map((s) => ({
                key: s.key,
                label: t(s.label),
                value: data.agents[s.key],
              }))}
            />
          </section>
          <section class="dashboard-card dashboard-wide" aria-labelledby="dashboard-hourly-title">
            <h3 id="dashboard-hourly-title">{t("dashboard.hourly")}</h3>
            {data.conversations.total === 0 && data.conversations.closed === 0 && (
              <p class="empty-state dashboard-none">{t("dashboard.noneToday")}</p>
            )}
            <LineChart
              id="dashboard-hourly"
              title={t("dashboard.hourly")}
              series={[
                { key: "opened", label: t("dashboard.opened"), values: data.hourly.opened },
                { key: "closed", label: t("dashboard.closedLine"), values: data.hourly.closed },
              ]}
            />
          </section>
        </div>
      )}
    </section>
  );
}
