/**
 * Adds the lockfile entries of platform-specific optional packages (macOS,
 * Windows, musl builds of workerd, esbuild, biome …) that `npm install` leaves
 * out when the registry it talks to does not serve them. Without them `npm ci`
 * refuses the lockfile as out of sync. Run after changing dependencies:
 * `npm install && npm run lock:platforms`.
 */
import { readFileSync, writeFileSync } from "node:fs";

type Entry = {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, Entry>;
};

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[base] || lock.packages[hoisted]) continue;
    // Optional platform packages are pinned to an exact version by their parents.
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(range)) continue;
    // A nested parent gets its platform package beside it; a top-level one, hoisted.
    lock.packages[path.includes("/node_modules/") ? base : hoisted] = {
      version: range,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync("package-lock.json", `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`lockfile: ${added} platform entries added`);
