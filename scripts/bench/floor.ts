/**
 * Starts the platform floor Worker (bench/floor) under `wrangler dev`, with its
 * own state directory, and measures it with the same open-loop generator.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { type LoadResult, openLoop, post } from "./load.ts";

/** A running floor Worker. */
export interface Floor {
  url: string;
  stop(): void;
}

/** Starts the floor on `port`; resolves when `/noop` answers. */
export async function startFloor(port: number, persistTo: string): Promise<Floor> {
  const child = spawn(
    "wrangler",
    [
      "dev",
      "--config",
      "bench/floor/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
    ],
    {
      // Measured as the product is (scripts/stack.ts): without local observability.
      env: {
        X_LOCAL_OBSERVABILITY: "false",
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  // However this process ends (even mid-start, or on a crash), wrangler goes with it.
  const orphanGuard = () => child.kill("SIGTERM");
  process.once("exit", orphanGuard);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`floor wrangler exited ${child.exitCode}`);
    try {
      await post(`${url}/noop`, "", {});
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("floor did not come up in 60 s");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    stop: () => {
      process.off("exit", orphanGuard);
      child.kill("SIGTERM");
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/**
 * The floor at `rate` for `seconds`: `path` is "/noop" or "/store/<key>"; each
 * request carries `body(i)`, the same bytes the product would get.
 */
export function floorRun(
  floor: Floor,
  path: string,
  rate: number,
  seconds: number,
  body: (i: number) => string,
): Promise<LoadResult> {
  return openLoop(rate, seconds, (i) =>
    post(`${floor.url}${path}`, body(i), { "Content-Type": "application/json" }),
  );
}
