/** Running clocks: time elapsed since a moment, and time left until one. */
import { useNow } from "../clock.ts";
import { formatClock, formatElapsed, formatRelative, useI18n } from "../i18n.ts";

/** `m:ss` since `since` (epoch ms), ticking every second; days, then a date, when long ago. */
export function Elapsed({ since, label }: { since: number; label?: string }) {
  const { language } = useI18n();
  const now = useNow();
  const relative = formatRelative(language, Math.min(0, since - now));
  return (
    <time
      class="timer"
      dateTime={new Date(since).toISOString()}
      title={label ? `${label}: ${relative}` : relative}
    >
      {formatElapsed(language, since, now)}
    </time>
  );
}

/** `m:ss` left until `until` (epoch ms), stopping at 0:00; urgent in the last 10 seconds. */
export function Countdown({ until }: { until: number }) {
  const { language } = useI18n();
  const now = useNow();
  const left = Math.max(0, until - now);
  return (
    <time
      class={left <= 10_000 ? "timer timer-urgent" : "timer"}
      dateTime={new Date(until).toISOString()}
      title={formatRelative(language, left)}
    >
      {formatClock(Math.ceil(left / 1000) * 1000)}
    </time>
  );
}
