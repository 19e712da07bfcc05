/**
 * The header's service indicator: "Service open / partly open / closed" with a coloured
 * dot, from the working time of the tenant's numbers. Its title (and, for keyboards and
 * touch, a small panel it opens) lists each number and when it next opens or closes.
 * Refreshed every minute and just after the earliest change; a failed load shows a
 * quiet "—", never an alarm (the desk works the same either way).
 */
import { useEffect, useState } from "preact/hooks";
import type { Language } from "../../shared/protocol.ts";
import { ServiceStatus } from "../../shared/protocol.ts";
import { request } from "../api.ts";
import { type Translate, useI18n } from "../i18n.ts";

const MINUTE_MS = 60_000;
/** After a change is due, ask a little later so the server's clock has surely passed it. */
const CHANGE_MARGIN_MS = 1_000;
const WEEK_DAYS = 7;

/**
 * How long to wait before asking again: a minute, or until just after the earliest
 * `nextChangeAt` when that comes sooner (never less than the margin). Pure.
 */
export function refreshDelayMs(status: ServiceStatus, nowMs: number): number {
  let delay = MINUTE_MS;
  for (const number of status.numbers) {
    if (number.nextChangeAt === null) continue;
    delay = Math.min(delay, number.nextChangeAt - nowMs + CHANGE_MARGIN_MS);
  }
  return Math.max(CHANGE_MARGIN_MS, delay);
}

function dayIndex(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / (24 * 60 * 60 * 1000);
}

/**
 * When a change happens, in the browser's time zone and the user's language: "today
 * 18:00", "tomorrow 09:00", "Mon 09:00" within the week, else a short date. Pure.
 */
export function formatChange(language: Language, atMs: number, nowMs: number): string {
  const time = new Intl.DateTimeFormat(language, { timeStyle: "short" }).format(atMs);
  const days = dayIndex(atMs) - dayIndex(nowMs);
  if (days === 0 || days === 1) {
    const day = new Intl.RelativeTimeFormat(language, { numeric: "auto" }).format(days, "day");
    return `${day} ${time}`;
  }
  const date = new Intl.DateTimeFormat(
    language,
    days > 0 && days < WEEK_DAYS ? { weekday: "short" } : { dateStyle: "short" },
  ).format(atMs);
  return `${date} ${time}`;
}

/** One line per number (keyed by its id): open or closed, and when that changes. Pure. */
export function numberLines(
  t: Translate,
  language: Language,
  status: ServiceStatus,
  nowMs: number,
): { key: string; text: string }[] {
  if (status.numbers.length === 0) return [{ key: "none", text: t("service.noNumbers") }];
  return status.numbers.map(({ id, name, open, nextChangeAt }) => {
    if (nextChangeAt === null) {
      return {
        key: id,
        text: t(open ? "service.openNoChange" : "service.closedNoChange", { name }),
      };
    }
    const when = formatChange(language, nextChangeAt, nowMs);
    return { key: id, text: t(open ? "service.openUntil" : "service.closedUntil", { name, when }) };
  });
}

/** Loads the status now, then again after `refreshDelayMs` (a minute after a failure). */
function useServiceStatus(): ServiceStatus | "failed" | null {
  const [state, setState] = useState<ServiceStatus | "failed" | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let delay = MINUTE_MS;
      try {
        const status = await request("/api/service-status", ServiceStatus);
        if (!live) return;
        setState(status);
        delay = refreshDelayMs(status, Date.now());
      } catch {
        if (!live) return;
        setState("failed");
      }
      timer = setTimeout(load, delay);
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return state;
}

/** `#service-status` in the desk's header. Renders nothing until the first answer. */
export function ServiceStatusIndicator() {
  const { t, language } = useI18n();
  const state = useServiceStatus();
  const [expanded, setExpanded] = useState(false);

  if (state === null) return null;
  if (state === "failed") {
    return (
      <p
        id="service-status"
        class="service-status"
        data-status="unknown"
        title={t("service.unknown")}
      >
        <span class="visually-hidden">{t("service.unknown")}</span>
        <span aria-hidden="true">{t("app.none")}</span>
      </p>
    );
  }
  const lines = numberLines(t, language, state, Date.now());
  // The panel holds only text, so focus stays on the button: leaving it or Escape closes.
  return (
    <div class="service-status" data-status={state.status}>
      <button
        id="service-status"
        type="button"
        class="service-status-button"
        title={lines.map((line) => line.text).join("\n")}
        aria-expanded={expanded}
        aria-controls={expanded ? "service-status-details" : undefined}
        onClick={() => setExpanded((open) => !open)}
        onBlur={() => setExpanded(false)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && expanded) {
            e.stopPropagation();
            setExpanded(false);
          }
        }}
      >
        <span class="service-status-dot" aria-hidden="true" />
        {t(`service.${state.status}`)}
      </button>
      {expanded && (
        <div id="service-status-details" class="service-status-details">
          <p class="service-status-heading">{t("service.details")}</p>
          <ul>
            {lines.map((line) => (
              <li key={line.key}>{line.text}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
