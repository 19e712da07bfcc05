/**
 * The message pipeline's D1 (creating customers on a first message, writing
 * closed conversations' history), as the drills can break it: `POST
 * /_drill/d1-writes` (src/worker/app/drill-hooks.ts) opens a window in which
 * its writes fail as D1's do when it is unavailable. Under `wrangler dev` the
 * Worker and every actor share one isolate, so this module's window reaches
 * them all; outside drills the window is never opened and `pipelineDb` is D1.
 */
let d1WritesFailUntil = 0;
let d1WritesFailed = 0;

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

function fail(sql: string): never {
  d1WritesFailed += 1;
  throw new Error(`D1_ERROR: write refused by a drill: ${sql.slice(0, 40)}`);
}

/**
 * D1 as the pipeline writes to it: while a drill's window is open, write
 * statements fail as D1 does when it is unavailable; reads pass.
 */
export function pipelineDb(db: D1Database): D1Database {
  if (Date.now() >= d1WritesFailUntil) return db;
  const statement = (sql: string, inner: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === "bind") {
          return (...values: unknown[]) => statement(sql, target.bind(...values));
        }
        if (
          WRITE.test(sql) &&
          (prop === "run" || prop === "all" || prop === "first" || prop === "raw")
        ) {
          return () => Promise.resolve().then(() => fail(sql));
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "prepare") {
        return (sql: string) => {
          const s = statement(sql, target.prepare(sql));
          sqlOf.set(s, sql);
          return s;
        };
      }
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const write = statements.map((s) => sqlOf.get(s) ?? "").find((q) => WRITE.test(q));
          // Statements prepared on the plain binding are unknown here: a batch is a write path.
          if (write !== undefined || statements.some((s) => !sqlOf.has(s))) {
            return Promise.resolve().then(() => fail(write ?? "batch"));
          }
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Opens the drills' window: the pipeline's D1 writes fail for `forMs`. */
export function failD1WritesFor(forMs: number): { until: number; failed: number } {
  d1WritesFailUntil = Date.now() + forMs;
  return { until: d1WritesFailUntil, failed: d1WritesFailed };
}
