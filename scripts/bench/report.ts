/**
 * Figures and their presentation for `npm run bench`: percentiles, the Markdown
 * table, and a hand-written SVG chart of latency against offered rate.
 */

/** p50/p95/p99/max of a sample set (ms); NaN when empty. */
export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `samples` (unsorted; not modified). */
export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN) : NaN;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.at(-1) ?? NaN };
}

/** One measured scenario (or ramp step) as written to latest.json. */
export interface ScenarioResult {
  name: string;
  offeredRate: number;
  achievedRate: number;
  /** Webhook POST → 200. */
  ack: Stats;
  /** Webhook POST sent → the agent's WebSocket frame with that message. */
  endToEnd: Stats;
  /** Agent's reply POST sent → the Graph call arriving at the simulator. */
  replyToGraph: Stats;
  /** The same generator at the same rate against the floor Worker. */
  floorNoop?: Stats;
  floorStore?: Stats;
  floorStoreAchievedRate?: number;
  errors: number;
  notes?: string;
}

const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? "–"
    : `${(a / b).toFixed(1)}×`;

/** The Markdown table of every scenario (latencies in ms; ratios to the bare DO floor). */
export function markdownTable(rows: ScenarioResult[]): string {
  const head = [
    "scenario",
    "offered/s",
    "achieved/s",
    "ack p50/p95/p99",
    "webhook→agent p50/p95/p99",
    "reply→Graph p50/p99",
    "floor noop p50/p99",
    "floor DO p50/p99",
    "ack p50 ÷ DO",
    "e2e p99 ÷ DO",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`];
  for (const r of rows) {
    lines.push(
      `| ${[
        r.name,
        r.offeredRate.toFixed(0),
        r.achievedRate.toFixed(1),
        `${ms(r.ack.p50)} / ${ms(r.ack.p95)} / ${ms(r.ack.p99)}`,
        `${ms(r.endToEnd.p50)} / ${ms(r.endToEnd.p95)} / ${ms(r.endToEnd.p99)}`,
        `${ms(r.replyToGraph.p50)} / ${ms(r.replyToGraph.p99)}`,
        `${ms(r.floorNoop?.p50)} / ${ms(r.floorNoop?.p99)}`,
        `${ms(r.floorStore?.p50)} / ${ms(r.floorStore?.p99)}`,
        ratio(r.ack.p50, r.floorStore?.p50),
        ratio(r.endToEnd.p99, r.floorStore?.p99),
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** One series of the chart: points (offered rate, latency ms). */
export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

/** A line chart of latency (log-free, ms) against offered rate (msg/s), as standalone SVG. */
export function latencySvg(title: string, series: Series[]): string {
  const W = 720;
  const H = 420;
  const L = 60;
  const R = 190;
  const T = 40;
  const B = 50;
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const maxY = Math.max(10, ...all.map(([, y]) => y)) * 1.1;
  const x = (v: number) => L + (v / maxX) * (W - L - R);
  const y = (v: number) => H - B - (v / maxY) * (H - T - B);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">offered rate (messages/s)</text>`,
    `<text x="16" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(T + H - B) / 2})">latency (ms)</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const vy = (maxY / 5) * i;
    const vx = (maxX / 5) * i;
    out.push(
      `<line x1="${L}" y1="${y(vy).toFixed(1)}" x2="${W - R}" y2="${y(vy).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${L - 6}" y="${(y(vy) + 4).toFixed(1)}" text-anchor="end">${vy.toFixed(0)}</text>`,
      `<text x="${x(vx).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${vx.toFixed(0)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const pts = s.points.filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : "";
    if (pts.length) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" ")}"/>`,
        ...pts.map(
          ([a, b]) =>
            `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${s.color}"/>`,
        ),
      );
    }
    const ly = T + 10 + i * 20;
    out.push(
      `<line x1="${W - R + 12}" y1="${ly}" x2="${W - R + 36}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${W - R + 42}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function escapeXml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
