/**
 * The dashboard's charts, hand-drawn in SVG (no chart library): horizontal bars, a pie
 * with its legend, and a line over the hours of the day. Each SVG is an image named by
 * its figures (`aria-label`), and a visually hidden table carries the same figures for
 * screen readers and tests.
 */
import { useI18n } from "../../i18n.ts";
import { linePoints, niceMax, pieSlices } from "./geometry.ts";

/** One labelled figure; `key` names it for styles and tests (`data-figure`). */
export interface Figure {
  key: string;
  label: string;
  value: number;
}

/**
 * Horizontal bars, one per figure, scaled to the largest. Laid out in percentages of the
 * card's width (no viewBox), so the labels keep their real size on any screen.
 */
export function BarChart({ id, title, figures }: { id: string; title: string; figures: Figure[] }) {
  const { t } = useI18n();
  const top = niceMax(Math.max(...figures.map((f) => f.value)));
  const rowHeight = 34;
  /** Where the bars start and how much of the width they may take, in %. */
  const barStart = 42;
  const barSpace = 48;
  const summary = figures.map((f) => `${f.label}: ${f.value}`).join(", ");
  return (
    <figure class="chart chart-bars" id={id}>
      <svg
        width="100%"
        height={figures.length * rowHeight}
        role="img"
        aria-label={`${title}. ${summary}`}
      >
        {figures.map((f, i) => {
          const y = i * rowHeight;
          const length = f.value > 0 ? Math.max(0.8, (f.value / top) * barSpace) : 0;
          return (
            <g key={f.key} class={`bar bar-${f.key}`} data-figure={f.key} data-value={f.value}>
              <text x={0} y={y + rowHeight / 2} dominant-baseline="middle" class="chart-label">
                {f.label}
              </text>
              <rect
                x={`${barStart}%`}
                y={y + 6}
                width={`${length}%`}
                height={rowHeight - 12}
                rx={4}
              />
              <text
                x={`${barStart + length + 1.5}%`}
                y={y + rowHeight / 2}
                dominant-baseline="middle"
                class="chart-value"
              >
                {f.value}
              </text>
            </g>
          );
        })}
      </svg>
      <FigureTable
        id={`${id}-table`}
        caption={title}
        head={[t("dashboard.figure"), t("dashboard.value")]}
        figures={figures}
      />
    </figure>
  );
}

/** A pie of the figures with a legend (colour, label, count, share). */
export function PieChart({
  id,
  title,
  figures,
  empty,
}: {
  id: string;
  title: string;
  figures: Figure[];
  empty: string;
}) {
  const { t } = useI18n();
  const slices = pieSlices(figures, 60, 60, 56);
  const total = figures.reduce((sum, f) => sum + f.value, 0);
  const percentOf = (key: string) => slices.find((s) => s.key === key)?.percent ?? 0;
  const summary = figures
    .map((f) => t("dashboard.share", { label: f.label, value: f.value, percent: percentOf(f.key) }))
    .join(", ");
  return (
    <figure class="chart chart-pie" id={id}>
      {total === 0 ? (
        <p class="empty-state">{empty}</p>
      ) : (
        <div class="pie-layout">
          <svg viewBox="0 0 120 120" role="img" aria-label={`${title}. ${summary}`} class="pie">
            {slices.map((s) => (
              <path key={s.key} d={s.path} class={`slice slice-${s.key}`} data-figure={s.key} />
            ))}
          </svg>
          <ul class="legend" aria-hidden="true">
            {figures.map((f) => (
              <li key={f.key} data-figure={f.key}>
                <span class={`swatch slice-${f.key}`} />
                <span class="legend-label">{f.label}</span>
                <span class="legend-value">
                  {f.value} <span class="muted">({percentOf(f.key)}%)</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <FigureTable
        id={`${id}-table`}
        caption={title}
        head={[t("dashboard.status"), t("dashboard.count")]}
        figures={figures}
      />
    </figure>
  );
}

/** Lines over the 24 hours of the day, with hour ticks every 3 hours. */
export function LineChart({
  id,
  title,
  series,
}: {
  id: string;
  title: string;
  series: { key: string; label: string; values: number[] }[];
}) {
  const { t } = useI18n();
  const width = 480;
  const height = 150;
  const left = 28;
  const bottom = 22;
  // At least 2, so the middle grid line is a whole number of conversations.
  const top = Math.max(2, niceMax(Math.max(...series.flatMap((s) => s.values))));
  const hours = series[0]?.values.length ?? 24;
  const summary = series
    .map(
      (s) =>
        `${s.label}: ${
          s.values
            .map((v, h) => (v > 0 ? `${String(h).padStart(2, "0")}:00 ${v}` : null))
            .filter(Boolean)
            .join(", ") || "0"
        }`,
    )
    .join(". ");
  return (
    <figure class="chart chart-line" id={id}>
      <svg
        viewBox={`0 0 ${width + left + 8} ${height + bottom + 8}`}
        role="img"
        aria-label={`${title}. ${summary}`}
      >
        <g transform={`translate(${left} 4)`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f} class="grid">
              <line x1={0} x2={width} y1={height * (1 - f)} y2={height * (1 - f)} />
              <text x={-6} y={height * (1 - f)} text-anchor="end" dominant-baseline="middle">
                {Math.round(top * f * 10) / 10}
              </text>
            </g>
          ))}
          {Array.from({ length: hours }, (_, h) => h)
            .filter((h) => h % 3 === 0)
            .map((h) => (
              <text
                key={h}
                class="tick"
                x={(h * width) / (hours - 1)}
                y={height + 16}
                text-anchor="middle"
              >
                {String(h).padStart(2, "0")}
              </text>
            ))}
          {series.map((s) => {
            const points = linePoints(s.values, width, height, top);
            return (
              <g key={s.key} class={`series series-${s.key}`} data-series={s.key}>
                <polyline points={points.map((p) => `${p.x},${p.y}`).join(" ")} />
                {points.map((p, h) =>
                  s.values[h]! > 0 ? <circle key={h} cx={p.x} cy={p.y} r={3} /> : null,
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <ul class="legend legend-inline" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <span class={`swatch series-${s.key}`} />
            {s.label}
          </li>
        ))}
      </ul>
      <table class="visually-hidden" id={`${id}-table`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t("dashboard.hour")}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: hours }, (_, h) => (
            <tr key={h} data-hour={h}>
              <th scope="row">{`${String(h).padStart(2, "0")}:00`}</th>
              {series.map((s) => (
                <td key={s.key} data-series={s.key}>
                  {s.values[h]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The figures as a visually hidden two-column table (`td[data-figure]`). */
function FigureTable({
  id,
  caption,
  head,
  figures,
}: {
  id: string;
  caption: string;
  head: [string, string];
  figures: Figure[];
}) {
  return (
    <table class="visually-hidden" id={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head[0]}</th>
          <th scope="col">{head[1]}</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((f) => (
          <tr key={f.key}>
            <th scope="row">{f.label}</th>
            <td data-figure={f.key}>{f.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
