/**
 * Starts the whole product locally: builds the UI, applies D1 migrations,
 * seeds demo data if absent, starts the Meta simulator, a local SMTP server that
 * keeps every mail (printing its links) and `wrangler dev`.
 * Used by `npm run dev` and by the browser tests (with their own ports and state dir).
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statfsSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../src/sim/server.ts";
import { startSmtpSink } from "../test/kit/smtp-sink.ts";
import { DEMO, demoSql } from "./demo-data.ts";

export interface StackOptions {
  port: number;
  simPort: number;
  /** Where wrangler keeps D1 and Durable Object state. */
  persistTo: string;
  /** Build the UI first (skip when the caller already built it). */
  build?: boolean;
  /** Seconds an offer waits for Accept. */
  offerTimeoutSeconds?: number;
  /** The simulator approves submitted templates after this many ms (default 3000); null = never. */
  templateReviewMs?: number | null;
  quiet?: boolean;
  /** Ports of the local SMTP server and of its HTTP API (0 or absent: any free port). */
  smtpPort?: number;
  mailPort?: number;
  /** wrangler dev's inspector port (CPU profiles); absent: wrangler's default. */
  inspectorPort?: number;
  /** Mount the `/_drill/*` fault hooks (the drills only). */
  drillHooks?: boolean;
  /** More Worker vars (e.g. shorter timeouts for a test); they win over the defaults here. */
  vars?: Record<string, string>;
}

export interface Stack {
  url: string;
  simUrl: string;
  /** The local SMTP server's HTTP API: `GET ${mailUrl}/messages?to=<address>` lists received mail. */
  mailUrl: string;
  /**
   * CPU time (ms, user and system) used so far by the workerd process that
   * runs the product — the Worker and every actor — and by the one wrangler
   * dev puts in front of it (`proxy`: it forwards every request and WebSocket
   * frame; production has none), not the simulator; or null where `/proc`
   * cannot tell (not Linux).
   */
  cpuMs(): { product: number; proxy: number } | null;
  stop(): Promise<void>;
}

/**
 * CPU ms used by the `workerd` processes descending from `root` (Linux `/proc`):
 * the one listening on `port` is wrangler dev's proxy, the others the product.
 */
function workerdCpuMs(
  root: number | undefined,
  port: number,
): { product: number; proxy: number } | null {
  if (root === undefined) return null;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; comm: string; ticks: number; proxy: boolean }>();
  const entry = `entry=127.0.0.1:${port}`;
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after ')'.
      const close = text.lastIndexOf(")");
      const comm = text.slice(text.indexOf("(") + 1, close);
      const fields = text.slice(close + 2).split(" ");
      const proxy =
        comm.startsWith("workerd") &&
        readFileSync(`/proc/${pid}/cmdline`, "utf8")
          .split("\0")
          .some((a) => a.endsWith(entry));
      stats.set(Number(pid), {
        ppid: Number(fields[1]),
        comm,
        ticks: Number(fields[11]) + Number(fields[12]),
        proxy,
      });
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 20; hops++) {
      if (at === root) return true;
      at = stats.get(at)?.ppid ?? 0;
    }
    return false;
  };
  const ticks = { product: 0, proxy: 0 };
  for (const [pid, s] of stats) {
    if (s.comm.startsWith("workerd") && descends(pid))
      ticks[s.proxy ? "proxy" : "product"] += s.ticks;
  }
  // Clock ticks are 1/100 s on Linux (USER_HZ).
  return { product: ticks.product * 10, proxy: ticks.proxy * 10 };
}

