/**
 * What the message path costs, counted where it is spent: Worker requests,
 * calls into actors (by actor and method), alarms, WebSocket frames, D1
 * queries with the rows D1 reports, and actors' SQLite statements with their
 * rows. `npm run bench` reads the counts through `GET /_drill/meter`
 * (src/worker/app/drill-hooks.ts) and divides them by the messages it sent
 * (bench/README.md, "What one message costs").
 *
 * Under `wrangler dev` the Worker and every actor share one isolate, so this
 * module's counts are the whole stack's. The plain counts are a few additions
 * and always on; the calls and D1 queries are counted through the proxies of
 * `meteredEnv`, which exist only where the drills' and bench's hooks are on
 * (DRILL_HOOKS=on, refused in production): elsewhere the env is the runtime's.
 */

const counts = new Map<string, number>();

/** Adds `n` to the count named `key` (e.g. `sql.statements`). */
export function count(key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** Every count so far, by name. */
export function meterSnapshot(): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Whether statements are also counted by shape (`<kind>.by.<verb> <table>`, with
 * the rows they wrote): on where the hooks are (`meteredEnv`), so a bench or a
 * test can see which statements a message runs.
 */
let detailed = false;

/** `select customers`, `insert messages`: a statement's verb and first table. */
export function shapeOf(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? "?";
  const table = /\b(?:from|into|update)\s+["`]?(\w+)/i.exec(text)?.[1] ?? "?";
  return `${verb} ${table}`;
}

/**
 * One statement of `kind` (`d1`, `sql`) with the rows it wrote, by shape when
 * the meter is detailed.
 */
export function countStatement(kind: string, text: string, rowsWritten = 0): void {
  if (!detailed) return;
  // The statements are the code's own texts, a few hundred at most: each is parsed once.
  let keys = shapes.get(text);
  if (!keys) {
    const shape = shapeOf(text);
    keys = { by: `.by.${shape}`, written: `.written_by.${shape}` };
    shapes.set(text, keys);
  }
  count(kind + keys.by);
  if (rowsWritten > 0) count(kind + keys.written, rowsWritten);
}

const shapes = new Map<string, { by: string; written: string }>();

/** Starts counting from zero. */
export function resetMeter(): void {
  counts.clear();
}

type Binding = Record<PropertyKey, unknown>;

const metered = new WeakMap<object, object>();

/**
 * `env` whose actor namespaces count each call a stub makes
 * (`actor.<binding>.<method>`, with their wall time in `actor_ms.<binding>`)
 * and whose D1 binding counts queries and rows (statements by shape too),
 * when the hooks are on (`DRILL_HOOKS=on`); otherwise `env` itself.
 */
export function meteredEnv<E extends object>(env: E): E {
  if ((env as { DRILL_HOOKS?: string }).DRILL_HOOKS !== "on") return env;
  detailed = true;
  const known = metered.get(env);
  if (known) return known as E;
  const wrapped = new Proxy(env, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || typeof value !== "object" || value === null) return value;
      const binding = value as Binding;
      if (typeof binding.getByName === "function") return meteredNamespace(prop, binding);
      if (typeof binding.prepare === "function" && typeof binding.batch === "function") {
        return meteredD1(value as D1Database);
      }
      return value;
    },
  });
  metered.set(env, wrapped);
  return wrapped;
}

function meteredNamespace(name: string, ns: Binding): object {
  const known = metered.get(ns);
  if (known) return known;
  const label = name.toLowerCase();
  const stubOf = (stub: Binding) =>
    new Proxy(stub, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof prop !== "string" || prop === "then" || typeof value !== "function")
          return value;
        // Reflect.apply: on a stub, `value.apply` would be a remote property named "apply".
        return (...args: unknown[]) => {
          count(`actor.${label}.${prop}`);
          const started = performance.now();
          const result: unknown = Reflect.apply(value, target, args);
          // The call's wall time (the clock moves across I/O): how long it kept the actor active.
          const done = () => count(`actor_ms.${label}`, performance.now() - started);
          (result as PromiseLike<unknown>).then(done, done);
          return result;
        };
      },
    });
  const wrapped = new Proxy(ns, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop === "getByName" || prop === "get") {
        return (...args: unknown[]) =>
          stubOf(Reflect.apply(value as (...a: unknown[]) => Binding, target, args));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  metered.set(ns, wrapped);
  return wrapped;
}

/** What D1 reports of a query it ran, where it reports it (`raw()` does not). */
function rowsOf(result: unknown): void {
  const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
  if (!meta) return;
  count("d1.rows_read", meta.rows_read ?? 0);
  count("d1.rows_written", meta.rows_written ?? 0);
}

const RUNS = new Set(["run", "all", "first", "raw"]);

function meteredD1(db: D1Database): D1Database {
  const known = metered.get(db);
  if (known) return known as D1Database;
  const real = new WeakMap<object, D1PreparedStatement>();
  const texts = new WeakMap<object, string>();
  const statement = (inner: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(inner, {
      get(target, prop) {
        if (prop === "bind") {
          return (...values: unknown[]) => {
            const bound = statement(target.bind(...values));
            texts.set(bound, texts.get(proxy) ?? "");
            return bound;
          };
        }
        const value: unknown = Reflect.get(target, prop);
        if (typeof prop === "string" && RUNS.has(prop) && typeof value === "function") {
          return async (...args: unknown[]) => {
            count("d1.queries");
            countStatement("d1", texts.get(proxy) ?? "");
            const result: unknown = await Reflect.apply(value, target, args);
            rowsOf(result);
            return result;
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    real.set(proxy, inner);
    return proxy;
  };
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          const prepared = statement(target.prepare(query));
          texts.set(prepared, query);
          return prepared;
        };
      }
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          count("d1.queries", statements.length);
          count("d1.batches");
          for (const s of statements) countStatement("d1", texts.get(s) ?? "");
          // D1 takes its own statements in a batch, not the proxies around them.
          const results = await target.batch(statements.map((s) => real.get(s) ?? s));
          for (const r of results) rowsOf(r);
          return results;
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  metered.set(db, wrapped);
  return wrapped;
}
