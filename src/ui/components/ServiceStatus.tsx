/**
 * The header's service indicator: "Service open / partly open / closed" with a coloured
 * dot, from the working time of the tenant's numbers. Its title lists each number and
 * when it next opens or closes; pressing it opens the service status dialog (each
 * number: open or closed now, the next change, today's hours and coming holidays).
 * Refreshed every minute and just after the earliest change; a failed load shows a
 * quiet "—", never an alarm (the desk works the same either way).
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Language } from "../../shared/protocol.ts";
import { ServiceStatus } from "../../shared/protocol.ts";
import type { NumberHours } from "../../shared/service-hours.ts";
import { request } from "../api.ts";
import { type Translate, useI18n } from "../i18n.ts";
import { ServiceStatusDialog } from "./ServiceStatusDialog.tsx";

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

/**
 * Today's hours of one number as a line: "Open 24 hours", "Closed today", "Holiday:
 * Christmas" or its ranges ("09:00–13:00, 14:00–18:00"), with the number's time zone
 * when it is not the browser's (`browserZone`). Pure.
 */
export function todayHoursText(t: Translate, hours: NumberHours, browserZone: string): string {
  const zone = hours.timeZone === browserZone ? "" : ` (${hours.timeZone})`;
  if (hours.alwaysOpen) return t("serviceDialog.alwaysOpen");
  const holiday = hours.holidays.find((h) => h.date === hours.today);
  if (holiday) {
    return holiday.name
      ? t("serviceDialog.holidayNamed", { name: holiday.name })
      : t("serviceDialog.holidayToday");
  }
  if (hours.todayRanges.length === 0) return t("serviceDialog.closedToday");
  const ranges = hours.todayRanges.map((r) => `${r.open}–${r.close}`).join(", ");
  return t("serviceDialog.todayRanges", { ranges }) + zone;
}

/** The coming holidays after today as "25 Dec 2026 Christmas", in the user's language. Pure. */
export function holidayTexts(language: Language, hours: NumberHours): string[] {
  const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
  return hours.holidays
    .filter((h) => h.date !== hours.today)
    .map((h) => {
      const date = format.format(Date.parse(`${h.date}T00:00:00Z`));
      return h.name ? `${date} — ${h.name}` : date;
    });
}

type Loaded = ServiceStatus | "failed" | null;

/** Loads the status now, then again after `refreshDelayMs` (a minute after a failure); `reload` asks at once. */
function useServiceStatus(): { state: Loaded; reload: () => void } {
  const [state, setState] = useState<Loaded>(null);
  const [round, setRound] = useState(0);
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
  }, [round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { state, reload };
}

/** `#service-status` in the desk's header. Renders nothing until the first answer. */
export function ServiceStatusIndicator() {
  const { t, language } = useI18n();
  const { state, reload } = useServiceStatus();
  const [open, setOpen] = useState(false);

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
  return (
    <div class="service-status" data-status={state.status}>
      <button
        id="service-status"
        type="button"
        class="service-status-button"
        title={lines.map((line) => line.text).join("\n")}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          // Opening is the moment the agent wants it fresh.
          reload();
          setOpen(true);
        }}
      >
        <span class="service-status-dot" aria-hidden="true" />
        {t(`service.${state.status}`)}
      </button>
      {open && <ServiceStatusDialog status={state} onClose={() => setOpen(false)} />}
    </div>
  );
}
