/**
 * A message's time and, for ours, its ticks: a keyboard-reachable disclosure
 * says who sent it and when it was sent, delivered and read.
 */
import type { MessageView, Tick } from "../../../shared/protocol.ts";
import { formatTime, useI18n } from "../../i18n.ts";

export function MessageMeta({ message, senderName }: { message: MessageView; senderName: string }) {
  const { t, language } = useI18n();
  const time = (
    <time dateTime={new Date(message.createdAt).toISOString()}>
      {formatTime(language, message.createdAt)}
    </time>
  );
  if (message.direction !== "out" || !message.status || message.kind === "note") {
    return <span class="message-meta">{time}</span>;
  }
  const times = message.statusTimes;
  const rows: {
    key: "sent" | "delivered" | "read" | "played" | "failed";
    at: number | undefined;
  }[] = [
    { key: "sent", at: times.sent },
    { key: "delivered", at: times.delivered },
    { key: "read", at: times.read },
  ];
  if (times.played) rows.push({ key: "played", at: times.played });
  if (times.failed) rows.push({ key: "failed", at: times.failed });
  return (
    <details class="message-meta message-details">
      <summary aria-label={`${t("messages.details.open")}: ${t(`tick.${message.status}`)}`}>
        {time}
        <Ticks status={message.status} />
      </summary>
      <dl class="message-details-list">
        <div>
          <dt>{t("messages.details.sender")}</dt>
          <dd>{senderName}</dd>
        </div>
        {rows.map((row) => (
          <div key={row.key} data-tick={row.key}>
            <dt>{t(`messages.details.${row.key}`)}</dt>
            <dd>{row.at ? formatTime(language, row.at) : t("messages.details.notYet")}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Clock while pending, ? not confirmed, ✓ sent, ✓✓ delivered, blue ✓✓ read/played, red ⚠ failed. */
export function Ticks({ status }: { status: Tick }) {
  const { t } = useI18n();
  const label = t(`tick.${status}`);
  return (
    <span class={`ticks ticks-${status}`} role="img" aria-label={label} title={label}>
      {status === "pending" ? <ClockIcon /> : TICK_GLYPHS[status]}
    </span>
  );
}

const TICK_GLYPHS: Record<Exclude<Tick, "pending">, string> = {
  unconfirmed: "?",
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓",
  played: "✓✓",
  failed: "⚠",
};

function ClockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
