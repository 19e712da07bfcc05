/**
 * Where the time goes: a V8 CPU profile of the product's Worker and Durable
 * Objects (one isolate under wrangler dev), taken through wrangler's inspector
 * with the Chrome DevTools Protocol while a scenario runs. Summarised as self
 * time per function and per source file; the raw `.cpuprofile` opens in DevTools.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; scriptId?: string };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  /** Wall time profiled, ms. */
  wallMs: number;
  /** Time the isolate was running JavaScript (not idle), ms. */
  busyMs: number;
  /** Self time per function, largest first. */
  functions: { name: string; where: string; ms: number }[];
  /** Total time (self and callees) per named function of the bundle, largest first. */
  inclusive: { name: string; where: string; ms: number }[];
  /** Self time per source file. */
  files: { file: string; ms: number }[];
}

/** A minimal DevTools Protocol session over the inspector's WebSocket. */
class Cdp {
  private next = 1;
  private readonly waiting = new Map<number, (r: { result?: unknown; error?: unknown }) => void>();
  private readonly ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg);
    });
  }

  static async connect(inspectorPort: number): Promise<Cdp> {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error(`no inspector target on port ${inspectorPort}`);
    // The inspector proxy only admits local DevTools origins. (Node's WebSocket takes headers.)
    const ws = new WebSocket(url, {
      headers: { Origin: "http://localhost" },
    } as unknown as string[]);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error(`cannot open ${url}`)), { once: true });
    });
    return new Cdp(ws);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => {
        this.waiting.delete(id);
        if (r.error) reject(new Error(`${method}: ${JSON.stringify(r.error)}`));
        else resolve(r.result as T);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Which source module each line of a bundled script comes from: esbuild marks
 * each module with a `// src/…` comment line where its code starts.
 */
export type ModuleMap = Map<string, { line: number; module: string }[]>;

/** Runs `during` with the CPU profiler on; returns its result, the raw profile and its scripts' modules. */
export async function profileWhile<T>(
  inspectorPort: number,
  during: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile; modules: ModuleMap }> {
  const cdp = await Cdp.connect(inspectorPort);
  try {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    const result = await during();
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    // Read after profiling: the debugger's own work stays out of the samples.
    const modules: ModuleMap = new Map();
    await cdp.send("Debugger.enable");
    const scripts = new Set(
      profile.nodes.flatMap((n) =>
        n.callFrame.scriptId && n.callFrame.url.endsWith(".js") ? [n.callFrame.scriptId] : [],
      ),
    );
    for (const scriptId of scripts) {
      const { scriptSource } = await cdp
        .send<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId })
        .catch(() => ({ scriptSource: "" }));
      const starts: { line: number; module: string }[] = [];
      scriptSource.split("\n").forEach((text, line) => {
        const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
        if (m) starts.push({ line, module: m[1] as string });
      });
      if (starts.length > 0) modules.set(scriptId, starts);
    }
    await cdp.send("Debugger.disable").catch(() => undefined);
    return { result, profile, modules };
  } finally {
    cdp.close();
  }
}

/** The part of the product a module belongs to: an actor (its folder), the Worker, or `other`. */
function partOf(module: string): string | null {
  const actor = /^src\/durable\/(\w+)\//.exec(module);
  if (actor) return `${actor[1]} actor`;
  if (module.startsWith("src/worker/")) return "Worker";
  return null;
}

/**
 * Busy time (ms) by part of the product: each sample goes to the innermost
 * frame of its stack that lies in an actor's folder (`number actor`, …) or in
 * the Worker, so an actor's SQLite statements, JSON and RPC work count for the
 * actor that ran them; the rest (the runtime's own work, shared modules with
 * no such caller) is `other`. Idle time is left out.
 */
export function busyByPart(profile: CpuProfile, modules: ModuleMap): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const moduleAt = (frame: ProfileNode["callFrame"]): string | null => {
    const starts = frame.scriptId ? modules.get(frame.scriptId) : undefined;
    if (!starts) return null;
    let lo = 0;
    let hi = starts.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = starts[mid] as { line: number; module: string };
      if (start.line <= frame.lineNumber) {
        found = start.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const parts: Record<string, number> = {};
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(samples[i] as number);
    if (!leaf || leaf.callFrame.functionName === "(idle)") continue;
    let part = "other";
    for (let at: number | undefined = leaf.id; at !== undefined; at = parent.get(at)) {
      const module = moduleAt((byId.get(at) as ProfileNode).callFrame);
      const found = module ? partOf(module) : null;
      if (found) {
        part = found;
        break;
      }
    }
    parts[part] = (parts[part] ?? 0) + ms;
  }
  return parts;
}

const IDLE = new Set(["(idle)", "(program)", "(garbage collector)"]);

/** Self time per function and per file; `(program)` is native time outside JavaScript. */
export function summarise(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's duration is the delta to the next one.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const fns = new Map<string, { name: string; where: string; ms: number }>();
  const files = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    if (name !== "(idle)") busy += ms;
    const file = url ? url.replace(/^.*\/(src|node_modules)\//, "$1/") : name;
    const where = url ? `${file}:${lineNumber + 1}` : "";
    const key = `${name}@${where}`;
    const entry = fns.get(key) ?? { name, where, ms: 0 };
    entry.ms += ms;
    fns.set(key, entry);
    if (!IDLE.has(name) || name === "(garbage collector)")
      files.set(file, (files.get(file) ?? 0) + ms);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = (byId.get(at) as ProfileNode).callFrame;
      if (!functionName || !url || url.startsWith("cloudflare-internal")) continue;
      const where = `${url.replace(/^.*\//, "")}:${lineNumber + 1}`;
      const key = `${functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: functionName, where, ms: 0 };
      entry.ms += ms;
      inclusive.set(key, entry);
    }
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    wallMs: round((profile.endTime - profile.startTime) / 1000),
    busyMs: round(busy),
    functions: [...fns.values()]
      .filter((f) => f.name !== "(idle)")
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: round(f.ms) })),
    inclusive: [...inclusive.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: round(f.ms) })),
    files: [...files]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, ms]) => ({ file, ms: round(ms) })),
  };
}

/** The summary as Markdown. */
export function profileMarkdown(title: string, s: ProfileSummary): string {
  const lines = [
    `### ${title}`,
    "",
    `Profiled ${(s.wallMs / 1000).toFixed(1)} s; the isolate was busy ${(s.busyMs / 1000).toFixed(1)} s (${((100 * s.busyMs) / s.wallMs).toFixed(0)}%). \`(program)\` is time inside workerd outside JavaScript (RPC, storage, I/O).`,
    "",
    "| self ms | function | where |",
    "| ------: | -------- | ----- |",
    ...s.functions.map((f) => `| ${f.ms} | ${f.name} | ${f.where} |`),
    "",
    "| total ms | function | where |",
    "| -------: | -------- | ----- |",
    ...s.inclusive.map((f) => `| ${f.ms} | ${f.name} | ${f.where} |`),
    "",
  ];
  return lines.join("\n");
}