const env = {
  // wrangler dev's local observability (traces of every invocation, stored for the
  // local explorer) costs the workerd process more CPU than the Worker itself does
  // per message, and production has no such thing: off unless asked for.
  X_LOCAL_OBSERVABILITY: "false",
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

function run(cmd: string, args: string[], quiet = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env,
      stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`)),
    );
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

/** Starts everything and resolves when the Worker answers. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const quiet = opts.quiet ?? false;
  if (opts.build ?? true) await run("vite", ["build", "--logLevel", "warn"], quiet);
  const persist = ["--persist-to", opts.persistTo];
  await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist], quiet);
  const seedFile = join(mkdtempSync(join(tmpdir(), "parley-seed-")), "demo.sql");
  writeFileSync(seedFile, await demoSql());
  await run("wrangler", ["d1", "execute", "DB", "--local", ...persist, "--file", seedFile], quiet);

  const url = `http://127.0.0.1:${opts.port}`;
  const sim = await startSimulator({
    port: opts.simPort,
    appSecret: "dev-app-secret",
    webhookUrl: `${url}/webhooks/whatsapp`,
    ...(opts.templateReviewMs === null ? {} : { autoReviewMs: opts.templateReviewMs ?? 3000 }),
  });
  const sink = await startSmtpSink({
    smtpPort: opts.smtpPort ?? 0,
    httpPort: opts.mailPort ?? 0,
    onMessage: (m) => {
      if (!quiet)
        console.log(
          `\n  Mail to ${m.to.join(", ")}: ${m.subject}\n    ${m.links.join("\n    ")}\n`,
        );
    },
  });
  const vars = {
    ENVIRONMENT: "development",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(sink.smtpPort),
    SMTP_SECURE: "none",
    MAIL_FROM: "no-reply@parley.test",
    PUBLIC_URL: url,
    OPERATOR_EMAIL: DEMO.operator.email,
    OPERATOR_PASSWORD: DEMO.operator.password,
    META_APP_SECRET: "dev-app-secret",
    META_VERIFY_TOKEN: "dev-verify-token",
    GRAPH_API_BASE: `${sim.url}/v23.0`,
    OFFER_TIMEOUT_SECONDS: String(opts.offerTimeoutSeconds ?? 30),
    ...(opts.drillHooks ? { DRILL_HOOKS: "on" } : {}),
    // Media comes from the simulator, not Meta's media hosts.
    MEDIA_HOSTS: new URL(sim.url).hostname,
    ...opts.vars,
  };
  const wrangler = spawn(
    "wrangler",
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(opts.port),
      ...persist,
      "--show-interactive-dev-session=false",
      ...(opts.inspectorPort ? ["--inspector-port", String(opts.inspectorPort)] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { env, stdio: quiet ? ["ignore", "ignore", "inherit"] : ["ignore", "inherit", "inherit"] },
  );
  // However this process ends (even mid-start, or on a crash), wrangler goes with it.
  const orphanGuard = () => wrangler.kill("SIGTERM");
  process.once("exit", orphanGuard);
  const stop = async () => {
    process.off("exit", orphanGuard);
    wrangler.kill("SIGTERM");
    await sim.close();
    await sink.close();
  };
  try {
    await waitForHttp(`${url}/api/openapi.json`, 60_000, wrangler);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    simUrl: sim.url,
    mailUrl: sink.url,
    cpuMs: () => workerdCpuMs(wrangler.pid, opts.port),
    stop,
  };
}

/**
 * A fresh state directory, for tests and the bench. `onRamDisk` (the bench's
 * stacks): on the machine's RAM disk (`/dev/shm`) where there is one, unless
 * BENCH_STATE_ON_DISK=1. Local SQLite syncs every commit to disk on workerd's
 * one thread, which stalls every actor behind it; production's storage
 * replicates commits instead and has no such stall, so the bench leaves it out
 * (bench/README.md). The caller removes the directory when done.
 */
export function freshStateDir(onRamDisk = false): string {
  const ram = onRamDisk && process.env.BENCH_STATE_ON_DISK !== "1" && roomyRamDisk();
  return mkdtempSync(join(ram ? "/dev/shm" : tmpdir(), "parley-state-"));
}

/** Whether `/dev/shm` exists with room for a bench's state (a container's may hold 64 MB). */
function roomyRamDisk(): boolean {
  if (!existsSync("/dev/shm")) return false;
  const { bavail, bsize } = statfsSync("/dev/shm");
  return bavail * bsize >= 4 * 2 ** 30;
}
