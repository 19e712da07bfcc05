/**
 * `npm run check:layers` (part of `npm run check`): fails when an import under
 * src/ runs against the layers' direction (ARCHITECTURE.md):
 *
 *   shared ← meta, platform ← durable ← worker;   shared ← ui;   sim stands alone
 *
 * `meta` (Meta's contract) and `platform` (env, config, clock, mail, streams)
 * see only `shared`; the actors (`durable`) see those three; the Worker sees
 * everything but the UI; the UI sees only `shared`. Type-only imports count
 * too. Inside an actor's folder (src/durable/<actor>/), the concern modules
 * never import the actor (`actor.ts`) back: it gives them what they need.
 *
 * Prints every offending import (file:line → target) and exits 1, or prints
 * the import count per layer pair and exits 0.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");

type Layer = "shared" | "meta" | "platform" | "durable" | "worker" | "ui" | "sim";

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  shared: ["shared"],
  meta: ["shared", "meta"],
  platform: ["shared", "platform"],
  durable: ["shared", "meta", "platform", "durable"],
  worker: ["shared", "meta", "platform", "durable", "worker"],
  ui: ["shared", "ui"],
  sim: ["sim"],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

function layerOf(file: string): Layer | null {
  const top = path.relative(SRC, file).split(path.sep)[0];
  return top !== undefined && top in MAY_IMPORT ? (top as Layer) : null;
}

/** `from "…"`, `import "…"`, `import("…")` and `export … from "…"`, relative specifiers only. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

const problems: string[] = [];
const counts = new Map<string, number>();

for (const file of filesUnder(SRC)) {
  const from = layerOf(file);
  if (!from) continue;
  const lines = readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    for (const m of line.matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1] as string);
      const where = `${path.relative(ROOT, file)}:${i + 1}`;
      const to = layerOf(target);
      if (!to) {
        problems.push(`${where} → ${m[1]}: outside src/ layers`);
        continue;
      }
      if (!MAY_IMPORT[from].includes(to)) {
        problems.push(`${where} → ${path.relative(ROOT, target)}: ${from} may not import ${to}`);
      }
      // An actor's concern modules never import the actor back.
      const actorDir = /^src\/durable\/([^/]+)\//.exec(path.relative(ROOT, file));
      if (
        actorDir &&
        path.relative(ROOT, target).replace(/\.ts$/, "") === `src/durable/${actorDir[1]}/actor` &&
        path.basename(file) !== "actor.ts"
      ) {
        problems.push(`${where} → ${m[1]}: a module of an actor imports the actor back`);
      }
      const pair = `${from} → ${to}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  });
}

if (problems.length > 0) {
  console.error(`${problems.length} import(s) against the layers' direction:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("Layers: every import under src/ runs one way.");
for (const [pair, n] of [...counts].sort()) console.log(`  ${pair.padEnd(22)} ${n}`);
