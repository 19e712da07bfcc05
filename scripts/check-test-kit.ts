/**
 * `npm run check:test-kit` (part of `npm run check`): the tests' shared helpers live
 * once, in test/kit/. Fails when a function exported by a kit module is exported
 * by another kit module too, or is defined again (as a function or an arrow
 * function, at any depth) in a test file under test/, whatever its signature: a
 * test needing another shape changes the kit's helper instead. Also fails when two
 * test files define a top-level helper of the same name: one name, one meaning
 * (shared: the kit; local: a name of its own). (The unit tests beside pure modules
 * in src/ do not use the kit.)
 *
 * Prints every offending definition (file:line → the kit module that owns the
 * name) and exits 1, or prints the kit's helper count per module and exits 0.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const KIT = path.join(ROOT, "test", "kit");

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "node_modules" ? [] : filesUnder(p, keep);
    return keep(name) ? [p] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file);

/** `export function x(` / `export async function x(` / `export const x = (…) =>`. */
const EXPORTED =
  /^export\s+(?:async\s+)?function\s*\*?\s*(\w+)|^export\s+const\s+(\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|\w+\s*=>)/gm;

/** A local function, or a const/let bound to a function, at any depth. */
const DEFINED =
  /^\s*(?:async\s+)?function\s*\*?\s*(\w+)\s*[<(]|^\s*(?:const|let)\s+(\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|\w+\s*=>)/;

const owner = new Map<string, string>();
const problems: string[] = [];
const perModule = new Map<string, number>();

for (const file of filesUnder(KIT, (n) => n.endsWith(".ts")).sort()) {
  for (const m of readFileSync(file, "utf8").matchAll(EXPORTED)) {
    const name = (m[1] ?? m[2]) as string;
    const first = owner.get(name);
    if (first) problems.push(`${rel(file)}: ${name} is already exported by ${first}`);
    else owner.set(name, rel(file));
    perModule.set(rel(file), (perModule.get(rel(file)) ?? 0) + 1);
  }
}

const tests = filesUnder(path.join(ROOT, "test"), (n) => n.endsWith(".test.ts"));
/** Top-level helper name → the test files that define one. */
const local = new Map<string, string[]>();
for (const file of tests) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const m = DEFINED.exec(line);
      const name = m && (m[1] ?? m[2]);
      if (!name) return;
      const kit = owner.get(name);
      if (kit) problems.push(`${rel(file)}:${i + 1}: ${name} is a helper of ${kit}: use it`);
      else if (!/^\s/.test(line))
        local.set(name, [...(local.get(name) ?? []), `${rel(file)}:${i + 1}`]);
    });
}
for (const [name, where] of local) {
  const files = new Set(where.map((w) => w.split(":")[0]));
  if (files.size > 1) {
    problems.push(
      `${name} is defined by ${where.join(", ")}: move it to the kit, or name each for what it does`,
    );
  }
}

if (problems.length > 0) {
  console.error(
    `Test helpers defined again (the kit's are the only ones):\n${problems.join("\n")}`,
  );
  process.exit(1);
}
for (const [module, n] of perModule) console.log(`  ${module.padEnd(32)} ${n}`);
console.log(
  `${owner.size} kit helpers, none defined again in ${tests.length} test files; no local helper name in two files`,
);
